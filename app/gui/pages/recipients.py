"""Recipients: open or drop a workbook, choose sheet and header row, map roles, see problems."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.model import ProblemKind, Role, Severity
from app.gui.found_columns import summary_text
from app.gui.models.filters import RecipientsFilter
from app.gui.models.recipients import FIXED_COLUMNS, RecipientsModel
from app.gui.pages.base import Page
from app.gui.session import Session
from app.gui.tasks import spawn
from app.gui.widgets.sidebar import StepStatus

ROLES = (Role.EMAIL, Role.NAME, Role.CC, Role.BCC, Role.REPLY_TO, Role.ATTACHMENTS)


class RecipientsPage(Page):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = RecipientsModel(on_exclude=session.set_excluded, parent=self)
        self.proxy = RecipientsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._filling = False
        self.counts: dict[str, int] = {}
        self._build()
        session.tableChanged.connect(self._table_changed)
        session.recipientsChanged.connect(self._recipients_changed)
        session.busyChanged.connect(self._busy_changed)
        self.retranslate()

    # --- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.ask_open)
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sheet_label = QLabel()
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumContentsLength(12)
        self.sheet_label.setBuddy(self.sheet_combo)
        self.header_label = QLabel()
        self.header_spin = QSpinBox()
        self.header_spin.setRange(0, 1000)
        self.header_label.setBuddy(self.header_spin)
        self.reload_button = QPushButton()
        self.reload_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        for widget in (self.open_button, self.file_label):
            top.addWidget(widget)
        top.addStretch(1)
        for widget in (
            self.sheet_label,
            self.sheet_combo,
            self.header_label,
            self.header_spin,
            self.reload_button,
        ):
            top.addWidget(widget)

        self.roles_box = QGroupBox()
        roles_form = QFormLayout(self.roles_box)
        self.role_combos: dict[Role, QComboBox] = {}
        self.role_labels: dict[Role, QLabel] = {}
        for role in ROLES:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i, r=role: self._role_chosen(r))
            label = QLabel()
            label.setBuddy(combo)
            roles_form.addRow(label, combo)
            self.role_combos[role] = combo
            self.role_labels[role] = label

        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.problems_only = QCheckBox()
        self.problems_only.toggled.connect(self._filter_changed)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.exclude_button = QPushButton()
        self.include_button = QPushButton()
        self.exclude_button.clicked.connect(lambda: self._set_selected_excluded(True))
        self.include_button.clicked.connect(lambda: self._set_selected_excluded(False))
        filters = QHBoxLayout()
        for widget in (self.problems_only, self.search, self.exclude_button, self.include_button):
            filters.addWidget(widget)

        self.table = QTableView()
        self.table.setModel(self.model)  # the proxy is put in front only while filtering
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # O(1) layout at 100k rows
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setDefaultSectionSize(150)
        self.table.horizontalHeader().setStretchLastSection(True)

        left = QVBoxLayout()
        left.addWidget(self.roles_box)
        left.addWidget(self.counts_label)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(filters)
        right.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addLayout(body, 1)

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + self.tr("Recipients") + "</h2>")
        self.open_button.setText(self.tr("&Open workbook…"))
        self.open_button.setToolTip(
            self.tr("Open an .xlsx or .csv file, or drop one on the window")
        )
        self.sheet_label.setText(self.tr("S&heet:"))
        self.sheet_combo.setAccessibleName(self.tr("Sheet"))
        self.header_label.setText(self.tr("Header &row:"))
        self.header_spin.setSpecialValueText(self.tr("auto"))
        self.header_spin.setAccessibleName(self.tr("Header row (0 finds it automatically)"))
        self.reload_button.setText(self.tr("Re&load"))
        self.roles_box.setTitle(self.tr("Column roles"))
        names = {
            Role.EMAIL: self.tr("&Email:"),
            Role.NAME: self.tr("&Name:"),
            Role.CC: self.tr("&Cc:"),
            Role.BCC: self.tr("&Bcc:"),
            Role.REPLY_TO: self.tr("Reply-&to:"),
            Role.ATTACHMENTS: self.tr("A&ttachments:"),
        }
        for role, label in self.role_labels.items():
            label.setText(names[role])
            self.role_combos[role].setAccessibleName(names[role].replace("&", "").rstrip(":："))
        self.problems_only.setText(self.tr("&Problems only"))
        self.search.setPlaceholderText(self.tr("Search any column…"))
        self.search.setAccessibleName(self.tr("Search recipients"))
        self.exclude_button.setText(self.tr("E&xclude selected"))
        self.include_button.setText(self.tr("&Include selected"))
        self.table.setAccessibleName(self.tr("Recipients table"))
        self.counts_label.setAccessibleName(self.tr("Recipient counts"))
        self._fill_role_combos()
        self._show_file()
        self._update_counts()
        self.model.retranslate()

    # --- actions ---------------------------------------------------------------------------
    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open workbook"),
            str(self.session.base_dir or ""),
            self.tr("Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)"),
        )
        if path:
            spawn(self.open_file(Path(path)))

    async def open_file(self, path: Path) -> bool:
        self.header_spin.setValue(0)
        return await self.session.load_table(path)

    @asyncSlot()
    async def reload(self) -> None:
        await self.reload_now()

    async def reload_now(self) -> None:
        path = self.session.config.recipients
        if path is None:
            return
        sheet = self.sheet_combo.currentText() or None
        header = self.header_spin.value() or None
        await self.session.load_table(path, sheet, header)

    def _role_chosen(self, role: Role) -> None:
        if self._filling or self.session.table is None:
            return
        column = self.role_combos[role].currentData()
        if column != self.session.mapping.get(role):
            spawn(self.session.set_role(role, column))

    def _set_selected_excluded(self, excluded: bool) -> None:
        rows = sorted({self._source_row(i) for i in self.table.selectionModel().selectedRows()})
        numbers = [self.model.row_number(r) for r in rows]
        if numbers:
            self.session.set_excluded(numbers, excluded)

    def _filter_changed(self) -> None:
        """Filter through the proxy only when a filter is on: without one, the view talks to
        the model directly, so loading 100,000 rows costs no 100,000 filter calls."""
        self.proxy.set_problems_only(self.problems_only.isChecked())
        self.proxy.set_search(self.search.text())
        filtering = self.problems_only.isChecked() or bool(self.search.text().strip())
        wanted = self.proxy if filtering else self.model
        if self.table.model() is not wanted:
            self.table.setModel(wanted)

    def _source_row(self, index: QModelIndex) -> int:
        if self.table.model() is self.proxy:
            return self.proxy.mapToSource(index).row()
        return index.row()

    def visible_rows(self) -> int:
        return self.table.model().rowCount()

    # --- reacting to the session ------------------------------------------------------------
    def _table_changed(self) -> None:
        table = self.session.table
        self.model.set_table(table)
        header = self.table.horizontalHeader()
        if table is not None:
            header.resizeSection(0, self.fontMetrics().horizontalAdvance("0000000") + 40)
            header.resizeSection(1, self.fontMetrics().horizontalAdvance("duplicate  ") + 40)
            # Data columns fit their first rows (not all 100,000: that would stall), within
            # bounds so one long cell cannot push the others off screen.
            metrics = self.fontMetrics()
            sample = table.rows[:50]
            for column, name in enumerate(table.headers):
                texts = [name, *(str(r.values[column] or "") for r in sample)]
                width = max(metrics.horizontalAdvance(t) for t in texts) + 24
                header.resizeSection(column + FIXED_COLUMNS, max(80, min(width, 320)))
        self._filling = True
        self.sheet_combo.clear()
        if table is not None:
            self.sheet_combo.addItems(list(table.sheets))
            if table.sheet:
                self.sheet_combo.setCurrentText(table.sheet)
        self.sheet_combo.setEnabled(bool(table and table.sheets))
        self._filling = False
        self._fill_role_combos()
        self._show_file()

    def _recipients_changed(self) -> None:
        self.model.set_problems(self.session.problems_by_row(), self.session.excluded)
        self._fill_role_combos()
        self._update_counts()

    def _busy_changed(self, busy: bool) -> None:
        for widget in (self.open_button, self.reload_button, self.roles_box):
            widget.setEnabled(not busy)
        if busy:
            self.set_status(StepStatus.BUSY, self.tr("Reading…"))
        else:
            self._update_counts()

    def _fill_role_combos(self) -> None:
        headers = self.session.table.headers if self.session.table else ()
        self._filling = True
        for role, combo in self.role_combos.items():
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for header in headers:
                combo.addItem(header, header)
            current = self.session.mapping.get(role)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
            combo.setEnabled(bool(headers))
        self._filling = False

    def _show_file(self) -> None:
        path = self.session.config.recipients
        table = self.session.table
        if path is None:
            self.file_label.setText(self.tr("No workbook yet: open one or drop it here."))
        elif table is None:
            self.file_label.setText(path.name)
        else:
            self.file_label.setText(
                self.tr("{name} — header in row {row}").format(name=path.name, row=table.header_row)
            )
        self.file_label.setToolTip(str(path or ""))

    def _update_counts(self) -> None:
        table = self.session.table
        if table is None:
            self.counts = {}
            self.counts_label.setText("")
            self.set_status(StepStatus.NONE, self.tr("No recipients yet"))
            return
        problems = self.session.problems_by_row()
        excluded = self.session.excluded
        duplicates = invalid = warnings = listed = 0
        for number, found in problems.items():
            if number in excluded:
                continue
            if any(p.kind == ProblemKind.DO_NOT_EMAIL for p in found):
                listed += 1
            elif any(p.kind == ProblemKind.DUPLICATE_ADDRESS for p in found):
                duplicates += 1
            elif any(p.severity == Severity.ERROR for p in found):
                invalid += 1
            else:
                warnings += 1
        total = len(table.rows)
        valid = total - len(excluded) - duplicates - invalid - listed
        self.counts = {
            "rows": total,
            "valid": valid,
            "invalid": invalid,
            "duplicate": duplicates,
            "excluded": len(excluded),
        }
        text = self.tr(
            "{rows} rows: {valid} valid, {invalid} invalid, {dup} duplicate, {excluded} excluded"
        ).format(rows=total, valid=valid, invalid=invalid, dup=duplicates, excluded=len(excluded))
        if listed:  # only then: most campaigns have nobody on the list
            self.counts["do_not_email"] = listed
            text += self.tr(", {count} on the do-not-email list").format(count=listed)
        extra = summary_text(self.session)  # Cc/Bcc/Reply-To columns and what they add
        self.counts_label.setText(text + ("\n" + extra if extra else ""))
        if self.session.mapping.email is None:
            self.set_status(StepStatus.ERROR, self.tr("Choose the email column"))
        elif invalid or duplicates:
            self.set_status(StepStatus.WARNING, text)
        elif valid == 0:
            self.set_status(StepStatus.ERROR, self.tr("Nobody to send to"))
        else:
            self.set_status(StepStatus.OK, text)
