"""Bounce mails of every common shape give the failed recipient, hard or soft, the diagnostic
and the original Message-ID; mail that is not a bounce gives nothing; hostile mail never
raises."""

from __future__ import annotations

import pytest

from app.core.mailbox.bounces import Severity, parse_bounce
from tests.core.mailbox import dsn_samples as samples

MID = "<herald.1.abc@example.com>"
WHO = "gone@example.org"


@pytest.mark.parametrize(
    ("sample", "severity", "status"),
    [
        (samples.postfix, Severity.HARD, "5.1.1"),
        (samples.gmail, Severity.HARD, "5.1.1"),
        (samples.microsoft_mailbox_full, Severity.SOFT, "4.2.2"),
        (samples.exim, Severity.HARD, "5.1.1"),
        (samples.qq, Severity.HARD, "550"),
        (samples.netease, Severity.HARD, "550"),
    ],
    ids=["postfix", "gmail", "microsoft-full", "exim", "qq", "netease"],
)
def test_each_bounce_shape_names_recipient_severity_status_and_original(sample, severity, status):
    found = parse_bounce(sample(MID, WHO), own_addresses=("shop@example.com",))
    assert len(found) == 1
    bounce = found[0]
    assert bounce.recipient == WHO
    assert bounce.severity is severity
    assert bounce.status == status
    assert bounce.original_message_id == MID
    assert bounce.diagnostic  # the server's words are kept for the report


def test_a_postfix_delay_notice_is_soft():
    raw = samples.postfix(
        MID, WHO, status="4.4.1", action="delayed", diagnostic="connect timed out"
    )
    [bounce] = parse_bounce(raw)
    assert bounce.severity is Severity.SOFT and bounce.diagnostic == "connect timed out"


def test_ordinary_mail_and_replies_are_not_bounces():
    assert parse_bounce(samples.ordinary()) == []
    assert parse_bounce(samples.ordinary(subject="Re: Order news", body="550 thanks!")) == []


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff" * 1000,
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x",
        b"Subject: Undelivered Mail\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n"
        b"\xff\xfe gone@example.org 550 5.1.1",
        b"Subject: Undelivered Mail\r\n\r\n" + b"a@b.co " * 400_000,  # over the size bound
    ],
)
def test_hostile_mail_never_raises(raw):
    assert isinstance(parse_bounce(raw), list)


def test_the_senders_own_address_is_never_taken_for_the_failed_recipient():
    raw = samples.exim(MID, WHO).replace(b"shop@example.com", b"me@example.com")
    [bounce] = parse_bounce(raw, own_addresses=("me@example.com",))
    assert bounce.recipient == WHO
