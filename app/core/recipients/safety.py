"""Refuse hostile or wrong files before any parser sees them.

Four checks, all cheap and all done before openpyxl or calamine touch the file:
what the file really is (magic bytes, not the extension), whether a zip archive
declares more than we are willing to inflate (zip bombs), whether any XML part
carries a DTD (the only way to build a billion-laughs entity bomb; OOXML never needs one),
and whether every part outside the worksheets is intact (checksum, compressed data, header;
the sheet that is read is checked by sheet_scan.py). A damaged archive is refused with a
sentence (damage.py) rather than left to fail, or abort, inside a reader.
"""

from __future__ import annotations

import zipfile
from enum import Enum
from pathlib import Path
from typing import IO

from app.core.model import InputError, Problem, ProblemKind
from app.core.recipients.damage import damaged, describe_archive_fault, describe_member_fault

# Limits for the archive as declared in its central directory. A 100,000 x 10 sheet
# inflates to about 40 MB; a million rows of ten columns stays well under 1 GiB.
MAX_ENTRIES = 10_000
MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024
# Deflate tops out near 1032:1; real sheets compress 5-30:1, very repetitive ones ~100:1.
MAX_RATIO = 200
RATIO_APPLIES_ABOVE = 1024 * 1024  # tiny parts (styles, rels) may compress oddly; ignore them

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)

CONVERT_HINT = "Open it in Excel or WPS and use Save As > Excel Workbook (.xlsx) or CSV UTF-8."


class FileKind(Enum):
    WORKBOOK = "workbook"  # an OOXML zip (.xlsx / .xlsm)
    TEXT = "text"  # CSV-like text


def refusal(
    path: Path, message: str, kind: ProblemKind = ProblemKind.UNREADABLE_FILE
) -> InputError:
    """An InputError for the whole file; the message already says what to do."""
    return InputError(Problem(kind=kind, message=f"{path.name}: {message}"))


def classify(path: Path) -> FileKind:
    """Decide how to read `path` from its first bytes; refuse anything we cannot read safely."""
    if not path.exists():
        raise refusal(path, f"file not found ({path}). Check the path and try again.")
    if not path.is_file():
        raise refusal(path, "is a folder, not a file. Choose a .xlsx or .csv file.")
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise refusal(
            path,
            f"cannot be opened ({exc.strerror}). Close it in other programs "
            "or check its permissions, then try again.",
        ) from exc
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        return FileKind.WORKBOOK
    if head.startswith(_OLE_MAGIC):
        raise _ole_refusal(path, suffix)
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise refusal(
                path, f"is not a workbook: it is {what}. Choose a .xlsx workbook or a .csv file."
            )
    if suffix in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        raise refusal(
            path,
            "is not a real Excel workbook (it is not a zip-based .xlsx; it may "
            "be a renamed text file). If it holds comma-separated text, rename it to "
            f".csv. Otherwise: {CONVERT_HINT}",
        )
    if suffix == ".xls":
        # Some systems export HTML or text and call it .xls; either way we cannot read it.
        raise refusal(
            path, f"is a legacy or disguised .xls file, which Herald does not read. {CONVERT_HINT}"
        )
    if b"\x00" in head:
        raise refusal(
            path, "is a binary file, not a workbook or CSV. Choose a .xlsx workbook or a .csv file."
        )
    return FileKind.TEXT


_ENCRYPTION_STREAMS = tuple(
    name.encode("utf-16-le") for name in ("EncryptionInfo", "EncryptedPackage")
)


def _ole_is_encrypted_ooxml(path: Path) -> bool:
    """Does this OLE (compound file) container hold an encrypted .xlsx?

    Excel wraps an encrypted workbook in a compound file whose directory names the streams
    EncryptionInfo and EncryptedPackage. The directory usually sits near the start, but may
    be anywhere, so look at the first 4 MB and at the directory's first sector, whose
    position the compound file header gives (sector number at 0x30, size 2**n at 0x1E).
    """
    try:
        with path.open("rb") as f:
            head = f.read(4 * 1024 * 1024)
            places = [head]
            if len(head) >= 0x34:
                shift = int.from_bytes(head[0x1E:0x20], "little")
                first = int.from_bytes(head[0x30:0x34], "little")
                if 7 <= shift <= 16 and first < 0xFFFFFFFA:  # else a free/end-of-chain marker
                    f.seek((first + 1) << shift)
                    places.append(f.read(4 << shift))
    except OSError:
        return False
    return any(name in data for data in places for name in _ENCRYPTION_STREAMS)


