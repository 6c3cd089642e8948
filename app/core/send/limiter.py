"""The rate limiter: every user limit at once, on the monotonic clock, plus server push-back.

Counting is in recipients (To + Cc + Bcc), as providers count. Windows are rolling: an event
at t counts in (t - length, t] (see windows.py). The per-second and per-minute caps also PACE
sending evenly (one recipient every window/cap seconds) so sending is steady instead of a burst
at each window edge; the hour and day caps are pure quotas. The monotonic clock drives all
pacing, so a wall-clock change mid-run causes no burst; wall time is only used to persist
sends and to load them back once, at start.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random
import re
from dataclasses import dataclass

from app.core.send.backoff import Backoff, RateLearner
from app.core.send.contracts import Action, Clock, Scope, Verdict, WaitCallback
from app.core.send.history import DAY, SendHistory
from app.core.send.windows import ByteBucket, RollingWindow

WINDOW_GUARD = 0.01  # seconds; see windows.py: absorbs timestamp jitter at the receiving end
#: After an account-wide push-back the first message admitted is a probe: the other lanes wait
#: until the server has answered it (or this long, if its answer never reaches the limiter),
#: so a window that has not drained yet refuses one message, not one per lane.
PROBE_HOLD = 2.0
WINDOW_SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
_WINDOW_WORDS = {"second": "per-second", "minute": "per-minute", "hour": "hourly", "day": "daily"}
_UNITS = {
    "s": "second", "sec": "second", "second": "second",
    "m": "minute", "min": "minute", "minute": "minute",
    "h": "hour", "hr": "hour", "hour": "hour",
    "d": "day", "day": "day",
}  # fmt: skip
_RATE = re.compile(r"^\s*(\d+)\s*/\s*([a-zA-Z]+)\s*$")


class RateError(ValueError):
    """A rate the user typed that we cannot read; the message says how to write it."""


@dataclass(frozen=True, slots=True)
class Rate:
    window: str  # "second" | "minute" | "hour" | "day"
    count: int


def parse_rate(text: str) -> Rate:
    """'10/s', '600/min', '500/h', '2000/day' (also sec, m, hr, hour, d and plurals)."""
    match = _RATE.match(text)
    if match is None:
        raise RateError(
            f"cannot read the rate {text!r}: write a whole number, a slash and a period, "
            "e.g. 10/s, 600/min, 500/h or 2000/day"
        )
    count, unit = int(match.group(1)), match.group(2).lower()
    if unit not in _UNITS and len(unit) > 2 and unit.endswith("s"):
        unit = unit[:-1]  # plurals: mins, hours, days ("ms" stays unknown, not minutes)
    window = _UNITS.get(unit)
    if window is None:
        raise RateError(f"unknown period {unit!r} in the rate {text!r}: use s, min, h or day")
    if count <= 0:
        raise RateError(f"the rate {text!r} must allow at least 1 recipient per {window}")
    return Rate(window, count)


@dataclass(frozen=True, slots=True)
class Limits:
    """The user's limits. Counts are recipients; None means no cap on that window."""

    per_second: int | None = None
    per_minute: int | None = None
    per_hour: int | None = None
    per_day: int | None = None
    min_interval: float = 0.0  # seconds between messages
    jitter: float = 0.0  # random extra 0..jitter seconds on top of min_interval
    bandwidth_kbps: float | None = None  # KB/s (1 KB = 1024 bytes) of message bytes

    def __post_init__(self) -> None:
        for name in ("per_second", "per_minute", "per_hour", "per_day"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be at least 1 (or None for no limit)")
        if self.min_interval < 0 or self.jitter < 0:
            raise ValueError("min_interval and jitter must not be negative")
        if self.bandwidth_kbps is not None and self.bandwidth_kbps <= 0:
            raise ValueError("bandwidth_kbps must be positive (or None for no cap)")

    @classmethod
    def from_rates(cls, rates: list[str] | tuple[str, ...], **other: float | None) -> Limits:
        """Limits from '--rate' texts; the same period given twice keeps the stricter."""
        caps: dict[str, int] = {}
        for text in rates:
            rate = parse_rate(text)
            caps[rate.window] = min(rate.count, caps.get(rate.window, rate.count))
        return cls(
            per_second=caps.get("second"),
            per_minute=caps.get("minute"),
            per_hour=caps.get("hour"),
            per_day=caps.get("day"),
            **other,  # type: ignore[arg-type]
        )

    def cap(self, window: str) -> int | None:
        return {
            "second": self.per_second,
            "minute": self.per_minute,
            "hour": self.per_hour,
            "day": self.per_day,
        }[window]

    @property
    def pace_rate(self) -> float | None:
        """Recipients per second implied by the per-second / per-minute caps (the pacing)."""
        rates = [c / WINDOW_SECONDS[w] for w in ("second", "minute") if (c := self.cap(w))]
        return min(rates) if rates else None


class RateLimiter:
    """Implements the `Limiter` protocol (see contracts). One instance per account and send,
    shared by all workers; acquisitions are serialised so concurrent workers never overshoot.
    """

    def __init__(
        self,
        limits: Limits,
        clock: Clock,
        history: SendHistory | None = None,
        *,
        rng: random.Random | None = None,
        learner: RateLearner | None = None,
        backoff: Backoff | None = None,
        notice_after: float = 1.0,
        window_guard: float = WINDOW_GUARD,
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._history = history
        self._rng = rng if rng is not None else random.Random()
        self._learner = learner if learner is not None else RateLearner()
        self._backoff = backoff if backoff is not None else Backoff(rng=self._rng)
        self._notice_after = notice_after
        self._lock = asyncio.Lock()
        now = clock.monotonic()
        self._windows = [
            RollingWindow(w, s, limits.cap(w), window_guard) for w, s in WINDOW_SECONDS.items()
        ]
        self._day = self._windows[-1]
        kbps = limits.bandwidth_kbps
        self._bucket = ByteBucket(kbps * 1024, now) if kbps else None
        self._pace_next = -math.inf  # earliest admission allowed by the pacer
        self._gap_next = -math.inf  # earliest admission allowed by min_interval + jitter
        self._paused_until = -math.inf
        self._pushed_back_until = -math.inf  # the last account-wide push-back's wait
        self._probe_next = False  # the next admission probes the server after a push-back
        self._probe_until = -math.inf  # a probe is out: others wait until answered or then
        self._probe_answered: asyncio.Event | None = None
        self._pause_reason = ""
        if history is not None:
            self._load(history)

    def _load(self, history: SendHistory) -> None:
        # Translate persisted wall times to monotonic offsets ONCE; afterwards only the
        # monotonic clock counts, so a later wall-clock jump cannot open the windows early.
        wall, mono = self._clock.now(), self._clock.monotonic()
        history.prune(wall)
        for when, count in history.events_since(wall - DAY):
            age = max(0.0, (wall - when).total_seconds())  # "future" sends: clock went back
            for window in self._windows:
                window.add(mono - age, count)

    # -- what the UI reads -------------------------------------------------------------

    @property
    def learned_rate(self) -> float | None:
        """The server's rate as learned from its push-back (messages/s); None before any."""
        return self._learner.rate

    @property
    def factor(self) -> float:
        """The learned rate as a share of the user's own pace (1.0: the user's pace holds)."""
        learned, own = self._learner.rate, self._own_rate()
        if learned is None or own is None or learned >= own:
            return 1.0
        return learned / own

    @property
    def current_rate(self) -> float | None:
        """Effective pacing in recipients (≈ messages) per second; None when unpaced."""
        rates = [r for r in (self._own_rate(), self._learner.rate) if r is not None]
        return min(rates) if rates else None

    def _own_rate(self) -> float | None:
        """The pace the user's limits imply (caps and minimum interval)."""
        rates = [self.limits.pace_rate] if self.limits.pace_rate else []
        gap = self.limits.min_interval + self.limits.jitter / 2
        if gap > 0:
            rates.append(1 / gap)
        return min(rates) if rates else None

    @property
    def paused_until(self) -> float | None:
        """Monotonic time until which push-back holds every acquisition, if in the future."""
        return self._paused_until if self._paused_until > self._clock.monotonic() else None

    def to_wall(self, monotonic: float) -> dt.datetime:
        """The wall-clock (aware UTC) time of a monotonic instant, for messages and events."""
        return self._clock.now() + dt.timedelta(seconds=monotonic - self._clock.monotonic())

    def sent_in_window(self, window: str) -> int:
        """Recipients counted in the rolling 'second' | 'minute' | 'hour' | 'day' window."""
        now = self._clock.monotonic()
        return next(w.total(now) for w in self._windows if w.name == window)

    # -- the Limiter protocol ----------------------------------------------------------

    async def acquire(
        self, recipients: int, size: int, on_wait: WaitCallback | None = None
    ) -> None:
        """Wait until `recipients` more (and `size` more bytes) fit every limit, then count them.

        Never raises for a full window: it waits (a full daily cap waits until the oldest send
        of the last 24 h leaves the window). A message with more recipients than a window's cap
        is admitted alone once that window is empty, so it cannot deadlock. `on_wait(until,
        reason)` is called when the wait is longer than the routine pacing (at least
        `notice_after` seconds), and again only if the expected resume time moves later.
        """
        if recipients < 0 or size < 0:
            raise ValueError("recipients and size must not be negative")
        async with self._lock:
            told: float | None = None
            while True:
                now = self._clock.monotonic()
                until, why = self._earliest(now, recipients, size)
                if until <= now and self._probe_until > now:
                    await self._probe_answer(self._probe_until - now)
                    continue
                if until <= now:
                    break
                worth_telling = until - now > self._notice_threshold(recipients)
                if (
                    on_wait is not None
                    and worth_telling
                    and (told is None or until > told + self._notice_after)
                ):
                    on_wait(until, f"{why}; resuming at {self._format(until)}")
                    told = until
                await self._clock.sleep(until - now)
            self._admit(now, recipients, size)
            if self._probe_next:
                self._probe_next = False
                self._probe_until = now + PROBE_HOLD
                self._probe_answered = asyncio.Event()

    async def _probe_answer(self, at_most: float) -> None:
        """Wait until the probe is answered (on_success / on_pushback) or `at_most` passes."""
        answered = self._probe_answered
        if answered is None:
            return
        waits = [
            asyncio.ensure_future(answered.wait()),
            asyncio.ensure_future(self._clock.sleep(at_most)),
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    def _probe_done(self) -> None:
        self._probe_until = -math.inf
        if self._probe_answered is not None:
            self._probe_answered.set()
            self._probe_answered = None

    def on_pushback(self, verdict: Verdict) -> float | None:
        """Server push-back; returns the monotonic time until which every acquisition waits.

        PAUSE_QUOTA pauses until the quota window reopens. An account-wide THROTTLE teaches
        the rate learner (see backoff.py) and waits the backoff: seconds at first, growing by
        half while the server keeps refusing, or the pause the reply implies if that is longer.
        Other scopes (one connection) only wait for a pause the reply names.
        """
        now = self._clock.monotonic()
        self._probe_done()
        if verdict.action is Action.PAUSE_QUOTA:
            self._pause(self.quota_reopens_at(verdict), f"sending quota used up ({verdict.reason})")
            return self.paused_until
        wait = verdict.pause_seconds or 0.0
        if verdict.scope is Scope.ACCOUNT and now < self._pushed_back_until:
            # Another lane's message, admitted before the last push-back, refused for the
            # same reason: the same event, not a reason to wait longer or to slow further.
            wait = max(0.0, wait - (self._pushed_back_until - now))
        elif verdict.scope is Scope.ACCOUNT:
            self._learner.pushback(now, self.current_rate)
            learned = self._learner.rate if self._learner.measured else None
            # Once the rate is known, a few of its intervals let a window free a place.
            wait = max(wait, self._backoff.next_delay(4 / learned if learned else None))
            self._pushed_back_until = now + wait
            self._probe_next = True
        if wait > 0:
            self._pause(now + wait, f"the server pushed back ({verdict.reason})")
        return self.paused_until

    def on_unsent(self) -> None:
        if self._probe_until > -math.inf:  # the probe came back unsent: the next one probes
            self._probe_done()
            self._probe_next = True

    def on_success(self) -> None:
        self._probe_done()
        now = self._clock.monotonic()
        if now < self._pushed_back_until:
            # Answered during a push-back's wait, so admitted before it (another lane's
            # message in flight): not the server accepting again. Read as that, it measured a
            # rate from a few milliseconds and reset the backoff, and the next refusals came
            # 0.05 s apart until ten in a row paused the send (real Postfix, 2 lanes).
            return
        self._learner.accepted(now)
        self._backoff.reset()

    def quota_reopens_at(self, verdict: Verdict | None = None) -> float:
        """Monotonic time at which a provider's rolling 24 h quota should allow sending again.

        A pause the reply itself implies wins (e.g. 163's 15-minute quota); otherwise the
        oldest send still inside the last 24 h, plus 24 h; with no record at all, 24 h.
        """
        now = self._clock.monotonic()
        if verdict is not None and verdict.pause_seconds:
            return now + verdict.pause_seconds
        oldest = self._day.oldest(now)
        return (oldest if oldest is not None else now) + WINDOW_SECONDS["day"]

    # -- internals ---------------------------------------------------------------------

    def _earliest(self, now: float, recipients: int, size: int) -> tuple[float, str]:
        """The earliest time every limit admits this message, and what binds."""
        candidates: list[tuple[float, str]] = [(now, "")]
        if self._paused_until > now:
            candidates.append((self._paused_until, self._pause_reason))
        for window in self._windows:
            at = window.earliest_admission(now, recipients)
            if at > now:
                candidates.append((at, self._window_reason(window, recipients)))
        if self._pace_next > now:
            candidates.append((self._pace_next, self._pace_reason()))
        if self._gap_next > now:
            reason = f"minimum pause of {self.limits.min_interval:g} s between messages"
            candidates.append((self._gap_next, reason))
        if self._bucket is not None:
            at = self._bucket.earliest_admission(now, size)
            if at > now:
                reason = f"bandwidth cap of {self.limits.bandwidth_kbps:g} KB/s"
                candidates.append((at, reason))
        return max(candidates, key=lambda c: c[0])

    def _admit(self, now: float, recipients: int, size: int) -> None:
        for window in self._windows:
            window.add(now, recipients)
        rate = self._pace_base()
        if rate is not None:
            step = 1.0 / rate
            # Lateness of up to one step is absorbed, so sleep overshoot does not slow the mean
            # rate (the windows still cap every span); after a longer idle spell pacing starts
            # afresh from now, so idleness earns no burst.
            late = now - self._pace_next
            base = self._pace_next if late <= step else now
            self._pace_next = base + recipients * step
        gap = self.limits.min_interval + self._rng.uniform(0.0, self.limits.jitter)
        if gap > 0:
            self._gap_next = now + gap
        if self._bucket is not None:
            self._bucket.take(now, size)
        if self._history is not None:
            self._history.record(recipients, self._clock.now())

    def _pace_base(self) -> float | None:
        """What the pacer spaces admissions by: the user's caps or the learned rate."""
        rates = [r for r in (self.limits.pace_rate, self._learner.rate) if r is not None]
        return min(rates) if rates else None

    def _pause(self, until: float, reason: str) -> None:
        if until > self._paused_until:
            self._paused_until = until
            self._pause_reason = reason

    def _notice_threshold(self, recipients: int) -> float:
        routine = 0.0
        rate = self._pace_base()
        if rate is not None:
            routine = recipients / rate
        gap = self.limits.min_interval + self.limits.jitter
        return max(self._notice_after, 1.5 * max(routine, gap))

    def _window_reason(self, window: RollingWindow, recipients: int) -> str:
        text = f"{_WINDOW_WORDS[window.name]} limit of {window.cap} reached"
        if window.cap is not None and recipients > window.cap:
            text += (
                f" (this message has {recipients} recipients, more than the limit; "
                "it goes alone once the window is empty)"
            )
        return text

    def _pace_reason(self) -> str:
        rate = self.current_rate or 0.0
        learned = self._learner.rate
        if learned is not None and learned <= (self.limits.pace_rate or math.inf):
            return f"pacing at {rate:.3g}/s, the rate the server accepts (learned from push-back)"
        return f"pacing at {rate:.3g}/s"

    def _format(self, monotonic: float) -> str:
        return self.to_wall(monotonic).astimezone().strftime("%Y-%m-%d %H:%M:%S")
