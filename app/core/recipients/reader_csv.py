"""Read a CSV file into a Table: encoding and delimiter detected, row numbers = line numbers.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM, and whatever charset-normalizer
recognises otherwise (GBK/GB18030 as saved by Chinese Excel, cp1252 ...). Delimiter: the one
of `,` `;` TAB that occurs most in the header line. Values stay text (trimmed): a CSV has no
types, and "00123" must not lose its zeros.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from app.core.model import CellValue, Table
from app.core.recipients.assemble import build_table
from app.core.recipients.safety import refusal

MAX_CSV_BYTES = 1024 * 1024 * 1024
_DELIMITERS = (",", ";", "\t")


def decode(path: Path, data: bytes) -> str:
    """The file's text; refuses files whose encoding cannot be told."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    chinese = _as_chinese_excel(data)
    if chinese is not None:
        return chinese
    guess = from_bytes(data).best()
    if guess is None:
        raise refusal(
            path,
            "is not text in any encoding Herald recognises. Save it from "
            "Excel or WPS as 'CSV UTF-8 (Comma delimited)' and try again.",
        )
    return str(guess)


def _as_chinese_excel(data: bytes) -> str | None:
    """GBK/GB18030 text as Chinese Excel and WPS save it, or None if it does not look so.

    Tried before charset-normalizer, which misreads short Chinese files (a header and a
    few names). Guard against Latin text (cp1252 "Müller" also decodes as GB18030): at least
    90% of the non-ASCII characters must be common ones, i.e. in GB2312.
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text[:200_000] if not ch.isascii()]  # a sample is enough
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return text if wide and common >= 0.9 * len(wide) else None


def sniff_delimiter(text: str) -> str:
    for line in io.StringIO(text):
        if line.strip():
            counts = {d: _count_outside_quotes(line, d) for d in _DELIMITERS}
            best = max(_DELIMITERS, key=lambda d: counts[d])  # ties: the earlier, i.e. ","
            return best if counts[best] else ","
    return ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def read_csv(path: Path, *, header_row: int | None = None, max_rows: int = 1_000_000) -> Table:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise refusal(
                path,
                f"is {size / 1e6:,.0f} MB, more than Herald reads "
                f"({MAX_CSV_BYTES / 1e6:,.0f} MB). Split it into smaller files.",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise refusal(
            path,
            f"cannot be read ({exc.strerror}). Close it in other programs "
            "or check its permissions, then try again.",
        ) from exc
    text = decode(path, data)
    del data
    return build_table(
        source=path,
        sheet=None,
        sheets=(),
        rows=_rows(path, text, sniff_delimiter(text)),
        header_row=header_row,
        max_rows=max_rows,
        spreadsheet=False,
    )


def _rows(path: Path, text: str, delimiter: str) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    # strict: an unclosed quote would otherwise swallow every following row without a word.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    next_line = 1
    try:
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            values = [field.strip() for field in record]
            while values and values[-1] == "":
                values.pop()
            yield start, tuple(values)
    except csv.Error as exc:
        raise refusal(
            path,
            f"line {next_line}: {exc}. Check the quotes on that line (a quote inside a "
            'cell must be doubled: ""), or save the file again from Excel or WPS as CSV UTF-8.',
        ) from exc
