"""Read an .xlsx archive's structure ourselves: sheet names, visibility, parts, formula cells.

We need this besides calamine because (1) visibility and the part behind each sheet come
straight from workbook.xml, and (2) neither calamine nor openpyxl (data_only) can tell a
formula with no cached value from an empty cell; only the sheet XML can. Every parse goes
through defusedxml, after safety.py has checked the archive.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from app.core.recipients.safety import refusal

_MAX_SMALL_PART = 64 * 1024 * 1024  # workbook.xml and its rels; real ones are a few KB
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)")


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    part: str  # e.g. "xl/worksheets/sheet1.xml"
    visible: bool
    worksheet: bool  # False for chart sheets, dialog sheets and the like


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_small(zf: zipfile.ZipFile, name: str, path: Path) -> Element:
    info = zf.getinfo(name)
    if info.file_size > _MAX_SMALL_PART:
        raise refusal(path, f"part {name} is implausibly large; refused.")
    try:
        root: Element = SafeET.fromstring(zf.read(name))
    except Exception as exc:  # defusedxml raises several unrelated types
        raise refusal(
            path,
            f"is damaged ({name} cannot be parsed: {exc}). "
            "Open it in Excel or WPS and save it again.",
        ) from exc
    return root


def sheet_infos(zf: zipfile.ZipFile, path: Path) -> tuple[SheetInfo, ...]:
    """Every sheet in workbook order, with its part name and visibility."""
    workbook = _parse_small(zf, "xl/workbook.xml", path)
    targets: dict[str, tuple[str, str]] = {}
    if "xl/_rels/workbook.xml.rels" in zf.namelist():
        for rel in _parse_small(zf, "xl/_rels/workbook.xml.rels", path):
            target = rel.get("Target", "")
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            targets[rel.get("Id", "")] = (part, rel.get("Type", ""))
    sheets = []
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        part, rel_type = targets.get(rid, ("", ""))
        sheets.append(
            SheetInfo(
                name=element.get("name", ""),
                part=part,
                visible=element.get("state", "visible") == "visible",
                worksheet=rel_type.endswith("/worksheet") and part in zf.namelist(),
            )
        )
    return tuple(sheets)


def formulas_without_value(zf: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """(row number, column index) -> formula text for formula cells with no cached value.

    Parses the sheet, streaming, with defusedxml: call it only for sheets that have a
    formula (sheet_scan.py finds out; most mailing lists have none).
    """
    found: dict[tuple[int, int], str] = {}
    row_number, col = 0, -1
    with zf.open(part) as stream:
        for event, element in SafeET.iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    r = element.get("r")
                    row_number = int(r) if r else row_number + 1
                    col = -1
                continue
            if tag == "c":
                ref = _CELL_REF.fullmatch(element.get("r") or "")
                col = _column_index(ref.group(1)) if ref else col + 1
                formula = value = None
                for child in element:
                    name = _local(child.tag)
                    if name == "f":
                        formula = child
                    elif name == "v":
                        value = child
                if formula is not None and not _has_cached(value, element.get("t")):
                    text = formula.text or "(shared formula)"
                    found[(row_number, col)] = text
                element.clear()
            elif tag == "row":
                element.clear()
    return found


def _has_cached(value: Element | None, cell_type: str | None) -> bool:
    if value is None:
        return False
    # A formula that yields "" is saved as t="str" with an empty <v/>: that is a value.
    return bool(value.text) or cell_type in ("str", "inlineStr")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1
