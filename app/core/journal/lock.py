"""One Herald per campaign: an OS file lock next to the journal.

An OS lock (flock / msvcrt.locking) rather than a PID file because the kernel drops it when the
process dies, even on kill -9, so a crash never leaves a stale lock to clean up by hand. The PID
is written into the file only to name the holder in the refusal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from app.core.journal.errors import JournalError, JournalLocked

# On Windows the locked byte cannot be read by others, so the PID lives past it.
_PID_OFFSET = 16


class ProcessLock:
    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self.path = journal.with_name(journal.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise JournalError(
                f"Cannot create the lock file {self.path}: {exc.strerror}. Check that the "
                "folder exists and is writable."
            ) from exc
        if not _try_lock(fd):
            pid = _read_pid(fd)
            os.close(fd)
            raise JournalLocked(self.journal, pid)
        self._fd = fd
        with contextlib.suppress(OSError):  # the PID is a courtesy; the lock is what counts
            os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
            os.write(fd, f"{os.getpid():<12d}\n".encode())
            os.fsync(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
