"""The controller folds engine events into batched signals (fed directly: no loop needed)."""

from __future__ import annotations

import asyncio
import datetime as dt

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
    clock = iter(range(100, 200))
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
    from app.gui.sending import SendRun

    clock = FakeClock()
    limiter = RateLimiter(Limits(per_second=5), clock)
    controller = SendController(clock=clock.monotonic)
    controller.start(SendRun(None, None, None, False, limiter), run=lambda: asyncio.sleep(0))
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


def test_without_a_limiter_the_rate_is_the_sends_of_the_last_second(qapp):
    now = [100.0]
    controller = SendController(clock=lambda: now[0])
    controller.feed(ev.Started(at=NOW, total=20, counts={}))
    controller.flush()
    for i in range(6):  # six sends in the first second, one every 0.2 s
        controller.feed(sent(i))
        controller.flush()
        now[0] += 0.2
    now[0] = 101.0
    assert controller.current_rate() == 5.0  # those at 100.2 .. 101.0, not 6 / 1 s
    now[0] = 102.5
    assert controller.current_rate() == 0.0


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
