"""Real campaign folders for tests: a workbook written by openpyxl, a template, a campaign file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from app.core.model import CellValue

HEADERS = ("Email", "姓名", "Company", "Joined", "Order")
ROWS: tuple[tuple[CellValue, ...], ...] = (
    ("zhang.wei@example.com", "张伟", "华星贸易", dt.date(2021, 3, 14), 1001),
    ("alice@example.org", "Alice Smith", "Smith & Co", dt.date(2020, 7, 2), 1002),
    ("li.na@example.net", "李娜", "青松科技", dt.date(2022, 1, 9), 1003),
)
TEMPLATE = """<p>{{ 姓名 }}，您好！</p>
<p>Order #{{ Order }} for {{ Company }} (since {{ Joined|date }}).</p>
"""
SUBJECT = "{{ 姓名 }}，订单 #{{ Order }}"
SENDER = "Herald 测试 <shop@example.com>"


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[CellValue | None]] = ROWS,
    headers: Sequence[str] = HEADERS,
    *,
    sheet: str = "Customers",
    leading_blank_rows: int = 0,
) -> Path:
    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet
    for _ in range(leading_blank_rows):
        worksheet.append([])
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append(list(row))
    book.save(path)
    return path


#: A CSV as Chinese Excel saves it, with a blank line 3: line 4 is an unsendable row.
CSV_LINES = (
    "Email,姓名,Company,Joined,Order",
    "a@example.com,张伟,华星,2021-03-14,1",
    "",
    "bad,李娜,青松,2022-01-09,2",
)


def write_csv(path: Path, lines: Sequence[str] = CSV_LINES, encoding: str = "gb18030") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def write_campaign(
    folder: Path,
    *,
    rows: Sequence[Sequence[CellValue | None]] = ROWS,
    headers: Sequence[str] = HEADERS,
    template: str = TEMPLATE,
    subject: str = SUBJECT,
    sender: str = SENDER,
    extra: str = "",
) -> Path:
    """A complete campaign folder; returns the campaign file. `extra` is appended TOML."""
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(folder / "people.xlsx", rows, headers)
    (folder / "body.html").write_text(template, encoding="utf-8")
    campaign = folder / "campaign.toml"
    campaign.write_text(
        "\n".join(
            [
                "[recipients]",
                'file = "people.xlsx"',
                "[message]",
                f"from = {_toml(sender)}",
                f"subject = {_toml(subject)}",
                'body = "body.html"',
                extra,
            ]
        ),
        encoding="utf-8",
    )
    return campaign


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
