"""`herald copy-sent CAMPAIGN.toml`: file a copy of every sent message in the account's Sent.

Once per message across runs and crashes (the journal records each copy). Off for providers
that file SMTP-sent mail themselves (Gmail, Microsoft 365): there a copy would be a duplicate,
so the command refuses unless given --even-if-provider-files-sent.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import EXIT_INPUT, EXIT_OK, add_campaign_options, load_from_args
from app.cli.mailbox_options import (
    MailboxSetupError,
    add_imap_options,
    imap_password,
    imap_settings,
)
from app.core.journal import JournalError, find_journal_for
from app.core.mailbox.imap import ImapError
from app.core.mailbox.sent_copy import copy_sent_campaign, sent_row_renderer
from app.core.model import InputError

EXIT_NO_JOURNAL = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "copy-sent",
        help="file a copy of each sent message in the account's Sent folder (IMAP), once",
        description=(
            "After a send, file each message that was sent in the mailbox's Sent folder (found "
            "by its special-use flag), once: a rerun or a resume never files a copy twice."
        ),
    )
    add_campaign_options(parser)
    add_imap_options(parser)
    parser.add_argument("--folder", metavar="NAME", help="file here instead of the Sent folder")
    parser.add_argument(
        "--even-if-provider-files-sent",
        action="store_true",
        help="copy even where the provider files SMTP-sent mail itself (duplicates likely)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.campaign is None:
        return _fail("Name the campaign file whose send to copy.", EXIT_INPUT)
    journal_path = find_journal_for(args.campaign)
    if journal_path is None:
        return _fail(
            f"There is no send journal for {args.campaign}: nothing was sent yet.", EXIT_NO_JOURNAL
        )
    try:
        settings, provider = imap_settings(args)
    except MailboxSetupError as exc:
        return _fail(str(exc), EXIT_INPUT)
    if provider is not None and provider.files_sent_itself and not args.even_if_provider_files_sent:
        return _fail(
            f"{provider.name_en} files mail sent over SMTP in Sent by itself; a copy from Herald "
            "would be a duplicate. Nothing was copied.",
            EXIT_INPUT,
        )
    try:
        campaign = load_from_args(args)
        password = imap_password(args.profile or "", settings.user, settings.host)
    except (InputError, MailboxSetupError) as exc:
        return _fail(str(exc), EXIT_INPUT)

    try:
        result = copy_sent_campaign(
            journal_path, settings, password, sent_row_renderer(campaign), folder=args.folder
        )
    except (ImapError, JournalError, OSError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    print(
        f"Filed {result.copied} copies in {result.folder}; {result.already} were filed before, "
        f"{result.found_in_folder} were there already."
    )
    if result.not_rendered:
        print(
            f"{result.not_rendered} sent messages could not be built again (the workbook or "
            "template changed since): no copy of them was filed.",
            file=sys.stderr,
        )
        return 1
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    print(f"herald copy-sent: {message}", file=sys.stderr)
    return code
