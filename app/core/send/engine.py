"""The send engine: workers, pause / resume / cancel, and what to do about every reply.

Up to N workers ("lanes") each hold one reused connection. A lane claims a row from the journal,
re-renders its message (so 100,000 rows are streamed, never held), waits for the limiter, commits
`sending` BEFORE the message goes out, sends, classifies the reply and commits the outcome with
it. Everything that varies (clock, connector, limiter, journal, classifier) is handed in, so the
engine is tested against a real loopback server with a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

from app.core.model import RenderedMessage
from app.core.send.contracts import (
    Action,
    Clock,
    Connection,
    Connector,
    Limiter,
    Reply,
    Scope,
    SendResult,
    SmtpError,
    Stage,
    Verdict,
)
from app.core.send.eventhub import EventCallback, EventHub
from app.core.send.events import (
    AnyEvent,
    Deferred,
    Failed,
    Finished,
    Paused,
    Refusal,
    Resumed,
    Sent,
    Started,
    Stopped,
    Throttled,
    Unknown,
)
from app.core.send.policy import EngineOptions
from app.core.send.ports import ClaimedRow, SendJournal

Classifier = Callable[[Reply], Verdict]
IDLE_CONNECTION_SECONDS = 60.0  # after a longer limiter wait the lane reconnects
COMMIT_WITHIN = 0.2  # seconds an outcome may wait for the next durable journal write
MessageSource = Callable[[int], RenderedMessage]


class _Lane:
    """One worker's connection and how much it has carried."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.connection: Connection | None = None
        self.messages = 0  # on the current connection
        self.faults = 0  # connection faults in a row on this lane, for its reconnect backoff
        self.hold_until = 0.0  # monotonic: this lane waits (a 421 closed its connection)

    async def drop(self) -> None:
        connection, self.connection = self.connection, None
        self.messages = 0
        if connection is not None:
            # closing a broken connection may fail; it is gone either way
            with contextlib.suppress(TimeoutError, OSError, SmtpError):
                await connection.close()


