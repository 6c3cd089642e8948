"""The send engine: workers over reused connections, and the run's public controls.

Up to N workers ("lanes") each hold one reused connection. A lane claims a row from the journal,
re-renders its message (so 100,000 rows are streamed, never held), waits for the limiter, marks
the row `sending` (durable before DATA), sends, and settles the reply. The parts: lanes.py
(connections), outcomes.py (what each reply means for the row and the run), control.py (pause,
resume, cancel, stop and the waits). Everything that varies (clock, connector, limiter,
journal, classifier) is handed in, so the engine is tested against a real loopback server with
a fake clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from app.core.model import RenderedMessage
from app.core.send.contracts import (
    Clock,
    Connection,
    Connector,
    Limiter,
    Reply,
    SendResult,
    SmtpError,
    Stage,
)
from app.core.send.control import RunControl
from app.core.send.eventhub import EventCallback, EventHub
from app.core.send.events import AnyEvent, Finished, Paused, Started, Throttled
from app.core.send.lanes import Connections, Lane
from app.core.send.outcomes import Classifier, Outcomes, describe
from app.core.send.policy import EngineOptions
from app.core.send.ports import ClaimedRow, SendJournal
from app.core.send.run_events import RunEventRecorder
from app.core.send.schedule import ScheduleGate

__all__ = ["Classifier", "MessageSource", "SendEngine"]

IDLE_CONNECTION_SECONDS = 60.0  # after a longer limiter wait the lane reconnects
COMMIT_WITHIN = 0.2  # seconds an outcome may wait for the next durable journal write
CANCEL_GRACE = 0.5  # after cancel(), seconds a message in flight may take to finish
MessageSource = Callable[[int], RenderedMessage]


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
        self._limiter = limiter
        self._clock = clock
        self._options = options or EngineOptions()
        self._hub = EventHub()
        # first: the journal holds each turning point before any observer reads it
        self._hub.subscribe(RunEventRecorder(journal))
        if on_event is not None:
            self._hub.subscribe(on_event)
        emit = self._hub.emit
        self._control = RunControl(clock, emit, on_resume=lambda: self._outcomes.reset_streaks())
        self._outcomes = Outcomes(
            journal, limiter, clock, self._options, self._control, classify, emit
        )
        self._connections = Connections(
            connector,
            journal,
            self._options,
            self._control,
            self._outcomes.connect_fault,
            clock,
            emit,
        )
        self._schedule = ScheduleGate(self._options.schedule, clock, emit)
        self._in_flight = 0
        self._started = 0  # messages begun in this run (for --limit)
        self._running = False
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
        return self._control.paused

    def pause(self, reason: str = "Paused by you.") -> None:
        """Finish the messages in flight, then wait (with no connection open) until resume()."""
        self._control.pause(reason, None, by_user=True)

    def resume(self) -> None:
        self._control.resume()

    def cancel(self) -> None:
        """Stop within a second: messages in flight get CANCEL_GRACE to finish, then are cut
        short (given back, or `unknown` if the body had left). The rest stays for --resume."""
        self._control.cancel()

    # ------------------------------------------------------------------------------- the run

    async def run(self) -> Finished:
        if self._running:
            raise RuntimeError("this engine is already running")
        self._running = True
        began = self._clock.monotonic()
        counts = {str(k): v for k, v in self._journal.counts().items()}
        self._hub.emit(Started(at=self._clock.now(), total=sum(counts.values()), counts=counts))
        lanes = [Lane(i) for i in range(self._options.connections)]
        tasks = [asyncio.create_task(self._work(lane)) for lane in lanes]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._drop_all(lanes)
            self._control.close()
            if self._commit_timer is not None:
                self._commit_timer.cancel()
            try:
                self._journal.commit()  # the last outcomes, before anyone reads the counts
            except Exception as exc:
                self._fatal = self._fatal or exc
        if self._fatal is not None:
            raise self._fatal
        control = self._control
        finished = Finished(
            at=self._clock.now(),
            counts={str(k): v for k, v in self._journal.counts().items()},
            stopped=control.stopped.reason if control.stopped else None,
            cancelled=control.cancelled,
            paused=control.paused.reason if control.paused else None,
            sent_this_run=self._outcomes.sent,
            elapsed_seconds=self._clock.monotonic() - began,
        )
        self._hub.emit(finished)
        return finished

    async def _drop_all(self, lanes: list[Lane]) -> None:
        """QUIT every connection at once; after cancel() a slow server gets CANCEL_GRACE."""
        drops = [asyncio.ensure_future(lane.drop()) for lane in lanes]
        if not drops:
            return
        timeout = CANCEL_GRACE if self._control.cancelled else None
        _, late = await asyncio.wait(drops, timeout=timeout)
        for drop in late:
            drop.cancel()
        if late:
            await asyncio.wait(late)

    async def _work(self, lane: Lane) -> None:
        control = self._control
        while True:
            changed = control.changed
            if control.ended:
                return
            if control.paused is not None:
                await lane.drop()  # no connection stays open while paused
                await control.wait(changed, None)
                continue
            hold = max(control.hold_until, lane.hold_until) - self._clock.monotonic()
            if hold > 0:
                await control.wait(changed, hold)
                continue
            if self._options.limit is not None and self._started >= self._options.limit:
                if self._in_flight == 0:
                    return
                await control.wait(changed, None)
                continue
            if not self._connections.may_work(lane):  # the server takes fewer connections
                await control.wait(changed, self._connections.plan.seconds_to_probe())
                continue
            row = self._journal.claim_next(self._clock.now())
            if row is None:
                due = self._journal.next_deferred_at()
                if due is None and self._in_flight == 0:
                    await lane.drop()  # its seat is free: a waiting lane may see the end
                    control.notify()  # wake the other lanes so they see the end too
                    return
                seconds = None if due is None else (due - self._clock.now()).total_seconds()
                await control.wait(changed, max(seconds, 0.0) if seconds is not None else None)
                continue
            if await self._wait_for_schedule(lane, row, changed):
                continue
            self._in_flight += 1
            self._started += 1
            try:
                await self._process(lane, row)
            finally:
                self._in_flight -= 1
                self._commit_soon()
                control.notify()

    # ------------------------------------------------------------------------- one message

    async def _process(self, lane: Lane, row: ClaimedRow) -> None:
        try:
            message = self._source(row.row)
        except Exception as exc:
            self._outcomes.not_built(row, exc)
            return
        waited_from = self._clock.monotonic()
        if not await self._acquire(row, message):
            self._started -= 1
            return
        if self._schedule.seconds_to_wait() > 0:
            # the limiter's wait ran past the sending hours: wait for them again (the limiter
            # has counted this one, so a day's cap may lose one message; none goes outside)
            self._journal.release(row)
            self._started -= 1
            self._limiter.on_unsent()
            return
        if self._clock.monotonic() - waited_from > IDLE_CONNECTION_SECONDS:
            await lane.drop()  # servers hang up on idle sessions; start the next one fresh
        if not self._control.may_start():
            self._journal.release(row)
            self._started -= 1
            self._limiter.on_unsent()
            return
        ensure = self._connections.ensure(lane, row)
        opened: bool | None
        reused = lane.connection is not None and lane.connection.is_open
        if reused and lane.messages < self._options.max_messages_per_connection:
            finished, opened = True, await ensure  # nothing to wait for
        else:
            finished, opened = await self._control.cut_short(ensure, CANCEL_GRACE)
        if not finished:  # Ctrl-C while connecting: the row was not given back yet
            self._journal.release(row)
        if not opened:
            self._started -= 1
            self._limiter.on_unsent()  # no seat or no connection: a probe goes unanswered
            return
        connection = lane.connection
        assert connection is not None
        # Durable before DATA (the transport calls back just before it, or before a pipelined
        # group): after a crash from there on the row is `unknown`. Held until then, so the
        # fsync overlaps MAIL and RCPT and is often carried by another lane's commit.
        ticket = self._journal.mark_sending(row, message.message_id, durable=False)
        _, result = await self._control.cut_short(
            self._send(connection, message, lambda: self._journal.commit(ticket)), CANCEL_GRACE
        )
        if result is None:  # cut short by Ctrl-C
            await self._abandoned(lane, connection, row, message)
            return
        lane.messages += 1
        self._connections.carried()
        await self._outcomes.settle(lane, row, message, result)
        if lane.connection is not None and not lane.connection.is_open:
            await lane.drop()

    async def _abandoned(
        self, lane: Lane, connection: Connection, row: ClaimedRow, message: RenderedMessage
    ) -> None:
        """A message cut short by cancel(): given back if its body never left, else `unknown`
        (the server may have it; only the user may decide to resend)."""
        await lane.drop()
        if not getattr(connection, "body_sent", True):
            self._journal.release(row)
            self._started -= 1
            return
        reply = Reply(
            None,
            "Stopped by you after the message was sent, before the server confirmed it.",
            Stage.MESSAGE,
        )
        await self._outcomes.settle(lane, row, message, SendResult(reply=reply))

    async def _wait_for_schedule(self, lane: Lane, row: ClaimedRow, changed: asyncio.Event) -> bool:
        """Before the start time or outside the sending hours: give the row back, close the
        connection and wait (told once, until when); True when it waited."""
        seconds = self._schedule.seconds_to_wait()
        if seconds <= 0:
            return False
        self._journal.release(row)
        await lane.drop()
        await self._control.wait(changed, seconds)
        return True

    async def _acquire(self, row: ClaimedRow, message: RenderedMessage) -> bool:
        """Wait for the limiter; give the row back if the send is cancelled meanwhile."""

        def on_wait(until_monotonic: float, reason: str) -> None:
            self._hub.emit(
                Throttled(
                    at=self._clock.now(),
                    until=self._control.wall(until_monotonic),
                    reason=reason,
                    row=row.row,
                    address=row.address,
                )
            )

        acquire = asyncio.ensure_future(
            self._limiter.acquire(len(message.recipients), message.size, on_wait=on_wait)
        )
        try:
            await self._control.interruptible(acquire)  # cancel() cuts a day-cap wait short
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the run itself is being torn down
            self._journal.release(row)
            return False
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
            return SendResult(reply=Reply(None, describe(exc), Stage.MESSAGE))

    # ------------------------------------------------------------------ journal commits

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
            self._control.stop(str(exc), Reply(None, str(exc), Stage.CONNECT), "")
