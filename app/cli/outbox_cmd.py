"""`herald outbox`: print the folder where the local test outbox files its .eml messages."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK
from app.core.outbox import default_outbox_folder


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "outbox",
        help="print the local test outbox folder",
        description=(
            "Print the folder where `herald send` (with no server set, or --profile local) "
            "files every message as an .eml file you can open in any mail program."
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print(default_outbox_folder())
    return EXIT_OK
