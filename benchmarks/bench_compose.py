"""Render + compose throughput: Herald's hand-assembled MIME vs a stdlib EmailMessage baseline.

Run: python benchmarks/bench_compose.py [rows]. Prints a table of messages per second for the
same rows and the same ~3 KB HTML template, and the time for 10,000 rows (budget: 5 s for
`herald check`, which also reads the workbook).
"""

from __future__ import annotations

import sys
import tempfile
import time
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from app.core.compose import MessageBuilder
from app.core.model import Address, MessageSettings, Recipient, Template
from app.core.templates import compile_template

PARAGRAPH = (
    "<p>We are writing to let you know about {{ Company }}'s account. Your plan renews on "
    "{{ joined|date('%d %B %Y') }}; nothing needs doing on your side. "
    "<a href='https://example.com/account'>Manage your account</a>.</p>\n"
)
BODY = (
    "<html><body><h1>Hello {{ Name }}</h1>\n"
    + PARAGRAPH * 12
    + "<table><tr><td>Name</td><td>{{ Name }}</td></tr>"
    "<tr><td>Company</td><td>{{ Company }}</td></tr></table></body></html>\n"
)
SUBJECT = "{{ Name }}, your {{ Company }} update"


def recipients(count: int) -> list[Recipient]:
    import datetime as dt

    names = ["张伟", "Alice Martin", "王芳", "Bob O'Neil", "李娜"]
    return [
        Recipient(
            row=i + 2,
            to=Address(f"user{i}@example.com", names[i % 5]),
            fields={
                "Name": names[i % 5],
                "Company": f"Company {i} & Co",
                "Email": f"user{i}@example.com",
                "joined": dt.datetime(2024, 3, 1),
            },
        )
        for i in range(count)
    ]


def herald(rows: list[Recipient], settings: MessageSettings) -> float:
    start = time.perf_counter()
    compiled = compile_template(settings.template, ["Name", "Company", "Email", "joined"])
    builder = MessageBuilder(settings)
    for r in rows:
        builder.build(r, compiled.render(r.fields, row=r.row))
    return time.perf_counter() - start


def stdlib(rows: list[Recipient], settings: MessageSettings) -> float:
    start = time.perf_counter()
    compiled = compile_template(settings.template, ["Name", "Company", "Email", "joined"])
    sender = settings.sender
    for r in rows:
        parts = compiled.render(r.fields, row=r.row)
        msg = EmailMessage(policy=SMTP)
        msg["From"] = formataddr((sender.display_name, sender.address))
        msg["To"] = formataddr((r.to.display_name, r.to.address))
        msg["Subject"] = parts.subject
        msg["Date"] = format_datetime(__import__("datetime").datetime.now().astimezone())
        msg["Message-ID"] = make_msgid(domain="example.com")
        msg.set_content(parts.text)
        msg.add_alternative(parts.html or "", subtype="html")
        msg.as_bytes()
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rows = recipients(count)
    template = Template(subject=SUBJECT, body=BODY)
    with tempfile.TemporaryDirectory() as tmp:
        attachment = Path(tmp) / "年度报告.pdf"
        attachment.write_bytes(b"%PDF-1.4\n" + b"x" * 100_000)
        plain = MessageSettings(
            sender=Address("news@example.com", "Herald 新闻"), template=template
        )
        attached = MessageSettings(
            sender=plain.sender, template=template, attachments=(attachment,)
        )
        print(f"{count} rows, HTML template of {len(BODY)} characters (seconds for all rows)\n")
        print(f"{'method':<48}{'seconds':>10}{'msgs/s':>10}")
        # The baseline is slow; time it on a sample and report its rate.
        sample = min(count, 2_000)
        baseline = stdlib(rows[:sample], plain) * count / sample
        results = [
            (f"stdlib EmailMessage (baseline, {sample} rows)", baseline),
            ("Herald MessageBuilder", herald(rows, plain)),
            ("Herald MessageBuilder + 100 KB attachment", herald(rows, attached)),
        ]
        for name, seconds in results:
            print(f"{name:<48}{seconds:>10.2f}{count / seconds:>10.0f}")


if __name__ == "__main__":
    main()
