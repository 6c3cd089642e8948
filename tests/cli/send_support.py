"""A small real campaign (xlsx written by openpyxl, a text template) for the send CLI tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def reader(i: int) -> str:
    return f"reader{i}@example.org"


def write_campaign(folder: Path, rows: int, bad: tuple[int, ...] = ()) -> list[str]:
    """recipients.xlsx with `rows` readers (indexes in `bad` get an invalid address) and
    body.txt; returns the options that point `herald send` at them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "name"])
    for i in range(rows):
        sheet.append(["not-an-address" if i in bad else reader(i), f"Reader {i}"])
    book.save(folder / "recipients.xlsx")
    (folder / "body.txt").write_text("Hello {{ name }},\nyour order has shipped.\n", "utf-8")
    return [
        "--recipients",
        str(folder / "recipients.xlsx"),
        "--subject",
        "Order for {{ name }}",
        "--body",
        str(folder / "body.txt"),
        "--from",
        "Shop <shop@example.com>",
    ]


def server_options(port: int) -> list[str]:
    return ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--security", "none"]


def write_campaign_file(folder: Path, rows: int, send: str) -> Path:
    """campaign.toml over write_campaign's files, with `send` as the body of its [send] table."""
    write_campaign(folder, rows)
    path = folder / "campaign.toml"
    path.write_text(
        'version = 1\n\n[recipients]\nfile = "recipients.xlsx"\n\n'
        '[message]\nfrom = "Shop <shop@example.com>"\nsubject = "Order for {{ name }}"\n'
        f'body = "body.txt"\n\n[send]\n{send}\n',
        "utf-8",
    )
    return path
