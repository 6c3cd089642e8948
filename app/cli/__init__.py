"""`herald <command>`: the headless front end. Each command lives in its own module.

A command module exposes `register(subparsers)` which adds its parser and sets
`handler=<callable(args) -> int>`. Modules are listed here so `herald --help` shows them all;
`herald send ...` imports only send's module (the others' imports, openpyxl's writer among
them, cost about 0.2 s of every start).
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


def _module_of(command: str) -> str | None:
    """The module of a command as typed (`do-not-email` -> app.cli.do_not_email_cmd)."""
    name = f"app.cli.{command.replace('-', '_')}_cmd"
    return name if name in COMMAND_MODULES else None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser, or only `command`'s when it names one."""
    parser = argparse.ArgumentParser(
        prog="herald",
        description="Mail merge from a workbook, sent at a rate you control.",
    )
    parser.add_argument("--version", action="version", version=f"herald {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    only = _module_of(command) if command else None
    for name in (only,) if only else COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not a command not yet written
                raise
            continue
        module.register(subparsers)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # the command is the first word (herald has no options that take a value before it)
    command = arguments[0] if arguments and not arguments[0].startswith("-") else None
    parser = build_parser(command)
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    result: int = handler(args)
    return result


def main(argv: Sequence[str] | None = None) -> None:
    sys.exit(run(argv))
