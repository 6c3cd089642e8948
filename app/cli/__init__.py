"""`herald <command>`: the headless front end. Each command lives in its own module.

A command module exposes `register(subparsers)` which adds its parser and sets
`handler=<callable(args) -> int>`. Modules are listed here so `herald --help` shows them all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from app import __version__

COMMAND_MODULES = (
    "app.cli.init_cmd",
    "app.cli.check_cmd",
    "app.cli.preview_cmd",
    "app.cli.send_cmd",
    "app.cli.report_cmd",
    "app.cli.outbox_cmd",
    "app.cli.login_cmd",
    "app.cli.bounces_cmd",
    "app.cli.do_not_email_cmd",
    "app.cli.copy_sent_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="herald",
        description="Mail merge from a workbook, sent at a rate you control.",
    )
    parser.add_argument("--version", action="version", version=f"herald {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not a command not yet written
                raise
            continue
        module.register(subparsers)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    result: int = handler(args)
    return result


def main(argv: Sequence[str] | None = None) -> None:
    sys.exit(run(argv))
