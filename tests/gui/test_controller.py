"""The controller folds engine events into batched signals (fed directly: no loop needed)."""

from __future__ import annotations

import datetime as dt
import itertools

from app.core.send import events as ev
from app.gui.controller import SendController

NOW = dt.datetime(2026, 5, 1, 14, 0, tzinfo=dt.UTC)


def sent(i: int) -> ev.Sent:
    return ev.Sent(
        at=NOW, row=i, address=f"p{i}@example.com", message_id=f"<{i}@x>", code=250, text="OK"
    )


class Recorder:
    def __init__(self, controller: SendController) -> None:
        self.batches: list[list] = []
        self.progress: list[dict] = []
        self.notices: list[str] = []
        self.states: list[str] = []
        self.finished: list[dict] = []
        controller.logBatch.connect(self.batches.append)
        controller.progressed.connect(self.progress.append)
        controller.notice.connect(self.notices.append)
        controller.stateChanged.connect(self.states.append)
        controller.finished.connect(self.finished.append)


def test_a_thousand_events_become_one_log_batch_and_one_progress_update(qapp):
    clock = itertools.count(100)
    controller = SendController(clock=lambda: float(next(clock)))
    seen = Recorder(controller)
    controller.feed(ev.Started(at=NOW, total=1000, counts={"pending": 1000}))
    for i in range(1000):
        controller.feed(sent(i))
    assert seen.batches == []  # nothing reaches Qt until the batch timer fires
    controller.flush()
    assert len(seen.batches) == 1 and len(seen.batches[0]) == 1000
    assert len(seen.progress) == 1
    assert seen.progress[0]["sent"] == 1000 and seen.progress[0]["total"] == 1000
    assert seen.states == ["running"]


def test_failures_deferrals_and_unknowns_are_counted_with_the_server_reply(qapp):
    controller = SendController()
    seen = Recorder(controller)
    controller.feed(ev.Started(at=NOW, total=3, counts={}))
    controller.feed(
        ev.Failed(
            at=NOW,
            row=2,
            address="a@example.com",
            code=550,
            text="5.1.1 no such user",
            reason="The address does not exist.",
        )
    )
    controller.feed(
        ev.Deferred(
            at=NOW,
            row=3,
            address="b@example.com",
            code=451,
            text="try later",
            reason="Busy.",
            attempt=1,
            next_attempt_at=NOW,
        )
    )
    controller.feed(
        ev.Unknown(at=NOW, row=4, address="c@example.com", message_id="<m>", text="connection lost")
    )
    controller.flush()
    assert controller.counts == {"sent": 0, "failed": 1, "deferred": 1, "unknown": 1}
    failed = seen.batches[0][0]
    assert (failed.row, failed.status, failed.code) == (2, "failed", 550)
    assert "no such user" in failed.text


def test_throttling_is_explained_in_words_with_the_time_sending_resumes(qapp):
    controller = SendController()
    seen = Recorder(controller)
    until = dt.datetime(2026, 5, 1, 14, 32, tzinfo=dt.UTC)
    controller.feed(ev.Throttled(at=NOW, until=until, reason="server asked to slow down", code=421))
    controller.flush()
    local = until.astimezone().strftime("%H:%M")
    assert seen.notices == [f"Server asked to slow down; resuming at {local}."]
    assert controller.state == "waiting"
    controller.feed(sent(1))
    controller.flush()
    assert controller.state == "running" and seen.notices[-1] == ""


def test_a_pause_without_end_asks_the_user_to_resume(qapp):
    controller = SendController()
    seen = Recorder(controller)
    controller.feed(ev.Paused(at=NOW, reason="ten failures in a row", until=None))
    controller.flush()
    assert seen.states[-1] == "paused"
    assert seen.notices[-1] == "Paused: Ten failures in a row. Press Resume when it is fixed."


def test_finished_reports_the_final_counts(qapp):
    controller = SendController()
    seen = Recorder(controller)
    controller.feed(ev.Started(at=NOW, total=2, counts={}))
    controller.feed(ev.Finished(at=NOW, counts={"sent": 2, "failed": 0}))
    controller.flush()
    assert seen.finished == [{"sent": 2, "failed": 0, "deferred": 0, "unknown": 0, "total": 2}]
    assert controller.state == "finished"