class SendEngine:
    def __init__(
        self,
        journal: SendJournal,
        message_source: MessageSource,
        connector: Connector,
        limiter: Limiter,
        clock: Clock,
        options: EngineOptions | None = None,
        *,
        classify: Classifier | None = None,
        on_event: EventCallback | None = None,
    ) -> None:
        if classify is None:
            from app.core.send.replies import classify as default_classify

            classify = default_classify
        self._journal = journal
        self._source = message_source
        self._connector = connector
        self._limiter = limiter
        self._clock = clock
        self._options = options or EngineOptions()
        self._classify = classify
        self._hub = EventHub()
        if on_event is not None:
            self._hub.subscribe(on_event)
        self._changed = asyncio.Event()  # replaced on every notify: waiters wake on any change
        self._in_flight = 0
        self._started = 0  # messages begun in this run (for --limit)
        self._sent = 0
        self._failures_in_row = 0
        self._content_rejections = 0
        self._hold_until = 0.0  # monotonic: every lane waits (account-wide push-back)
        self._paused: Paused | None = None
        self._pause_timer: asyncio.Task[None] | None = None
        self._cancelled = False
        self._stopped: Stopped | None = None
        self._running = False
        self._proven = False  # a connection has opened (and signed in) in this run
        self._first_open = asyncio.Lock()
        self._acquiring: set[asyncio.Future[None]] = set()  # lanes waiting for the limiter
        self._commit_timer: asyncio.TimerHandle | None = None
        self._fatal: Exception | None = None  # a journal write failed outside a worker

    # ----------------------------------------------------------------- observers and controls

    def subscribe(self, callback: EventCallback) -> None:
        self._hub.subscribe(callback)

    def events(self) -> AsyncIterator[AnyEvent]:
        """Every event from now on, ending after Finished."""
        return self._hub.stream()

    @property
    def paused(self) -> Paused | None:
        return self._paused

    def pause(self, reason: str = "Paused by you.") -> None:
        """Finish the messages in flight, then wait (with no connection open) until resume()."""
        self._pause(reason, None, by_user=True)

    def resume(self) -> None:
        if self._paused is None:
            return
        self._paused = None
        if self._pause_timer is not None:
            self._pause_timer.cancel()
            self._pause_timer = None
        self._failures_in_row = 0
        self._content_rejections = 0
        self._hold_until = 0.0
        self._emit(Resumed(at=self._clock.now()))
        self._notify()

    def cancel(self) -> None:
        """Finish the messages in flight, then stop. The journal keeps the rest for --resume."""
        self._cancelled = True
        self._interrupt_waits()
        self._notify()

    # ------------------------------------------------------------------------------- the run

    async def run(self) -> Finished:
        if self._running:
            raise RuntimeError("this engine is already running")
        self._running = True
        began = self._clock.monotonic()
        counts = {str(k): v for k, v in self._journal.counts().items()}
        self._emit(Started(at=self._clock.now(), total=sum(counts.values()), counts=counts))
        lanes = [_Lane(i) for i in range(self._options.connections)]
        tasks = [asyncio.create_task(self._work(lane)) for lane in lanes]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for lane in lanes:
                await lane.drop()
            if self._pause_timer is not None:
                self._pause_timer.cancel()
            if self._commit_timer is not None:
                self._commit_timer.cancel()
            self._journal.commit()
        if self._fatal is not None:
            raise self._fatal
        finished = Finished(
            at=self._clock.now(),
            counts={str(k): v for k, v in self._journal.counts().items()},
            stopped=self._stopped.reason if self._stopped else None,
            cancelled=self._cancelled,
            paused=self._paused.reason if self._paused else None,
            sent_this_run=self._sent,
            elapsed_seconds=self._clock.monotonic() - began,
        )
        self._emit(finished)
        return finished

    async def _work(self, lane: _Lane) -> None:
        while True:
            changed = self._changed
            if self._stopped is not None or self._cancelled:
                return
            if self._paused is not None:
                await lane.drop()  # no connection stays open while paused
                await self._wait(changed, None)
                continue
            hold = max(self._hold_until, lane.hold_until) - self._clock.monotonic()
            if hold > 0:
                await self._wait(changed, hold)
                continue
            if self._options.limit is not None and self._started >= self._options.limit:
                if self._in_flight == 0:
                    return
                await self._wait(changed, None)
                continue
            row = self._journal.claim_next(self._clock.now())
            if row is None:
                due = self._journal.next_deferred_at()
                if due is None and self._in_flight == 0:
                    self._notify()  # wake the other lanes so they see the end too
                    return
                seconds = None if due is None else (due - self._clock.now()).total_seconds()
                await self._wait(changed, max(seconds, 0.0) if seconds is not None else None)
                continue
            self._in_flight += 1
            self._started += 1
            try:
                await self._process(lane, row)
            finally:
                self._in_flight -= 1
                self._commit_soon()
                self._notify()

    # ------------------------------------------------------------------------- one message

    async def _process(self, lane: _Lane, row: ClaimedRow) -> None:
        try:
            message = self._source(row.row)
        except Exception as exc:
            reply = Reply(None, f"The message could not be built: {exc}", Stage.CONNECT)
            self._journal.mark_failed(row, None, reply.text, reply.stage)
            self._emit_failed(row, reply, reply.text)
            return
        waited_from = self._clock.monotonic()
        if not await self._acquire(row, message):
            self._started -= 1
            return
        if self._clock.monotonic() - waited_from > IDLE_CONNECTION_SECONDS:
            await lane.drop()  # servers hang up on idle sessions; start the next one fresh
        if not self._may_start():
            self._journal.release(row)
            self._started -= 1
            return
        if not await self._ensure_connection(lane, row):
            self._started -= 1
            return
        assert lane.connection is not None
        # Durable before DATA (the transport calls back just before it): after a crash from
        # there on the row is `unknown`. Held until then, so the fsync overlaps MAIL and RCPT
        # and is often carried by another lane's commit.
        ticket = self._journal.mark_sending(row, message.message_id, durable=False)
        result = await self._send(lane.connection, message, lambda: self._journal.commit(ticket))
        lane.messages += 1
        verdict = self._classify(result.reply)
        await self._settle(lane, row, message, result, verdict)
        if lane.connection is not None and not lane.connection.is_open:
            await lane.drop()

    def _may_start(self) -> bool:
        return self._paused is None and self._stopped is None and not self._cancelled

    async def _acquire(self, row: ClaimedRow, message: RenderedMessage) -> bool:
        """Wait for the limiter; give the row back if the send is cancelled meanwhile."""

        def on_wait(until_monotonic: float, reason: str) -> None:
            self._emit(
                Throttled(
                    at=self._clock.now(),
                    until=self._wall(until_monotonic),
                    reason=reason,
                    row=row.row,
                    address=row.address,
                )
            )

        acquire = asyncio.ensure_future(
            self._limiter.acquire(len(message.recipients), len(message.data), on_wait=on_wait)
        )
        self._acquiring.add(acquire)  # cancel() and a stop interrupt a long wait (a day cap)
        try:
            await acquire
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the run itself is being torn down
            self._journal.release(row)
            return False
        finally:
            self._acquiring.discard(acquire)
        return True

    async def _ensure_connection(self, lane: _Lane, row: ClaimedRow) -> bool:
        spent = lane.messages >= self._options.max_messages_per_connection
        if lane.connection is not None and (spent or not lane.connection.is_open):
            await lane.drop()  # QUIT after the maximum per connection, then a fresh one
        if lane.connection is not None:
            return True
        if self._proven:
            return await self._open(lane, row)
        # Until one connection has signed in, lanes open one at a time: a wrong password then
        # costs exactly one refused login, not one per lane (accounts get locked for less).
        async with self._first_open:
            if not self._may_start():
                self._journal.release(row)
                return False
            return await self._open(lane, row)

    async def _open(self, lane: _Lane, row: ClaimedRow) -> bool:
        try:
            lane.connection = await self._connector.open()
        except SmtpError as exc:
            self._journal.release(row)
            self._connect_fault(lane, exc.reply, exc.hint)
            return False
        except (TimeoutError, OSError) as exc:
            self._journal.release(row)
            self._connect_fault(lane, Reply(None, _describe(exc), Stage.CONNECT), "")
            return False
        lane.messages = 0
        self._proven = True
        return True

    async def _send(
        self, connection: Connection, message: RenderedMessage, before_data: Callable[[], None]
    ) -> SendResult:
        try:
            return await connection.send(message, before_data=before_data)
        except SmtpError as exc:
            return SendResult(reply=exc.reply)
        except (TimeoutError, OSError) as exc:
            # The transport should have said at which stage; if it did not, assume the worst
            # (after the final dot), so the row is never resent blindly.
            return SendResult(reply=Reply(None, _describe(exc), Stage.MESSAGE))

    # ----------------------------------------------------------------------- the outcomes

    def _connect_fault(self, lane: _Lane, reply: Reply, hint: str) -> None:
        verdict = self._classify(reply)
        if _never_retry(reply):
            reason = hint or verdict.reason
            if verdict.action is Action.STOP and hint:
                reason = verdict.reason
            self._stop(reason, reply, hint)
            return
        if verdict.action in (Action.STOP, Action.FAIL):
            self._stop(verdict.reason, reply, hint)
            return
        if verdict.action is Action.PAUSE_QUOTA:
            self._limiter.on_pushback(verdict)
            self._quota_pause(verdict, reply)
            return
        if verdict.action is Action.THROTTLE:
            self._limiter.on_pushback(verdict)
        self._lane_backoff(lane, verdict, reply)

    def _lane_backoff(self, lane: _Lane, verdict: Verdict, reply: Reply) -> None:
        """Reconnect later; an account-wide push-back holds every lane."""
        lane.faults += 1
        delay = verdict.pause_seconds
        if delay is None:
            delay = self._options.reconnect_after(lane.faults)
        until = self._clock.monotonic() + delay
        if verdict.action is Action.THROTTLE and verdict.scope is Scope.ACCOUNT:
            self._hold_until = max(self._hold_until, until)
        else:
            lane.hold_until = until
        self._emit(
            Throttled(
                at=self._clock.now(),
                until=self._wall(until),
                reason=verdict.reason,
                code=reply.code,
                text=reply.text,
            )
        )
        self._count_failure(verdict.reason, reply)

    async def _settle(
        self,
        lane: _Lane,
        row: ClaimedRow,
        message: RenderedMessage,
        result: SendResult,
        verdict: Verdict,
    ) -> None:
        reply = result.reply
        action = verdict.action
        if action is Action.SUCCESS:
            await self._succeeded(lane, row, message, result)
        elif action is Action.UNKNOWN:
            self._journal.mark_unknown(row, reply.code, reply.text)
            await lane.drop()
            self._emit(
                Unknown(
                    at=self._clock.now(),
                    row=row.row,
                    address=row.address,
                    message_id=message.message_id,
                    text=verdict.reason,
                )
            )
            self._count_failure(verdict.reason, reply)
        elif action is Action.FAIL and verdict.scope in (Scope.RECIPIENT, Scope.MESSAGE):
            self._journal.mark_failed(row, reply.code, reply.text, reply.stage)
            self._emit_failed(row, reply, verdict.reason)
            if verdict.scope is Scope.MESSAGE:
                self._content_rejections += 1
                if self._content_rejections >= self._options.same_content_rejection_limit:
                    self._pause(
                        f"The server rejected the message content {self._content_rejections} "
                        f"times in a row (content rejected): {verdict.reason}",
                        None,
                        reply=reply,
                    )
            self._count_failure(verdict.reason, reply)
        elif action is Action.RETRY and verdict.scope is not Scope.CONNECTION:
            self._defer(row, reply, verdict)
        elif action is Action.STOP or action is Action.FAIL:
            self._journal.release(row)
            self._stop(verdict.reason, reply, "")
        elif action is Action.PAUSE_QUOTA:
            self._journal.release(row)
            self._limiter.on_pushback(verdict)
            await lane.drop()
            self._quota_pause(verdict, reply)
        else:  # THROTTLE, or a connection lost before the message went out: nothing was sent
            self._journal.release(row)
            if action is Action.THROTTLE:
                self._limiter.on_pushback(verdict)
            await lane.drop()
            self._lane_backoff(lane, verdict, reply)

    async def _succeeded(
        self, lane: _Lane, row: ClaimedRow, message: RenderedMessage, result: SendResult
    ) -> None:
        reply = result.reply
        refused = tuple(
            Refusal(address=address, code=r.code, text=r.text)
            for address, r in result.refused.items()
        )
        text = reply.text
        if refused:  # the journal row is the message; say who of its recipients was refused
            text += " (refused: " + "; ".join(f"{r.address}: {r.code} {r.text}" for r in refused)
            text += ")"
        self._journal.mark_sent(row, reply.code or 250, text)
        self._limiter.on_success()
        self._sent += 1
        lane.faults = 0
        self._failures_in_row = 0
        self._content_rejections = 0
        self._emit(
            Sent(
                at=self._clock.now(),
                row=row.row,
                address=row.address,
                message_id=message.message_id,
                code=reply.code,
                text=reply.text,
                refused=refused,
            )
        )

    def _defer(self, row: ClaimedRow, reply: Reply, verdict: Verdict) -> None:
        attempts = row.attempts + 1
        if attempts >= self._options.max_attempts:
            reason = f"Gave up after {attempts} attempts. {verdict.reason}"
            self._journal.mark_failed(row, reply.code, reply.text, reply.stage)
            self._emit_failed(row, reply, reason)
        else:
            delay = max(self._options.retry_after(attempts), verdict.pause_seconds or 0.0)
            when = self._clock.now() + dt.timedelta(seconds=delay)
            self._journal.mark_deferred(row, reply.code, reply.text, reply.stage, when)
            self._emit(
                Deferred(
                    at=self._clock.now(),
                    row=row.row,
                    address=row.address,
                    code=reply.code,
                    text=reply.text,
                    reason=verdict.reason,
                    attempt=attempts,
                    next_attempt_at=when,
                )
            )
        self._count_failure(verdict.reason, reply)

    def _emit_failed(self, row: ClaimedRow, reply: Reply, reason: str) -> None:
        self._emit(
            Failed(
                at=self._clock.now(),
                row=row.row,
                address=row.address,
                code=reply.code,
                text=reply.text,
                reason=reason,
                stage=str(reply.stage),
            )
        )

    def _count_failure(self, reason: str, reply: Reply) -> None:
        """Ten failures in a row mean something is wrong that retrying will not fix."""
        self._failures_in_row += 1
        if self._failures_in_row >= self._options.consecutive_failure_limit:
            self._pause(
                f"{self._failures_in_row} failures in a row; the last: {reason}", None, reply=reply
            )

    # ------------------------------------------------------------------ pause, stop, waits

    def _quota_pause(self, verdict: Verdict, reply: Reply) -> None:
        seconds = verdict.pause_seconds
        reopens = getattr(self._limiter, "quota_reopens_at", None)
        if callable(reopens):  # the limiter knows when its rolling day frees up
            at = reopens(verdict)
            if isinstance(at, float | int):
                seconds = float(at) - self._clock.monotonic()
        if seconds is None or seconds <= 0:
            seconds = self._options.quota_pause
        self._pause(verdict.reason, seconds, reply=reply)

    def _pause(
        self,
        reason: str,
        seconds: float | None,
        *,
        reply: Reply | None = None,
        by_user: bool = False,
    ) -> None:
        if self._paused is not None or self._stopped is not None:
            return
        until = None if seconds is None else self._clock.monotonic() + seconds
        self._paused = Paused(
            at=self._clock.now(),
            reason=reason,
            until=None if until is None else self._wall(until),
            code=reply.code if reply else None,
            text=reply.text if reply else "",
            by_user=by_user,
        )
        self._emit(self._paused)
        if until is not None:
            self._pause_timer = asyncio.ensure_future(self._resume_at(until, self._paused))
        self._notify()

    async def _resume_at(self, until: float, pause: Paused) -> None:
        while self._paused is pause and (left := until - self._clock.monotonic()) > 0:
            await self._clock.sleep(left)
        if self._paused is pause:
            self._pause_timer = None
            self.resume()

    def _stop(self, reason: str, reply: Reply, hint: str) -> None:
        if self._stopped is not None:
            return
        self._stopped = Stopped(
            at=self._clock.now(), reason=reason, code=reply.code, text=reply.text, hint=hint
        )
        self._emit(self._stopped)
        self._interrupt_waits()
        self._notify()

    def _interrupt_waits(self) -> None:
        for waiting in self._acquiring:
            waiting.cancel()

    def _commit_soon(self) -> None:
        """Outcomes ride along with the next `sending` commit; this bounds how long they wait
        when no next message comes soon (a pause, a long limiter wait, the end)."""
        if self._commit_timer is None:
            loop = asyncio.get_running_loop()
            self._commit_timer = loop.call_later(COMMIT_WITHIN, self._commit_held)

    def _commit_held(self) -> None:
        self._commit_timer = None
        try:
            self._journal.commit()
        except Exception as exc:  # the journal's own error, with what to do; run() raises it
            self._fatal = exc
            self._stop(str(exc), Reply(None, str(exc), Stage.CONNECT), "")

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait(self, changed: asyncio.Event, seconds: float | None) -> None:
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

    def _wall(self, monotonic: float) -> dt.datetime:
        return self._clock.now() + dt.timedelta(seconds=monotonic - self._clock.monotonic())

    def _emit(self, event: AnyEvent) -> None:
        self._hub.emit(event)


# Faults before the first MAIL that no retry can cure: a refused login (retrying it is how
# accounts get locked), and a connection that cannot be made safe (no STARTTLS, a certificate
# that does not verify, a login that would go out unencrypted).
_SECURITY_FAULT = re.compile(r"STARTTLS|TLS|certificate|unencrypted|no password", re.IGNORECASE)


def _never_retry(reply: Reply) -> bool:
    if reply.stage is Stage.AUTH:
        return reply.code is not None or _SECURITY_FAULT.search(reply.text) is not None
    return reply.code is None and _SECURITY_FAULT.search(reply.text) is not None


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if str(exc) else text
