"""Proxy filters in front of the table models (the source models stay untouched)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from app.gui.models.recipients import RecipientsModel

Index = QModelIndex | QPersistentModelIndex


class RecipientsFilter(QSortFilterProxyModel):
    """ "Problems only" plus a case-insensitive search across every column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems_only = False
        self._needle = ""
        self.setDynamicSortFilter(False)  # re-filter only when the user changes the filter

    def set_problems_only(self, on: bool) -> None:
        if on != self._problems_only:
            self._problems_only = on
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self._needle = needle
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RecipientsModel):
            return True
        if self._problems_only and not model.has_problem(source_row):
            return False
        if self._needle:
            return model.row_matches(source_row, self._needle)
        return True
