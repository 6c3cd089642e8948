"""Finding a send of the open campaign that was interrupted (pending or deferred rows left)."""

from __future__ import annotations

from pathlib import Path


def interrupted_journal(campaign_file: Path | None) -> tuple[Path, int] | None:
    if campaign_file is None:
        return None
    from app.core.journal import Journal, JournalError, find_journal_for

    path = find_journal_for(campaign_file)
    if path is None:
        return None
    try:
        journal = Journal.open_readonly(path)
    except (JournalError, OSError):
        return None
    try:
        counts = {str(k): v for k, v in journal.counts().items()}
    finally:
        journal.close()
    remaining = counts.get("pending", 0) + counts.get("deferred", 0) + counts.get("sending", 0)
    return (path, remaining) if remaining else None
