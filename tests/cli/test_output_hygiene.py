"""What `check` and `preview` print cannot drive the terminal: control characters from cells,
headers and file names are written out visibly, and `[` never starts rich markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import run
from app.cli.common import visible

TITLE = "\x1b]0;pwned\x07"  # the sequence that retitled the terminal window
CLEAR = "\x1b[2J"


def campaign(folder: Path) -> list[str]:
    """A CSV (xlsx cannot hold these characters) whose cells carry terminal sequences."""
    lines = [
        "Email,Name,Note,Doc",
        f'a@example.com,[bold red]Ann[/],"Hi{TITLE} [link=x]y[/link] \x08\x00z",',
        f"b@example.com,Bob,n,missing{CLEAR}.pdf",
    ]
    (folder / "people.csv").write_bytes("\r\n".join(lines).encode("utf-8"))
    (folder / "body.txt").write_text("Note: {{ Note }}\n", "utf-8")
    return [
        "--recipients", str(folder / "people.csv"), "--subject", "For {{ Name }}",
        "--body", str(folder / "body.txt"), "--from", "Shop <shop@example.com>",
        "--attach-column", "Doc",
    ]  # fmt: skip


def test_visible_writes_out_controls_and_keeps_text_tabs_and_newlines() -> None:
    assert visible(f"a{TITLE}b\tc\nd\x00\x7f\x9b\u202e") == (
        "a\\x1b]0;pwned\\x07b\tc\nd\\x00\\x7f\\x9b\\u202e"
    )
    assert visible("张三 [x]") == "张三 [x]"


def test_preview_shows_control_characters_from_cells_visibly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["preview", *campaign(tmp_path), "--row", "2"]) == 0

    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
    assert "Note: Hi\\x1b]0;pwned\\x07 [link=x]y[/link] \\x08\\x00z" in out
    assert "Subject:          For [bold red]Ann[/]" in out  # markup printed as typed
    assert 'To:               "[bold red]Ann[/]" <a@example.com>' in out


def test_check_shows_a_control_character_in_a_problem_visibly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check", *campaign(tmp_path)]) == 1

    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert "missing\\x1b[2J.pdf" in captured.out


def test_a_control_character_in_a_header_is_shown_in_the_column_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "people.csv").write_bytes(b"Email,No\x1b[8mte\r\na@example.com,x\r\n")
    (tmp_path / "body.txt").write_text("Hi\n", "utf-8")
    options = ["--recipients", str(tmp_path / "people.csv"), "--subject", "S",
               "--body", str(tmp_path / "body.txt"), "--from", "S <s@example.com>"]  # fmt: skip

    assert run(["check", *options]) == 0
    assert run(["preview", *options, "--html"]) == 0

    out = capsys.readouterr().out
    assert "\x1b" not in out


def test_the_console_escapes_whatever_text_reaches_it_and_ignores_markup() -> None:
    import io

    from rich.text import Text

    from app.cli.common import console

    stream = io.StringIO()
    out = console(stream)
    out.print(Text(f"cell{TITLE}"), f"[bold]x[/bold]{CLEAR}")

    # ESC is written out; BEL (like BS, VT, FF, CR) rich itself drops from a Text: either
    # way nothing reaches the terminal as a control (check and preview write them out first)
    assert stream.getvalue() == "cell\\x1b]0;pwned [bold]x[/bold]\\x1b[2J\n"
