"""`herald preview --row N`: one recipient's message, readable, or its exact bytes (--eml).

N is the workbook's own row number, the same one `herald check` reports.
"""

from __future__ import annotations

import argparse
import email.policy
import os
import sys
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, cast

from rich.text import Text

from app.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_ROWS,
    add_campaign_options,
    console,
    format_size,
    load_from_args,
    positive_int,
    print_input_error,
    problem_text,
    quiet_broken_pipe,
    visible,
)
from app.core.attachment_files import AttachmentRefused
from app.core.campaign import Campaign
from app.core.compose.encoding import display_header
from app.core.compose.streaming import message_pieces, preview_bytes
from app.core.model import InputError, RenderedMessage
from app.core.preflight import UnknownRowError, UnsendableRowError, iter_messages, render_row

HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "List-Unsubscribe")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="show one recipient's message as it would be sent",
        description=(
            "Render one row's message and print it with its headers decoded, or write the "
            "exact bytes that would be sent with --eml."
        ),
    )
    add_campaign_options(parser)
    parser.add_argument(
        "--row",
        type=positive_int,
        metavar="N",
        help="workbook row number, as `herald check` reports it (default: the first sendable)",
    )
    parser.add_argument("--html", action="store_true", help="print the HTML part, not the text")
    parser.add_argument(
        "--eml", type=Path, metavar="FILE", help="write the message's exact bytes to FILE"
    )
    parser.set_defaults(handler=run)


def _first_sendable(campaign: Campaign) -> RenderedMessage | None:
    for result in iter_messages(campaign):
        if isinstance(result, RenderedMessage):
            return result
    return None


def show(message: RenderedMessage, *, html: bool) -> None:
    """Print `message` the way a mail program would show it, plus what only the envelope knows."""
    # large attachments are left out of the parsed form: their files are listed below instead
    parsed = cast(
        EmailMessage, BytesParser(policy=email.policy.default).parsebytes(preview_bytes(message))
    )
    out = console()
    out.print(Text(f"Row {message.row}  ({format_size(message.size)})", style="bold"))
    raw = {key.lower(): value for key, value in parsed.raw_items()}
    for name in HEADERS:
        value = raw.get(name.lower())
        if value is not None:
            shown = visible(display_header(_unfolded(value)))
            out.print(Text(f"{name + ':':<18}", style="bold").append(shown))
    in_headers = {a.addr_spec.lower() for f in ("To", "Cc") for a in _addresses(parsed, f)}
    hidden = [r for r in message.recipients if r.lower() not in in_headers]
    if hidden:
        out.print(Text(f"{'Bcc (envelope):':<18}", style="bold").append(visible(", ".join(hidden))))
    rcpt = ", ".join(f"<{r}>" for r in message.recipients)
    out.print(
        Text(f"{'Envelope:':<18}", style="bold").append(
            visible(f"MAIL FROM <{message.sender}>  RCPT TO {rcpt}")
        )
    )
    parts = [cast(EmailMessage, part) for part in parsed.iter_attachments()]
    if message.attachments:
        out.print(Text("Attachments:", style="bold"))
        for file, part in zip(message.attachments, parts, strict=False):
            kind = visible(part.get_content_type())
            out.print(Text(f"  {visible(str(file.path))}  ({format_size(file.size)}, {kind})"))
    for problem in message.problems:
        out.print(Text("Warning: ", style="yellow").append_text(problem_text(problem)))
    kind = "html" if html else "plain"
    body = parsed.get_body(preferencelist=(kind,))
    out.print(Text(f"--- {'HTML' if html else 'text'} part ---", style="dim"))
    if body is None:
        out.print(Text(f"(this message has no {kind} part)"))
    else:
        content = cast(EmailMessage, body).get_content().replace("\r\n", "\n")  # base64: CRLF
        out.print(Text(visible(content.rstrip("\n"))))


def _unfolded(value: str) -> str:
    return value.replace("\r\n", "").replace("\n", "")  # folding adds CRLF before a space


def _addresses(parsed: EmailMessage, field: str) -> list[Any]:
    header = parsed.get(field)
    return list(getattr(header, "addresses", ())) if header is not None else []


@quiet_broken_pipe
def run(args: argparse.Namespace) -> int:
    try:
        campaign = load_from_args(args)
    except InputError as error:
        return print_input_error(error)
    err = console(sys.stderr)
    if args.row is None:
        message = _first_sendable(campaign)
        if message is None:
            err.print(Text("No row can be sent; run `herald check` to see why.", style="red"))
            return EXIT_ROWS
    else:
        try:
            message = render_row(campaign, args.row)
        except UnknownRowError as exc:
            err.print(Text(str(exc), style="red"))
            return EXIT_INPUT
        except UnsendableRowError as exc:
            err.print(Text(f"Row {exc.row} cannot be sent:", style="bold red"))
            for problem in exc.problems:
                err.print(Text("  ").append_text(problem_text(problem)))
            return EXIT_ROWS
    if args.eml is not None:
        path = Path(os.path.abspath(args.eml))
        try:
            with path.open("wb") as handle:  # the exact bytes, CRLF and all, piece by piece
                for piece in message_pieces(message):
                    handle.write(piece)
        except AttachmentRefused as refused:
            err.print(Text(f"Row {message.row}: an attachment {refused.reason}.", style="red"))
            return EXIT_ROWS
        console().print(Text(f"Wrote row {message.row}'s message ({message.size} bytes) to {path}"))
        return EXIT_OK
    show(message, html=args.html)
    return EXIT_OK
