"""Which journal belongs to which campaign.

The id comes from the campaign file, recipients file and template paths (not their contents):
editing the workbook must still find the same journal, so resume can warn and follow the
snapshot. The report finds a journal from the campaign file alone by reading the journals'
recorded sources, so it needs no knowledge of the campaign file's format.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from pathlib import Path

from app.core.paths import campaigns_dir

SUFFIX = ".herald.sqlite"
_UNSAFE = re.compile(r"[^\w.-]+")


def campaign_id(*sources: Path | None) -> str:
    """A stable id from the files that define a send (campaign file, recipients, template)."""
    text = "\0".join(str(p.resolve()) if p is not None else "" for p in sources)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def journal_path_for(
    *sources: Path | None, name: str | None = None, folder: Path | None = None
) -> Path:
    """Where the journal of this campaign lives: `<name>-<id>.herald.sqlite`."""
    label = name or next((p.stem for p in sources if p is not None), "campaign")
    slug = _UNSAFE.sub("-", label).strip("-.")[:40] or "campaign"
    return (folder or campaigns_dir()) / f"{slug}-{campaign_id(*sources)}{SUFFIX}"


def find_journal_for(campaign_file: Path, folder: Path | None = None) -> Path | None:
    """The most recently written journal whose snapshot names this campaign file."""
    wanted = str(campaign_file.resolve())
    matches = [
        path
        for path in (folder or campaigns_dir()).glob(f"*{SUFFIX}")
        if _campaign_of(path) == wanted
    ]
    return max(matches, key=lambda p: p.stat().st_mtime, default=None)


def _campaign_of(path: Path) -> str | None:
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = conn.execute("SELECT path FROM sources WHERE role = 'campaign'").fetchone()
        finally:
            conn.close()
        return str(found[0]) if found else None
    return None
