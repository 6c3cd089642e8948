"""The run's turning points written to the journal's events table (the report's Events sheet).

The journal records "started" when it is created; this recorder adds what happens after:
a resumed run's start, pauses and resumes, waits for the limits or the server, a stop, and
how the run ended (finished or cancelled). Per-recipient outcomes live in the recipients table,
not here. Waits are announced only when longer than the routine pacing; the same wait announced
twice in a row (identical text) is written once.
"""

from __future__ import annotations

import logging
from typing import Any

from app.core.journal.rows import EventKind
from app.core.send import events as ev
from app.core.send.ports import SendJournal

log = logging.getLogger("herald.send")


class RunEventRecorder:
    """An engine event callback: `engine.subscribe(RunEventRecorder(journal))`."""

    def __init__(self, journal: SendJournal) -> None:
        self._journal = journal
        self._last: tuple[EventKind, str] | None = None
        self._first_start = True

    def __call__(self, event: ev.AnyEvent) -> None:
        found = self.entry(event)
        if found is None:
            return
        if found[0] == EventKind.THROTTLED and found == self._last:
            return
        try:
            self._journal.record_event(*found)
        except Exception:  # the journal's own writes report a failing disk; this is a note
            log.warning("could not record the %s event in the journal", found[0], exc_info=True)
            return
        self._last = found

    def entry(self, event: ev.AnyEvent) -> tuple[EventKind, str] | None:
        if isinstance(event, ev.Started):
            first, self._first_start = self._first_start, False
            if first and _created_just_now(self._journal):
                return None  # Journal.create wrote this run's "started"
            to_go = event.counts.get("pending", 0) + event.counts.get("deferred", 0)
            return EventKind.STARTED, f"resumed: {to_go} of {event.total} to send"
        if isinstance(event, ev.Paused):
            return EventKind.PAUSED, _with_text(event.reason, event.code, event.text)
        if isinstance(event, ev.Resumed):
            return EventKind.RESUMED, ""
        if isinstance(event, ev.Throttled):
            return EventKind.THROTTLED, _with_text(event.reason, event.code, event.text)
        if isinstance(event, ev.Stopped):
            return EventKind.STOPPED, _with_text(event.reason, event.code, event.text)
        if isinstance(event, ev.Finished):
            counts = ", ".join(f"{k} {v}" for k, v in event.counts.items() if v)
            if event.cancelled:
                return EventKind.CANCELLED, counts
            detail = f"{counts}; ended early: {event.stopped}" if event.stopped else counts
            return EventKind.FINISHED, detail
        return None


def _with_text(reason: str, code: int | None, text: str) -> str:
    reply = " ".join(str(p) for p in (code, text) if p)
    return f"{reason} ({reply})" if reply else reason


def _created_just_now(journal: Any) -> bool:
    """True when the journal's last event is its creation's "started" (a fresh send)."""
    events = getattr(journal, "events", None)
    if not callable(events):
        return False
    found = events()
    return bool(found) and found[-1].kind == EventKind.STARTED and len(found) == 1
