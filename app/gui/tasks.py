"""Starting coroutines from plain (synchronous) Qt code, and keeping long work off the loop.

Exceptions are logged instead of vanishing with a garbage-collected task.

Long CPU work must never hold the event loop for more than a few ms (issue 4: no stall over
50 ms). Three tools, chosen by what the work is (docs/ARCHITECTURE.md, "Keeping the window
responsive"): `run_steps` drives a core generator on the loop in time-boxed slices (Python
work: a worker thread would hold the GIL and stall the loop just the same); `in_thread` for
C code that releases the GIL (SQLite, file I/O, waiting on a pipe); a child process for big
reads (app.core.recipients.offload). `quiet_gc` keeps the cyclic garbage collector from
walking a million freshly built objects in one 100-200 ms pause while they are created.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Callable, Coroutine, Generator, Iterator
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication

log = logging.getLogger("herald.gui")
T = TypeVar("T")
_running: set[asyncio.Task[Any]] = set()

# Longest a slice of work may hold the loop; leaves room for painting within 50 ms.
SLICE_S = 0.008
#: A row still rendering after this long on the loop is finished in a worker thread (within
#: the template's own 2 s budget, app.core.templates.limits): a slow template cannot freeze
#: the window. Rendering is Python work, so the thread slows the loop, but it keeps turning.
RENDER_SLICE_S = 0.05


def spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    task = asyncio.ensure_future(coro)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error(
            "%s",
            QCoreApplication.translate("Log", "A background task failed"),
            exc_info=task.exception(),
        )


def running() -> set[asyncio.Task[Any]]:
    return set(_running)


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking work in a worker thread. Only for work that releases the GIL (I/O,
    SQLite, waiting): pure Python work there stalls the loop as if it ran on it."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, fn, *args)


class SliceStats:
    """How a `run_steps` call went: the tests check work was really cut into slices."""

    def __init__(self) -> None:
        self.slices = 0
        self.longest = 0.0


async def run_steps(
    steps: Generator[Any, None, T],
    *,
    budget: float = SLICE_S,
    on_progress: Callable[[Any], None] | None = None,
    stats: SliceStats | None = None,
) -> T:
    """Drive `steps` to its return value on the loop, yielding to it every `budget` seconds.

    Each `next()` must be short (a few hundred µs); the loop paints and serves the network
    between slices. Cancelling the awaiting task closes the generator.
    """
    stats = stats if stats is not None else SliceStats()
    try:
        with quiet_gc():
            while True:
                start = time.perf_counter()
                progress = None
                try:
                    while time.perf_counter() - start < budget:
                        progress = next(steps)
                except StopIteration as stop:
                    return stop.value  # type: ignore[no-any-return]
                finally:
                    stats.slices += 1
                    stats.longest = max(stats.longest, time.perf_counter() - start)
                if on_progress is not None and progress is not None:
                    on_progress(progress)
                await asyncio.sleep(0)
    finally:
        steps.close()


_gc_paused = 0
_gc_was_enabled = True


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic GC while building big data; afterwards the survivors are frozen.

    Rows, recipients and snapshots hold no reference cycles, so pausing the collector loses
    nothing, while a full collection over 100,000 rows takes 100-200 ms (measured). Freezing
    moves everything alive into the permanent generation, so later collections skip the
    table instead of walking it again. Nested and concurrent uses share one pause.
    """
    global _gc_paused, _gc_was_enabled
    if _gc_paused == 0:
        _gc_was_enabled = gc.isenabled()
        gc.disable()
    _gc_paused += 1
    try:
        yield
    finally:
        _gc_paused -= 1
        if _gc_paused == 0:
            gc.freeze()  # also freezes a little young garbage; cheaper than collecting it now
            if _gc_was_enabled:
                gc.enable()
