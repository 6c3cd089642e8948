"""Fuzz `herald check` with mutants of real workbooks: only exit 0, 1 or 2, never a traceback.

The seeds are written by openpyxl (plain, formulas without cached values, dates, several
sheets with a hidden one, Chinese headers, a stray far cell); each mutant is one seed with
one or two mutations from zip_surgery.py (byte flips, truncation, member shuffles and
deletions, compression changes, damaged XML, far cell addresses, CRC/deflate/header/name
faults). Mutant `i` of seed `s` is the same on every run (its own Random), so a failure can
be replayed alone.

Used by tests/core/recipients/test_fuzz_workbooks.py (a few hundred, in the suite) and by
benchmarks/fuzz_workbooks.py (a longer run, each batch in a child process so that even an
abort inside a reader would be counted rather than end the run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from tests.support.zip_surgery import mutate

_BODY = "<p>{{ Name }}: order {{ Order }}</p>\n"


def seed_workbooks() -> list[bytes]:
    """The real workbooks every mutant starts from."""
    seeds = []

    def save(book: openpyxl.Workbook) -> None:
        buffer = io.BytesIO()
        book.save(buffer)
        seeds.append(buffer.getvalue())

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Email", "Name", "Order"])
    for i in range(30):
        sheet.append([f"p{i}@example.org", f"Person {i}", 1000 + i])
    save(book)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Email", "Name", "Order", "Joined"])
    for i in range(12):
        sheet.append(
            [f"q{i}@example.com", f"名字 {i}", f"=A{i + 2}&B{i + 2}", dt.date(2024, 1, i + 1)]
        )
    hidden = book.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden.append(["Email", "Name", "Order"])
    hidden.append(["h@example.net", "H", 1])
    save(book)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Email", "Name", "Order", "备注"])
    for i in range(8):
        sheet.append([f"r{i}@example.net", f"R {i}", i * 1.5, "x" * i])
    sheet["AZ200"] = "far"
    save(book)
    return seeds


@dataclass
class FuzzResult:
    exits: Counter[int] = field(default_factory=Counter)
    by_mutation: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[int, str, str]] = field(default_factory=list)  # index, mutation, why

    @property
    def mutants(self) -> int:
        return sum(self.exits.values())


def write_campaign(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "body.html").write_text(_BODY, encoding="utf-8")
    campaign = folder / "campaign.toml"
    campaign.write_text(
        '[recipients]\nfile = "people.xlsx"\n[message]\nsubject = "Hi {{ Name }}"\n'
        'body = "body.html"\nfrom = "Shop <shop@example.com>"\n',
        encoding="utf-8",
    )
    return campaign


def mutant(seeds: list[bytes], seed: int, index: int) -> tuple[str, bytes]:
    rng = random.Random(f"{seed}-{index}")
    return mutate(rng.choice(seeds), rng)


def check_one(campaign: Path, data: bytes) -> tuple[int | None, str]:
    """Run `herald check` in this process on `data` as the workbook: (exit code, problem).

    The problem is "" when the run was fine: an exit code 0/1/2 and no traceback printed."""
    from app.cli import run

    (campaign.parent / "people.xlsx").write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(["check", str(campaign)])
    except BaseException:  # the point of the fuzzer: anything escaping is a failure
        return None, traceback.format_exc()
    printed = out.getvalue() + err.getvalue()
    if code not in (0, 1, 2):
        return code, f"exit {code}: {printed[-2000:]}"
    if "Traceback (most recent call last)" in printed:
        return code, printed[-4000:]
    return code, ""


def fuzz(folder: Path, *, seed: int, start: int, count: int) -> FuzzResult:
    seeds = seed_workbooks()
    campaign = write_campaign(folder)
    result = FuzzResult()
    for index in range(start, start + count):
        name, data = mutant(seeds, seed, index)
        code, problem = check_one(campaign, data)
        result.exits[code if code is not None else -1] += 1
        result.by_mutation[name.split("+")[0]] += 1
        if problem:
            result.failures.append((index, name, problem))
    return result
