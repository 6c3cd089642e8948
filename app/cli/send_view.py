"""What `herald send` shows while it runs: a progress bar with counts, rate and ETA, one line per
failure, pause and stop, and (with --log-json) one JSON object per event in a file."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from app.core.send.events import (
    AnyEvent,
    Deferred,
    Failed,
    Finished,
    LanesChanged,
    Paused,
    Resumed,
    Sent,
    Started,
    Stopped,
    Throttled,
    Unknown,
)

_LOCAL_TIME = "%Y-%m-%d %H:%M:%S"


class JsonLog:
    """`--log-json FILE`: one object per line, flushed per event so a crash loses nothing."""

    def __init__(self, path: Path) -> None:
        self._stream: IO[str] = path.open("a", encoding="utf-8")

    def write(self, event: AnyEvent) -> None:
        self._stream.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
        self._stream.flush()

    def close(self) -> None:
        self._stream.close()


class SendView:
    """Turns engine events into the terminal display. `on_event` is the engine callback."""

    def __init__(self, out: Console, total: int) -> None:
        self._out = out
        self._counts = {"sent": 0, "failed": 0, "deferred": 0, "unknown": 0}
        self._began = time.monotonic()
        self._sent_now = 0
        self._throttle_told = 0.0
        self._deferred: set[int] = set()  # rows waiting for a retry right now
        self._progress = Progress(
            TextColumn("[bold]Sending"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=out,
            transient=False,
            disable=not out.is_terminal,
        )
        self._task: TaskID = self._progress.add_task(
            "send", total=total, counts=self._count_text(), rate=""
        )

    def __enter__(self) -> SendView:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def on_event(self, event: AnyEvent) -> None:
        if isinstance(event, Started):
            done = sum(event.counts.get(s, 0) for s in ("sent", "failed", "unknown"))
            for key in self._counts:
                self._counts[key] = event.counts.get(key, 0)
            self._progress.update(self._task, completed=done)
        elif isinstance(event, Sent):
            self._counts["sent"] += 1
            self._sent_now += 1
            self._advance(event.row)
            for refusal in event.refused:
                self._say(f"row {event.row}: {refusal.address} refused: {refusal.code} "
                          f"{refusal.text}", "yellow")  # fmt: skip
        elif isinstance(event, Failed):
            self._counts["failed"] += 1
            self._advance(event.row)
            self._say(f"row {event.row} ({event.address}) failed: {event.reason}", "red")
        elif isinstance(event, Unknown):
            self._counts["unknown"] += 1
            self._advance(event.row)
            self._say(f"row {event.row} ({event.address}): {event.text}", "yellow")
        elif isinstance(event, Deferred):
            self._deferred.add(event.row)
            self._refresh()
            when = event.next_attempt_at.astimezone().strftime(_LOCAL_TIME)
            self._say(f"row {event.row} ({event.address}) deferred until {when}: {event.reason}")
        elif isinstance(event, Throttled):
            self._throttled(event)
        elif isinstance(event, LanesChanged):
            said = f" (server said: {event.code} {event.text})" if event.code else ""
            self._say(f"Connections: {event.lanes} of {event.configured}. {event.reason}{said}",
                      "cyan")  # fmt: skip
        elif isinstance(event, Paused):
            until = event.until.astimezone().strftime(_LOCAL_TIME) if event.until else None
            tail = f" until {until}" if until else ""
            self._say(f"Paused{tail}: {event.reason}", "bold yellow")
        elif isinstance(event, Resumed):
            self._say("Resumed.", "bold")
        elif isinstance(event, Stopped):
            self._say(f"Stopped: {event.reason}", "bold red")
            if event.hint:
                self._say(event.hint, "red")
        elif isinstance(event, Finished):
            self._refresh()

    def _throttled(self, event: Throttled) -> None:
        # The limiter may tell about many short waits; one line per 10 s is plenty.
        now = time.monotonic()
        if now - self._throttle_told < 10 and event.code is None and not event.schedule:
            return
        self._throttle_told = now
        until = event.until.astimezone().strftime(_LOCAL_TIME)
        self._say(f"Waiting until {until}: {event.reason}", "cyan")

    def _advance(self, row: int) -> None:
        self._deferred.discard(row)
        self._progress.advance(self._task)
        self._refresh()

    def _refresh(self) -> None:
        elapsed = max(time.monotonic() - self._began, 1e-6)
        rate = f"{self._sent_now / elapsed:.1f}/s" if self._sent_now else ""
        self._progress.update(self._task, counts=self._count_text(), rate=rate)

    def _count_text(self) -> str:
        c = {**self._counts, "deferred": self._counts["deferred"] + len(self._deferred)}
        return f"sent {c['sent']} · failed {c['failed']} · deferred {c['deferred']}" + (
            f" · unknown {c['unknown']}" if c["unknown"] else ""
        )

    def _say(self, message: str, style: str = "") -> None:
        self._out.print(Text(message, style=style))
