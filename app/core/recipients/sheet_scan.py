"""One bounded pass over a sheet's XML before any reader sees it: damage, formulas, extent.

Why: calamine allocates its whole grid up front, (highest row) x (highest column) cells of
32 bytes, from the cell addresses. One cell at XFD1048576 in a 4.9 KB file asks for 550 GB
and the process dies with SIGABRT: nothing Python can catch. So the cell addresses are
scanned first, in 1 MB pieces of the inflated XML, and calamine only gets sheets whose grid
is reasonable. A sheet that reaches far but holds few cells is read by streaming instead
(reader_xlsx.py); one whose real cells would still make too big a grid is refused.

The same pass finds whether the sheet has any formula (most mailing lists have none, and
then nothing else parses the XML), and reading to the end makes zipfile check the part's
CRC, so a damaged sheet is refused with a sentence (damage.py).

The common case costs one regex search per piece: any address with two column letters or
seven row digits means the sheet may be big, and only then are all addresses read exactly.
Without such an address the grid is at most 26 columns x 999,999 rows, within the limit.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.recipients.damage import damaged, describe_member_fault

#: Largest grid handed to calamine: 32 M cells is 1 GB of its 32-byte cells. A dense
#: 1,000,000 x 32 sheet (the row cap) fits; one stray far cell does not.
MAX_GRID_CELLS = 1 << 25
#: Largest padded table the streaming reader builds (each row runs from column A to its
#: last cell): 100,000 rows of 40 columns. Beyond this the sheet is refused.
MAX_STREAMED_CELLS = 4_000_000

_PIECE = 1 << 20
_MAX_CARRY = 1 << 20  # a tag longer than this is not an honest one
# The sheet's root element, with its namespace prefix if it uses one ("<x:worksheet").
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref\s*=\s*[\"']([^\"']*)")
# An r="..." attribute (on <row> or <c>) that may point far (2+ letters or 7+ digits), or
# one written unusually (spaces around "=", a character reference): then read them all.
# It starts with a literal "r" so the regex engine skips ahead quickly; it also matches
# other attributes ending in r (operator="between"), which only costs the exact pass.
_MAYBE_FAR = re.compile(rb"r(?:=[\"'](?:[A-Za-z]{2}|[A-Za-z]?[0-9]{7}|&)|\s+=|=\s)")
# Every r="..." attribute; the byte before it must be a space for the name to be just "r".
_ANY_REF = re.compile(rb"r\s*=\s*[\"']([^\"'<>]{0,64})")
_REF_VALUE = re.compile(rb"([A-Za-z]*)([0-9]*)")
# The usual spelling, ` r="B7"`, read by findall (literal prefix: fast): rows, columns
# past Z, row numbers past 99,999.
_PLAIN_ROW = re.compile(rb' r="[0-9]')
_PLAIN_WIDE = re.compile(rb' r="([A-Za-z]{2,})')
_PLAIN_LONG_ROW = re.compile(rb' r="[A-Za-z]*([0-9]{6,})')
_ODD_SYNTAX = re.compile(rb"r(?:\s+=|=\s|='|=\"&)")
_SPACE = frozenset(b" \t\r\n")
_REF_TEXT = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


@dataclass(frozen=True, slots=True)
class SheetScan:
    has_formula: bool
    rows: int  # highest row any address names, or a bound for it (999,999 or 99,999)
    columns: int  # highest column (A = 1), or a bound for it (26)
    cells: int  # addresses seen (rows and cells); 0 after the quick pass
    padded_cells: int  # sum over rows of each row's last column (what streaming builds),
    # or a bound for it (rows x highest column)
    declared: str = ""  # the <dimension ref="..."> as written, e.g. "A1:XFD1048576"

    @property
    def grid_cells(self) -> int:
        return self.rows * self.columns

    @property
    def fits_calamine(self) -> bool:
        return self.grid_cells <= MAX_GRID_CELLS

    @property
    def fits_streaming(self) -> bool:
        return self.padded_cells <= MAX_STREAMED_CELLS

    @property
    def last_cell(self) -> str:
        return f"{column_letters(self.columns)}{self.rows}"


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA (1-based, like the addresses)."""
    letters = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters or "A"


def column_number(letters: bytes | str) -> int:
    text = letters.decode("ascii") if isinstance(letters, bytes) else letters
    number = 0
    for ch in text.upper():
        number = number * 26 + ord(ch) - 64
    return number


def declared_extent(ref: str) -> tuple[int, int] | None:
    """(rows, columns) a <dimension ref> like "A1:XFD1048576" declares; None if unreadable."""
    last = ref.split(":")[-1].replace("$", "")
    match = _REF_TEXT.fullmatch(last)
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1))


