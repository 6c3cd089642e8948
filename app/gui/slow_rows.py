"""Rendering rows for the Send page and the test message without a slow template freezing
the window.

A row renders on the loop with a short slice of its own budget (2 s and 10 MB a message,
app.core.templates.limits). A row still rendering when its slice is over raises
RenderPostponed and is rendered again in a worker thread, where the rest of the budget runs
out if the template really is too slow: then it is that row's problem like any other (the
row is not sent). Rendering is Python work, so the thread shares the GIL with the loop and
slows it, but the loop keeps turning. Preview and Compose do the same for the one row they
show (pages/preview.py, pages/compose.py).

Ordinary rows (about 0.3 ms) never reach a thread: the slice check is the meter's own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.gui.tasks import RENDER_SLICE_S, SLICE_S, in_thread, quiet_gc

# The core's words for a message over its budget (app.core.templates.limits.RenderLimitError
# and CompiledTemplate._skipped): recognised here to say it in the interface language.
_TOO_SLOW = "takes too long to render"
_NOT_TRIED = "the template took too long on row"  # after one row ran out of time
_TOO_LARGE = "makes a message too large"


async def rendered_row(campaign: Any, row: int) -> Any:
    """`render_row` (the message, or a RowError saying why there is none) that holds the
    loop for one slice at most: a slower row is finished in a worker thread."""
    from app.core.preflight import render_row
    from app.core.templates import RenderPostponed

    try:
        return render_row(campaign, row, slice_seconds=RENDER_SLICE_S)
    except RenderPostponed:
        return await in_thread(render_row, campaign, row)


async def snapshot_rows(campaign: Any, left_out: list[Any] | None = None) -> list[Any]:
    """Every sendable row as the journal records it (`app.core.send.prepare.snapshot_rows`:
    the same rows, the same order), rendered on the loop in slices of SLICE_S. A row still
    rendering after a whole slice goes on in a worker thread; one over its budget there is
    left out like any row that cannot be sent. Rows left out that have a recipient (they
    were counted in the confirmation) are added to `left_out` as `RowProblems`.

    The rows render with a template compiled for the snapshot alone: a compiled template
    refuses every row after one ran out of time (CompiledTemplate.render), and the engine,
    which renders each message again from `campaign` as it sends, must not inherit that
    verdict for the rows that were fine."""
    from dataclasses import replace

    from app.core.journal.snapshot import SnapshotRow
    from app.core.model import RenderedMessage
    from app.core.preflight import build_row
    from app.core.templates import RenderPostponed, compile_template

    own = compile_template(
        campaign.settings.template, campaign.table.headers, campaign.template.limits
    )
    campaign = replace(campaign, template=own)
    rows: list[Any] = []
    numbers, by_row = campaign.row_numbers, campaign.by_row
    clock, index, count = time.perf_counter, 0, len(numbers)
    with quiet_gc():
        while index < count:
            start = clock()
            while index < count and clock() - start < SLICE_S:
                number = numbers[index]
                index += 1
                try:
                    result = build_row(campaign, number, slice_seconds=SLICE_S)
                except RenderPostponed:  # a slow row: the rest of its budget in a thread
                    result = await in_thread(build_row, campaign, number)
                if isinstance(result, RenderedMessage):
                    rows.append(SnapshotRow.of(by_row[number], result))
                elif left_out is not None and number in by_row:
                    left_out.append(result)
            await asyncio.sleep(0)
    return rows


class FirstMessage:
    """Whether any of `rows` makes a message (the Send page's readiness looks at the first
    20): decided on the loop while the rows are quick (`on_loop`), else by `finish`, which
    renders a slow row in a worker thread and the others on the loop, a slice at a time."""

    def __init__(self, campaign: Any, rows: Sequence[int]) -> None:
        self.campaign = campaign
        self.pending = list(rows)
        self.found = False
        self.errors: list[Any] = []  # RowError of each row that cannot be sent, in order
        self._slow: int | None = None  # a row postponed on the loop, for the thread

    @property
    def decided(self) -> bool:
        return self.found or (not self.pending and self._slow is None)

    def on_loop(self) -> bool:
        """Render rows for one slice at most; False while a slow row or others remain."""
        from app.core.preflight import RowError, render_row
        from app.core.templates import RenderPostponed

        start = time.perf_counter()
        while not self.decided and self._slow is None and time.perf_counter() - start < SLICE_S:
            row = self.pending.pop(0)
            try:
                render_row(self.campaign, row, slice_seconds=RENDER_SLICE_S)
                self.found = True
            except RenderPostponed:
                self._slow = row
            except RowError as exc:
                self.errors.append(exc)
        return self.decided

    async def finish(self) -> None:
        from app.core.preflight import RowError, render_row

        while not self.decided:
            if self._slow is not None:
                row, self._slow = self._slow, None
                try:
                    await in_thread(render_row, self.campaign, row)
                    self.found = True
                except RowError as exc:
                    self.errors.append(exc)
            elif not self.on_loop():
                await asyncio.sleep(0)

    def error(self) -> Any:
        """The reason to show: the first row over its budget, else the first row's error."""
        over = [e for e in self.errors if budget_kind(e) in ("time", "size")]
        return (over or self.errors or [None])[0]


def budget_kind(error: Any) -> str | None:
    """ "time" or "size" when `error` (a RowError, or RowProblems) is a template over its
    budget, "not tried" for a row left after an earlier one ran out of time, else None."""
    problems = getattr(error, "problems", ())
    for problem in problems:
        if _TOO_SLOW in problem.message:
            return "time"
        if _NOT_TRIED in problem.message:
            return "not tried"
        if _TOO_LARGE in problem.message:
            return "size"
    return None


def row_error_text(error: Any, campaign: Any) -> str:
    """Why a row cannot be sent, in the interface language when its template is over its
    budget (the core's own sentence otherwise: it names the field, column or line)."""
    from app.core.templates.limits import MB

    kind = budget_kind(error)
    row = getattr(error, "row", "?")
    limits = campaign.template.limits
    if kind == "time":
        return QCoreApplication.translate(
            "SlowRows",
            "The template takes too long to fill in the message of row {row} (more than {seconds} s for one message). Make its loops smaller and check it on Preview.",  # noqa: E501
        ).format(row=row, seconds=f"{limits.seconds:g}")
    if kind == "not tried":
        return QCoreApplication.translate(
            "SlowRows",
            "Not filled in: the template took too long on an earlier row (more than {seconds} s for one message), so row {row} was not tried. Make its loops smaller and check it on Preview.",  # noqa: E501
        ).format(row=row, seconds=f"{limits.seconds:g}")
    if kind == "size":
        size = limits.max_bytes
        shown = f"{size / MB:g} MB" if size >= MB else f"{size:,} B"
        return QCoreApplication.translate(
            "SlowRows",
            "The template makes the message of row {row} too large (more than {size} of text). Make what it repeats or multiplies smaller and check it on Preview.",  # noqa: E501
        ).format(row=row, size=shown)
    if hasattr(error, "problems") and not isinstance(error, Exception):  # RowProblems
        from app.core.model import Severity

        listed = [p.message for p in error.problems if p.severity is Severity.ERROR]
        return "; ".join(listed or [p.message for p in error.problems])
    return str(error)
