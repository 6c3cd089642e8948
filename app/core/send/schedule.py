"""When sending is allowed: a start time, sending hours and weekdays, in local time.

`Schedule.next_open(now)` answers the one question the engine asks before each message: the
first instant at or after `now` when sending is allowed. `ScheduleGate` asks it on the engine's
injected clock, says once per wait until when (a `Throttled` event with `schedule=True`), and
hands back how long to wait, never more than `RECHECK_SECONDS` at a time so a wall-clock change
(daylight saving, a laptop waking) is noticed. No Qt, no real time: tests use a FakeClock.

Written forms (options, campaign file, window fields, the journal):
- start: "2026-12-08 09:00" (local time; an ISO offset such as "+08:00" may be added);
- hours: "09:00-18:00" (end excluded; "22:00-06:00" runs overnight; "24:00" is midnight);
- days: "mon-fri", "mon,wed,fri", "sat-sun", "fri-mon" (English names or three letters).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from app.core.send.contracts import Clock
from app.core.send.events import Throttled

RECHECK_SECONDS = 300.0  # a long wait is taken in steps, re-reading the wall clock each time
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")


class ScheduleError(ValueError):
    """A start time, hours or days we cannot read; the message says how to write them."""


def parse_start(text: str, tz: dt.tzinfo | None = None) -> dt.datetime:
    """'2026-12-08 09:00' (local time, or `tz`) -> an aware datetime."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError(
            f"cannot read the start time {text!r}: write the date and local time, "
            'e.g. "2026-12-08 09:00"'
        ) from None
    return when if when.tzinfo is not None else _localize(when, tz)


def parse_hours(text: str) -> tuple[dt.time, dt.time]:
    """'09:00-18:00' -> (09:00, 18:00); the end is excluded, and may be before the start
    (overnight). '24:00' as the end is midnight."""
    match = _HOURS.match(text)
    if match is None:
        raise ScheduleError(
            f"cannot read the sending hours {text!r}: write start-end in 24-hour time, "
            'e.g. "09:00-18:00"'
        )
    h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise ScheduleError(f"the sending hours {text!r} are not times of day (00:00 to 24:00)")
    start, end = dt.time(h1, m1), dt.time(0 if h2 == 24 else h2, m2)
    if start == end:
        raise ScheduleError(
            f"the sending hours {text!r} start and end at the same time; leave them out to "
            "send at any hour"
        )
    return start, end


def parse_days(text: str | Iterable[str]) -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri', 'fri-mon' (or a list of such parts) -> weekday numbers
    (Monday is 0)."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    days: set[int] = set()
    for part in parts:
        ends = [p.strip().lower() for p in str(part).split("-")]
        if len(ends) > 2 or not all(e in _DAY_NAMES for e in ends):
            raise ScheduleError(
                f"cannot read the sending days {part!r}: use mon, tue, wed, thu, fri, sat, sun, "
                'ranges like "mon-fri" and commas, e.g. "mon-fri" or "mon,wed,fri"'
            )
        first, last = _DAY_NAMES[ends[0]], _DAY_NAMES[ends[-1]]
        days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    if not days:
        raise ScheduleError("no sending days given; leave them out to send on any day")
    return frozenset(days)


