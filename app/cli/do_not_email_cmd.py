"""`herald do-not-email list|add|remove|import`: the addresses Herald never sends to."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_INPUT, EXIT_OK
from app.core.do_not_email import DoNotEmailError, DoNotEmailList, Reason


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "do-not-email",
        help="show or edit the do-not-email list (hard bounces, unsubscribes, your own)",
        description=(
            "Addresses on this list are never sent to by any campaign: `herald check` and the "
            "window show their rows as 'on the do-not-email list'. `herald bounces` adds hard "
            "bounces and unsubscribe requests."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="print every address with why and when it was added")
    add = actions.add_parser("add", help="add addresses")
    add.add_argument("addresses", nargs="+", metavar="ADDRESS")
    remove = actions.add_parser("remove", help="remove addresses (they may be sent to again)")
    remove.add_argument("addresses", nargs="+", metavar="ADDRESS")
    imported = actions.add_parser("import", help="add every address in a CSV or text file")
    imported.add_argument("file", type=Path, metavar="FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        listed = DoNotEmailList.load()
        if args.action == "list":
            for entry in listed:
                when = entry.added_at.date().isoformat()
                print(f"{entry.address}\t{entry.reason.value}\t{when}\t{entry.source}")
            print(f"{len(listed)} addresses ({listed.path}).", file=sys.stderr)
            return EXIT_OK
        if args.action == "add":
            added = sum(listed.add(a, Reason.ADDED_BY_USER, source="herald do-not-email add")
                        for a in args.addresses)  # fmt: skip
            listed.save()
            print(f"Added {added} of {len(args.addresses)} (the others were already listed).")
        elif args.action == "remove":
            removed = sum(listed.remove(a) for a in args.addresses)
            listed.save()
            print(f"Removed {removed} of {len(args.addresses)} (the others were not listed).")
        else:
            added = listed.import_file(args.file)
            listed.save()
            print(f"Added {added} new addresses from {args.file}.")
    except DoNotEmailError as exc:
        print(f"herald do-not-email: {exc}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK
