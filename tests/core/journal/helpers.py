"""Snapshots for journal tests, and a real second process that holds a journal."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from app.core.journal import CampaignSnapshot, Journal, SnapshotRow, SourceFile, SourceRole

REPO = Path(__file__).resolve().parents[3]
T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


class FakeNow:
    """A settable clock for the journal's timestamps."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.value = start

    def __call__(self) -> dt.datetime:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += dt.timedelta(seconds=seconds)


def snapshot_row(number: int, name: str = "") -> SnapshotRow:
    address = f"user{number}@example.com"
    return SnapshotRow(
        row=number,
        address=address,
        recipients=(address,),
        fields={"Email": address, "Name": name or f"User {number}"},
        message_sha256=f"{number:064x}",
        message_id=f"<{number}@herald.example.org>",
    )


def make_snapshot(folder: Path, count: int = 5, name: str = "Spring letter") -> CampaignSnapshot:
    workbook = folder / "people.csv"
    if not workbook.exists():
        workbook.write_text("Email,Name\n", encoding="utf-8")
    return CampaignSnapshot(
        name=name,
        sources=(SourceFile.of(SourceRole.RECIPIENTS, workbook),),
        settings={"rate": ["10/s"], "connections": 1},
        rows=(snapshot_row(n) for n in range(2, count + 2)),
        headers=("Email", "Name"),
    )


def new_journal(folder: Path, count: int = 5, now: FakeNow | None = None) -> Journal:
    return Journal.create(
        folder / "c.herald.sqlite", make_snapshot(folder, count), now=now or FakeNow()
    )


def start_holder(journal: Path, action: str) -> subprocess.Popen[str]:
    """Run `holder.py` in a new Python process and wait for it to say it is holding."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.core.journal.holder", str(journal), action],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != "READY":
        proc.kill()
        raise AssertionError(
            f"holder did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}"
        )
    return proc
