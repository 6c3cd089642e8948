"""The engine's knobs and the arithmetic of waiting (retry backoff, reconnect backoff)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.send.schedule import Schedule

MAX_CONNECTIONS = 10


@dataclass(frozen=True, slots=True)
class EngineOptions:
    connections: int = 1  # parallel SMTP sessions, never more (1..10)
    max_messages_per_connection: int = 100  # then QUIT and reconnect
    retry_delay: float = 60.0  # first retry of a deferred row, in seconds
    max_attempts: int = 3  # attempts per row before a transient failure becomes `failed`
    backoff_factor: float = 2.0  # each further retry waits this much longer
    consecutive_failure_limit: int = 10  # this many failures in a row pause the campaign
    same_content_rejection_limit: int = 3  # the server rejecting content this often pauses
    reconnect_delay: float = 1.0  # first wait before reconnecting after a throttle or drop
    max_reconnect_delay: float = 300.0
    quota_pause: float = 3600.0  # a quota reply that names no window waits this long
    limit: int | None = None  # send at most this many messages in this run
    # Below the configured connections (the server refused one more), try one more lane after
    # this long or this many messages, whichever comes first (lanes.LanePlan).
    lane_probe_seconds: float = 120.0
    lane_probe_messages: int = 50
    schedule: Schedule | None = None  # start time, sending hours and days (None: any time)

    def __post_init__(self) -> None:
        if not 1 <= self.connections <= MAX_CONNECTIONS:
            raise ValueError(f"connections must be 1 to {MAX_CONNECTIONS}, not {self.connections}")
        if self.max_messages_per_connection < 1:
            raise ValueError("max_messages_per_connection must be at least 1")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.retry_delay < 0:
            raise ValueError("retry_delay cannot be negative")
        if self.limit is not None and self.limit < 0:
            raise ValueError("limit cannot be negative")

    def retry_after(self, attempts: int) -> float:
        """Seconds before the next try of a row that has failed `attempts` times (1, 2, ...)."""
        return self.retry_delay * self.backoff_factor ** max(0, attempts - 1)

    def reconnect_after(self, failures: int) -> float:
        """Seconds before reconnecting after `failures` faults in a row on one lane."""
        delay = self.reconnect_delay * self.backoff_factor ** max(0, failures - 1)
        return min(delay, self.max_reconnect_delay)