def _ole_refusal(path: Path, suffix: str) -> InputError:
    # Any OLE file that is not an encrypted workbook is a legacy binary .xls (or a .doc,
    # which we refuse the same way).
    if _ole_is_encrypted_ooxml(path):
        return refusal(
            path,
            "is password-protected. Open it in Excel or WPS, remove the "
            "password (File > Info > Protect Workbook > Encrypt with Password, "
            "clear it) and save it as .xlsx, or save a copy as CSV UTF-8.",
        )
    return refusal(
        path, f"is a legacy Excel 97-2003 (.xls) file, which Herald does not read. {CONVERT_HINT}"
    )


def open_workbook_archive(path: Path) -> zipfile.ZipFile:
    """Open an OOXML archive after checking what it declares; the caller closes it."""
    try:
        zf = zipfile.ZipFile(path)
    except OSError as exc:
        raise refusal(
            path,
            f"cannot be opened ({exc.strerror or exc}). Close it in other programs "
            "or check its permissions, then try again.",
        ) from exc
    except Exception as exc:  # BadZipFile, UnicodeDecodeError, struct/EOF errors, ...
        raise damaged(path, describe_archive_fault(exc)) from exc
    try:
        check_archive(zf, path)
        check_parts(zf, path)
    except BaseException:
        zf.close()
        raise
    return zf


def check_archive(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse zip bombs from the central directory alone, before anything is inflated."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise refusal(
            path,
            f"holds {len(infos):,} parts, far more than any workbook (possible zip bomb); refused.",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refusal(
                path, "is an encrypted archive. Remove the password and save it again as .xlsx."
            )
        total += info.file_size
        if info.file_size > RATIO_APPLIES_ABOVE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise refusal(
                    path,
                    f"part {info.filename} would inflate {ratio:,.0f} times "
                    f"(to {info.file_size / 1e6:,.0f} MB); this looks like a zip bomb "
                    "and was refused.",
                )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise refusal(
            path,
            f"would inflate to {total / 1e6:,.0f} MB, more than Herald reads "
            f"({MAX_TOTAL_UNCOMPRESSED / 1e6:,.0f} MB); split the workbook or save "
            "the sheet as CSV.",
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if "mimetype" in names:
            raise refusal(
                path, f"is an OpenDocument spreadsheet, not an Excel workbook. {CONVERT_HINT}"
            )
        if "word/document.xml" in names or "ppt/presentation.xml" in names:
            raise refusal(
                path,
                "is a Word or PowerPoint file, not a workbook. "
                "Choose a .xlsx workbook or a .csv file.",
            )
        raise refusal(path, f"is a zip archive but not an Excel workbook. {CONVERT_HINT}")


WORKSHEETS = "xl/worksheets/"  # big parts: only the sheet being read is inflated (sheet_scan)


def check_parts(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse any XML part whose prolog declares a DTD (entity bombs, external entities),
    and any damaged XML part outside the worksheets.

    A DTD may only appear before the root element, so reading each part's prolog is enough.
    The other XML parts (workbook, shared strings, styles; a few MB at most) are read to
    the end, which is where zipfile checks a part's CRC: a damaged one is named here rather
    than failing later inside calamine or openpyxl.
    """
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as stream:
                has_doctype = _prolog_has_doctype(stream)
                if not has_doctype and not info.filename.startswith(WORKSHEETS):
                    while stream.read(1 << 20):
                        pass
        except Exception as exc:  # bad CRC, broken deflate, odd header, unknown method
            raise damaged(
                path, describe_member_fault(info.filename, exc, info.compress_type)
            ) from exc
        if has_doctype:
            raise refusal(
                path,
                f"contains a document type declaration in {info.filename} "
                "(a known XML attack, e.g. 'billion laughs'); refused. "
                "If you trust the file, open it in Excel and save it again.",
            )


def _prolog_has_doctype(stream: IO[bytes], limit: int = 1024 * 1024) -> bool:
    raw = stream.read(4096)
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if utf16:
        raw += stream.read(limit)
    text = raw.decode("utf-16" if utf16 else "utf-8", errors="replace")
    pos = 0
    while True:
        while pos < len(text) and text[pos] in "\ufeff \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
        else:
            # "<!DOCTYPE" (or any markup declaration) before the root: refuse. Anything
            # else is the root element (or junk no XML parser accepts anyway).
            return text.startswith("<!", pos)
        if end < 0:
            # A long comment or processing instruction: read on, but not forever.
            more = b"" if utf16 else stream.read(65536)
            if not more or len(text) > limit:
                return True  # an unterminated prolog this long is not an honest workbook
            text += more.decode("utf-8", errors="replace")
            continue
        pos = end + 2
