"""Starting coroutines from plain (synchronous) Qt code, keeping a reference until they end.

Exceptions are logged instead of vanishing with a garbage-collected task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("herald.gui")
_running: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    task = asyncio.ensure_future(coro)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("Background task failed", exc_info=task.exception())


def running() -> set[asyncio.Task[Any]]:
    return set(_running)
