"""Servers with a hidden rate: Herald converges just under it, and nobody fails for it.

The fault server refuses above a hidden rate (a sliding window on the test's FakeClock, like
Postfix anvil or Exim's ratelimit); Herald is given no rate at all, so everything it knows it
learns from the refusals. Time is the injected clock's (the server stamps arrivals with it), so
"time against the ideal N / cap" is exact and costs no real waiting.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.send.clock import FakeClock
from app.core.send.events import Paused, Throttled
from tests.core.send.engine_support import Campaign, address, engine, of_type, run

SETTLE = 400  # loop turns before fake time jumps: a loopback MAIL..dot exchange finishes first

HIDDEN = [
    # (cap, window seconds, refusal, connections)
    (20, 10.0, "450 4.7.1 Error: too much mail from 127.0.0.1", 1),
    (20, 10.0, "451 Sender rate exceeds 20 messages per 10s", 1),
    (10, 1.0, "421 4.7.0 Try again later, closing connection", 1),
    (20, 10.0, "450 4.7.1 Error: too much mail from 127.0.0.1", 3),
]


@pytest.mark.parametrize(("cap", "window", "refusal", "connections"), HIDDEN)
async def test_a_hidden_rate_is_learned_within_a_few_refusals_and_nobody_fails(
    tmp_path: Path, smtp_server_factory, cap: int, window: float, refusal: str, connections: int
):
    clock = FakeClock(settle_rounds=SETTLE)
    server = await smtp_server_factory(
        clock=clock.monotonic, rate_limit=(cap, window), rate_limit_reply=refusal
    )
    rows = 200
    campaign = Campaign(tmp_path, rows)
    events: list = []
    began = clock.monotonic()
    finished = await run(
        engine(campaign, server, clock=clock, events=events, connections=connections),
        timeout=120,
    )

    assert finished.counts["sent"] == rows and finished.counts.get("failed", 0) == 0
    assert Counter(server.recipients()) == Counter(address(r) for r in campaign.rows)
    assert not of_type(events, Paused)  # never a campaign-wide stall
    # a refused-and-retried row spent no attempt on the refusals: one outcome, one attempt
    assert {campaign.journal.get(r).attempts for r in campaign.rows} == {1}
    refusals = of_type(events, Throttled)
    # With several lanes the messages already on their way when the server pushes back are
    # refused too (the same push-back, one wait); on the fake clock a loopback exchange can
    # also take "time", so those are counted once per push-back.
    pushbacks = [b for a, b in zip([None, *refusals], refusals, strict=False)
                 if a is None or (b.at - a.at).total_seconds() > 1.0]  # fmt: skip
    assert len(pushbacks) * 100 / rows <= 5
    assert len(refusals) <= connections * len(pushbacks)
    ideal = rows / (cap / window)
    took = clock.monotonic() - began
    assert took <= 1.5 * ideal, f"{took:.1f} s against {ideal:.1f} s ideal"
    # the first push-back waited seconds, not a minute
    first = of_type(events, Throttled)[0]
    assert (first.until - first.at).total_seconds() <= 2.0


async def test_once_learned_the_rate_holds_with_rare_refusals(tmp_path: Path, smtp_server_factory):
    """After the first few push-backs the second half of a long send sees almost none."""
    clock = FakeClock(settle_rounds=SETTLE)
    server = await smtp_server_factory(
        clock=clock.monotonic,
        rate_limit=(20, 10.0),
        rate_limit_reply="450 4.7.1 Error: too much mail from 127.0.0.1",
    )
    campaign = Campaign(tmp_path, 400)
    events: list = []
    finished = await run(engine(campaign, server, clock=clock, events=events), timeout=120)

    assert finished.counts["sent"] == 400
    times = server.received_at
    middle = times[len(times) // 2]
    late = [t for t in of_type(events, Throttled) if clock_of(t, events, times) >= middle]
    assert len(late) <= 4
    last_half_rate = (len(times) // 2) / (times[-1] - middle)
    assert 0.8 * 2.0 <= last_half_rate <= 2.0 * 1.05  # just under 20 per 10 s


def clock_of(throttled: Throttled, events: list, times: list[float]) -> float:
    """The fake monotonic time of a Throttled event: the arrival time of the message sent
    just before it (events and arrivals are in the same order)."""
    sent_before = sum(1 for e in events[: events.index(throttled)] if type(e).__name__ == "Sent")
    return times[sent_before - 1] if sent_before else times[0]


async def test_a_server_that_only_ever_refuses_pauses_after_ten_with_everyone_kept(
    tmp_path: Path, smtp_server
):
    """Push-back with nothing ever accepted is not a rate to learn: after ten growing waits
    the send pauses (the command line then stops), no row failed, no attempt spent."""
    smtp_server.on("mail", "451 4.7.1 Try again later")
    campaign = Campaign(tmp_path, 5)
    events: list = []
    send = engine(campaign, smtp_server, events=events)
    send.subscribe(lambda e: send.cancel() if isinstance(e, Paused) else None)
    finished = await run(send)

    (paused,) = of_type(events, Paused)
    assert "10 times in a row" in paused.reason and paused.code == 451
    waits = [(t.until - t.at).total_seconds() for t in of_type(events, Throttled)]
    assert len(waits) == 10 and waits[0] <= 2.0
    assert waits[:6] == sorted(waits[:6]) and max(waits) <= 120  # growing, then capped
    assert finished.counts["pending"] == 5 and finished.counts.get("failed", 0) == 0
    assert {campaign.journal.get(r).attempts for r in campaign.rows} == {0}
    assert len(smtp_server.commands_named("MAIL")) == 10
