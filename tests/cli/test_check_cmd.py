"""`herald check`: summary, problems by workbook row, exit codes 0/1/2, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import run
from tests.core.campaign.builders import ROWS, write_campaign, write_csv, write_workbook

BAD_ROWS = [ROWS[0], ("not-an-address", *ROWS[1][1:]), ROWS[2]]


def test_a_clean_campaign_exits_0_and_says_every_row_can_be_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["check", str(write_campaign(tmp_path))])

    out = capsys.readouterr().out
    assert code == 0
    assert "Rows: 3   sendable: 3   cannot be sent: 0" in out
    assert "All 3 rows can be sent." in out


def test_an_unsendable_row_exits_1_and_is_listed_with_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["check", str(write_campaign(tmp_path, rows=BAD_ROWS))])

    out = capsys.readouterr().out
    assert code == 1
    assert "cannot be sent: 1" in out
    assert "row 3, column 'Email': error invalid-address:" in out
    assert "invalid-address" in out.split("Problems by kind:")[1]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--recipients", "missing.xlsx"], "missing.xlsx"),
        (["--from", "Shop <not an address>"], "--from"),
        (["--email-column", "邮箱"], "'邮箱'"),
    ],
)
def test_unusable_input_exits_2_and_says_what_is_wrong_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    campaign = write_campaign(tmp_path)

    code = run(["check", str(campaign), *(str(tmp_path / a) if ".xlsx" in a else a for a in args)])

    captured = capsys.readouterr()
    assert code == 2
    assert fragment in captured.err
    assert "Traceback" not in captured.err


def test_a_template_syntax_error_exits_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path, template="<p>ok</p>\n{% if %}\n")

    code = run(["check", str(campaign)])

    assert code == 2
    assert "line 2" in capsys.readouterr().err


def test_an_unknown_key_in_the_campaign_file_exits_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path, extra='[send]\nrate = ["10/s"]\n')

    code = run(["check", str(campaign)])

    err = capsys.readouterr().err
    assert code == 2
    assert "'send.rate'" in err
    assert "Did you mean 'rates'?" in err


def test_options_override_the_campaign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path, rows=BAD_ROWS, subject="{{ Nope }}")
    fixed = write_campaign(tmp_path / "other")  # a clean workbook elsewhere

    code = run(
        [
            "check",
            str(campaign),
            "--recipients",
            str(fixed.parent / "people.xlsx"),
            "--subject",
            "Hello {{ 姓名 }}",
        ]
    )

    assert code == 0, capsys.readouterr()


def test_options_alone_work_without_a_campaign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_campaign(tmp_path)
    monkeypatch.chdir(tmp_path)  # option paths are relative to the current folder

    code = run(
        [
            "check",
            "--recipients",
            "people.xlsx",
            "--body",
            "body.html",
            "--subject",
            "Hi {{ 姓名 }}",
            "--from",
            "Shop <shop@example.com>",
        ]
    )

    assert code == 0, capsys.readouterr()


def test_json_output_has_the_stable_keys_and_problem_locations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["check", str(write_campaign(tmp_path, rows=BAD_ROWS)), "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert document["status"] == "problems"
    assert document["exit_code"] == 1
    assert (document["rows"], document["sendable"], document["unsendable"]) == (3, 2, 1)
    assert document["unsendable_rows"] == [3]
    assert document["problems_by_kind"] == {"invalid-address": 1}
    assert document["columns"]["email"] == "Email"
    assert document["problems"] == [
        {
            "kind": "invalid-address",
            "severity": "error",
            "row": 3,
            "column": "Email",
            "line": None,
            "message": document["problems"][0]["message"],
        }
    ]
    assert "not-an-address" in document["problems"][0]["message"]


def test_json_for_unusable_input_has_the_same_keys_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = json.loads(_check_json(tmp_path / "a", capsys, write_campaign(tmp_path / "a")))
    broken_file = write_campaign(tmp_path / "b", sender="nobody")
    broken = json.loads(_check_json(tmp_path / "b", capsys, broken_file))

    assert broken.keys() == clean.keys()
    assert broken["status"] == "unusable"
    assert broken["exit_code"] == 2
    assert broken["problems"][0]["kind"] == "invalid-address"


def _check_json(folder: Path, capsys: pytest.CaptureFixture[str], campaign: Path) -> str:
    run(["check", str(campaign), "--json"])
    return capsys.readouterr().out


def test_the_same_template_error_on_every_row_is_printed_once_with_its_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path, template="<p>Hi</p>\n<p>{{ Order // 0 }}</p>\n")

    code = run(["check", str(campaign)])

    out = capsys.readouterr().out
    assert code == 1
    assert "rows 2-4 (3 rows), line 2: error template-error:" in out
    assert out.count("template-error") == 2  # by kind, and the one grouped line


def test_a_misspelt_field_makes_the_template_unusable_and_is_named_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path, template="<p>Hi</p>\n<p>{{ Compny }}</p>\n")

    code = run(["check", str(campaign)])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("Compny") == 1
    assert "line 2" in captured.err
    assert "did you mean `Company`?" in captured.err
    assert "rows 2-4" not in captured.err  # the template is at fault, not each row
    assert "Traceback" not in captured.err


def test_a_field_guarded_by_default_or_is_defined_is_optional_not_misspelt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = (
        '<p>{{ Nickname|default("friend") }}</p>\n'
        "{% if Phone is defined %}<p>{{ Phone }}</p>{% endif %}\n"
        '<p>{{ row.get("Fax", "") }}</p>\n'
    )
    campaign = write_campaign(tmp_path, template=template)

    code = run(["check", str(campaign)])

    assert code == 0, capsys.readouterr()


def test_a_file_that_is_not_a_workbook_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path)
    (tmp_path / "people.xlsx").write_bytes(b"this is not a zip archive")

    code = run(["check", str(campaign)])

    err = capsys.readouterr().err
    assert code == 2
    assert "people.xlsx" in err
    assert "Traceback" not in err


def test_a_csv_problem_is_reported_by_its_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path)
    write_csv(tmp_path / "people.csv")

    code = run(["check", str(campaign), "--recipients", str(tmp_path / "people.csv"), "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert document["unsendable_rows"] == [4]  # line 4 of the file; the blank line 3 is skipped
    assert document["problems"][0]["row"] == 4


def test_sheet_and_header_row_options_choose_where_the_table_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path)
    write_workbook(tmp_path / "other.xlsx", sheet="Second", leading_blank_rows=2)

    code = run(
        [
            "check",
            str(campaign),
            "--recipients",
            str(tmp_path / "other.xlsx"),
            "--sheet",
            "Second",
            "--header-row",
            "3",
            "--json",
        ]
    )

    document = json.loads(capsys.readouterr().out)
    assert code == 0, document["problems"]
    assert (document["sheet"], document["header_row"]) == ("Second", 3)
    assert document["unsendable_rows"] == []


def test_an_unknown_column_option_exits_2_as_unknown_column_listing_the_real_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = write_campaign(tmp_path)

    code = run(["check", str(campaign), "--attach-column", "Files", "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == 2
    problem = document["problems"][0]
    assert (problem["kind"], problem["column"]) == ("unknown-column", "Files")
    assert "'Email'" in problem["message"] and "'姓名'" in problem["message"]


def test_large_attachments_are_a_warning_in_the_output_and_the_check_still_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "catalogue.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 300_000)
    campaign = write_campaign(
        tmp_path, extra='attachments = ["catalogue.pdf"]\nattachment_warn_mb = 0.1\n'
    )

    code = run(["check", str(campaign)])

    out = capsys.readouterr().out
    assert code == 0
    assert "rows 2-4 (3 rows), warning large-attachments:" in out
    assert "0.3 MB, more than 0.1 MB" in out
    assert "All 3 rows can be sent." in out


def test_an_address_needing_smtputf8_is_marked_in_the_output_and_still_sendable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [ROWS[0], ("用户@example.org", *ROWS[1][1:]), ROWS[2]]
    campaign = write_campaign(tmp_path, rows=rows)

    code = run(["check", str(campaign)])
    human = capsys.readouterr().out
    run(["check", str(campaign), "--json"])
    document = json.loads(capsys.readouterr().out)

    assert code == 0
    assert "row 3, column 'Email': warning needs-smtputf8:" in human
    assert "用户@example.org" in human
    assert document["sendable"] == 3
    assert document["problems_by_kind"] == {"needs-smtputf8": 1}
    assert document["problems"][0]["severity"] == "warning"


def test_an_international_domain_is_checked_and_counted_in_its_ascii_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ROWS[0],
        ("Alice@例子.example", *ROWS[1][1:]),
        ("alice@xn--fsqu00a.example", *ROWS[2][1:]),
    ]
    campaign = write_campaign(tmp_path, rows=rows)

    code = run(["check", str(campaign), "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == 1  # the same mailbox twice: the Unicode and the ASCII spelling
    duplicate = document["problems"][0]
    assert (duplicate["kind"], duplicate["row"]) == ("duplicate-address", 4)
    assert "xn--fsqu00a.example" in duplicate["message"]


def _exclude(campaign: Path, rows: str) -> Path:
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("[recipients]", f"[recipients]\nexclude_rows = {rows}"))
    return campaign


def test_excluded_rows_are_not_checked_and_check_says_how_many_were_excluded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = _exclude(write_campaign(tmp_path, rows=BAD_ROWS), "[3]")  # row 3 is the bad one

    code = run(["check", str(campaign)])

    out = capsys.readouterr().out
    assert code == 0
    assert "Rows: 2   sendable: 2   cannot be sent: 0" in out
    assert "Excluded: 1 rows" in out
    assert run(["check", str(campaign), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["excluded_rows"] == [3]
    assert document["unsendable_rows"] == []


def test_send_leaves_the_excluded_rows_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(data))
    campaign = _exclude(write_campaign(tmp_path / "c", rows=BAD_ROWS), "[2, 3]")

    assert run(["send", str(campaign), "--yes"]) == 0

    sent = [path.read_bytes() for path in (data / "outbox").glob("*.eml")]
    assert len(sent) == 1
    assert b"li.na@example.net" in sent[0]


class _StepClock:
    """Each reading 10 ms after the last: the 2 s budget runs out after 200 readings."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.01
        return self.now


