"""Say in one sentence how a workbook's zip archive is damaged, and what to do about it.

zipfile, zlib and the readers raise a dozen unrelated exception types for a damaged archive
(BadZipFile for a bad checksum, zlib.error for a broken deflate stream, NotImplementedError
for an unknown compression method, UnicodeDecodeError for a member name, EOFError for a cut
file...). Each becomes the same kind of refusal: what is wrong, with which member, and to
save the workbook again; never a traceback.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from app.core.model import InputError, Problem, ProblemKind

RESAVE_HINT = (
    "Open it in Excel or WPS and save it again; if it does not open there either, "
    "ask whoever sent it for a fresh copy."
)


def damaged(path: Path, detail: str) -> InputError:
    """`list.xlsx: the workbook is damaged (<detail>). Open it in Excel ...`"""
    return InputError(
        Problem(
            kind=ProblemKind.UNREADABLE_FILE,
            message=f"{path.name}: the workbook is damaged ({detail}). {RESAVE_HINT}",
        )
    )


def describe_archive_fault(exc: BaseException) -> str:
    """Why the archive itself (its directory at the end of the file) cannot be opened."""
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile) and "not a zip file" in text:
        return (
            "its zip directory at the end of the file is missing, so the file is probably "
            "cut short, e.g. an incomplete download or attachment"
        )
    if isinstance(exc, UnicodeDecodeError):
        return "the name of one of its parts cannot be decoded"
    if isinstance(exc, zipfile.BadZipFile | EOFError | ValueError | OverflowError):
        return f"its zip directory is broken: {text or type(exc).__name__}"
    return f"its zip directory cannot be read: {type(exc).__name__} {text}".rstrip()


def describe_member_fault(member: str, exc: BaseException, method: int | None = None) -> str:
    """Why the part `member` cannot be read: a checksum, its data, its header, its method."""
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile):
        if "CRC" in text:
            return f"member {member} fails its checksum"
        if "File name in directory" in text:
            return (
                f"member {member} has a different name in its own header than in the "
                "archive's directory"
            )
        if "Overlapped entries" in text:
            return "two of its parts overlap, which no real workbook does"
        if "magic number" in text or "Truncated" in text:
            return f"the header of member {member} is missing or cut short"
        return f"member {member} cannot be read: {text}"
    if isinstance(exc, zlib.error):
        return f"the compressed data of member {member} is broken"
    if isinstance(exc, EOFError):
        return f"member {member} ends before its data does (the file is cut short)"
    if isinstance(exc, NotImplementedError):
        how = f" (method {method})" if method is not None else ""
        return f"member {member} is compressed in a way Herald cannot read{how}; Excel uses Deflate"
    if isinstance(exc, RuntimeError) and "encrypted" in text:
        return f"member {member} is encrypted"
    if isinstance(exc, UnicodeDecodeError):
        return f"the name of member {member} cannot be decoded"
    return f"member {member} cannot be read: {type(exc).__name__} {text}".rstrip()
