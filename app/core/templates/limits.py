"""How long rendering one message may take, and how big it may get.

A template comes from whoever made the campaign, and the values from a workbook someone else
may have sent: `{% for i in range(100000) %}{% for j in range(100000) %}` would run for hours,
`(10**100000000) % 7` computes a 40 MB number, `'x' * 500000000` asks for 500 MB. Each message
therefore renders under a `RenderLimits` budget (2 s, 10 MB by default), metered by a
`RenderMeter` that the sandbox (environment.py) consults:

* before an operation that would make something huge (`**`, `*`, `+`, `%`-formatting, padding
  methods and filters such as `center`), the *estimated* size is compared with the budget, so
  the 500 MB string is never allocated;
* the deadline is checked from every sandbox hook (attribute and item lookups, calls,
  intercepted operators, filters), on every turn of a `{% for %}` loop (each loop's iterable is
  wrapped at compile time) and for every piece of output;
* the output is counted while it is produced.

The clock is injected (`RenderLimits.clock`), so tests drive the deadline without waiting.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """The budget of one message: `seconds` of rendering and `max_bytes` of rendered text."""

    seconds: float = 2.0
    max_bytes: int = 10 * MB
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)


DEFAULT_LIMITS = RenderLimits()


class RenderLimitError(Exception):
    """Rendering went over its budget; `too_slow` says which one (time, else size)."""

    def __init__(self, limits: RenderLimits, *, too_slow: bool) -> None:
        self.limits = limits
        self.too_slow = too_slow
        super().__init__(self.describe())

    def describe(self) -> str:
        if self.too_slow:
            return (
                f"takes too long to render (more than {self.limits.seconds:g} s for one "
                "message); make its loops smaller"
            )
        size = self.limits.max_bytes
        shown = f"{size / MB:g} MB" if size >= MB else f"{size:,} bytes"
        return (
            f"makes a message too large (more than {shown} of text); make what it repeats "
            "or multiplies smaller"
        )


class RenderPostponed(Exception):
    """Rendering took longer than the caller's slice (`RenderMeter(slice_seconds=...)`): not
    a problem of the row. The window renders on its event loop in short slices and re-runs
    such a row in a worker thread, so a slow template cannot freeze it for the whole budget."""


class RenderMeter:
    """One message's budget while it renders: the deadline and the output counted so far.

    With `slice_seconds`, reaching that (shorter) time raises RenderPostponed instead.
    """

    __slots__ = ("_clock", "_deadline", "_postpone", "_stop", "limits", "max_chars", "output")

    def __init__(self, limits: RenderLimits, slice_seconds: float | None = None) -> None:
        self.limits = limits
        self._clock = limits.clock
        started = limits.clock()
        self._deadline = started + limits.seconds
        self._postpone = False
        self._stop = self._deadline
        if slice_seconds is not None and slice_seconds < limits.seconds:
            self._postpone = True
            self._stop = started + slice_seconds
        # Sizes are compared in characters, which never outnumber UTF-8 bytes; the rendered
        # parts are measured in bytes once finished (CompiledTemplate.render).
        self.max_chars = limits.max_bytes
        self.output = 0

    def tick(self) -> None:
        if self._clock() > self._stop:
            self._late()

    def _late(self) -> None:
        if self._postpone:
            raise RenderPostponed
        raise RenderLimitError(self.limits, too_slow=True)

    def allow(self, size: int) -> None:
        """Refuse to make something of `size` characters (or items)."""
        if size > self.max_chars:
            raise RenderLimitError(self.limits, too_slow=False)

    def collect(self, chunks: Iterable[str]) -> str:
        """The output of one template part joined, counted as it comes and timed every few
        pieces (a template yields a piece per literal and per value: hundreds per message)."""
        pieces: list[str] = []
        append = pieces.append
        total, limit = 0, self.max_chars
        clock, stop = self._clock, self._stop
        for count, chunk in enumerate(chunks):
            total += len(chunk)
            if total > limit:
                raise RenderLimitError(self.limits, too_slow=False)
            if not count & 31 and clock() > stop:
                self._late()
            append(chunk)
        self.output = total
        return "".join(pieces)


_meter: ContextVar[RenderMeter | None] = ContextVar("herald_render_meter", default=None)


def current() -> RenderMeter | None:
    return _meter.get()


def metering(meter: RenderMeter) -> Any:
    """`token = metering(m)` ... `_meter.reset(token)`: the meter the sandbox consults."""
    return _meter.set(meter)


def stop_metering(token: Any) -> None:
    _meter.reset(token)


# --- estimating sizes before making them --------------------------------------------------


def weight(value: object) -> int:
    """A cheap size estimate: characters of a string, elements (and their strings) of a
    sequence, 1 for anything else."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple):
        return len(value) + sum(len(v) for v in value if isinstance(v, str | bytes))
    return 1


def power_bits(base: object, exponent: object) -> int:
    """Bits in `base ** exponent` for ints (0 when it is not an int power worth checking)."""
    if not isinstance(base, int) or not isinstance(exponent, int) or exponent <= 1:
        return 0
    if abs(base) <= 1:
        return 0
    return exponent * abs(base).bit_length()


# `%` conversions (`%500000000s`) and `{:>500000000}` fields: the widths and precisions asked.
_PERCENT_WIDTHS = re.compile(r"%[#0\- +]*(\d*)(?:\.(\d+))?")
_FORMAT_FIELDS = re.compile(r"\{[^{}]*?:([^{}]*)\}")
_DIGITS = re.compile(r"\d+")


def percent_width(template: str) -> int:
    widest = 0
    if "%" in template:
        for width, precision in _PERCENT_WIDTHS.findall(template):
            widest = max(widest, int(width or 0), int(precision or 0))
    return widest


def format_width(template: str) -> int:
    widest = 0
    if "{" in template:
        for spec in _FORMAT_FIELDS.findall(template):
            for digits in _DIGITS.findall(spec):
                widest = max(widest, int(digits))
    return widest