def _localize(naive: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    # Without a zone: the computer's local time, DST included (astimezone uses the C library).
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


def _local(when: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    return when.astimezone(tz) if tz is not None else when.astimezone()


@dataclass(frozen=True, slots=True)
class Schedule:
    """When sending may happen. Every part is optional; an empty Schedule allows any time.
    `tz` is the zone of the hours and days (None: this computer's local time)."""

    start_at: dt.datetime | None = None  # aware
    hours: tuple[dt.time, dt.time] | None = None
    days: frozenset[int] | None = None
    tz: dt.tzinfo | None = None

    def __post_init__(self) -> None:
        if self.start_at is not None and self.start_at.tzinfo is None:
            raise ValueError("start_at must be timezone-aware")
        if self.days is not None and not self.days:
            raise ValueError("days must name at least one weekday (or be None)")

    @classmethod
    def from_texts(
        cls,
        start_at: str | None = None,
        hours: str | None = None,
        days: str | Iterable[str] | None = None,
        *,
        tz: dt.tzinfo | None = None,
    ) -> Schedule:
        return cls(
            start_at=parse_start(start_at, tz) if start_at else None,
            hours=parse_hours(hours) if hours else None,
            days=parse_days(days) if days else None,
            tz=tz,
        )

    @property
    def always(self) -> bool:
        return self.start_at is None and self.hours is None and self.days is None

    def next_open(self, when: dt.datetime) -> dt.datetime:
        """The first instant at or after `when` (aware) at which sending is allowed."""
        if self.start_at is not None and when < self.start_at:
            when = self.start_at
        if self.hours is None and self.days is None:
            return when
        today = _local(when, self.tz).date()
        for offset in range(-1, 9):  # yesterday: an overnight window may still be open
            day = today + dt.timedelta(days=offset)
            if self.days is not None and day.weekday() not in self.days:
                continue
            opens, closes = self._window(day)
            if closes > when:
                return max(opens, when)
        raise AssertionError("a week always has an open window")  # days is never empty

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        start, end = self.hours or (dt.time(0), dt.time(0))
        close_day = day if dt.time(0) < end and start < end else day + dt.timedelta(days=1)
        return (
            _localize(dt.datetime.combine(day, start), self.tz),
            _localize(dt.datetime.combine(close_day, end), self.tz),
        )

    def why_waiting(self, now: dt.datetime) -> str:
        """Why sending waits at `now` (for the CLI line, the event and the window)."""
        if self.start_at is not None and now < self.start_at:
            start = _local(self.start_at, self.tz).strftime("%Y-%m-%d %H:%M")
            return f"the send is set to start at {start}"
        return f"outside the sending hours ({self.describe_window()})"

    def describe_window(self) -> str:
        parts = []
        if self.hours is not None:
            parts.append(self.hours_text())
        if self.days is not None:
            parts.append(self.days_text().replace("-", "–").title())
        return ", ".join(parts) or "any time"

    def hours_text(self) -> str:
        if self.hours is None:
            return ""
        start, end = self.hours
        end_text = "24:00" if end == dt.time(0) else end.strftime("%H:%M")
        return f"{start.strftime('%H:%M')}-{end_text}"

    def days_text(self) -> str:
        """Shortest written form: 'mon-fri', 'mon,wed,fri', 'fri-mon'."""
        if self.days is None:
            return ""
        days = sorted(self.days)
        if len(days) == 7:
            return "mon-sun"
        # Runs of consecutive days, joined across Sunday-Monday.
        runs: list[list[int]] = []
        for d in days:
            if runs and runs[-1][-1] == d - 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:
            runs[0] = runs.pop() + runs[0]
        return ",".join(
            WEEKDAYS[r[0]] if len(r) == 1 else f"{WEEKDAYS[r[0]]}-{WEEKDAYS[r[-1]]}" for r in runs
        )

    # -- kept in the journal, so a resumed campaign keeps its schedule -----------------------

    def to_settings(self) -> dict[str, str]:
        out = {}
        if self.start_at is not None:
            out["start_at"] = self.start_at.isoformat()  # the instant, whatever zone resumes
        if self.hours is not None:
            out["send_hours"] = self.hours_text()
        if self.days is not None:
            out["send_days"] = self.days_text()
        return out

    @classmethod
    def from_settings(cls, settings: Mapping[str, object], tz: dt.tzinfo | None = None) -> Schedule:
        def text(key: str) -> str | None:
            value = settings.get(key)
            return value if isinstance(value, str) and value else None

        return cls.from_texts(text("start_at"), text("send_hours"), text("send_days"), tz=tz)


class ScheduleGate:
    """The engine's hook: how long to wait before the next message, told once per wait."""

    def __init__(
        self, schedule: Schedule | None, clock: Clock, emit: Callable[[Throttled], None]
    ) -> None:
        self._schedule = schedule if schedule is not None and not schedule.always else None
        self._clock = clock
        self._emit = emit
        self._told: dt.datetime | None = None

    def seconds_to_wait(self) -> float:
        """0 when sending is allowed now; else seconds until it is (at most RECHECK_SECONDS),
        after telling observers until when, once per distinct opening."""
        if self._schedule is None:
            return 0.0
        now = self._clock.now()
        opens = self._schedule.next_open(now)
        if opens <= now:
            self._told = None
            return 0.0
        if opens != self._told:
            self._told = opens
            reason = self._schedule.why_waiting(now)
            self._emit(Throttled(at=now, until=opens, reason=reason, schedule=True))
        return min((opens - now).total_seconds(), RECHECK_SECONDS)
