"""The real servers' limits as scripted on the test server (server_limits.py): replies word for
word, and counters that behave like Postfix anvil, Exim ratelimit, greylisting, NetEase quota."""

from __future__ import annotations

import aiosmtplib
import pytest

from tests.support.server_limits import (
    ACCESS_DENIED,
    GREYLISTED,
    NETEASE_DAILY_QUOTA,
    NETEASE_RP_TRC,
    POSTFIX_TOO_MANY_CONNECTIONS,
    POSTFIX_TOO_MUCH_MAIL,
    access_denied_at_rcpt,
    exim_sender_rate_limit,
    greylist,
    netease_daily_quota,
    postfix_connection_count_limit,
    postfix_message_rate_limit,
)
from tests.support.test_smtp_server import MESSAGE, client


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def mail(smtp: aiosmtplib.SMTP) -> tuple[int, str]:
    """MAIL FROM and, when accepted, the rest of a message; the MAIL reply."""
    reply = await smtp.execute_command(b"MAIL", b"FROM:<shop@example.com>")
    if reply.code == 250:
        await smtp.rcpt("a@example.com")
        await smtp.data(MESSAGE)
    else:
        await smtp.rset()
    return reply.code, reply.message


async def test_postfix_anvil_counts_every_mail_in_fixed_windows(smtp_server_factory):
    clock = ManualClock()
    server = await smtp_server_factory(clock=clock)
    anvil = postfix_message_rate_limit(server, 3, per=10.0)
    smtp = await client(server)

    replies = [await mail(smtp) for _ in range(5)]
    assert [code for code, _ in replies] == [250, 250, 250, 450, 450]
    assert f"{replies[3][0]} {replies[3][1]}" == POSTFIX_TOO_MUCH_MAIL
    clock.now += 9.9  # refused requests counted too, and the window has not ended
    assert (await mail(smtp))[0] == 450
    clock.now += 0.1  # a new window: three more
    assert [(await mail(smtp))[0] for _ in range(4)] == [250, 250, 250, 450]
    assert server.message_count == 6 and anvil.refused == 4
    await smtp.quit()


async def test_postfix_connection_count_limit_greets_the_extra_connection_with_421(
    smtp_server_factory,
):
    server = await smtp_server_factory()
    postfix_connection_count_limit(server, 1)
    first = await client(server)
    extra = aiosmtplib.SMTP(hostname="127.0.0.1", port=server.port, start_tls=False, timeout=5)
    with pytest.raises(aiosmtplib.SMTPConnectError) as refused:
        await extra.connect()
    assert str(refused.value.code) + " " + refused.value.message == POSTFIX_TOO_MANY_CONNECTIONS
    await first.quit()


async def test_exim_ratelimit_is_a_sliding_window_of_accepted_messages(smtp_server_factory):
    clock = ManualClock()
    server = await smtp_server_factory(clock=clock)
    limit = exim_sender_rate_limit(server, 2, per=10.0)
    smtp = await client(server)
    assert (await mail(smtp))[0] == 250
    clock.now += 6
    assert (await mail(smtp))[0] == 250
    code, text = await mail(smtp)
    assert (code, text) == (451, "Sender rate exceeds 2 messages per 10s")
    clock.now += 4.1  # the first has left the window; refusals did not count
    assert (await mail(smtp))[0] == 250
    assert limit.refused == 1
    await smtp.quit()


async def test_greylisting_refuses_one_address_until_its_time_then_accepts_it(
    smtp_server_factory,
):
    clock = ManualClock()
    server = await smtp_server_factory(clock=clock)
    grey = greylist(server, "late@example.com", seconds=300)
    smtp = await client(server)
    await smtp.mail("shop@example.com")
    with pytest.raises(aiosmtplib.SMTPRecipientRefused) as refused:
        await smtp.rcpt("late@example.com")
    assert f"{refused.value.code} {refused.value.message}" == GREYLISTED
    assert (await smtp.rcpt("other@example.com")).code == 250  # the others go on
    await smtp.rset()
    clock.now += 299
    await smtp.mail("shop@example.com")
    with pytest.raises(aiosmtplib.SMTPRecipientRefused):
        await smtp.rcpt("late@example.com")
    clock.now += 1
    assert (await smtp.rcpt("late@example.com")).code == 250
    assert grey.refused == 2
    await smtp.quit()


async def test_access_denied_refuses_every_recipient(smtp_server_factory):
    server = await smtp_server_factory()
    access_denied_at_rcpt(server)
    smtp = await client(server)
    await smtp.mail("shop@example.com")
    for address in ("a@example.com", "b@example.org"):
        with pytest.raises(aiosmtplib.SMTPRecipientRefused) as refused:
            await smtp.rcpt(address)
        assert f"{refused.value.code} {refused.value.message}" == ACCESS_DENIED
    await smtp.quit()


@pytest.mark.parametrize("reply", [NETEASE_DAILY_QUOTA, NETEASE_RP_TRC])
async def test_netease_quota_refuses_mail_once_the_days_messages_are_used(
    smtp_server_factory, reply
):
    server = await smtp_server_factory()
    quota = netease_daily_quota(server, 2, reply=reply)
    smtp = await client(server)
    replies = [await mail(smtp) for _ in range(3)]
    assert [code for code, _ in replies] == [250, 250, int(reply[:3])]
    assert f"{replies[2][0]} {replies[2][1]}" == reply
    assert quota.refused == ["shop@example.com"]
    await smtp.quit()
