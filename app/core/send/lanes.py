"""Lanes: one worker's reused connection each, opened (and signed in) with care.

Until one connection has signed in, lanes open one at a time, so a wrong password costs
exactly one refused login, not one per lane (accounts get locked for less).

A server that caps connections per client (Postfix `smtpd_client_connection_count_limit`,
Exim `smtp_accept_max_per_host`, Microsoft 365's 3) refuses the extra ones at the greeting
("421 too many connections"). That says nothing about the sending rate, so it neither pauses
the run nor slows the limiter: the lane plan lowers the number of lanes to what the server
accepted (the others keep sending), and later tries one more (see LanePlan).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
from collections.abc import Callable

from app.core.send.contracts import Clock, Connection, Connector, SmtpError, Stage
from app.core.send.control import Emit, RunControl
from app.core.send.events import LanesChanged
from app.core.send.policy import EngineOptions
from app.core.send.ports import ClaimedRow, SendJournal

#: How servers word "you have too many connections open" (Postfix, Exim, Sendmail,
#: Microsoft 365 4.3.2, NetEase HL:ICC, qmail/others "connection limit").
CONNECTION_LIMIT_TEXT = re.compile(
    r"too many (concurrent |simultaneous |smtp )*(connections|sessions)|concurrent|"
    r"simultaneous|connection (count )?limit|max(imum)? (number of )?connections|"
    r"\b4\.3\.2\b|HL:ICC",
    re.IGNORECASE,
)
MAX_PROBE_BACKOFF = 16  # a refused probe doubles the wait for the next, up to this factor

ConnectFault = Callable[["Lane", BaseException], None]


class Lane:
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


def is_connection_limit(exc: BaseException) -> bool:
    """A refusal of one more connection (at the greeting or EHLO), not of the account."""
    if not isinstance(exc, SmtpError):
        return False
    reply = exc.reply
    return (
        reply.stage is Stage.CONNECT
        and reply.code is not None
        and 400 <= reply.code < 500
        and CONNECTION_LIMIT_TEXT.search(reply.text) is not None
    )


class LanePlan:
    """How many lanes may hold a connection: all configured ones until the server refuses
    one more, then as many as it accepted; one more is tried again after `probe_seconds` or
    `probe_messages` (a refused try doubles both, an accepted one resets them)."""

    def __init__(
        self,
        options: EngineOptions,
        clock: Clock,
        emit: Emit,
        notify: Callable[[], None],
    ) -> None:
        configured = options.connections
        self._probe_seconds = options.lane_probe_seconds
        self._probe_messages = options.lane_probe_messages
        self.configured = configured
        self.limit = configured
        self._clock = clock
        self._emit = emit
        self._notify = notify
        self._probing = False  # the last raise has not been accepted or refused yet
        self._backoff = 1
        self._probe_at = 0.0  # monotonic
        self._messages = 0  # carried since the last change

    def lower(self, accepted: int, exc: SmtpError) -> None:
        """The server refused a connection while `accepted` others were open (or opening)."""
        accepted = max(1, accepted)
        probed = self._probing
        if probed:  # the try of one more was refused: wait twice as long for the next
            self._probing = False
            self._backoff = min(self._backoff * 2, MAX_PROBE_BACKOFF)
        if accepted >= self.limit:
            if probed:
                self._schedule()
            return
        self.limit = accepted
        self._schedule()
        reply = exc.reply
        self._emit(
            LanesChanged(
                at=self._clock.now(),
                lanes=self.limit,
                configured=self.configured,
                reason=f"The server accepts only {self.limit} connection(s) at once; Herald "
                f"sends over {self.limit} of {self.configured} and tries one more later.",
                code=reply.code,
                text=reply.text,
            )
        )

    def accepted(self, seated: int) -> None:
        """A connection opened, making `seated` at once: if it was the probe's, the higher
        count holds; a lane that was already opening when the limit came down counts too."""
        if self._probing:
            self._probing = False
            self._backoff = 1
            self._schedule()
        if seated > self.limit:
            self.limit = seated
            self._schedule()
            self._emit(
                LanesChanged(
                    at=self._clock.now(),
                    lanes=self.limit,
                    configured=self.configured,
                    reason=f"The server accepts {self.limit} connection(s) at once.",
                )
            )

    def carried(self) -> None:
        self._messages += 1
        self.probe_if_due()

    def probe_if_due(self) -> None:
        if self.limit >= self.configured or self._probing:
            return
        due = self._messages >= self._probe_messages * self._backoff
        if not due and self._clock.monotonic() < self._probe_at:
            return
        self.limit += 1
        self._probing = True
        self._messages = 0
        self._emit(
            LanesChanged(
                at=self._clock.now(),
                lanes=self.limit,
                configured=self.configured,
                reason=f"Trying {self.limit} of {self.configured} connections again.",
                probing=True,
            )
        )
        self._notify()  # a parked lane may take the new seat

    def seconds_to_probe(self) -> float | None:
        if self.limit >= self.configured or self._probing or self._probe_at == math.inf:
            return None
        return max(0.0, self._probe_at - self._clock.monotonic())

    def _schedule(self) -> None:
        self._messages = 0
        self._probe_at = self._clock.monotonic() + self._probe_seconds * self._backoff


class Connections:
    """Gives a lane an open connection, or reports why not (and gives its row back)."""

    def __init__(
        self,
        connector: Connector,
        journal: SendJournal,
        options: EngineOptions,
        control: RunControl,
        on_fault: ConnectFault,
        clock: Clock,
        emit: Emit,
    ) -> None:
        self._connector = connector
        self._journal = journal
        self._options = options
        self._control = control
        self._on_fault = on_fault
        self._proven = False  # a connection has opened (and signed in) in this run
        self._first_open = asyncio.Lock()
        self.plan = LanePlan(options, clock, emit, control.notify)
        self._lanes: set[Lane] = set()  # every lane that asked for a connection
        self._opening: set[Lane] = set()

    def _seated(self, besides: Lane | None = None) -> int:
        """Lanes holding an open connection or opening one (other than `besides`)."""
        return sum(
            1
            for lane in self._lanes
            if lane is not besides
            and (lane in self._opening or (lane.connection is not None and lane.connection.is_open))
        )

    def may_work(self, lane: Lane) -> bool:
        """May this lane claim a row? Not without a connection while every seat is taken."""
        self._lanes.add(lane)
        if lane.connection is not None and lane.connection.is_open:
            return True
        self.plan.probe_if_due()
        return self._seated(besides=lane) < self.plan.limit

    def carried(self) -> None:
        """One more message went over some lane (the plan probes upward after enough)."""
        self.plan.carried()

    async def ensure(self, lane: Lane, row: ClaimedRow) -> bool:
        self._lanes.add(lane)
        spent = lane.messages >= self._options.max_messages_per_connection
        if lane.connection is not None and (spent or not lane.connection.is_open):
            await lane.drop()  # QUIT after the maximum per connection, then a fresh one
        if lane.connection is not None:
            return True
        if self._seated(besides=lane) >= self.plan.limit:
            self._journal.release(row)  # every seat taken meanwhile: wait for one
            return False
        if not self._proven:
            async with self._first_open:
                if not self._control.may_start():
                    self._journal.release(row)
                    return False
                if not self.proven():
                    return await self._open(lane, row)
            # another lane's connection opened while this one waited its turn: open beside
            # the others, not one after another (8 lanes 20 ms away took 0.3 s to fill)
        return await self._open(lane, row)

    def proven(self) -> bool:
        """A connection has opened (and signed in) in this run."""
        return self._proven

    async def _open(self, lane: Lane, row: ClaimedRow) -> bool:
        self._opening.add(lane)
        try:
            lane.connection = await self._connector.open()
        except (SmtpError, TimeoutError, OSError) as exc:
            self._journal.release(row)
            others = self._seated(besides=lane)
            if isinstance(exc, SmtpError) and is_connection_limit(exc) and others > 0:
                # the server accepted the connections open now; lanes still opening beside
                # this one are not counted (if accepted, `accepted()` raises the limit again)
                open_now = sum(
                    1
                    for other in self._lanes
                    if other is not lane
                    and other.connection is not None
                    and other.connection.is_open
                )
                self.plan.lower(open_now, exc)  # the lanes that work carry on; no pause
                return False
            self._on_fault(lane, exc)
            return False
        finally:
            self._opening.discard(lane)
        lane.messages = 0
        self._proven = True
        self.plan.accepted(self._seated())
        return True