def _injected_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.templates import limits

    monkeypatch.setattr(limits, "DEFAULT_LIMITS", limits.RenderLimits(clock=_StepClock()))


NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def test_a_template_that_runs_too_long_is_a_row_problem_said_once_per_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _injected_clock(monkeypatch)
    campaign = write_campaign(tmp_path, template=f"<p>Hi</p>\n{NESTED_LOOPS}\n")

    code = run(["check", str(campaign)])

    out = capsys.readouterr().out
    assert code == 1
    assert "row 2, line 2: error template-error: The body template, line 2: takes too long" in out
    assert "more than 2 s for one message" in out
    assert "rows 3-4 (2 rows), " in out and "took too long on row 2" in out


@pytest.mark.parametrize("expression", ["(10**100000000) % 7", "'x' * 500000000"])
def test_a_template_that_makes_a_huge_message_is_a_row_problem_not_a_memory_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expression: str
) -> None:
    campaign = write_campaign(tmp_path, template="<p>{{ " + expression + " }}</p>\n")

    code = run(["check", str(campaign)])

    out = capsys.readouterr().out
    assert code == 1
    assert "rows 2-4 (3 rows), line 1: error template-error:" in out
    assert "makes a message too large (more than 10 MB of text)" in out
    assert "failed on this row: ." not in out
