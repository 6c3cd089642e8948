"""Hostile or wrong files get a clear refusal (InputError), never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from app.core.model import InputError, ProblemKind
from app.core.recipients import list_sheets, read_table
from app.core.recipients.reader_xlsx import read_xlsx
from tests.core.recipients.conftest import SHEET1, WriteXlsx, rewrite_part

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refusal(path: Path, **kwargs: object) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.problem.kind is ProblemKind.UNREADABLE_FILE
    return str(caught.value)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert "not found" in _refusal(tmp_path / "nowhere.xlsx")


def test_renamed_pdf_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    message = _refusal(path)
    assert "not a workbook" in message and "PDF" in message


def test_renamed_text_file_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_text("Email,Name\na@example.com,A\n", encoding="utf-8")
    assert "rename it to .csv" in _refusal(path)


def test_other_zip_archive_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word" in _refusal(path)


def test_password_protected_workbook_is_refused_with_advice(
    tmp_path: Path, write_xlsx: WriteXlsx
) -> None:
    # A real encrypted workbook, as Excel makes it: an OLE compound file holding the
    # EncryptionInfo and EncryptedPackage streams (written here by msoffcrypto-tool).
    plain = write_xlsx([["Email"], ["a@example.com"]])
    path = tmp_path / "secret.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("Herald-test-password", target)
    assert path.read_bytes().startswith(OLE_MAGIC)

    message = _refusal(path)

    assert "password-protected" in message and "remove the password" in message


def test_password_protected_workbook_is_recognised_by_its_directory_past_4_mb(
    tmp_path: Path,
) -> None:
    # The compound file header says where the directory starts; it need not be near the front.
    header = bytearray(OLE_MAGIC + b"\x00" * 504)
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    first_directory_sector = 10_000  # at byte (10_000 + 1) * 512, about 5 MB in
    header[0x30:0x34] = first_directory_sector.to_bytes(4, "little")
    path = tmp_path / "secret.xlsx"
    with path.open("wb") as f:
        f.write(header)
        f.seek((first_directory_sector + 1) * 512)
        f.write("Root Entry".encode("utf-16-le").ljust(128, b"\x00"))
        f.write("EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00"))
    assert "password-protected" in _refusal(path)


def test_legacy_xls_refusal_says_how_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 64)
    message = _refusal(path)
    assert ".xls" in message and "Save As" in message and "CSV UTF-8" in message


def test_zip_bomb_is_refused_before_parsing(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email"], ["a@example.com"]])
    # 64 MB of one repeated row compresses about 1000:1; the declared size gives it away.
    bomb_row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    body = bomb_row * (64 * 1024 * 1024 // len(bomb_row))
    rewrite_part(
        path,
        SHEET1,
        lambda xml: xml.replace(b"</sheetData>", body + b"</sheetData>"),
    )
    opened: list[str] = []  # every member Python inflates passes through ZipFile.open
    real_open = zipfile.ZipFile.open

    def recording_open(self: zipfile.ZipFile, name: object, *args: object, **kw: object) -> object:
        opened.append(getattr(name, "filename", name))  # type: ignore[arg-type]
        return real_open(self, name, *args, **kw)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "open", recording_open)
        patch.setattr(
            "app.core.recipients.reader_xlsx._calamine_rows",
            lambda *a: pytest.fail("the parser ran"),
        )
        message = _refusal(path)
    assert "zip bomb" in message
    assert SHEET1 not in opened  # refused from the directory: the bomb was never inflated


def test_workbook_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(10_001):
            zf.writestr(f"xl/media/{i}.bin", b"")
    assert "parts" in _refusal(path)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def _laughing_sheet(xml: bytes) -> bytes:
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    body = body.replace(b"<t>a@example.com</t>", b"<t>&lol9;</t>")
    return BILLION_LAUGHS + body


def test_billion_laughs_is_refused(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email"], ["a@example.com"]])
    rewrite_part(path, SHEET1, _laughing_sheet)
    assert b"&lol9;" in zipfile.ZipFile(path).read(SHEET1)  # the attack is really in the file
    assert "billion laughs" in _refusal(path)


def test_billion_laughs_in_shared_strings_is_refused(write_xlsx: WriteXlsx) -> None:
    # openpyxl writes inline strings, so move the text into a real sharedStrings.xml part.
    path = write_xlsx([["Email"], ["a@example.com"]])
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rewrite_part(
        path,
        SHEET1,
        lambda xml: xml.replace(
            b'<c r="A2" t="inlineStr"><is><t>a@example.com</t></is></c>',
            b'<c r="A2" t="s"><v>0</v></c>',
        ),
    )
    rewrite_part(
        path,
        "xl/sharedStrings.xml",
        lambda _: BILLION_LAUGHS + b'<sst xmlns="' + main + b'"><si><t>&lol9;</t></si></sst>',
    )
    rewrite_part(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdSS" Target="sharedStrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            b"</Relationships>",
        ),
    )
    rewrite_part(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    assert b'<c r="A2" t="s">' in zipfile.ZipFile(path).read(SHEET1)
    assert "billion laughs" in _refusal(path)


def test_reference_reader_also_refuses_billion_laughs(write_xlsx: WriteXlsx) -> None:
    # Our prolog check comes first; this pins that openpyxl (with defusedxml) refuses too.
    path = write_xlsx([["Email"], ["a@example.com"]])
    rewrite_part(path, SHEET1, _laughing_sheet)
    with pytest.raises(Exception, match=r"(?i)entit|forbidden|unable"):
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        list(wb.active.iter_rows(values_only=True))


def test_xlsm_is_read_as_data_and_macros_are_never_run(
    tmp_path: Path, write_xlsx: WriteXlsx
) -> None:
    path = write_xlsx([["Email"], ["a@example.com"]], name="macro.xlsm")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", OLE_MAGIC + b'Sub Auto_Open() Kill "*" End Sub')
    canary = tmp_path / "canary.txt"
    canary.write_text("untouched")
    table = read_xlsx(path)
    assert table.rows[0].values == ("a@example.com",)
    assert canary.read_text() == "untouched"


VBA_CANARY = b'HERALD-VBA-CANARY Sub Auto_Open() Kill "*" End Sub'


def _make_macro_enabled(path: Path) -> None:
    """Turn an openpyxl .xlsx into a real .xlsm: macro-enabled content type, a vbaProject.bin
    part related from the workbook, and that part's bytes damaged after writing (its CRC no
    longer matches), so any reader that so much as opens the macros fails loudly."""
    rewrite_part(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ).replace(
            b"<Default ",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            b"<Default ",
            1,
        ),
    )
    rewrite_part(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdVba" Target="vbaProject.bin" Type="http://schemas.'
            b'microsoft.com/office/2006/relationships/vbaProject"/></Relationships>',
        ),
    )
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/vbaProject.bin", OLE_MAGIC + VBA_CANARY)
    data = path.read_bytes()
    assert data.count(VBA_CANARY) == 1
    path.write_bytes(data.replace(VBA_CANARY, VBA_CANARY.replace(b"Kill", b"KILL")))


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_xlsm_with_a_vba_project_is_read_for_values_without_opening_the_macros(
    write_xlsx: WriteXlsx, engine: str
) -> None:
    path = write_xlsx([["Email", "Name"], ["a@example.com", "张三"]], name="macro.xlsm")
    _make_macro_enabled(path)
    with zipfile.ZipFile(path) as zf, pytest.raises(zipfile.BadZipFile):
        zf.read("xl/vbaProject.bin")  # the macros cannot be read without failing

    table = read_xlsx(path, engine=engine)  # type: ignore[arg-type]

    assert table.headers == ("Email", "Name")
    assert table.rows[0].values == ("a@example.com", "张三")
    assert read_table(path) == table


def test_not_a_workbook_refusal_says_what_the_file_is_and_what_to_choose(tmp_path: Path) -> None:
    path = tmp_path / "recipients.xlsx"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 32)
    message = _refusal(path)
    assert "not a workbook" in message and "gzip" in message
    assert "Choose a .xlsx workbook or a .csv file" in message


def test_a_binary_file_with_an_unknown_suffix_is_refused_as_not_a_workbook(
    tmp_path: Path,
) -> None:
    path = tmp_path / "recipients.dat"
    path.write_bytes(b"\x00\x01\x02" * 20)
    assert "not a workbook" in _refusal(path)


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    assert "PNG" in _refusal(path)
    doc = tmp_path / "notes.docx.txt.pdf"
    doc.write_text("hello")
    with pytest.raises(InputError):
        list_sheets(tmp_path / "nowhere.xlsx")


def test_damaged_sheet_xml_is_refused_not_a_traceback(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx([["Email", "Total"], ["a@example.com", "=1+1"]])
    rewrite_part(path, SHEET1, lambda xml: xml.replace(b"</sheetData>", b"<row><c></sheetData>"))
    assert "damaged" in _refusal(path)
