"""The demo campaign: what `herald init`, the window's first run and the installer self-test use.

The template, README and attachment are package data (app/data/demo); the workbook is built
here so no binary file lives in git and its content is readable in review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from openpyxl import Workbook

from app.core.campaign import CampaignConfig, SendConfig, save_campaign
from app.core.model import ColumnMapping

CAMPAIGN_FILE = "campaign.toml"
WORKBOOK_FILE = "recipients.xlsx"
TEMPLATE_FILE = "template.html"
README_FILE = "README.md"
ATTACHMENT_FILE = "优惠券.txt"  # a Chinese filename on purpose: RFC 2231 names get exercised
DEMO_FILES = (CAMPAIGN_FILE, WORKBOOK_FILE, TEMPLATE_FILE, README_FILE, ATTACHMENT_FILE)

HEADERS = ("邮箱", "姓名", "Company", "Joined", "Order")
SUBJECT = "{{ 姓名 }}，您的订单 #{{ Order }} 已发货 / Your order #{{ Order }} has shipped"
SENDER = "Herald 演示商店 <shop@example.com>"


@dataclass(frozen=True, slots=True)
class _Person:
    email: str
    name: str
    company: str
    joined: dt.date
    order: int


PEOPLE = (
    _Person("zhang.wei@example.com", "张伟", "华星贸易", dt.date(2021, 3, 14), 100231),
    _Person(
        "alice.smith@example.org", "Alice Smith", "Smith & Daughters", dt.date(2020, 7, 2), 100232
    ),
    _Person("li.na@example.net", "李娜", "青松科技", dt.date(2022, 1, 9), 100233),
    _Person("bob.jones@example.com", "Bob Jones", "Jones Bakery", dt.date(2019, 11, 23), 100234),
    _Person("wang.fang@example.org", "王芳", "东方文具", dt.date(2023, 5, 30), 100235),
    _Person("carol.white@example.net", "Carol White", "White Studio", dt.date(2021, 8, 17), 100236),
    _Person("liu.yang@example.com", "刘洋", "远航物流", dt.date(2020, 2, 29), 100237),
    _Person(
        "david.brown@example.org", "David Brown", "Brown Hardware", dt.date(2018, 6, 5), 100238
    ),
    _Person("chen.jing@example.net", "陈静", "静心茶社", dt.date(2022, 9, 1), 100239),
    _Person(
        "emma.wilson@example.com", "Emma Wilson", "Wilson Florist", dt.date(2023, 2, 14), 100240
    ),
    _Person("yang.lei@example.org", "杨磊", "磊石建材", dt.date(2019, 4, 8), 100241),
    _Person(
        "frank.miller@example.net", "Frank Miller", "Miller Books", dt.date(2021, 12, 24), 100242
    ),
    _Person("zhao.min@example.com", "赵敏", "敏捷设计", dt.date(2020, 10, 10), 100243),
    _Person("grace.lee@example.org", "Grace Lee", "Lee & Co", dt.date(2022, 3, 3), 100244),
    _Person("huang.qiang@example.net", "黄强", "强盛机电", dt.date(2018, 12, 12), 100245),
    _Person(
        "henry.taylor@example.com", "Henry Taylor", "Taylor Tailoring", dt.date(2023, 7, 7), 100246
    ),
    _Person("zhou.xin@example.org", "周欣", "欣欣花店", dt.date(2021, 5, 20), 100247),
    _Person("isla.martin@example.net", "Isla Martin", "Martin Café", dt.date(2020, 1, 31), 100248),
    _Person("wu.hao@example.com", "吴昊", "昊天网络", dt.date(2022, 11, 11), 100249),
    _Person("jack.clark@example.org", "Jack Clark", "Clark Cycles", dt.date(2019, 8, 8), 100250),
)


def _write_workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(HEADERS)
    for person in PEOPLE:
        sheet.append((person.email, person.name, person.company, person.joined, person.order))
    for row in range(2, len(PEOPLE) + 2):
        sheet.cell(row=row, column=4).number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDE", (28, 14, 20, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)


def _data(name: str) -> bytes:
    return resources.files("app").joinpath("data", "demo", name).read_bytes()


def demo_config(folder: Path) -> CampaignConfig:
    """The demo campaign's settings for files in `folder`."""
    return CampaignConfig(
        recipients=folder / WORKBOOK_FILE,
        sheet="Customers",
        columns=ColumnMapping(email="邮箱", name="姓名"),
        subject=SUBJECT,
        body=folder / TEMPLATE_FILE,
        attachments=(folder / ATTACHMENT_FILE,),
        sender=SENDER,
        list_unsubscribe="unsubscribe@example.com",
        send=SendConfig(rates=("5/s", "500/day"), connections=1),
    )


def write_demo_campaign(folder: Path, *, force: bool = False) -> Path:
    """Write the demo campaign into `folder` (created if needed); return the campaign file.

    Refuses (FileExistsError naming the files) to overwrite anything unless `force`.
    """
    folder = folder.absolute()
    if not force:
        existing = [name for name in DEMO_FILES if (folder / name).exists()]
        if existing:
            raise FileExistsError(
                f"{folder} already has {', '.join(existing)}; choose an empty folder, or "
                "overwrite them with --force."
            )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TEMPLATE_FILE).write_bytes(_data("template.html"))
    (folder / README_FILE).write_bytes(_data("README.md"))
    (folder / ATTACHMENT_FILE).write_bytes(_data("coupon.txt"))
    _write_workbook(folder / WORKBOOK_FILE)
    campaign_file = folder / CAMPAIGN_FILE
    save_campaign(demo_config(folder), campaign_file)
    return campaign_file
