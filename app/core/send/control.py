"""Pause, resume, cancel and stop for one send run, and the waits they interrupt.

Workers never poll: they wait on `changed`, an event replaced on every change, so a pause,
a resume, a released row or the end of the work wakes every waiting worker at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.core.send.contracts import Clock, Reply
from app.core.send.events import AnyEvent, Paused, Resumed, Stopped

Emit = Callable[[AnyEvent], None]
T = TypeVar("T")


class RunControl:
    def __init__(self, clock: Clock, emit: Emit, on_resume: Callable[[], None]) -> None:
        self._clock = clock
        self._emit = emit
        self._on_resume = on_resume  # the failure streaks start afresh after a pause
        self.changed = asyncio.Event()
        self.paused: Paused | None = None
        self.stopped: Stopped | None = None
        self.cancelled = False
        self.hold_until = 0.0  # monotonic: every lane waits (account-wide push-back)
        self._pause_timer: asyncio.Task[None] | None = None
        self._acquiring: set[asyncio.Future[None]] = set()  # lanes waiting for the limiter
        self._cancel_requested: asyncio.Future[None] | None = None  # made on first need

    @property
    def ended(self) -> bool:
        return self.stopped is not None or self.cancelled

    def may_start(self) -> bool:
        """May a new message begin? Not while paused, stopped or cancelled."""
        return self.paused is None and not self.ended

    # ---------------------------------------------------------------------------- changes

    def pause(
        self,
        reason: str,
        seconds: float | None,
        *,
        reply: Reply | None = None,
        by_user: bool = False,
    ) -> None:
        """Finish what is in flight, then wait: until resume(), or `seconds` if given."""
        if self.paused is not None or self.stopped is not None:
            return
        until = None if seconds is None else self._clock.monotonic() + seconds
        self.paused = Paused(
            at=self._clock.now(),
            reason=reason,
            until=None if until is None else self.wall(until),
            code=reply.code if reply else None,
            text=reply.text if reply else "",
            by_user=by_user,
        )
        self._emit(self.paused)
        if until is not None:
            self._pause_timer = asyncio.ensure_future(self._resume_at(until, self.paused))
        self.notify()

    def resume(self) -> None:
        if self.paused is None:
            return
        self.paused = None
        if self._pause_timer is not None:
            self._pause_timer.cancel()
            self._pause_timer = None
        self.hold_until = 0.0
        self._on_resume()
        self._emit(Resumed(at=self._clock.now()))
        self.notify()

    def cancel(self) -> None:
        self.cancelled = True
        if self._cancel_requested is not None and not self._cancel_requested.done():
            self._cancel_requested.set_result(None)
        self._interrupt_waits()
        self.notify()

    def stop(self, reason: str, reply: Reply, hint: str) -> None:
        """Stop the whole send now (a refused login, a connection that cannot be made safe)."""
        if self.stopped is not None:
            return
        self.stopped = Stopped(
            at=self._clock.now(), reason=reason, code=reply.code, text=reply.text, hint=hint
        )
        self._emit(self.stopped)
        self._interrupt_waits()
        self.notify()

    def close(self) -> None:
        if self._pause_timer is not None:
            self._pause_timer.cancel()

    async def _resume_at(self, until: float, pause: Paused) -> None:
        while self.paused is pause and (left := until - self._clock.monotonic()) > 0:
            await self._clock.sleep(left)
        if self.paused is pause:
            self._pause_timer = None
            self.resume()

    # ------------------------------------------------------------------------------ waits

    async def interruptible(self, waiting: asyncio.Future[None]) -> None:
        """Await a limiter wait that cancel() and stop() may cut short (a day cap)."""
        self._acquiring.add(waiting)
        try:
            await waiting
        finally:
            self._acquiring.discard(waiting)

    async def cut_short(self, work: Awaitable[T], grace: float) -> tuple[bool, T | None]:
        """Await `work`; once cancel() is called, give it `grace` seconds more, then cancel it.

        Returns (True, result), or (False, None) when it was cut short. This is what makes
        Ctrl-C act within a second against a slow server: a message in flight may otherwise
        wait minutes for its reply (data_timeout), and an opening connection its timeout.
        """
        task = asyncio.ensure_future(work)
        if self._cancel_requested is None:
            self._cancel_requested = asyncio.get_running_loop().create_future()
            if self.cancelled:
                self._cancel_requested.set_result(None)
        try:
            either: set[asyncio.Future[Any]] = {task, self._cancel_requested}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            if not task.done():
                grace_over = asyncio.ensure_future(self._clock.sleep(grace))
                either = {task, grace_over}
                await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                grace_over.cancel()
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                if task.cancelled():
                    return False, None
            return True, task.result()
        finally:
            if not task.done():  # our caller itself is being cancelled: the work goes too
                task.cancel()

    def _interrupt_waits(self) -> None:
        for waiting in self._acquiring:
            waiting.cancel()

    def notify(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()

    async def wait(self, changed: asyncio.Event, seconds: float | None) -> None:
        """Until something changes (pause, resume, a row released) or `seconds` pass."""
        waiter = asyncio.ensure_future(changed.wait())
        pending: list[asyncio.Future[Any]] = [waiter]
        if seconds is not None:
            pending.append(asyncio.ensure_future(self._clock.sleep(seconds)))
        try:
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for future in pending:
                future.cancel()

    def wall(self, monotonic: float) -> dt.datetime:
        return self._clock.now() + dt.timedelta(seconds=monotonic - self._clock.monotonic())
