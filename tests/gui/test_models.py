"""Table models: Qt's model tester, lazy data at 100,000 rows, filters, log batches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from app.core.model import Problem, ProblemKind, Row, Table
from app.gui.controller import LogEntry
from app.gui.models.filters import RecipientsFilter
from app.gui.models.log import LogFilter, LogModel
from app.gui.models.problems import ProblemsModel
from app.gui.models.recipients import PROBLEM_ROLE, RecipientsModel


def table_of(count: int) -> Table:
    rows = [Row(i + 2, (f"p{i}@example.com", f"Name {i}", i)) for i in range(count)]
    return Table(Path("x.xlsx"), "S", ("S",), 1, ("Email", "Name", "N"), rows)


def bad(row: int) -> Problem:
    return Problem(
        ProblemKind.INVALID_ADDRESS, f"Row {row}: not an address", row=row, column="Email"
    )


def test_recipients_model_passes_qt_model_tester(qtmodeltester):
    model = RecipientsModel()
    model.set_table(table_of(50))
    model.set_problems({3: [bad(3)]}, {4})
    qtmodeltester.check(model, force_py=True)


def test_problem_rows_carry_an_icon_and_a_tooltip_not_colour_alone():
    model = RecipientsModel()
    model.set_table(table_of(5))
    model.set_problems({3: [bad(3)]}, set())
    index = model.index(1, 0)  # row number 3
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    assert "not an address" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "invalid address" in model.data(model.index(1, 1))
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None


def test_unchecking_a_row_excludes_it_and_reports_to_the_session():
    seen = []
    model = RecipientsModel(on_exclude=lambda rows, ex: seen.append((rows, ex)))
    model.set_table(table_of(3))
    model.set_problems({}, set())
    assert model.setData(
        model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert seen == [([2], True)]
    assert model.data(model.index(0, 1)) == "excluded"


class CountingRows(tuple):
    """The table's rows, counting every look at one: what laziness means, measured without
    a clock (a timing bound failed under load)."""

    reads = 0

    def __getitem__(self, index):  # type: ignore[override]
        CountingRows.reads += 1
        return super().__getitem__(index)

    def __iter__(self):  # type: ignore[override]
        for item in super().__iter__():
            CountingRows.reads += 1
            yield item


def test_data_is_lazy_at_100000_rows_each_cell_reads_one_row():
    model = RecipientsModel()
    base = table_of(100_000)
    rows = CountingRows(base.rows)
    table = Table(base.source, base.sheet, base.sheets, base.header_row, base.headers, rows)
    CountingRows.reads = 0
    model.set_table(table)
    model.set_problems({50_000: [bad(50_000)]}, set())
    assert CountingRows.reads == 0  # loading touches no row
    assert model.rowCount() == 100_000
    for row in range(0, 100_000, 100):  # a screenful of cells, a thousand times over
        for column in range(5):
            model.data(model.index(row, column))
    assert CountingRows.reads == 5000  # one row looked at per cell, whatever the table size
    assert model.data(model.index(50_000 - 2, 1)) != "OK"  # the problem row is found directly


def test_problems_only_filter_keeps_just_the_problem_rows(qtmodeltester):
    model = RecipientsModel()
    model.set_table(table_of(20))
    model.set_problems({5: [bad(5)], 9: [bad(9)]}, set())
    proxy = RecipientsFilter()
    proxy.setSourceModel(model)
    proxy.set_problems_only(True)
    assert proxy.rowCount() == 2
    assert {proxy.data(proxy.index(r, 0), PROBLEM_ROLE) for r in range(2)} == {"1"}
    proxy.set_problems_only(False)
    proxy.set_search("name 1")
    assert proxy.rowCount() == 11  # Name 1, Name 10..19
    qtmodeltester.check(proxy, force_py=True)


def entry(i: int, status: str = "sent") -> LogEntry:
    return LogEntry(dt.datetime.now(dt.UTC), i, f"p{i}@example.com", status, 250, "2.0.0 OK")


def test_log_model_passes_qt_model_tester_while_batches_arrive(qtmodeltester):
    model = LogModel()
    model.append([entry(i) for i in range(10)])
    qtmodeltester.check(model, force_py=True)
    model.append([entry(i, "failed") for i in range(10, 15)])
    assert model.rowCount() == 15


def test_log_filter_by_status_and_search_and_copy_as_tab_separated():
    model = LogModel()
    model.append([entry(1), entry(2, "failed"), entry(3, "failed")])
    proxy = LogFilter()
    proxy.setSourceModel(model)
    proxy.set_status("failed")
    assert proxy.rowCount() == 2
    proxy.set_search("p3@")
    assert proxy.rowCount() == 1
    text = model.as_text([1])
    assert text.split("\t")[1:4] == ["2", "p2@example.com", "failed"]


def test_problems_model_passes_qt_model_tester(qtmodeltester):
    model = ProblemsModel()
    model.set_problems([bad(2), Problem(ProblemKind.TEMPLATE_ERROR, "line 3: x", row=4, line=3)])
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(1, 1)) == "line 3"


def test_every_problem_kind_has_an_english_and_a_chinese_label(qapp):
    from app.gui.i18n import Translations
    from app.gui.models.problem_labels import problem_label, problem_labels

    translations = Translations(qapp)
    translations.switch("en")
    english = problem_labels()
    assert set(english) == set(ProblemKind)
    assert all(label and label != kind.value for kind, label in english.items())
    try:
        translations.switch("zh_CN")
        chinese = {kind: problem_label(kind) for kind in ProblemKind}
    finally:
        translations.switch("en")
    untranslated = [k.value for k, label in chinese.items() if label == english[k]]
    assert not untranslated, f"no Chinese label for {untranslated}"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in chinese.values())
