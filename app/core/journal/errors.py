"""What can go wrong with a journal, in words the user can act on."""

from __future__ import annotations

from pathlib import Path


class JournalError(Exception):
    """The journal cannot be read or written. The engine stops before the next MAIL on this:
    a message sent without a journal row could be sent again after a restart."""


class JournalLocked(JournalError):
    """Another Herald process is sending this campaign."""

    def __init__(self, path: Path, pid: int | None) -> None:
        who = f"process {pid}" if pid else "another Herald process"
        super().__init__(
            f"The campaign journal {path} is in use by {who}. Only one Herald can send a "
            "campaign at a time: wait for that send to finish or stop it, then try again."
        )
        self.path = path
        self.pid = pid


class JournalStateError(JournalError):
    """A state change the state machine does not allow (a bug in the caller, or a row that
    another part of the program already moved on)."""