def test_the_displayed_rate_never_exceeds_the_cap_the_limiter_holds(qapp, run):
    from app.core.send.clock import FakeClock
    from app.core.send.limiter import Limits, RateLimiter

    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=5), clock)
    controller = SendController(clock=clock.monotonic)
    controller.set_rate_unit("second", limited=True)
    controller.feed(ev.Started(at=NOW, total=40, counts={}))
    controller.flush()
    shown: list[float] = []

    async def send_for_a_while() -> None:
        for i in range(40):
            await limiter.acquire(1, 1000)
            controller.feed(sent(i))
            controller.flush()
            shown.append(controller.current_rate())

    run(send_for_a_while())
    assert max(shown) == 5.0  # it does reach the cap...
    assert all(rate <= 5.0 for rate in shown)  # ...and never reads above it


def test_thirty_a_minute_reads_thirty_per_minute_never_above_the_line(qapp, run):
    """30/min is 0.5/s: counted over the last minute (the cap's own window) it reads 30/min,
    not "1.0/s" from the one message of the last second."""
    from app.core.send.clock import FakeClock
    from app.core.send.limiter import Limits, RateLimiter

    clock = FakeClock()
    limiter = RateLimiter(Limits(per_minute=30), clock)
    controller = SendController(clock=clock.monotonic)
    controller.set_rate_unit("minute", limited=True)
    controller.feed(ev.Started(at=NOW, total=100, counts={}))
    controller.flush()
    shown: list[float] = []

    async def send_for_three_minutes() -> None:
        for i in range(90):
            await limiter.acquire(1, 1000)
            controller.feed(sent(i))
            controller.flush()
            shown.append(controller.current_rate())

    run(send_for_three_minutes())
    assert max(shown) == 30.0
    assert all(rate <= 30.0 for rate in shown)
    assert shown[-1] == 30.0  # steady at the limit, in its unit


def test_the_rate_decays_while_paused(qapp):
    now = [100.0]
    controller = SendController(clock=lambda: now[0])
    controller.set_rate_unit("minute", limited=True)
    samples: list[float] = []
    controller.rateSampled.connect(lambda _t, rate: samples.append(rate))
    controller.feed(ev.Started(at=NOW, total=50, counts={}))
    for i in range(20):  # one every two seconds for 40 s
        controller.feed(sent(i))
        now[0] += 2.0
    controller.flush()
    assert controller.current_rate() == 20.0
    controller.feed(ev.Paused(at=NOW, reason="Paused by you.", until=None, by_user=True))
    controller.flush()
    for _ in range(5):  # the batch timer ticks on while paused, with nothing new
        now[0] += 10.0
        controller.flush()
    assert samples[-5:] == sorted(samples[-5:], reverse=True)  # it moves, downwards
    assert samples[-1] < 20.0
    now[0] += 60.0
    controller.flush()
    assert samples[-1] == 0.0


def test_without_a_limit_the_rate_is_an_average_of_the_last_seconds(qapp):
    now = [100.0]
    controller = SendController(clock=lambda: now[0])
    controller.feed(ev.Started(at=NOW, total=20, counts={}))
    controller.flush()
    for i in range(10):  # ten sends in five seconds
        now[0] += 0.5
        controller.feed(sent(i))
        controller.flush()
    assert controller.current_rate() == 2.0
    now[0] += 10.0
    assert controller.current_rate() == 0.0


def test_fewer_connections_are_shown_in_the_log_and_the_notice_line(qapp):
    controller = SendController()
    seen = Recorder(controller)
    controller.feed(ev.Started(at=NOW, total=10, counts={}))
    refused = "4.7.0 Error: too many connections from 127.0.0.1"
    controller.feed(
        ev.LanesChanged(at=NOW, lanes=2, configured=5, reason="fewer", code=421, text=refused)
    )
    controller.flush()
    [entries] = seen.batches
    [entry] = entries
    assert entry.status == "connections" and entry.code == 421
    assert "2 of 5 connections" in entry.text and refused in entry.text
    assert "2 of 5 connections" in seen.notices[-1] and "refuses more" in seen.notices[-1]
    controller.feed(ev.LanesChanged(at=NOW, lanes=3, configured=5, reason="try", probing=True))
    controller.flush()
    assert seen.notices[-1] == "Trying 3 of 5 connections again."


def test_a_deferred_address_is_logged_with_its_next_attempt(qapp):
    controller = SendController()
    seen = Recorder(controller)
    later = NOW + dt.timedelta(minutes=5)
    controller.feed(
        ev.Deferred(
            at=NOW,
            row=7,
            address="grey@example.com",
            code=451,
            text="4.7.1 Greylisted, try again later",
            reason="Greylisting: only this address waits.",
            attempt=1,
            next_attempt_at=later,
        )
    )
    controller.flush()
    (entry,) = seen.batches[0]
    assert (entry.row, entry.address, entry.status) == (7, "grey@example.com", "deferred")
    assert "Greylisted" in entry.text
    assert later.astimezone().strftime("%Y-%m-%d %H:%M:%S") in entry.text
