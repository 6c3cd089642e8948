"""Linux-only trimming for packaging/herald.spec (imported by the spec, not by Herald).

`drop_unlinked_libraries`: PyInstaller collects the shared-library dependencies of every Qt
plugin before the spec can leave plugins out, so the GTK theme's gio, cairo's pixman, krb5 and
friends stay behind after the plugin is gone. Keep a top-level library only when a kept binary
still links to it (directly or through another kept library).
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
from pathlib import Path

ROOT_PREFIXES = ("libpython",)


def _needed(path: str) -> set[str]:
    """Every soname `path` loads, directly or through other libraries (ldd, as PyInstaller
    itself uses), so a library needed only by a system library is kept too."""
    output = subprocess.run(["ldd", path], capture_output=True, text=True, check=False).stdout
    return {line.split()[0] for line in output.splitlines() if "=>" in line}


def _is_plain_library(dest: str) -> bool:
    """A library PyInstaller put at the top of _internal/ only because something needs it."""
    base = os.path.basename(dest)
    if "/" in dest.replace("\\", "/") or ".so" not in base or base.startswith(ROOT_PREFIXES):
        return False
    return "cpython-" not in base and ".abi3." not in base  # extension modules are imported


def drop_unlinked_libraries(binaries: list) -> list:
    try:
        needed_by = {dest: _needed(src) for dest, src, _kind in binaries}
    except FileNotFoundError:
        print("linux_trim: no ldd; keeping every collected library")
        return binaries
    by_name = {os.path.basename(dest): dest for dest, _src, _kind in binaries}
    wanted = {dest for dest, _src, _kind in binaries if not _is_plain_library(dest)}
    queue = list(wanted)
    while queue:
        for name in needed_by.get(queue.pop(), ()):
            dest = by_name.get(name)
            if dest is not None and dest not in wanted:
                wanted.add(dest)
                queue.append(dest)
    dropped = sorted(dest for dest, _src, _kind in binaries if dest not in wanted)
    if dropped:
        print(f"linux_trim: {len(dropped)} libraries nothing kept links to: {', '.join(dropped)}")
    return [entry for entry in binaries if entry[0] in wanted]


# ------------------------------------------------------------------------------ ICU data
#
# Qt's Linux build links ICU, whose data library (libicudata.so.73) is 32 MB: every locale's
# names, currencies, units, break-iterator dictionaries and transliterators. Qt Core calls ICU
# only for converters (QStringConverter's non-UTF codecs), collation (QCollator, e.g. the file
# dialog's sorting), time-zone display names and case mapping (data built into libicuuc). So
# keep every converter, the collation and time-zone data and the supplemental tables, keep
# locale data only for the languages Herald ships (root, English, Chinese), and drop the rest.
# The trimmed data goes into a copy of the same library: same soname, same symbol, no compiler.

KEEP_LANGUAGES = ("en", "zh")
# Trees and files no Qt call reads: break iterators, transliterators, number spell-out, the
# display names of languages, regions, currencies and units (Qt has its own CLDR tables),
# character names, StringPrep profiles, confusables.
DROP_TREES = ("brkitr", "translit", "rbnf", "lang", "region", "curr", "unit")
DROP_SUFFIXES = (".spp", ".cfu")
DROP_FILES = ("unames.icu",)
_LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")
PAGE = 0x1000


def _keep_icu_item(name: str) -> bool:
    """`name` is like icudt73l/coll/zh.res or icudt73l/gb18030.cnv."""
    parts = name.split("/")[1:]
    if len(parts) > 1 and parts[0] in DROP_TREES:
        return False
    if parts[-1].endswith(DROP_SUFFIXES) or parts[-1] in DROP_FILES:
        return False
    stem, _, ext = parts[-1].rpartition(".")
    if ext != "res" or stem == "res_index" or not _LOCALE.fullmatch(stem):
        return True  # converters, normalisation, collation base, supplemental data, pools
    return stem.split("_", 1)[0] in KEEP_LANGUAGES


def trim_icu_common_data(blob: bytes) -> bytes:
    """A smaller ICU common data package ("CmnD") with only the items `_keep_icu_item` keeps."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_at, data_at) in enumerate(entries):
        name = toc[name_at : toc.index(b"\0", name_at)]
        end = entries[index + 1][1] if index + 1 < count else len(toc)
        if _keep_icu_item(name.decode("ascii")):
            items.append((name, toc[data_at:end]))  # names stay sorted: ICU binary-searches
    names_at = 4 + 8 * len(items)
    names = b""
    name_offsets = []
    for name, _data in items:
        name_offsets.append(names_at + len(names))
        names += name + b"\0"
    data_at = _align(names_at + len(names), 16)
    table = struct.pack("<I", len(items))
    body = b""
    for (_name, data), name_offset in zip(items, name_offsets, strict=True):
        table += struct.pack("<II", name_offset, data_at + len(body))
        body += data + b"\0" * (_align(len(data), 16) - len(data))
    head = table + names
    return blob[:header_size] + head + b"\0" * (data_at - len(head)) + body


