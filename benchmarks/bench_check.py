"""`herald check` speed: 10,000 rows and a ~3 KB HTML template, load + pre-flight, in-process.

Target (issue 2): under 5 s on the 2-core test machine. Baselines from the same run put the
figure in context: a bare Jinja2 render of every row (the floor for any templating), and a
stdlib `EmailMessage` built and serialised per row (what a simple mail-merge tool does).

    /work/venv/bin/python benchmarks/bench_check.py [--rows N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.policy
import os
import tempfile
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment
from openpyxl import Workbook
from rich.console import Console
from rich.table import Table

from app.core.campaign import CampaignConfig, load_campaign
from app.core.model import ColumnMapping
from app.core.preflight import run_preflight
from app.core.templates.filters import FILTERS

STDLIB_SAMPLE = 1_000
HEADERS = ("Email", "姓名", "Company", "City", "Joined", "Order", "Amount", "Plan", "Note", "Rep")
SUBJECT = "{{ 姓名 }}，您的订单 #{{ Order }} / Your order #{{ Order }}"
# A realistic newsletter: mostly fixed markup, a dozen fields (every column used at least once).
STATIC = (
    "<tr><td style='padding:8px 24px;font-size:14px;color:#444;line-height:1.6'>"
    "We have refreshed our catalogue with new seasonal items, extended opening hours at every "
    "branch, and faster delivery for orders placed before noon. 新品上市，欢迎选购。</td></tr>\n"
)
FIELDS = (
    "<tr><td style='padding:16px 24px'><h1 style='font-size:20px'>{{ 姓名 }}，您好！</h1>"
    "<p>Thank you for choosing us for {{ Company }} in {{ City }}. Your plan "
    "<strong>{{ Plan }}</strong> has been active since {{ Joined|date }}.</p>"
    "<p>Order #{{ Order }} comes to {{ Amount|money('¥') }}; {{ Rep }} is your contact.</p>"
    "<p style='color:#777'>{{ Note }} · order {{ Order }} · {{ 姓名 }}</p></td></tr>\n"
)
# The worst case: every sentence full of fields (about 100 substitutions in 3 KB).
DENSE = (
    "<p>Thank you, {{ 姓名 }}, for choosing us for {{ Company }} in {{ City }}. Your plan "
    "<strong>{{ Plan }}</strong> has been active since {{ Joined|date }}; order #{{ Order }} "
    "comes to {{ Amount|money('¥') }}. {{ Rep }} is your contact. 感谢您的支持！</p>\n"
)


def make_template(*, dense: bool = False) -> str:
    head = "<!doctype html><html><body style='font-family:sans-serif'><table width='600'>\n"
    body = head + ("" if dense else FIELDS)
    while len(body.encode()) < 3000:
        body += DENSE if dense else STATIC
    return body + "</table></body></html>\n"


def make_workbook(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(HEADERS)
    start = dt.date(2018, 1, 1)
    for i in range(rows):
        name = f"张{i}" if i % 2 else f"Alex {i}"
        sheet.append(
            (
                f"user{i}@example.{('com', 'org', 'net')[i % 3]}",
                name,
                f"Company {i % 97}",
                ("上海", "London", "深圳", "Berlin")[i % 4],
                start + dt.timedelta(days=i % 2000),
                100000 + i,
                round(i * 1.37, 2),
                ("Basic", "Pro", "Team")[i % 3],
                f"Note for row {i + 2}",
                ("王芳", "Sam Lee")[i % 2],
            )
        )
    book.save(path)


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def baseline_env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(FILTERS)  # the same `date` and `money` filters the template uses
    return env


def jinja_only(config: CampaignConfig, rows: list[dict[str, object]]) -> None:
    env = baseline_env()
    assert config.body is not None
    body = env.from_string(config.body.read_text(encoding="utf-8"))
    subject = env.from_string(SUBJECT)
    for fields in rows:
        subject.render(fields)
        body.render(fields)


def stdlib_messages(config: CampaignConfig, rows: list[dict[str, object]]) -> None:
    env = baseline_env()
    assert config.body is not None
    body = env.from_string(config.body.read_text(encoding="utf-8"))
    subject = env.from_string(SUBJECT)
    for fields in rows:
        message = EmailMessage(policy=email.policy.SMTP)
        message["From"] = "Shop <shop@example.com>"
        message["To"] = f"{fields['姓名']} <{fields['Email']}>"
        message["Subject"] = subject.render(fields)
        html = body.render(fields)
        message.set_content("text version")
        message.add_alternative(html, subtype="html")
        message.as_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--dense", action="store_true", help="a template with ~100 fields instead of ~12"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_workbook(root / "people.xlsx", args.rows)
        (root / "body.html").write_text(make_template(dense=args.dense), encoding="utf-8")
        config = CampaignConfig(
            recipients=root / "people.xlsx",
            columns=ColumnMapping(email="Email", name="姓名"),
            subject=SUBJECT,
            body=root / "body.html",
            sender="Herald 测试 <shop@example.com>",
        )
        load_s, campaign = timed(lambda: load_campaign(config))
        check_s, report = timed(lambda: run_preflight(campaign))  # type: ignore[arg-type]
        assert report.sendable == args.rows, report.problems[:3]  # type: ignore[attr-defined]
        rows = [dict(r.fields) for r in campaign.recipients]  # type: ignore[attr-defined]
        jinja_s, _ = timed(lambda: jinja_only(config, rows))
        # The stdlib baseline is slow (about 1 ms a message); time a sample and scale it.
        sample = rows[:STDLIB_SAMPLE]
        stdlib_s, _ = timed(lambda: stdlib_messages(config, sample))
        stdlib_s *= len(rows) / len(sample)

    template = make_template(dense=args.dense)
    fields = template.count("{{")
    table = Table(
        title=f"herald check: {args.rows:,} rows, {len(template.encode()) / 1024:.1f} KB HTML "
        f"template with {fields} fields"
    )
    for column in ("step", "seconds", "rows/s"):
        table.add_column(column, justify="right" if column != "step" else "left")
    total = load_s + check_s
    for step, seconds in (
        ("load (read, map, validate, compile)", load_s),
        ("pre-flight (render + compose all)", check_s),
        ("herald check total", total),
        ("baseline: Jinja2 render only", jinja_s),
        (f"baseline: stdlib EmailMessage per row (first {STDLIB_SAMPLE:,}, scaled)", stdlib_s),
    ):
        table.add_row(step, f"{seconds:.2f}", f"{args.rows / seconds:,.0f}")
    Console().print(table)
    verdict = "PASS" if total < 5 else "FAIL"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"target: check under 5 s -> {total:.2f} s {verdict} (load average {load})")


if __name__ == "__main__":
    main()
