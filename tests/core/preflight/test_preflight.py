"""Pre-flight: every row rendered and composed; problems by row; streaming one row at a time."""

from __future__ import annotations

import email.policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from app.core.campaign import Campaign, load_campaign, load_campaign_file
from app.core.model import ProblemKind, RenderedMessage, Severity
from app.core.preflight import (
    PreflightTally,
    RowProblems,
    UnknownRowError,
    UnsendableRowError,
    build_row,
    check_row,
    iter_messages,
    render_row,
    run_preflight,
)
from tests.core.campaign.builders import ROWS, write_campaign

MIXED_ROWS = [
    ROWS[0],  # row 2: fine
    ("bad-address", *ROWS[1][1:]),  # row 3: invalid address
    (ROWS[2][0], "李\n娜", *ROWS[2][2:]),  # row 4: name with a line break -> unsafe subject
    ("ok@example.org", "王芳", "东方", ROWS[0][3], "not a number"),  # row 5: number filter fails
    ("zhang.wei@example.com", *ROWS[0][1:]),  # row 6: duplicate of row 2
]
MIXED_TEMPLATE = "<p>{{ 姓名 }}</p>\n<p>Total {{ Order|number }}</p>\n"


def load(tmp_path: Path, **kwargs: object) -> Campaign:
    return load_campaign(load_campaign_file(write_campaign(tmp_path, **kwargs)))  # type: ignore[arg-type]


@pytest.fixture
def mixed(tmp_path: Path) -> Campaign:
    return load(tmp_path, rows=MIXED_ROWS, template=MIXED_TEMPLATE)


def test_a_clean_campaign_reports_every_row_sendable_with_its_size(tmp_path: Path) -> None:
    campaign = load(tmp_path)

    report = run_preflight(campaign)

    assert (report.rows, report.checked, report.sendable) == (3, 3, 3)
    assert report.sendable_rows == {2, 3, 4}
    assert report.problems == ()
    assert report.all_sendable
    sizes = [len(m.data) for m in iter_messages(campaign) if isinstance(m, RenderedMessage)]
    assert report.total_bytes == sum(sizes) > 0
    assert report.envelope_recipients == 3


def test_each_kind_of_row_problem_is_reported_on_its_workbook_row(mixed: Campaign) -> None:
    report = run_preflight(mixed)

    assert report.sendable_rows == {2}
    assert not report.all_sendable
    by_row = {(p.row, p.kind) for p in report.problems if p.severity is Severity.ERROR}
    assert (3, ProblemKind.INVALID_ADDRESS) in by_row
    assert (4, ProblemKind.UNSAFE_HEADER) in by_row
    assert (5, ProblemKind.TEMPLATE_ERROR) in by_row
    assert (6, ProblemKind.DUPLICATE_ADDRESS) in by_row
    assert report.by_kind[ProblemKind.TEMPLATE_ERROR] == 1


def test_problems_are_sorted_by_row(mixed: Campaign) -> None:
    rows = [p.row for p in run_preflight(mixed).problems]

    assert rows == sorted(rows, key=lambda r: r or 0)


def test_a_template_error_carries_its_template_line(mixed: Campaign) -> None:
    problem = next(p for p in check_row(mixed, 5) if p.kind is ProblemKind.TEMPLATE_ERROR)

    assert problem.line == 2
    assert problem.row == 5


def test_a_row_with_a_bad_address_still_reports_its_template_error(tmp_path: Path) -> None:
    rows = [ROWS[0], ("bad-address", "王芳", "东方", ROWS[0][3], "not a number")]
    campaign = load(tmp_path, rows=rows, template=MIXED_TEMPLATE)

    kinds = {p.kind for p in check_row(campaign, 3)}

    assert kinds == {ProblemKind.INVALID_ADDRESS, ProblemKind.TEMPLATE_ERROR}


