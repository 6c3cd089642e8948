"""The crash-safe send journal (SQLite): campaign snapshot, per-recipient state, events."""

from app.core.journal.errors import JournalError, JournalLocked, JournalStateError
from app.core.journal.locate import campaign_id, find_journal_for, journal_path_for
from app.core.journal.rows import EventKind, JournalEvent, JournalRow
from app.core.journal.snapshot import (
    CampaignSnapshot,
    SnapshotRow,
    SourceChange,
    SourceFile,
    SourceRole,
    cell_text,
    sha256_file,
)
from app.core.journal.store import Journal

__all__ = [
    "CampaignSnapshot",
    "EventKind",
    "Journal",
    "JournalError",
    "JournalEvent",
    "JournalLocked",
    "JournalRow",
    "JournalStateError",
    "SnapshotRow",
    "SourceChange",
    "SourceFile",
    "SourceRole",
    "campaign_id",
    "cell_text",
    "find_journal_for",
    "journal_path_for",
    "sha256_file",
]
