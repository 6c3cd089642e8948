"""`herald check`: render every row and say which can be sent and what is wrong with the rest."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.progress import Progress
from rich.text import Text

from app.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_ROWS,
    add_campaign_options,
    attachment_texts,
    console,
    extra_column_texts,
    format_size,
    grouped_problem_texts,
    load_from_args,
    print_input_error,
    problem_json,
    quiet_broken_pipe,
)
from app.core.campaign import Campaign
from app.core.model import InputError
from app.core.preflight import PreflightReport, run_preflight

PROGRESS_FROM_ROWS = 2_000


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check every row of a campaign before sending",
        description=(
            "Render and compose every row's message, then list each problem with its workbook "
            "row number. Exit status: 0 every row can be sent, 1 some cannot, 2 the input "
            "itself is unusable."
        ),
    )
    add_campaign_options(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def _exit_code(report: PreflightReport) -> int:
    return EXIT_OK if report.all_sendable else EXIT_ROWS


def report_json(campaign: Campaign, report: PreflightReport) -> dict[str, Any]:
    """The stable JSON shape of `herald check --json` (documented in docs/CAMPAIGN-FILE.md)."""
    mapping = campaign.mapping
    return {
        "status": "ok" if report.all_sendable else "problems",
        "exit_code": _exit_code(report),
        "campaign": str(campaign.config.source) if campaign.config.source else None,
        "recipients": str(campaign.table.source),
        "sheet": campaign.table.sheet,
        "header_row": campaign.table.header_row,
        "columns": {
            "email": mapping.email,
            "name": mapping.name,
            "cc": mapping.cc,
            "bcc": mapping.bcc,
            "reply_to": mapping.reply_to,
            "attachments": mapping.attachments,
        },
        "rows": report.rows,
        "sendable": report.sendable,
        "unsendable": report.unsendable,
        "unsendable_rows": sorted(set(campaign.row_numbers) - report.sendable_rows),
        "excluded_rows": list(campaign.excluded_rows),
        "errors": report.errors,
        "warnings": report.warnings,
        "problems_by_kind": {kind.value: count for kind, count in report.by_kind.items()},
        "total_bytes": report.total_bytes,
        "envelope_recipients": report.envelope_recipients,
        "attachment_folders": [str(f) for f in campaign.config.allowed_attachment_folders()],
        "attachments": [
            {"path": str(use.path), "size": use.size, "messages": use.messages}
            for use in report.attachments
        ],
        "problems": [problem_json(p) for p in report.problems],
    }


JSON_KEYS = (
    "status",
    "exit_code",
    "campaign",
    "recipients",
    "sheet",
    "header_row",
    "columns",
    "rows",
    "sendable",
    "unsendable",
    "unsendable_rows",
    "excluded_rows",
    "errors",
    "warnings",
    "problems_by_kind",
    "total_bytes",
    "envelope_recipients",
    "attachment_folders",
    "attachments",
    "problems",
)


def _unusable_json(args: argparse.Namespace, error: InputError) -> dict[str, Any]:
    """Same keys as a checked campaign; what could not be known is null."""
    document: dict[str, Any] = dict.fromkeys(JSON_KEYS)
    document.update(
        status="unusable",
        exit_code=EXIT_INPUT,
        campaign=str(args.campaign) if args.campaign else None,
        errors=1,
        warnings=0,
        problems_by_kind={error.problem.kind.value: 1},
        problems=[problem_json(error.problem)],
    )
    return document


def _print_human(campaign: Campaign, report: PreflightReport) -> None:
    out = console()
    table = campaign.table
    sheet = f", sheet {table.sheet!r}" if table.sheet else ""
    out.print(Text(f"Recipients: {table.source}{sheet} (header row {table.header_row})"))
    roles = ", ".join(
        f"{role} = {column!r}"
        for role, column in (
            ("email", campaign.mapping.email),
            ("name", campaign.mapping.name),
            ("cc", campaign.mapping.cc),
            ("bcc", campaign.mapping.bcc),
            ("reply-to", campaign.mapping.reply_to),
            ("attachments", campaign.mapping.attachments),
        )
        if column
    )
    out.print(Text(f"Columns: {roles}"))
    for line in extra_column_texts(campaign, report.sendable_rows):
        out.print(line)
    summary = Text(f"Rows: {report.rows}   sendable: ")
    summary.append(str(report.sendable), style="green")
    summary.append("   cannot be sent: ")
    summary.append(str(report.unsendable), style="red" if report.unsendable else "")
    out.print(summary)
    if campaign.excluded_rows:
        out.print(
            Text(
                f"Excluded: {len(campaign.excluded_rows)} rows (exclude_rows in the campaign "
                "file), neither checked nor sent"
            )
        )
    if report.sendable:
        out.print(
            Text(
                f"Size: {format_size(report.total_bytes)} in {report.sendable} messages "
                f"to {report.envelope_recipients} recipients (To, Cc and Bcc)"
            )
        )
    if report.attachments or campaign.mapping.attachments or campaign.settings.attachments:
        for line in attachment_texts(report.attachments):
            out.print(line)
        folders = campaign.config.allowed_attachment_folders()
        out.print(Text(f"Attachments allowed from: {', '.join(str(f) for f in folders)}"))
    if report.problems:
        out.print(Text("Problems by kind:"))
        for kind, count in report.by_kind.items():
            out.print(Text(f"  {kind.value:<22} {count}"))
        out.print(Text("Problems:"))
        for line in grouped_problem_texts(report.problems):
            out.print(Text("  ").append_text(line))
    if report.all_sendable:
        out.print(Text(f"All {report.rows} rows can be sent.", style="bold green"))
    elif report.unsendable == 0:
        out.print(Text("Every row renders, but fix the errors above first.", style="bold red"))
    else:
        out.print(
            Text(
                f"{report.unsendable} of {report.rows} rows cannot be sent. Fix them in the "
                "workbook or template and check again, or send with --skip-invalid.",
                style="bold red",
            )
        )


def _check_with_progress(campaign: Campaign) -> PreflightReport:
    """A transient progress bar on a terminal for big sheets; nothing when piped."""
    err = console(sys.stderr)
    if not err.is_terminal or len(campaign.table.rows) < PROGRESS_FROM_ROWS:
        return run_preflight(campaign)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Checking rows", total=len(campaign.table.rows))
        return run_preflight(
            campaign, progress=lambda done, total: progress.update(task, completed=done)
        )


@quiet_broken_pipe
def run(args: argparse.Namespace) -> int:
    try:
        campaign = load_from_args(args)
    except InputError as error:
        if args.json:
            print(json.dumps(_unusable_json(args, error), ensure_ascii=False, indent=2))
            return EXIT_INPUT
        return print_input_error(error)
    report = _check_with_progress(campaign)
    if args.json:
        json.dump(report_json(campaign, report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human(campaign, report)
    return _exit_code(report)