def test_iter_messages_yields_one_result_per_row_in_sheet_order(mixed: Campaign) -> None:
    results = list(iter_messages(mixed))

    assert [r.row for r in results] == [2, 3, 4, 5, 6]
    assert isinstance(results[0], RenderedMessage)
    assert all(isinstance(r, RowProblems) for r in results[1:])


def test_iter_messages_is_lazy(mixed: Campaign) -> None:
    stream = iter_messages(mixed)

    assert next(stream).row == 2  # a generator: later rows are not built yet


def test_render_row_gives_the_message_for_a_workbook_row_number(tmp_path: Path) -> None:
    message = render_row(load(tmp_path), 3)

    parsed = BytesParser(policy=email.policy.default).parsebytes(message.data)
    assert message.row == 3
    assert parsed["To"].addresses[0].addr_spec == "alice@example.org"
    assert str(parsed["Subject"]) == "Alice Smith，订单 #1002"


def test_render_row_refuses_the_header_row_and_says_which_rows_hold_data(mixed: Campaign) -> None:
    with pytest.raises(UnknownRowError, match=r"header row.*2 to 6"):
        render_row(mixed, 1)
    with pytest.raises(UnknownRowError, match="outside the data"):
        render_row(mixed, 99)


def test_render_row_of_an_unsendable_row_lists_its_problems(mixed: Campaign) -> None:
    with pytest.raises(UnsendableRowError) as caught:
        render_row(mixed, 3)

    assert caught.value.row == 3
    assert [p.kind for p in caught.value.problems] == [ProblemKind.INVALID_ADDRESS]
    assert "bad-address" in str(caught.value)


def test_progress_is_reported_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []

    run_preflight(load(tmp_path), progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (3, 3)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_should_stop_ends_the_check_early_and_the_report_says_so(mixed: Campaign) -> None:
    checked: list[int] = []

    def stop_after_two() -> bool:
        checked.append(1)
        return len(checked) > 2

    report = run_preflight(mixed, should_stop=stop_after_two)

    assert report.stopped
    assert report.checked == 2
    assert not report.all_sendable


def test_a_tally_fed_in_chunks_matches_a_single_run(mixed: Campaign) -> None:
    tally = PreflightTally(mixed)
    numbers = mixed.row_numbers
    for chunk in (numbers[:2], numbers[2:]):
        for row in chunk:
            tally.add(build_row(mixed, row))

    assert tally.report() == run_preflight(mixed)


def test_build_row_refuses_a_row_number_that_holds_no_data(mixed: Campaign) -> None:
    with pytest.raises(UnknownRowError, match="data rows are 2 to 6"):
        build_row(mixed, 7)


def test_columns_with_spaces_and_chinese_headers_reach_the_subject_and_body(
    tmp_path: Path,
) -> None:
    # The ways docs/TEMPLATES.md documents: a Chinese header by name, any header via row[...]
    headers = ("E-mail", "姓名", "First name", "订单 编号")
    rows = [("ann@example.org", "安娜", "Ann", 1001)]
    campaign = load(
        tmp_path,
        rows=rows,
        headers=headers,
        subject='{{ row["First name"] }}，订单 {{ row["订单 编号"] }}',
        template='<p>{{ 姓名 }} / {{ row["E-mail"] }} / {{ row.姓名 }}</p>\n',
    )

    message = render_row(campaign, 2)

    parsed = BytesParser(policy=email.policy.default).parsebytes(message.data)
    assert parsed["Subject"] == "Ann，订单 1001"
    html = parsed.get_body(("html",))
    assert html is not None and "安娜 / ann@example.org / 安娜" in html.get_content()  # type: ignore[attr-defined]
    assert campaign.template.fields_used == {"姓名", "First name", "订单 编号", "E-mail"}


def test_templates_doc_shows_how_to_reach_headers_with_spaces_and_chinese() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "TEMPLATES.md").read_text(encoding="utf-8")
    assert '{{ row["First name"] }}' in doc
    assert "{{ 姓名 }}" in doc
