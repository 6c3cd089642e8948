"""`herald report CAMPAIGN --out FILE.xlsx|FILE.csv`: what happened to every recipient."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_INPUT, EXIT_OK
from app.core.journal import Journal, JournalError, find_journal_for, journal_path_for
from app.core.report import ReportError, SkippedRow, export_report, skipped_from
from app.core.send.contracts import RecipientState

EXIT_NO_JOURNAL = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="export a campaign's send results as .xlsx or .csv",
        description=(
            "Write the original columns plus status, time, attempts, SMTP reply and Message-ID "
            "for every recipient. CAMPAIGN is a campaign file or a journal file. Works while a "
            "send is still running."
        ),
    )
    parser.add_argument("campaign", type=Path, metavar="CAMPAIGN")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="FILE.xlsx or FILE.csv"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    campaign: Path = args.campaign
    out: Path = args.out
    if out.suffix.lower() not in (".xlsx", ".csv"):
        return _fail(f"Cannot write {out}: the report can be .xlsx or .csv.", EXIT_INPUT)
    if not campaign.is_file():
        return _fail(f"No such file: {campaign}.", EXIT_INPUT)
    journal_path = campaign if _is_journal(campaign) else find_journal_for(campaign)
    if journal_path is None:
        # `herald send --recipients FILE ...` without a campaign file: named by the recipients
        by_recipients = journal_path_for(None, campaign)
        journal_path = by_recipients if by_recipients.is_file() else None
    if journal_path is None:
        how = (
            f"herald send {campaign}"
            if campaign.suffix.lower() == ".toml"
            else f"herald send --recipients {campaign} ..."
        )
        tested = campaign.suffix.lower() == ".toml" and find_journal_for(campaign, test=True)
        if tested or journal_path_for(None, campaign, test=True).is_file():
            return _fail(
                f"{campaign} has only test runs (to the local test outbox): nothing was "
                f"delivered to anyone, so there is no report yet. Send for real with `{how} "
                "--profile NAME` (or --smtp-host HOST).",
                EXIT_NO_JOURNAL,
            )
        return _fail(
            f"There is no send journal for {campaign} yet: the report lists the results of a "
            f"send. Run `{how}` first.",
            EXIT_NO_JOURNAL,
        )
    try:
        with Journal.open_readonly(journal_path) as journal:
            skipped = _skipped_rows(campaign, journal)
            count = export_report(journal, out, skipped=skipped)
            counts = journal.counts()
    except (JournalError, ReportError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    summary = ", ".join(f"{counts[s]} {s}" for s in RecipientState if counts[s])
    print(f"Wrote {count} recipients to {out} ({summary or 'none'}).")
    return EXIT_OK


def _skipped_rows(campaign: Path, journal: Journal) -> list[SkippedRow]:
    """For a campaign file, the workbook rows the send left out and why (the report lists
    every row). Nothing when the campaign cannot be read now: the journal's rows still are."""
    if campaign.suffix.lower() != ".toml":
        return []
    from app.core.campaign import load_campaign, load_campaign_file
    from app.core.model import InputError

    try:
        loaded = load_campaign(load_campaign_file(campaign))
    except (InputError, OSError) as exc:
        print(f"herald report: skipped rows not listed ({exc}).", file=sys.stderr)
        return []
    in_journal = {row.row for row in journal.rows()}
    rows = {number: row.values for number, row in loaded.rows_by_number.items()}
    return skipped_from(
        rows, loaded.table.headers, loaded.problems_by_row, loaded.excluded_rows, in_journal
    )


def _is_journal(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _fail(message: str, code: int) -> int:
    print(f"herald report: {message}", file=sys.stderr)
    return code
