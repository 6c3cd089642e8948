"""`herald init DIR`: write a demo campaign to try every other command on."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.text import Text

from app.cli.common import EXIT_INPUT, EXIT_OK, console
from app.core.demo import write_demo_campaign


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "init",
        help="write a demo campaign (workbook, template, campaign file) into a folder",
        description=(
            "Write a demo campaign into DIR: a workbook of 20 recipients at example addresses, "
            "an HTML template, an attachment and campaign.toml. Existing files are kept unless "
            "--force is given."
        ),
    )
    parser.add_argument("dir", type=Path, metavar="DIR", help="folder to write (created if needed)")
    parser.add_argument("--force", action="store_true", help="overwrite existing demo files")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    out = console()
    try:
        campaign_file = write_demo_campaign(args.dir, force=args.force)
    except FileExistsError as exc:
        console(sys.stderr).print(Text(f"herald init: {exc}", style="red"))
        return EXIT_INPUT
    except OSError as exc:
        console(sys.stderr).print(
            Text(f"herald init: cannot write to {args.dir}: {exc.strerror or exc}", style="red")
        )
        return EXIT_INPUT
    out.print(Text(f"Wrote a demo campaign to {campaign_file.parent}", style="bold green"))
    out.print(Text("Next:"))
    out.print(Text(f"  herald check {campaign_file}"))
    out.print(Text(f"  herald preview {campaign_file} --row 2"))
    return EXIT_OK
