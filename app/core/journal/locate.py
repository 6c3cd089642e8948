"""Which journal belongs to which campaign.

The id comes from the campaign file, recipients file and template paths (not their contents):
editing the workbook must still find the same journal, so resume can warn and follow the
snapshot. The report finds a journal from the campaign file alone by reading the journals'
recorded sources, so it needs no knowledge of the campaign file's format.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import sqlite3
from pathlib import Path

from app.core.paths import campaigns_dir

SUFFIX = ".herald.sqlite"
#: Rehearsals through the local test outbox keep their own journal, under a suffix the real
#: journals' search (`find_journal_for`) never matches: a test run can never count as a delivery.
TEST_SUFFIX = ".herald-test.sqlite"
#: A journal put aside by "Start over" (kept, never deleted silently); no search matches it.
ARCHIVE_MARK = ".archived-"
_UNSAFE = re.compile(r"[^\w.-]+")


def campaign_id(*sources: Path | None) -> str:
    """A stable id from the files that define a send (campaign file, recipients, template)."""
    text = "\0".join(str(p.resolve()) if p is not None else "" for p in sources)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def journal_path_for(
    *sources: Path | None, name: str | None = None, folder: Path | None = None, test: bool = False
) -> Path:
    """Where the journal of this campaign lives: `<name>-<id>.herald.sqlite` (a test run's:
    `<name>-<id>.herald-test.sqlite`)."""
    label = name or next((p.stem for p in sources if p is not None), "campaign")
    slug = _UNSAFE.sub("-", label).strip("-.")[:40] or "campaign"
    suffix = TEST_SUFFIX if test else SUFFIX
    return (folder or campaigns_dir()) / f"{slug}-{campaign_id(*sources)}{suffix}"


def find_journal_for(
    campaign_file: Path, folder: Path | None = None, *, test: bool = False
) -> Path | None:
    """The most recently written journal whose snapshot names this campaign file (real sends
    only, unless `test`: then the local-outbox rehearsal's)."""
    wanted = str(campaign_file.resolve())
    matches = [
        path
        for path in (folder or campaigns_dir()).glob(f"*{TEST_SUFFIX if test else SUFFIX}")
        if _campaign_of(path) == wanted and (test or not is_outbox_run(path))
    ]
    return max(matches, key=lambda p: p.stat().st_mtime, default=None)


def is_outbox_run(path: Path) -> bool:
    """A journal of a send to the local test outbox. Herald before test journals existed kept
    those under the real name; they are rehearsals all the same and never count."""
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = conn.execute("SELECT value FROM meta WHERE key = 'outbox_used'").fetchone()
        finally:
            conn.close()
        return bool(found) and found[0] == "1"
    return False


def archive_journal(path: Path, now: dt.datetime | None = None) -> Path | None:
    """Put a journal aside ("Start over"): renamed to `<stem>.archived-<UTC time>.sqlite` next
    to it, with its WAL and shared-memory files, so nothing is lost and no search finds it.
    None when there was no journal. Take the journal's lock first (`Journal.open`, then close)
    so a running send is never moved from under it."""
    if not path.exists():
        return None
    moment = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S")
    base = path.name.removesuffix(TEST_SUFFIX).removesuffix(SUFFIX)
    target = path.with_name(f"{base}{ARCHIVE_MARK}{moment}.sqlite")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{base}{ARCHIVE_MARK}{moment}-{counter}.sqlite")
    path.rename(target)
    for extra in ("-wal", "-shm"):
        side = Path(f"{path}{extra}")
        if side.exists():
            side.rename(Path(f"{target}{extra}"))
    return target


def _campaign_of(path: Path) -> str | None:
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = conn.execute("SELECT path FROM sources WHERE role = 'campaign'").fetchone()
        finally:
            conn.close()
        return str(found[0]) if found else None
    return None