def _align(value: int, to: int) -> int:
    return (value + to - 1) // to * to


def trim_icu_library(source: str, target: str) -> tuple[int, int]:
    """Write `target`: `source` (libicudata) with its data trimmed. Returns (old, new) sizes.

    The data is one symbol (icudt73_dat) filling .rodata; the sections after it (.dynamic,
    section names, section headers) move down by whole pages so offsets stay congruent with
    their unchanged virtual addresses, as the loader requires.
    """
    data = bytearray(Path(source).read_bytes())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{source}: not a 64-bit little-endian ELF file")
    e_phoff, e_shoff = struct.unpack_from("<QQ", data, 0x20)
    e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    dynsym = next(s for s in sections if s[1] == 11)  # SHT_DYNSYM
    dynstr = sections[dynsym[6]]
    symbol_at = None
    for offset in range(dynsym[4], dynsym[4] + dynsym[5], 24):
        st_name, _info, _other, st_shndx, st_value, _size = struct.unpack_from("<IBBHQQ", data, offset)
        name = data[dynstr[4] + st_name : data.index(b"\0", dynstr[4] + st_name)]
        if name.startswith(b"icudt") and name.endswith(b"_dat"):
            symbol_at, section_index = offset, st_shndx
    if symbol_at is None:
        raise ValueError(f"{source}: no icudt*_dat symbol")
    rodata = sections[section_index]
    start, old_size = rodata[4], rodata[5]
    _name, _type, _flags, address = rodata[:4]
    st_value = struct.unpack_from("<Q", data, symbol_at + 8)[0]
    if st_value != address:
        raise ValueError(f"{source}: the data does not start its section")
    blob = trim_icu_common_data(bytes(data[start : start + old_size]))
    new_size = _align(len(blob), 16)
    old_end, new_end = start + old_size, start + new_size
    shift = (old_end - new_end) // PAGE * PAGE
    out = data[:start] + blob + b"\0" * (old_end - shift - start - len(blob)) + data[old_end:]
    struct.pack_into("<Q", out, symbol_at + 16, len(blob))  # st_size
    new_shoff = e_shoff - shift if e_shoff >= old_end else e_shoff
    for i, section in enumerate(sections):
        at = new_shoff + i * e_shentsize
        if i == section_index:
            struct.pack_into("<Q", out, at + 32, new_size)  # sh_size
        elif section[4] >= old_end:
            struct.pack_into("<Q", out, at + 24, section[4] - shift)  # sh_offset
    for i in range(e_phnum):
        at = e_phoff + i * e_phentsize
        p_offset, _vaddr, _paddr, p_filesz, p_memsz = struct.unpack_from("<QQQQQ", data, at + 8)
        if p_offset >= old_end:
            struct.pack_into("<Q", out, at + 8, p_offset - shift)
        elif p_offset <= start < p_offset + p_filesz:
            if p_offset + p_filesz != old_end or p_memsz != p_filesz:
                raise ValueError(f"{source}: unexpected segment layout around the data")
            struct.pack_into("<QQ", out, at + 32, p_filesz - (old_end - new_end), p_memsz - (old_end - new_end))
    struct.pack_into("<Q", out, 0x28, new_shoff)
    Path(target).write_bytes(bytes(out))
    return len(data), len(out)


def trim_icu(binaries: list, workdir: str) -> list:
    """Replace libicudata.so.* in `binaries` by a trimmed copy in `workdir` (kept if it fails)."""
    result = []
    for dest, source, kind in binaries:
        if os.path.basename(dest).startswith("libicudata.so"):
            target = os.path.join(workdir, "icu-trimmed", os.path.basename(dest))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                old, new = trim_icu_library(source, target)
            except (ValueError, OSError, struct.error, StopIteration) as error:
                print(f"linux_trim: keeping the full ICU data ({error})")
            else:
                print(f"linux_trim: ICU data {old / 1e6:.1f} MB -> {new / 1e6:.1f} MB")
                source = target
        result.append((dest, source, kind))
    return result
