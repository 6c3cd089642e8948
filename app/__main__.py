"""`herald` with a command runs headless; without one (or with --demo) it opens the window."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence

GUI_FLAGS = {"--demo"}


def main(argv: Sequence[str] | None = None) -> None:
    # In a frozen bundle the window's workbook reader runs in a child process started from this
    # same executable; freeze_support() lets that child run its task and exit (no-op otherwise).
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--self-test"]:
        from app.selftest import run_self_test  # the installers' smoke test, works offscreen

        sys.exit(run_self_test(args[1:]))
    if not args or args[0] in GUI_FLAGS or args[0].startswith("-platform"):
        from app.gui.application import run_gui  # imported late: the CLI never loads Qt

        sys.exit(run_gui(args))
    from app.cli import main as cli_main

    cli_main(args)


if __name__ == "__main__":
    main()
