"""Damage a real workbook's zip archive on purpose, byte by byte, the way files get damaged.

Each function takes the bytes of a workbook written by openpyxl and returns damaged bytes;
the structure offsets come from the zip specification (APPNOTE 4.3.7 local file header,
4.3.12 central directory header). Used by the damaged-workbook tests and by the fuzzer
(tests/core/recipients/test_fuzz_workbooks.py, benchmarks/fuzz_workbooks.py).
Addresses are moved with far_address, also a mutation for the fuzzer.
"""

from __future__ import annotations

import io
import math
import random
import re
import struct
import zipfile
from collections.abc import Callable

SHEET1 = "xl/worksheets/sheet1.xml"
_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


def _info(data: bytes, member: str) -> zipfile.ZipInfo:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.getinfo(member)


def _central_headers(data: bytes) -> dict[str, int]:
    """member name -> offset of its central directory header."""
    found = {}
    pos = data.find(_CENTRAL)
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        found[data[pos + 46 : pos + 46 + name_len].decode("utf-8", "replace")] = pos
        pos = data.find(_CENTRAL, pos + 46 + name_len)
    return found


def _data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    off = info.header_offset
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    return off + 30 + name_len + extra_len


def bad_crc(data: bytes, member: str = SHEET1) -> bytes:
    """The member's CRC-32, in both headers, no longer matches its data."""
    out = bytearray(data)
    info = _info(data, member)
    crc = struct.pack("<I", info.CRC ^ 0x5A5A5A5A)
    out[info.header_offset + 14 : info.header_offset + 18] = crc
    central = _central_headers(data)[member]
    out[central + 16 : central + 20] = crc
    return bytes(out)


def broken_deflate(data: bytes, member: str = SHEET1) -> bytes:
    """Bytes inside the member's deflate stream are overwritten (a bad sector, a bad copy)."""
    out = bytearray(data)
    start = _data_start(data, _info(data, member))
    for k in range(start + 2, start + 18):
        out[k] ^= 0xFF
    return bytes(out)


def local_name_mismatch(data: bytes, member: str = SHEET1) -> bytes:
    """The member's local header names another file than the central directory does."""
    out = bytearray(data)
    off = _info(data, member).header_offset
    out[off + 30 + member.rfind("/") + 1] ^= 0x20  # sheet1.xml -> Sheet1.xml
    return bytes(out)


def compression_method(data: bytes, method: int = 99, member: str = SHEET1) -> bytes:
    """The member claims a compression method (99: AES, 6: implode...) Herald cannot read."""
    out = bytearray(data)
    off = _info(data, member).header_offset
    struct.pack_into("<H", out, off + 8, method)
    struct.pack_into("<H", out, _central_headers(data)[member] + 10, method)
    return bytes(out)


def undecodable_name(data: bytes, member: str = SHEET1) -> bytes:
    """The member's name is flagged UTF-8 but is not valid UTF-8."""
    out = bytearray(data)
    central = _central_headers(data)[member]
    flags = struct.unpack_from("<H", out, central + 8)[0] | 0x800
    struct.pack_into("<H", out, central + 8, flags)
    out[central + 46 + 1] = 0xFF
    return bytes(out)


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    """Only the first part of the file arrived (an interrupted download or copy)."""
    return data[: int(len(data) * keep)]


# --- mutations for the fuzzer ---------------------------------------------------------------


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def _rezip(parts: list[tuple[zipfile.ZipInfo, bytes]], method: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for info, payload in parts:
            kind = info.compress_type if method is None else method
            zf.writestr(info.filename, payload, compress_type=kind)
    return buffer.getvalue()


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate_randomly(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def shuffle_members(data: bytes, rng: random.Random) -> bytes:
    parts = _members(data)
    rng.shuffle(parts)
    return _rezip(parts)


def delete_member(data: bytes, rng: random.Random) -> bytes:
    parts = _members(data)
    parts.pop(rng.randrange(len(parts)))
    return _rezip(parts)


def change_compression(data: bytes, rng: random.Random) -> bytes:
    method = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
    return _rezip(_members(data), method)


def damage_xml(data: bytes, rng: random.Random) -> bytes:
    """Flip or cut bytes inside one member's XML, then zip it again correctly: the archive
    is fine and the damage is in what the readers parse."""
    parts = _members(data)
    index = rng.randrange(len(parts))
    info, payload = parts[index]
    if payload:
        cut = bytearray(payload)
        if rng.random() < 0.5:
            cut = cut[: rng.randrange(len(cut))]
        else:
            for _ in range(rng.randint(1, 4)):
                cut[rng.randrange(len(cut))] = rng.choice(b'<>"&=/ r0A\x00\xff')
        parts[index] = (info, bytes(cut))
    return _rezip(parts)


def far_address(data: bytes, rng: random.Random) -> bytes:
    """One cell address (or the declared dimension) in a sheet moved far away, up to
    XFD1048576: what makes a reader that allocates the whole grid abort."""
    parts = _members(data)
    sheets = [i for i, (info, _) in enumerate(parts) if info.filename.startswith("xl/worksheets/")]
    if not sheets:
        return flip_bytes(data, rng)
    index = rng.choice(sheets)
    info, xml = parts[index]
    column = _column_letters(int(10 ** rng.uniform(0, math.log10(16384))))
    row = int(10 ** rng.uniform(0, math.log10(1_048_576)))
    far = f"{column}{row}".encode()
    refs = list(re.finditer(rb' r="([A-Z]+[0-9]+)"', xml))
    if refs and rng.random() < 0.8:
        ref = rng.choice(refs)
        xml = xml[: ref.start(1)] + far + xml[ref.end(1) :]
    else:
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:' + far + b'"', xml)
    parts[index] = (info, xml)
    return _rezip(parts)


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def fault_of_a_member(data: bytes, rng: random.Random) -> bytes:
    member = rng.choice([info.filename for info, _ in _members(data)])
    fault: Callable[[bytes, str], bytes] = rng.choice(
        [bad_crc, broken_deflate, local_name_mismatch, undecodable_name]
    )
    try:
        return fault(data, member)
    except (IndexError, struct.error):  # a member too short for that surgery
        return flip_bytes(data, rng)


MUTATIONS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    flip_bytes,
    truncate_randomly,
    shuffle_members,
    delete_member,
    change_compression,
    damage_xml,
    far_address,
    fault_of_a_member,
)


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One random mutation (sometimes two stacked); returns its name and the bytes."""
    first = rng.choice(MUTATIONS)
    out = first(data, rng)
    name = first.__name__
    if rng.random() < 0.2:
        try:
            second = rng.choice(MUTATIONS)
            out = second(out, rng)
            name += "+" + second.__name__
        except Exception:  # the first mutation left no archive to re-zip
            pass
    return name, out
