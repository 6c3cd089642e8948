"""What the send engine tells its observers (CLI progress, GUI controller, JSON log).

Plain frozen dataclasses, past tense, no Qt: the GUI turns them into signals. Every event carries
its wall-clock time; events about one recipient name the address and the workbook row, and carry
the server's reply code and text when there was one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    at: dt.datetime  # aware UTC

    @property
    def kind(self) -> str:
        return type(self).__name__.lower()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO 8601), for `--log-json`."""
        out: dict[str, Any] = {"event": self.kind}
        for key, value in asdict(self).items():
            out[key] = _jsonable(value)
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Refusal:
    """One address of a multi-recipient message that the server refused at RCPT."""

    address: str
    code: int | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Started(Event):
    total: int  # rows in the campaign
    counts: Mapping[str, int]  # rows per state when the run began (a resumed run is not at 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sent(Event):
    row: int
    address: str
    message_id: str
    code: int | None
    text: str
    refused: tuple[Refusal, ...] = ()  # partly refused: sent to the others, these were not


@dataclass(frozen=True, slots=True, kw_only=True)
class Failed(Event):
    row: int
    address: str
    code: int | None
    text: str
    reason: str  # plain-language explanation
    stage: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Deferred(Event):
    row: int
    address: str
    code: int | None
    text: str
    reason: str
    attempt: int  # attempts made so far
    next_attempt_at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Unknown(Event):
    """The reply to the final dot was lost: the server may or may not have the message."""

    row: int
    address: str
    message_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Throttled(Event):
    """Sending waits: a rate window is full, the server pushed back, or (`schedule`) it is
    before the start time or outside the sending hours and days."""

    until: dt.datetime
    reason: str
    code: int | None = None
    text: str = ""
    row: int | None = None
    address: str | None = None
    schedule: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LanesChanged(Event):
    """The number of connections in use changed: the server refused one more (`code`, `text`
    say how), or Herald tries one more again (`probing`)."""

    lanes: int  # connections Herald now uses at most
    configured: int  # what was asked for (--connections)
    reason: str
    code: int | None = None
    text: str = ""
    probing: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Paused(Event):
    reason: str
    until: dt.datetime | None  # None: waits for the user to resume
    code: int | None = None
    text: str = ""
    by_user: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Resumed(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class Stopped(Event):
    """The whole send stopped at once (login refused, encryption unavailable...)."""

    reason: str
    code: int | None = None
    text: str = ""
    hint: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Finished(Event):
    counts: Mapping[str, int]
    stopped: str | None = None  # why the run ended early, if it did
    cancelled: bool = False
    paused: str | None = None  # the run ended while paused (the CLI stops on such a pause)
    sent_this_run: int = 0
    elapsed_seconds: float = 0.0
    extra: Mapping[str, Any] = field(default_factory=dict)


SendEvent = (
    Started
    | Sent
    | Failed
    | Deferred
    | Unknown
    | Throttled
    | LanesChanged
    | Paused
    | Resumed
    | Stopped
)
AnyEvent = SendEvent | Finished
