"""Regenerate the translation sources and compiled files.

    python scripts/update_translations.py           # lupdate: refresh resources/translations/*.ts
    python scripts/update_translations.py --release # ...and lrelease into app/data/translations/

pyside6-lupdate keeps existing translations and marks new strings "unfinished"; fill them in
with Qt Linguist (pyside6-linguist) or by editing the .ts, then run with --release.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "app" / "gui"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = ROOT / "app" / "data" / "translations"
LANGUAGES = ("zh_CN", "en")


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials in this environment.")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--release", action="store_true", help="also compile the .qm files")
    parser.add_argument("--no-update", action="store_true", help="only compile")
    args = parser.parse_args()
    files = sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))
    TS_DIR.mkdir(parents=True, exist_ok=True)
    QM_DIR.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = TS_DIR / f"herald_{language}.ts"
        if not args.no_update:
            cmd = [tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *files]
            subprocess.run(  # noqa: S603 - our own tool, fixed arguments
                [*cmd, "-target-language", language, "-ts", str(ts)], cwd=ROOT, check=True
            )
        if args.release or args.no_update:
            qm = QM_DIR / f"herald_{language}.qm"
            subprocess.run(  # noqa: S603 - our own tool, fixed arguments
                [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, check=True
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
