"""What the engine does about every reply: journal it, tell the observers, adjust the run.

A message's reply is classified (replies.classify) and settled here: sent, failed, deferred
with backoff, unknown, or given back to pending when nothing went out. A connection that
cannot be opened is judged here too. Streaks pause the run: ten failures in a row, or the
same content rejection three times, mean something is wrong that retrying will not fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.core.model import RenderedMessage
from app.core.send.contracts import (
    Action,
    AuthenticationFailed,
    Clock,
    Limiter,
    Reply,
    Scope,
    SecurityRefused,
    SendResult,
    SmtpError,
    Stage,
    Verdict,
)
from app.core.send.control import Emit, RunControl
from app.core.send.events import Deferred, Failed, Refusal, Sent, Throttled, Unknown
from app.core.send.lanes import Lane
from app.core.send.policy import EngineOptions
from app.core.send.ports import ClaimedRow, SendJournal

Classifier = Callable[[Reply], Verdict]


def describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if str(exc) else text


class Outcomes:
    def __init__(
        self,
        journal: SendJournal,
        limiter: Limiter,
        clock: Clock,
        options: EngineOptions,
        control: RunControl,
        classify: Classifier,
        emit: Emit,
    ) -> None:
        self._journal = journal
        self._limiter = limiter
        self._clock = clock
        self._options = options
        self._control = control
        self._classify = classify
        self._emit = emit
        self.sent = 0  # messages sent in this run
        self._failures_in_row = 0
        self._throttles_in_row = 0  # account-wide push-backs with nothing accepted between
        self._content_rejections = 0

    def reset_streaks(self) -> None:
        self._failures_in_row = 0
        self._throttles_in_row = 0
        self._content_rejections = 0

    # ------------------------------------------------------------------- before the wire

    def not_built(self, row: ClaimedRow, exc: Exception) -> None:
        reply = Reply(None, f"The message could not be built: {exc}", Stage.CONNECT)
        self._journal.mark_failed(row, None, reply.text, reply.stage)
        self._emit_failed(row, reply, reply.text)

    def connect_fault(self, lane: Lane, exc: BaseException) -> None:
        """A connection could not be opened (or signed in)."""
        if isinstance(exc, SecurityRefused):  # Herald's own refusal: nothing to retry
            self._control.stop(exc.reply.text, exc.reply, exc.hint)
            return
        if isinstance(exc, SmtpError):
            reply, hint = exc.reply, exc.hint
        else:
            reply, hint = Reply(None, describe(exc), Stage.CONNECT), ""
        verdict = self._classify(reply)
        if isinstance(exc, AuthenticationFailed):  # one refused login per start, never more
            reason = verdict.reason if verdict.action is Action.STOP and hint else hint
            self._control.stop(reason or verdict.reason, reply, hint)
        elif verdict.action in (Action.STOP, Action.FAIL):
            self._control.stop(verdict.reason, reply, hint)
        elif verdict.action is Action.PAUSE_QUOTA:
            self._limiter.on_pushback(verdict)
            self._quota_pause(verdict, reply)
        else:
            if verdict.action is Action.THROTTLE:
                self._limiter.on_pushback(verdict)
            self._lane_backoff(lane, verdict, reply)

    # ------------------------------------------------------------------------ the reply

    async def settle(
        self, lane: Lane, row: ClaimedRow, message: RenderedMessage, result: SendResult
    ) -> None:
        reply = result.reply
        verdict = self._classify(reply)
        action = verdict.action
        if action is Action.SUCCESS:
            self._succeeded(lane, row, message, result)
        elif action is Action.UNKNOWN:
            self._journal.mark_unknown(row, reply.code, reply.text)
            await lane.drop()
            self._emit(
                Unknown(
                    at=self._clock.now(),
                    row=row.row,
                    address=row.address,
                    message_id=message.message_id,
                    text=verdict.reason,
                )
            )
            self._count_failure(verdict.reason, reply)
        elif action is Action.FAIL and verdict.scope in (Scope.RECIPIENT, Scope.MESSAGE):
            self._journal.mark_failed(row, reply.code, reply.text, reply.stage)
            self._emit_failed(row, reply, verdict.reason)
            if verdict.scope is Scope.MESSAGE:
                self._content_rejected(verdict, reply)
            self._count_failure(verdict.reason, reply)
        elif action is Action.RETRY and verdict.scope is not Scope.CONNECTION:
            self._defer(row, reply, verdict)
        elif action is Action.STOP or action is Action.FAIL:
            self._journal.release(row)
            self._control.stop(verdict.reason, reply, "")
        elif action is Action.PAUSE_QUOTA:
            self._journal.release(row)
            self._limiter.on_pushback(verdict)
            await lane.drop()
            self._quota_pause(verdict, reply)
        elif action is Action.THROTTLE:  # push-back: the row goes back untouched (no attempt)
            self._journal.release(row)
            if not _keeps_session(reply, lane):
                await lane.drop()
            self._throttled(lane, verdict, reply)
        else:  # a connection lost before the message went out: nothing was sent
            self._journal.release(row)
            await lane.drop()
            self._lane_backoff(lane, verdict, reply)
        rate_news = action in (Action.SUCCESS, Action.PAUSE_QUOTA) or (
            action is Action.THROTTLE and verdict.scope is Scope.ACCOUNT
        )
        if not rate_news:  # an answer that says nothing of the pace: the next message probes
            self._limiter.on_unsent()

    def _succeeded(
        self, lane: Lane, row: ClaimedRow, message: RenderedMessage, result: SendResult
    ) -> None:
        reply = result.reply
        refused = tuple(
            Refusal(address=address, code=r.code, text=r.text)
            for address, r in result.refused.items()
        )
        text = reply.text
        if refused:  # the journal row is the message; say who of its recipients was refused
            text += " (refused: " + "; ".join(f"{r.address}: {r.code} {r.text}" for r in refused)
            text += ")"
        self._journal.mark_sent(row, reply.code or 250, text)
        self._limiter.on_success()
        self.sent += 1
        lane.faults = 0
        self._failures_in_row = 0
        self._throttles_in_row = 0
        self._content_rejections = 0
        self._emit(
            Sent(
                at=self._clock.now(),
                row=row.row,
                address=row.address,
                message_id=message.message_id,
                code=reply.code,
                text=reply.text,
                refused=refused,
            )
        )

    def _defer(self, row: ClaimedRow, reply: Reply, verdict: Verdict) -> None:
        attempts = row.attempts + 1
        if attempts >= self._options.max_attempts:
            reason = f"Gave up after {attempts} attempts. {verdict.reason}"
            self._journal.mark_failed(row, reply.code, reply.text, reply.stage)
            self._emit_failed(row, reply, reason)
        else:
            delay = max(self._options.retry_after(attempts), verdict.pause_seconds or 0.0)
            when = self._clock.now() + dt.timedelta(seconds=delay)
            self._journal.mark_deferred(row, reply.code, reply.text, reply.stage, when)
            self._emit(
                Deferred(
                    at=self._clock.now(),
                    row=row.row,
                    address=row.address,
                    code=reply.code,
                    text=reply.text,
                    reason=verdict.reason,
                    attempt=attempts,
                    next_attempt_at=when,
                )
            )
        if verdict.scope is not Scope.RECIPIENT:
            # One address deferred (greylisting, a busy mailbox) says nothing about the
            # send; a message or the server failing again and again does.
            self._count_failure(verdict.reason, reply)

    def _emit_failed(self, row: ClaimedRow, reply: Reply, reason: str) -> None:
        self._emit(
            Failed(
                at=self._clock.now(),
                row=row.row,
                address=row.address,
                code=reply.code,
                text=reply.text,
                reason=reason,
                stage=str(reply.stage),
            )
        )

    # -------------------------------------------------------------- waits and streaks

    def _throttled(self, lane: Lane, verdict: Verdict, reply: Reply) -> None:
        """Server push-back after a message was refused. Account-wide: the limiter learns
        the server's rate and says how long every lane waits (seconds at first, see
        backoff.py). One connection (a per-connection limit): this lane reconnects later.
        Not a failure: it never counts towards the failure streak, and the row keeps its
        attempts, so throttling can never make a recipient `failed`."""
        now = self._clock.monotonic()
        if verdict.scope is Scope.ACCOUNT:
            until = self._limiter.on_pushback(verdict) or now
            self._control.hold_until = max(self._control.hold_until, until)
            self._throttles_in_row += 1
        else:
            lane.faults += 1
            until = now + (verdict.pause_seconds or self._options.reconnect_after(lane.faults))
            lane.hold_until = until
        self._emit(
            Throttled(
                at=self._clock.now(),
                until=self._control.wall(until),
                reason=verdict.reason,
                code=reply.code,
                text=reply.text,
            )
        )
        if self._throttles_in_row >= self._options.consecutive_failure_limit:
            # Refused again and again with nothing accepted (minutes of growing waits): the
            # server is not limiting a rate but turning this account away. Pause; nobody fails.
            self._throttles_in_row = 0
            self._control.pause(
                f"The server refused {self._options.consecutive_failure_limit} times in a row "
                f"with nothing accepted in between; the last: {verdict.reason}. Every row not "
                "sent is kept for later",
                None,
                reply=reply,
            )

    def _lane_backoff(self, lane: Lane, verdict: Verdict, reply: Reply) -> None:
        """Reconnect later; an account-wide push-back holds every lane."""
        lane.faults += 1
        delay = verdict.pause_seconds
        if delay is None:
            delay = self._options.reconnect_after(lane.faults)
        until = self._clock.monotonic() + delay
        if verdict.action is Action.THROTTLE and verdict.scope is Scope.ACCOUNT:
            self._control.hold_until = max(self._control.hold_until, until)
        else:
            lane.hold_until = until
        self._emit(
            Throttled(
                at=self._clock.now(),
                until=self._control.wall(until),
                reason=verdict.reason,
                code=reply.code,
                text=reply.text,
            )
        )
        self._count_failure(verdict.reason, reply)

    def _quota_pause(self, verdict: Verdict, reply: Reply) -> None:
        seconds = verdict.pause_seconds
        reopens = getattr(self._limiter, "quota_reopens_at", None)
        if callable(reopens):  # the limiter knows when its rolling day frees up
            at = reopens(verdict)
            if isinstance(at, float | int):
                seconds = float(at) - self._clock.monotonic()
        if seconds is None or seconds <= 0:
            seconds = self._options.quota_pause
        self._control.pause(verdict.reason, seconds, reply=reply)

    def _content_rejected(self, verdict: Verdict, reply: Reply) -> None:
        self._content_rejections += 1
        if self._content_rejections >= self._options.same_content_rejection_limit:
            self._control.pause(
                f"The server rejected the message content {self._content_rejections} "
                f"times in a row (content rejected): {verdict.reason}",
                None,
                reply=reply,
            )

    def _count_failure(self, reason: str, reply: Reply) -> None:
        self._failures_in_row += 1
        if self._failures_in_row >= self._options.consecutive_failure_limit:
            self._control.pause(
                f"{self._failures_in_row} failures in a row; the last: {reason}", None, reply=reply
            )


def _keeps_session(reply: Reply, lane: Lane) -> bool:
    """A 4xx refusal of MAIL or RCPT (Postfix's "too much mail", Exim's rate limit) leaves the
    session usable once reset: keeping it saves a new TLS handshake and login per push-back,
    and against a connection-count limit a reconnect could itself be refused. A 421, a lost
    connection or a refusal at DATA or later ends it."""
    connection = lane.connection
    return (
        reply.code in (450, 451, 452)
        and reply.stage in (Stage.MAIL, Stage.RCPT)
        and connection is not None
        and connection.is_open
    )
