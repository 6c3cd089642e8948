"""Lanes: one worker's reused connection each, opened (and signed in) with care.

Until one connection has signed in, lanes open one at a time, so a wrong password costs
exactly one refused login, not one per lane (accounts get locked for less).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from app.core.send.contracts import Connection, Connector, SmtpError
from app.core.send.control import RunControl
from app.core.send.policy import EngineOptions
from app.core.send.ports import ClaimedRow, SendJournal

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


class Connections:
    """Gives a lane an open connection, or reports why not (and gives its row back)."""

    def __init__(
        self,
        connector: Connector,
        journal: SendJournal,
        options: EngineOptions,
        control: RunControl,
        on_fault: ConnectFault,
    ) -> None:
        self._connector = connector
        self._journal = journal
        self._options = options
        self._control = control
        self._on_fault = on_fault
        self._proven = False  # a connection has opened (and signed in) in this run
        self._first_open = asyncio.Lock()

    async def ensure(self, lane: Lane, row: ClaimedRow) -> bool:
        spent = lane.messages >= self._options.max_messages_per_connection
        if lane.connection is not None and (spent or not lane.connection.is_open):
            await lane.drop()  # QUIT after the maximum per connection, then a fresh one
        if lane.connection is not None:
            return True
        if self._proven:
            return await self._open(lane, row)
        async with self._first_open:
            if not self._control.may_start():
                self._journal.release(row)
                return False
            return await self._open(lane, row)

    async def _open(self, lane: Lane, row: ClaimedRow) -> bool:
        try:
            lane.connection = await self._connector.open()
        except (SmtpError, TimeoutError, OSError) as exc:
            self._journal.release(row)
            self._on_fault(lane, exc)
            return False
        lane.messages = 0
        self._proven = True
        return True