def scan_sheet(zf: zipfile.ZipFile, part: str, path: Path) -> SheetScan:
    """Scan `part` (a worksheet); raises the damaged-workbook InputError if it is damaged."""
    try:
        scan = _quick_pass(zf, part)
        if scan is None:
            scan = _exact_pass(zf, part)
        if not scan.fits_calamine and not scan.fits_streaming:
            # padded_cells was a bound (rows x last column): count it row by row
            scan = _exact_pass(zf, part, precise=True)
        return scan
    except Exception as exc:  # bad CRC, broken deflate, odd header, unknown method
        info = zf.getinfo(part)
        raise damaged(path, describe_member_fault(part, exc, info.compress_type)) from exc


def _pieces(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The inflated part in pieces of about 1 MB, each cut before its last "<", so no tag
    (and no attribute) is split between two pieces and none is seen twice."""
    carry = b""
    with zf.open(part) as stream:
        while chunk := stream.read(_PIECE):
            window = carry + chunk
            cut = window.rfind(b"<")
            if cut <= 0 or len(window) - cut > _MAX_CARRY:
                cut = len(window)  # no tag start (or an absurdly long tag): take it all
            yield window[:cut]
            carry = window[cut:]
    if carry:
        yield carry


def _quick_pass(zf: zipfile.ZipFile, part: str) -> SheetScan | None:
    """Formula or not, and the bound 26 x 999,999; None as soon as an address may be far."""
    formula = _FormulaFinder()
    declared = None
    for piece in _pieces(zf, part):
        if declared is None:
            declared = _declared(piece)
        formula.feed(piece)
        if _MAYBE_FAR.search(piece):
            # read on to the end anyway: the exact pass starts over
            return None
    return SheetScan(formula.found, 999_999, 26, 0, 0, declared or "")


def _exact_pass(zf: zipfile.ZipFile, part: str, *, precise: bool = False) -> SheetScan:
    """Every address: highest row and column. Addresses written the usual way (` r="A1"`)
    are collected by findall, at C speed; unusual ones, or `precise`, go one by one."""
    formula = _FormulaFinder()
    declared = None
    rows = columns = cells = row_elements = 0
    if not precise:  # bounds for the addresses findall skips (see below)
        rows, columns = 99_999, 26
    padded = row_end = 0  # per row, when going one by one
    for piece in _pieces(zf, part):
        if declared is None:
            declared = _declared(piece)
        formula.feed(piece)
        if precise or _unusual(piece):
            for letters, digits in _each_ref(piece):
                cells += 1
                if digits:
                    rows = max(rows, int(digits[:12]))
                if letters:
                    column = column_number(letters[:8])
                    columns = max(columns, column)
                    row_end = max(row_end, column)
                else:  # a <row r="..."> starts a new row
                    row_elements += 1
                    padded += row_end
                    row_end = 0
            continue
        # Only addresses past column Z or row 99,999 are collected; the rest are within
        # those bounds, which is all the grid check needs.
        cells += piece.count(b' r="')
        row_elements += len(_PLAIN_ROW.findall(piece))
        wide = set(_PLAIN_WIDE.findall(piece))
        if wide:
            columns = max(columns, max(column_number(x[:8]) for x in wide))
        numbers = set(_PLAIN_LONG_ROW.findall(piece))
        if numbers:
            longest = max(map(len, numbers))
            rows = max(rows, max(int(x[:12]) for x in numbers if len(x) == longest))
    if precise:
        padded += row_end
    else:  # a bound: every row as wide as the widest (exact only when counted one by one)
        padded = max(row_elements, 1) * columns
    return SheetScan(formula.found, rows, columns, cells, padded, declared or "")


def _unusual(piece: bytes) -> bool:
    """Is any r attribute written other than ` r="..."` (quotes, spaces, references)?"""
    return bool(_ODD_SYNTAX.search(piece)) or piece.count(b'r="') != piece.count(b' r="')


def _each_ref(piece: bytes) -> Iterator[tuple[bytes, bytes]]:
    for match in _ANY_REF.finditer(piece):
        start = match.start()
        if start and piece[start - 1] not in _SPACE:
            continue  # another attribute whose name ends in r (operator="between")
        value = match.group(1)
        if b"&" in value:  # a character reference such as &#88; for X
            value = html.unescape(value.decode("ascii", "replace")).encode("ascii", "replace")
        ref = _REF_VALUE.match(value)
        yield (ref.group(1), ref.group(2)) if ref else (b"", b"")


def _declared(window: bytes) -> str:
    match = _DIMENSION.search(window)
    return match.group(1).decode("ascii", "replace") if match else ""


class _FormulaFinder:
    """Is there any <f> element? One bytes.find per piece (a regex costs four times as much).

    The formula tag carries the same namespace prefix (usually none) as the root element.
    """

    def __init__(self) -> None:
        self.found = False
        self._needle = b""

    def feed(self, window: bytes) -> None:
        if self.found:
            return
        if not self._needle:
            root = _ROOT_TAG.search(window)
            self._needle = b"<" + ((root.group(1) if root else None) or b"") + b"f"
        needle = self._needle
        start = window.find(needle)
        while start >= 0:
            follow = window[start + len(needle) : start + len(needle) + 1]
            if follow in (b" ", b">", b"/", b"\t", b"\r", b"\n"):
                self.found = True
                return
            start = window.find(needle, start + 1)
