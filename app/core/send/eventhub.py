"""Fan-out of engine events to callbacks and async iterators.

Queues exist only for subscribers that asked for one, so a 100,000-row send with nobody iterating
holds no backlog of events.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from app.core.send.events import AnyEvent, Finished

EventCallback = Callable[[AnyEvent], None]


class EventHub:
    def __init__(self) -> None:
        self._callbacks: list[EventCallback] = []
        self._queues: list[asyncio.Queue[AnyEvent | None]] = []
        self._closed = False

    def subscribe(self, callback: EventCallback) -> None:
        self._callbacks.append(callback)

    def emit(self, event: AnyEvent) -> None:
        for callback in self._callbacks:
            callback(event)
        for queue in self._queues:
            queue.put_nowait(event)
        if isinstance(event, Finished):
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for queue in self._queues:
            queue.put_nowait(None)

    def stream(self) -> AsyncIterator[AnyEvent]:
        """Every event from this call on, ending after Finished. Subscribes at once (not at the
        first `anext`), so a consumer started later still sees Started."""
        queue: asyncio.Queue[AnyEvent | None] = asyncio.Queue()
        if self._closed:
            queue.put_nowait(None)
        else:
            self._queues.append(queue)
        return self._drain(queue)

    async def _drain(self, queue: asyncio.Queue[AnyEvent | None]) -> AsyncIterator[AnyEvent]:
        try:
            while (event := await queue.get()) is not None:
                yield event
        finally:
            if queue in self._queues:
                self._queues.remove(queue)
