"""Which Cc/Bcc/Reply-To columns are in use, found or chosen, and what they add."""

from __future__ import annotations

from app.core.model import Address, ColumnMapping, Recipient, Role
from app.core.recipients.extra_columns import extra_columns


def person(row: int, *, bcc: int = 0, cc: int = 0, reply: bool = False) -> Recipient:
    return Recipient(
        row=row,
        to=Address(f"r{row}@example.org"),
        fields={},
        bcc=tuple(Address(f"b{row}.{i}@example.net") for i in range(bcc)),
        cc=tuple(Address(f"c{row}.{i}@example.net") for i in range(cc)),
        reply_to=Address("boss@example.com") if reply else None,
    )


MAPPING = ColumnMapping(email="Email", bcc="密送", cc="Cc", reply_to="Reply")


def test_found_columns_are_marked_found_and_counted_bcc_first() -> None:
    people = [person(2, bcc=2, cc=1), person(3), person(4, bcc=1, reply=True)]

    found = extra_columns(MAPPING, ColumnMapping(email="Email"), people)

    assert [(c.role, c.addresses, c.rows, c.found) for c in found] == [
        (Role.BCC, 3, 2, True),
        (Role.CC, 1, 1, True),
        (Role.REPLY_TO, 1, 1, True),
    ]
    assert found[0].describe().startswith("Bcc column '密送' adds 3 hidden recipients on 2 rows")


def test_a_chosen_column_is_still_listed_but_not_as_found() -> None:
    (bcc,) = extra_columns(ColumnMapping(bcc="密送"), ColumnMapping(bcc="密送"), [person(2, bcc=1)])

    assert not bcc.found
    assert bcc.describe() == "Bcc column '密送' adds 1 hidden recipient on 1 row"


def test_a_column_that_adds_nobody_is_not_listed() -> None:
    assert extra_columns(MAPPING, ColumnMapping(), [person(2), person(3)]) == ()
