"""Which files may be attached: regular files inside the campaign's folders, and nothing else.

A workbook or campaign file from someone else can name any path: `/etc/shadow`,
`~/.ssh/id_rsa`, `../../secret.txt`, `/proc/self/environ` (which holds the SMTP password when it
is given in the environment). So a path is resolved (symlinks followed) and must land inside
one of the allowed folders: the workbook's folder, the campaign file's folder, or a folder the
user allowed by name (`attachment_folders` in the campaign file, `--attachment-folder`, the
window's "Allowed folders"). Only regular files are attached: a named pipe would hang the
reader, a device could be endless, and `/proc` entries claim a size of 0 while holding secrets.
Everything here is decided from `stat()`; nothing is opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ATTACHMENT_MAX_MB = 25.0  # what Gmail, Outlook.com, QQ and 163 accept per message
MB = 1024 * 1024

# Pseudo file systems: their "files" are views of the running system, never documents.
_SYSTEM_TREES = (Path("/proc"), Path("/sys"), Path("/dev"))


@dataclass(frozen=True, slots=True)
class AttachmentFile:
    """A file that passed every check: where it really is, and its size and change time."""

    path: Path  # the resolved path (symlinks followed)
    size: int
    mtime_ns: int


class AttachmentRefused(Exception):
    """Why a path cannot be attached; `reason` completes "the attachment X ..."."""

    def __init__(self, reason: str, *, outside: bool = False, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.outside = outside
        self.missing = missing


def allowed_folders(folders: Iterable[Path | None]) -> tuple[Path, ...]:
    """The folders resolved (symlinks followed), without repeats, in the order given."""
    found: dict[Path, None] = {}
    for folder in folders:
        if folder is not None:
            found[Path(os.path.realpath(folder))] = None
    return tuple(found)


def _inside(path: Path, folders: tuple[Path, ...]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in the words a person would use; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def describe_folders(folders: tuple[Path, ...]) -> str:
    return ", ".join(str(folder) for folder in folders) or "(none)"


def inspect_attachment(path: Path, folders: tuple[Path, ...] | None) -> AttachmentFile:
    """The checked file behind `path` (absolute), or AttachmentRefused saying why not.

    `folders` are the allowed folders, already resolved (`allowed_folders`); None means no
    containment is asked for (library use and tests; every front end passes folders).
    """
    real = Path(os.path.realpath(path))
    if folders is not None and not _inside(real, folders):
        shown = f"{path} -> {real}" if real != Path(os.path.abspath(path)) else str(real)
        raise AttachmentRefused(
            f"is outside the campaign folder ({shown}); files are attached only from "
            f"{describe_folders(folders)}. Move the file into the campaign folder, or allow "
            "its folder explicitly (attachment_folders in the campaign file, "
            "--attachment-folder, or Allowed folders in the window)",
            outside=True,
        )
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise AttachmentRefused(f"does not exist (looked for {real})", missing=True) from None
    except OSError as exc:
        raise AttachmentRefused(f"cannot be read ({real}: {exc.strerror or exc})") from None
    kind = _kind_of(info.st_mode)
    if kind is not None:
        raise AttachmentRefused(f"{kind} ({real})")
    for tree in _SYSTEM_TREES:  # /proc/self/environ is "regular", with a size of 0
        if real.is_relative_to(tree):
            raise AttachmentRefused(f"is a system entry under {tree} ({real}), not a regular file")
    return AttachmentFile(real, info.st_size, info.st_mtime_ns)


def too_large(total: int, limit: int) -> str | None:
    """The sentence for attachments adding up past `limit` bytes, or None when within it."""
    if total <= limit:
        return None
    return (
        f"The attachments add up to {total / MB:.1f} MB, above the limit of "
        f"{limit / MB:.1f} MB per message (most mail providers refuse larger messages). "
        "Send a link instead, or raise attachment_max_mb in the campaign file "
        "(--attachment-max-mb) if your provider takes more."
    )


class AttachmentChanged(AttachmentRefused):
    """The file is no longer the one that was checked (replaced, resized, swapped for a pipe)."""


def open_checked(path: Path, size: int, mtime_ns: int) -> int:
    """A read-only descriptor of the regular file checked earlier, or AttachmentChanged.

    O_NONBLOCK so a file swapped for a named pipe since the check cannot hang the open;
    O_NOFOLLOW because `path` is already resolved, so a symlink there now is a swap. The
    caller closes the descriptor.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise AttachmentChanged(f"cannot be opened ({path}: {exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AttachmentChanged(f"{_kind_of(info.st_mode)} ({path}) now")
        if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
            raise AttachmentChanged(
                f"changed since it was checked ({path}); check the campaign again"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd
