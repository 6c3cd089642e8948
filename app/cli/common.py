"""What `check`, `preview` and `send` share: campaign options, loading, and printing problems.

Options override the campaign file setting by setting; a command that wants the campaign
calls `config_from_args` (settings only) or `load_from_args` (read and checked).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from app.core.campaign import Campaign, CampaignConfig, load_campaign, load_campaign_file
from app.core.model import InputError, Problem, Severity
from app.core.preflight import AttachmentUse
from app.core.recipients.extra_columns import extra_columns

EXIT_OK = 0
EXIT_ROWS = 1  # some rows cannot be sent
EXIT_INPUT = 2  # the input as a whole is unusable


def _path(value: str) -> Path:
    # Paths on the command line are relative to where the user is, not to the campaign file.
    return Path(os.path.abspath(os.path.expanduser(value)))


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is not a row number (they start at 1)")
    return number


def _positive_mb(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of megabytes") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"{value} must be above 0")
    return number


def add_campaign_options(parser: argparse.ArgumentParser) -> None:
    """The campaign file (optional positional) and every option that overrides it."""
    parser.add_argument(
        "campaign",
        nargs="?",
        type=_path,
        metavar="CAMPAIGN.toml",
        help="campaign file (made by `herald init` or the window); options below override it",
    )
    group = parser.add_argument_group("campaign settings (override the campaign file)")
    group.add_argument("--recipients", type=_path, metavar="FILE", help="workbook (.xlsx or .csv)")
    group.add_argument("--sheet", metavar="NAME", help="sheet to read (default: the first)")
    group.add_argument(
        "--header-row",
        type=positive_int,
        metavar="N",
        help="row number of the header (default: the first non-empty row)",
    )
    group.add_argument("--subject", metavar="TEXT", help="subject template, e.g. 'Hi {{ Name }}'")
    group.add_argument(
        "--body", type=_path, metavar="FILE", help="body template: .html, .md or .txt"
    )
    group.add_argument("--text", type=_path, metavar="FILE", help="separate plain-text body")
    group.add_argument(
        "--attach",
        type=_path,
        action="append",
        metavar="FILE",
        help="attach FILE to every message (repeatable; replaces the campaign file's list)",
    )
    group.add_argument("--attach-column", metavar="NAME", help="column of per-row attachments")
    group.add_argument(
        "--attachment-folder",
        type=_path,
        action="append",
        metavar="DIR",
        help="also allow attachments from DIR (repeatable; adds to the campaign file's "
        "attachment_folders). Without it only files in the workbook's and the campaign "
        "file's folders are attached",
    )
    group.add_argument(
        "--attachment-max-mb",
        type=_positive_mb,
        metavar="MB",
        help="refuse a message whose attachments add up to more than MB (default 25)",
    )
    group.add_argument("--email-column", metavar="NAME", help="column holding the address")
    group.add_argument("--name-column", metavar="NAME", help="column holding the display name")
    group.add_argument("--from", dest="sender", metavar='"NAME <ADDRESS>"', help="the sender")
    group.add_argument("--reply-to", metavar="ADDRESS", help="Reply-To for every message")
    group.add_argument(
        "--list-unsubscribe", metavar="ADDRESS", help="mailto address for List-Unsubscribe"
    )
    group.add_argument(
        "--list-unsubscribe-url",
        metavar="URL",
        help="one-click unsubscribe https URL (RFC 8058); {email} becomes the recipient",
    )


def config_from_args(args: argparse.Namespace) -> CampaignConfig:
    """The campaign file's settings (if one was given) with the options laid over them."""
    config = load_campaign_file(args.campaign) if args.campaign else CampaignConfig()
    changes: dict[str, Any] = {
        name: getattr(args, name)
        for name in (
            "recipients",
            "sheet",
            "header_row",
            "subject",
            "body",
            "text",
            "sender",
            "reply_to",
            "list_unsubscribe",
            "list_unsubscribe_url",
        )
        if getattr(args, name) is not None
    }
    if args.attach is not None:
        changes["attachments"] = tuple(args.attach)
    if getattr(args, "attachment_folder", None):
        changes["attachment_folders"] = (*config.attachment_folders, *args.attachment_folder)
    if getattr(args, "attachment_max_mb", None) is not None:
        changes["attachment_max_mb"] = args.attachment_max_mb
    columns = {
        role: value
        for role, value in (
            ("email", args.email_column),
            ("name", args.name_column),
            ("attachments", args.attach_column),
        )
        if value is not None
    }
    if columns:
        changes["columns"] = replace(config.columns, **columns)
    return replace(config, **changes)


def load_from_args(args: argparse.Namespace) -> Campaign:
    """Settings, then the loaded campaign. Raises InputError when the input is unusable."""
    return load_campaign(config_from_args(args))


