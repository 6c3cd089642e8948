"""Sending schedule: start time, sending hours and weekdays in local time (app.core.send.schedule),
and the engine waiting for them on the injected clock (no sleeping)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.send.clock import FakeClock
from app.core.send.events import Sent, Throttled
from app.core.send.limiter import Limits
from app.core.send.schedule import (
    RECHECK_SECONDS,
    Schedule,
    ScheduleError,
    ScheduleGate,
    parse_days,
    parse_hours,
)
from tests.core.send.engine_support import Campaign, engine, of_type, run

SHANGHAI = dt.timezone(dt.timedelta(hours=8))  # no daylight saving: fixed expectations


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


OFFICE = Schedule.from_texts(hours="09:00-18:00", days="mon-fri", tz=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        ("2026-12-08 10:30", "2026-12-08 10:30"),  # Tuesday, open: now
        ("2026-12-08 08:59", "2026-12-08 09:00"),  # before opening
        ("2026-12-08 18:00", "2026-12-09 09:00"),  # the end is excluded
        ("2026-12-11 17:59", "2026-12-11 17:59"),  # Friday, a minute left
        ("2026-12-11 18:30", "2026-12-14 09:00"),  # Friday evening -> Monday
        ("2026-12-12 12:00", "2026-12-14 09:00"),  # Saturday
    ],
)
def test_office_hours_monday_to_friday(now: str, opens: str) -> None:
    assert OFFICE.next_open(local(now)) == local(opens)


def test_overnight_hours_belong_to_the_day_they_start() -> None:
    night = Schedule.from_texts(hours="22:00-06:00", days="fri", tz=SHANGHAI)
    assert night.next_open(local("2026-12-12 05:00")) == local("2026-12-12 05:00")  # Fri night
    assert night.next_open(local("2026-12-12 06:00")) == local("2026-12-18 22:00")
    assert night.next_open(local("2026-12-11 12:00")) == local("2026-12-11 22:00")


def test_a_start_time_comes_first_then_the_hours_apply() -> None:
    schedule = Schedule.from_texts("2026-12-12 08:00", "09:00-18:00", "mon-fri", tz=SHANGHAI)
    assert schedule.start_at == local("2026-12-12 08:00")
    assert schedule.next_open(local("2026-12-07 10:00")) == local("2026-12-14 09:00")
    assert "start at 2026-12-12 08:00" in schedule.why_waiting(local("2026-12-07 10:00"))
    assert "09:00-18:00, Mon–Fri" in schedule.why_waiting(local("2026-12-13 10:00"))
    only_start = Schedule.from_texts("2026-12-08 09:00", tz=SHANGHAI)
    assert only_start.next_open(local("2026-12-01 00:00")) == local("2026-12-08 09:00")
    assert only_start.next_open(local("2026-12-09 00:00")) == local("2026-12-09 00:00")


def test_day_lists_ranges_and_wrapping_ranges_read_and_write_back() -> None:
    assert parse_days("mon-fri") == frozenset(range(5))
    assert parse_days("Mon, Wed,friday") == frozenset({0, 2, 4})
    assert parse_days("fri-mon") == frozenset({4, 5, 6, 0})
    assert parse_days(["sat", "sun"]) == frozenset({5, 6})
    assert Schedule(days=parse_days("fri-mon")).days_text() == "fri-mon"
    assert Schedule(days=parse_days("mon,wed-fri")).days_text() == "mon,wed-fri"
    assert parse_hours("9-17:30") == (dt.time(9), dt.time(17, 30))
    assert Schedule(hours=parse_hours("20:00-24:00")).hours_text() == "20:00-24:00"


@pytest.mark.parametrize(
    ("start", "hours", "days", "says"),
    [
        ("next tuesday", None, None, '"2026-12-08 09:00"'),
        (None, "9am-5pm", None, '"09:00-18:00"'),
        (None, "09:00-09:00", None, "same time"),
        (None, "25:00-26:00", None, "not times of day"),
        (None, None, "weekdays", '"mon-fri"'),
    ],
)
def test_unreadable_schedules_say_how_to_write_them(start, hours, days, says) -> None:
    with pytest.raises(ScheduleError, match=says):
        Schedule.from_texts(start, hours, days)


def test_the_schedule_survives_the_journal_settings_as_the_same_instant() -> None:
    schedule = Schedule.from_texts("2026-12-08 09:00", "09:00-18:00", "mon-fri", tz=SHANGHAI)
    settings = schedule.to_settings()
    assert settings == {
        "start_at": "2026-12-08T09:00:00+08:00",
        "send_hours": "09:00-18:00",
        "send_days": "mon-fri",
    }
    again = Schedule.from_settings(settings, tz=SHANGHAI)
    assert again == schedule
    assert Schedule.from_settings({}).always


async def test_the_gate_tells_once_per_wait_and_waits_in_steps() -> None:
    clock = FakeClock(wall=local("2026-12-11 18:30").astimezone(dt.UTC))
    told: list[Throttled] = []
    gate = ScheduleGate(OFFICE, clock, told.append)
    assert gate.seconds_to_wait() == RECHECK_SECONDS  # Monday 09:00 is 62.5 h away
    assert gate.seconds_to_wait() == RECHECK_SECONDS
    [event] = told
    assert event.schedule and event.until == local("2026-12-14 09:00")
    assert "outside the sending hours" in event.reason
    clock.set_wall(local("2026-12-14 08:58"))
    assert gate.seconds_to_wait() == 120.0
    clock.set_wall(local("2026-12-14 09:00"))
    assert gate.seconds_to_wait() == 0.0
    assert len(told) == 1


async def test_the_engine_sends_inside_the_hours_and_waits_outside_them(tmp_path, smtp_server):
    """Friday 17:59:57 at 1 message/s: three go out, then the send waits (told once, until
    Monday 09:00), holds no connection over the weekend, and goes on by itself on Monday.
    One connection: with two, one lane's fake sleep moves time on during the other's I/O."""
    clock = FakeClock(wall=local("2026-12-11 17:59:57").astimezone(dt.UTC))
    campaign = Campaign(tmp_path, 5)
    events: list = []

    send = engine(
        campaign, smtp_server, clock=clock, limits=Limits(per_second=1), events=events,
        schedule=OFFICE,
    )  # fmt: skip
    finished = await run(send)

    assert finished.counts["sent"] == 5
    sent_at = [e.at.astimezone(SHANGHAI) for e in of_type(events, Sent)]
    friday = [t for t in sent_at if t.weekday() == 4]
    monday = [t for t in sent_at if t.weekday() == 0]
    assert len(friday) == 3 and all(t < local("2026-12-11 18:00") for t in friday)
    assert len(monday) == 2 and all(t >= local("2026-12-14 09:00") for t in monday)
    waits = [e for e in of_type(events, Throttled) if e.schedule]
    assert [w.until for w in waits] == [local("2026-12-14 09:00")]
    assert smtp_server.connections == 2  # the lane dropped its connection over the weekend


async def test_a_day_cap_spread_over_days_keeps_to_the_sending_days_and_goes_on_by_itself(
    tmp_path, smtp_server
):
    """2 a day, Monday to Friday 09:00-18:00, 5 to send from Friday 17:00: two on Friday; the
    day window reopens on Saturday, outside the days, so two more on Monday 09:00, and the
    last on Tuesday 09:00 once Monday's first has left the rolling day. Nobody fails."""
    clock = FakeClock(wall=local("2026-12-11 17:00").astimezone(dt.UTC))
    campaign = Campaign(tmp_path, 5)
    events: list = []
    send = engine(
        campaign, smtp_server, clock=clock, limits=Limits(per_day=2), events=events,
        schedule=OFFICE,
    )  # fmt: skip
    finished = await run(send)

    assert finished.counts["sent"] == 5 and finished.counts["failed"] == 0
    days = [e.at.astimezone(SHANGHAI).strftime("%a %H") for e in of_type(events, Sent)]
    assert days == ["Fri 17", "Fri 17", "Mon 09", "Mon 09", "Tue 09"]
    waits = of_type(events, Throttled)
    assert any("daily limit of 2" in w.reason for w in waits)
    assert local("2026-12-14 09:00") in [w.until for w in waits if w.schedule]
