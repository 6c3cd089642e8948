"""One bounded pass over a sheet's XML before any reader sees it: damage, formulas, extent.

Why: calamine allocates its whole grid up front, (highest row) x (highest column) cells of
32 bytes, from the cell addresses. One cell at XFD1048576 in a 4.9 KB file asks for 550 GB
and the process dies with SIGABRT: nothing Python can catch. So the cell addresses are
scanned first, in 1 MB pieces of the inflated XML, and calamine only gets a sheet whose grid
is small, or dense enough that the grid is not mostly empty (`reader`). A sheet that
reaches far but holds few cells is streamed by openpyxl instead (reader_xlsx.py); one whose
rows would still pad out to too big a table is refused.

The same pass finds whether the sheet has any formula (most mailing lists have none, and
then nothing else parses the XML), and reading to the end makes zipfile check the part's
CRC, so a damaged sheet is refused with a sentence (damage.py).

Until an address with two column letters or six row digits turns up, a piece costs one
regex search (the grid is then at most 26 x 99,999 cells); from there on, row numbers and
columns past Z are collected by findall, and only unusually written addresses one by one.
When that first far address comes late and the bounds would keep the sheet from calamine,
the sheet is read again, exactly from the start.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.core.recipients.damage import damaged, describe_member_fault

#: A grid calamine may always allocate: 4 M cells, 128 MB.
SMALL_GRID_CELLS = 4_000_000
#: Largest grid handed to calamine at all: 32 M cells is 1 GB of its 32-byte cells, and
#: then only if at least one cell in `DENSE_ENOUGH` is really there.
MAX_GRID_CELLS = 1 << 25
DENSE_ENOUGH = 8
#: Largest padded table the streaming reader builds (each row runs from column A to its
#: last cell, as openpyxl gives it). Beyond this the sheet is refused.
MAX_STREAMED_CELLS = 16_000_000

_PIECE = 1 << 20
_MAX_CARRY = 1 << 20  # a tag longer than this is not an honest one
# The sheet's root element, with its namespace prefix if it uses one ("<x:worksheet").
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref\s*=\s*[\"']([^\"']*)")
# An r="..." attribute (on <row> or <c>) that may point far (2+ letters or 6+ digits), or
# one written unusually (spaces around "=", a character reference): then read them all.
# It starts with a literal "r" so the regex engine skips ahead quickly; it also matches
# other attributes ending in r (operator="between"), which only costs the exact reading.
_MAYBE_FAR = re.compile(rb"r(?:=[\"'](?:[A-Za-z]{2}|[A-Za-z]?[0-9]{6}|&)|\s+=|=\s)")
# Every r="..." attribute; the byte before it must be a space for the name to be just "r".
_ANY_REF = re.compile(rb"r\s*=\s*[\"']([^\"'<>]{0,64})")
_REF_VALUE = re.compile(rb"([A-Za-z]*)([0-9]*)")
# The usual spelling, ` r="B7"`, read by findall (literal prefix: fast): columns past Z,
# row numbers (of <row> elements; of every address only when a cell names a higher row).
_PLAIN_WIDE = re.compile(rb' r="([A-Za-z]{2,})')
_PLAIN_ROW_NUMBER = re.compile(rb' r="[A-Za-z]*([0-9]+)')
_PLAIN_ROW_ELEMENT = re.compile(rb' r="([0-9]+)"')
_ODD_SYNTAX = re.compile(rb"r(?:\s+=|=\s|='|=\"&)")
_SPACE = frozenset(b" \t\r\n")
_REF_TEXT = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
#: Bounds for addresses not read one by one: columns without a second letter, rows in
#: pieces before the first possibly far address.
_NARROW_COLUMNS, _SHORT_ROWS = 26, 99_999

Reader = Literal["calamine", "stream", "refuse"]


@dataclass(frozen=True, slots=True)
class SheetScan:
    has_formula: bool
    rows: int  # highest row any address names, or the bound 99,999 (see `bounded`)
    columns: int  # highest column (A = 1), or the bound 26 below it
    cells: int  # r="..." attributes seen (cells and rows)
    padded_cells: int  # sum over rows of each row's last column (what streaming builds),
    # or a bound for it (rows x highest column) unless counted row by row
    declared: str = ""  # the <dimension ref="..."> as written, e.g. "A1:XFD1048576"
    bounded: bool = False  # rows is the bound 99,999 for some pieces, not read exactly

    @property
    def grid_cells(self) -> int:
        return self.rows * self.columns

    @property
    def reader(self) -> Reader:
        """Who may read this sheet: calamine (its grid is small or mostly real cells), a
        streaming reader (few cells spread far), or nobody (even streaming pads too much)."""
        grid = self.grid_cells
        if grid <= SMALL_GRID_CELLS:
            return "calamine"
        if grid <= MAX_GRID_CELLS and self.cells * DENSE_ENOUGH >= grid:
            return "calamine"
        return "stream" if self.padded_cells <= MAX_STREAMED_CELLS else "refuse"

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
        scan = _scan(zf, part, quick=True)
        if scan.reader != "calamine" and scan.bounded:
            # the first pieces only gave bounds (rows <= 99,999): read every address
            scan = _scan(zf, part, quick=False)
        if scan.reader == "refuse":
            # padded_cells was a bound (cells x last column): count it row by row
            scan = _scan(zf, part, quick=False, precise=True)
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


def _scan(zf: zipfile.ZipFile, part: str, *, quick: bool, precise: bool = False) -> SheetScan:
    """Formula or not, and the sheet's extent. With `quick`, pieces before the first
    possibly far address only count addresses (they are within 26 x 99,999); `precise`
    reads every address one by one, row by row (for padded_cells)."""
    formula = _FormulaFinder()
    declared = None
    far = not quick
    bounded = False
    rows, columns = 0, 0 if precise else _NARROW_COLUMNS
    cells = row_elements = padded = row_end = 0  # padded, row_end: when one by one
    for piece in _pieces(zf, part):
        if declared is None:
            declared = _declared(piece)
        formula.feed(piece)
        far = far or bool(_MAYBE_FAR.search(piece))
        if not far:  # every address here is within 26 x 99,999
            found = piece.count(b' r="')
            cells += found
            row_elements += found  # a bound, for padded_cells; no row has fewer than one
            rows, bounded = max(rows, _SHORT_ROWS), True
            continue
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
        found = piece.count(b' r="')
        cells += found
        row_elements += found
        wide = set(_PLAIN_WIDE.findall(piece))
        if wide:
            columns = max(columns, max(column_number(x[:8]) for x in wide))
        # Row numbers: those of the <row> elements (one per row, not per cell), then one
        # search for any cell naming a higher row (a file built to mislead); only then all.
        rows = max(rows, _highest(_PLAIN_ROW_ELEMENT.findall(piece)))
        if _cell_row_above(rows).search(piece):
            rows = max(rows, _highest(_PLAIN_ROW_NUMBER.findall(piece)))
    if precise:
        padded += row_end
    else:  # a bound: every row as wide as the widest (exact only when counted one by one)
        padded = max(row_elements, 1) * columns
    return SheetScan(formula.found, rows, columns, cells, padded, declared or "", bounded)


def _highest(numbers: list[bytes]) -> int:
    distinct = set(numbers)
    if not distinct:
        return 0
    longest = max(map(len, distinct))
    return max(int(x[:12]) for x in distinct if len(x) == longest)


_ABOVE: dict[int, re.Pattern[bytes]] = {}


def _cell_row_above(number: int) -> re.Pattern[bytes]:
    """A regex for a plain cell address whose row is above `number` (leading zeros too):
    more digits, or as many with a higher digit at the first place they differ."""
    pattern = _ABOVE.get(number)
    if pattern is None:
        text = str(number)
        higher = [f"[1-9][0-9]{{{len(text)},}}"]
        for i, digit in enumerate(text):
            if digit != "9":
                rest = len(text) - i - 1
                higher.append(f"{text[:i]}[{int(digit) + 1}-9][0-9]{{{rest}}}")
        alternatives = "|".join(higher)
        pattern = re.compile(f' r="[A-Za-z]+0*(?:{alternatives})"'.encode())
        if len(_ABOVE) > 64:
            _ABOVE.clear()
        _ABOVE[number] = pattern
    return pattern


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