# C0 controls but TAB and LF, DEL, C1 controls, and the bidirectional overrides/isolates and
# line/paragraph separators: none of them may reach a terminal from a cell, a header or a file
# name (ESC starts sequences that retitle the window, move the cursor, or hide text).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character written out: ESC becomes `\\x1b`, NUL `\\x00`."""
    return _CONTROL.sub(_shown, text) if _CONTROL.search(text) else text


class SafeConsole(Console):
    """A rich Console that never lets a control character from the data reach the terminal.

    Every piece of text passes through `visible` as it is written (rich's own colour codes are
    added afterwards, from styles, so they are untouched), and console markup is off: a `[`
    in a cell prints as `[`, it never starts a style.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text), segment.style)
            for segment in buffer
        )


def console(stream: TextIO | None = None) -> Console:
    """A console that colours on a terminal and prints plain, unwrapped lines otherwise; what
    it prints cannot carry terminal control sequences (SafeConsole)."""
    return SafeConsole(
        file=stream if stream is not None else sys.stdout,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
    )


def extra_column_texts(campaign: Campaign, rows: Collection[int] | None = None) -> list[Text]:
    """`Bcc column '密送' adds 3 hidden recipients on 2 rows (found by its header...)`, one
    line per Cc/Bcc/Reply-To column in use, counted over `rows` (default: every valid row)."""
    recipients = campaign.recipients
    if rows is not None:
        recipients = tuple(r for r in recipients if r.row in rows)
    found = extra_columns(campaign.mapping, campaign.config.columns, recipients)
    return [Text(column.describe() + ".", style="bold yellow") for column in found]


def problem_text(problem: Problem) -> Text:
    """`row 5, column '邮箱': error invalid-address: message` with colour on a terminal."""
    text = Text()
    location = problem.location()
    if location:
        text.append(visible(location), style="bold")
        text.append(": ")
    style = "red" if problem.severity is Severity.ERROR else "yellow"
    text.append(f"{problem.severity.value} {problem.kind.value}", style=style)
    # escaped before rich sees it: rich would silently drop some controls (BEL, BS, CR)
    text.append(f": {visible(problem.message)}")
    return text


def row_ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7] -> "2-4, 7": how a person would write the rows to look up."""
    spans: list[list[int]] = []
    for row in sorted(rows):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def grouped_problem_texts(problems: Iterable[Problem]) -> list[Text]:
    """One line per distinct problem: a template mistake on every row is said once, with the
    rows it affects, instead of 10,000 identical lines."""
    groups: dict[tuple[object, ...], tuple[Problem, list[int]]] = {}
    for problem in problems:
        key = (problem.kind, problem.severity, problem.column, problem.line, problem.message)
        if key not in groups:
            groups[key] = (problem, [])
        if problem.row is not None:
            groups[key][1].append(problem.row)
    texts = []
    for problem, rows in groups.values():
        if len(rows) > 1:
            text = Text(f"rows {row_ranges(rows)} ({len(rows)} rows), ", style="bold")
            text.append_text(problem_text(replace(problem, row=None)))
            texts.append(text)
        else:
            texts.append(problem_text(problem))
    return texts


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "kind": problem.kind.value,
        "severity": problem.severity.value,
        "row": problem.row,
        "column": problem.column,
        "line": problem.line,
        "message": problem.message,
    }


def print_input_error(error: InputError, stream: TextIO | None = None) -> int:
    """Say why the input is unusable, on stderr; returns the exit code for it."""
    out = console(stream if stream is not None else sys.stderr)
    line = Text("herald: cannot use this input: ", style="bold red")
    line.append_text(problem_text(error.problem))
    out.print(line)
    return EXIT_INPUT


def quiet_broken_pipe(handler: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """`herald check | head` should stop quietly when the reader goes away, not trace back."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except BrokenPipeError:
            # Point stdout at /dev/null so the interpreter's final flush does not fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_ROWS

    return run


def attachment_texts(uses: Sequence[AttachmentUse]) -> list[Text]:
    """`Attachments: 2 distinct files, 1.2 MB in all` and one line per file with its full
    path, size and how many messages carry it: what will leave this machine."""
    if not uses:
        return [Text("Attachments: none")]
    total = sum(use.size for use in uses)
    files = "file" if len(uses) == 1 else "distinct files"
    texts = [Text(f"Attachments: {len(uses)} {files}, {format_size(total)} in all")]
    for use in uses:
        times = "1 message" if use.messages == 1 else f"{use.messages} messages"
        texts.append(Text(f"  {use.path}  ({format_size(use.size)}, in {times})"))
    return texts


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
