"""The `herald send` progress display: a bar with counts, rate and time remaining."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

from rich.console import Console

from app.cli.send_view import SendView
from app.core.send.events import Deferred, Failed, Finished, Sent, Started

AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def test_the_progress_bar_shows_counts_rate_and_time_remaining():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=140, color_system=None)
    with SendView(console, total=10) as view:
        view.on_event(Started(at=AT, total=10, counts={"pending": 10}))
        for row in range(2, 6):
            time.sleep(0.05)
            view.on_event(
                Sent(
                    at=AT,
                    row=row,
                    address=f"r{row}@example.org",
                    message_id="<m>",
                    code=250,
                    text="OK",
                )
            )
        failed = Failed(
            at=AT, row=6, address="r6@example.org", code=550, text="no", reason="no such user"
        )
        view.on_event(failed)
        view.on_event(Finished(at=AT, counts={"sent": 4, "failed": 1, "pending": 5}))
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())  # cursor codes
    last = [line for line in shown.splitlines() if "Sending" in line][-1]
    assert "5/10" in last
    assert "sent 4 · failed 1 · deferred 0" in last
    assert re.search(r"\d+\.\d/s", last)  # the rate of this run
    assert re.search(r"\d:\d\d:\d\d", last)  # time remaining
    assert "row 6 (r6@example.org) failed: no such user" in screen.getvalue()


def test_a_deferred_address_is_printed_with_its_next_attempt_and_counted():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=False, width=200, color_system=None)
    later = AT + dt.timedelta(minutes=5)
    with SendView(console, total=3) as view:
        view.on_event(Started(at=AT, total=3, counts={"pending": 3}))
        view.on_event(
            Deferred(
                at=AT,
                row=4,
                address="grey@example.org",
                code=451,
                text="4.7.1 Greylisted, try again later",
                reason="Greylisting: only this address waits.",
                attempt=1,
                next_attempt_at=later,
            )
        )
    shown = screen.getvalue()
    when = later.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert f"row 4 (grey@example.org) deferred until {when}" in shown
    assert "only this address waits" in shown
