"""Wiring a send from the window: profile -> connector, limits -> limiter, campaign -> journal.

Every part is the core's (SendEngine, Journal, RateLimiter, SmtpConnector, LocalOutbox); the
preparation `herald send` does too (journal path and snapshot, account history, Message-IDs on
resume, the outbox's port) is `app.core.send.prepare`'s. This module only plugs them together
the way the window needs (rendering in slices, imports spread over loop turns) and cleans up.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from app.gui.profiles import OUTBOX, Profile
from app.gui.tasks import in_thread, quiet_gc, run_steps

log = logging.getLogger("herald.gui")


@dataclass(frozen=True)
class SendPlan:
    """What the user chose on the Send page."""

    profile: Profile
    per_second: int = 0
    per_minute: int = 0
    per_hour: int = 0
    per_day: int = 0
    connections: int = 1
    pause: float = 0.0
    jitter: float = 0.0
    bandwidth_kbps: float = 0.0  # KB/s of message bytes; 0 = no cap
    max_per_connection: int = 100  # messages before QUIT and a fresh connection
    message_bytes: int = 0  # typical message size, only for the estimate (0 = unknown)
    schedule: Any = None  # app.core.send.schedule.Schedule, or None: any time (as resumed)

    def limits(self) -> Any:
        from app.core.send.limiter import Limits

        return Limits(
            per_second=self.per_second or None,
            per_minute=self.per_minute or None,
            per_hour=self.per_hour or None,
            per_day=self.per_day or None,
            min_interval=self.pause,
            jitter=self.jitter,
            bandwidth_kbps=self.bandwidth_kbps or None,
        )

    @property
    def uses_outbox(self) -> bool:
        return self.profile.name == OUTBOX


def provider_of(profile: Profile) -> Any | None:
    """The provider preset the profile was set up from (None for custom and the outbox)."""
    from app.core.providers import get_provider

    try:
        return get_provider(profile.provider)
    except (KeyError, ValueError):
        return None


_RATE_FIELDS = ("per_minute", "per_hour", "per_day")


def _rate_text(field: str, value: int) -> str:
    if not value:
        return QCoreApplication.translate("Log", "no limit")
    texts = {
        "per_minute": QCoreApplication.translate("Log", "{n}/min"),
        "per_hour": QCoreApplication.translate("Log", "{n}/h"),
        "per_day": QCoreApplication.translate("Log", "{n}/day"),
    }
    return texts[field].format(n=value)


def within_provider(plan: SendPlan) -> tuple[SendPlan, list[str]]:
    """The plan inside the caps the profile's provider publishes, clamped exactly as
    `herald send` does (`app.core.providers`), and, in the interface language, what was
    lowered or looks risky. The core's own warnings are English, so the words are built here
    from the numbers."""
    from app.core.providers import clamp_connections, clamp_limits

    provider = provider_of(plan.profile)
    if provider is None:
        return plan, []
    limits, _ = clamp_limits(plan.limits(), provider)
    connections, _ = clamp_connections(plan.connections, provider)
    clamped = replace(
        plan,
        per_minute=limits.per_minute or 0,
        per_hour=limits.per_hour or 0,
        per_day=limits.per_day or 0,
        connections=connections,
    )
    name = provider.name("zh" if QLocale().name().startswith("zh") else "en")
    warnings: list[str] = []
    for field in _RATE_FIELDS:
        cap: int | None = getattr(provider, field)
        wanted: int = getattr(plan, field)
        if cap is None or (wanted and wanted <= cap):
            continue
        values = {
            "provider": name,
            "cap": _rate_text(field, cap),
            "asked": _rate_text(field, wanted),
        }
        if getattr(clamped, field) != wanted:
            text = QCoreApplication.translate(
                "Log",
                "{provider} allows at most {cap}; your setting ({asked}) was lowered to {cap}.",
            )
        else:  # a default of ours, not the provider's: only a warning, as in `herald send`
            text = QCoreApplication.translate(
                "Log",
                "{provider} does not publish this limit; Herald suggests {cap}. With {asked} the server may refuse or block the account.",  # noqa: E501
            )
        warnings.append(text.format(**values))
    if connections != plan.connections:
        text = QCoreApplication.translate(
            "Log",
            "{provider} allows at most {cap} connections at once; {asked} was lowered to {cap}.",
        )
        warnings.append(text.format(provider=name, cap=connections, asked=plan.connections))
    elif provider.connections is not None and plan.connections > provider.connections:
        text = QCoreApplication.translate(
            "Log", "{provider} suggests at most {cap} connections at once."
        )
        warnings.append(text.format(provider=name, cap=provider.connections))
    return clamped, warnings


def estimate_seconds(count: int, plan: SendPlan) -> float:
    """Duration at the chosen caps (the server may be slower; the engine reports the truth)."""
    if count <= 0:
        return 0.0
    pace = [1.0 / plan.per_second if plan.per_second else 0.0]
    pace.append(60.0 / plan.per_minute if plan.per_minute else 0.0)
    pace.append(3600.0 / plan.per_hour if plan.per_hour else 0.0)
    pace.append(plan.pause + plan.jitter / 2)
    if plan.bandwidth_kbps and plan.message_bytes:
        pace.append(plan.message_bytes / (plan.bandwidth_kbps * 1024))
    seconds = count * max(pace)
    if plan.per_day and count > plan.per_day:
        seconds = max(seconds, (count // plan.per_day) * 86400.0)
    return seconds


def _settings_for(profile: Profile, port: int | None = None) -> Any:
    from app.core.send.transport import Security, SmtpSettings

    return SmtpSettings(
        host=profile.host,
        port=port if port is not None else profile.port,
        security=Security(profile.security),
        username=profile.user or None,
        cafile=Path(profile.cafile) if profile.cafile else None,
    )


def password_for(profile: Profile) -> Callable[[], str | None]:
    from app.core.secrets import get_password, password_from_env

    def provide() -> str | None:
        if not profile.user:
            return None
        return password_from_env() or get_password(profile.name, profile.user)

    return provide


class SendRun:
    """One run of the engine over a journal; `run()` always closes what it opened."""

    def __init__(
        self, engine: Any, journal: Any, outbox: Any, resumed: bool, limiter: Any = None
    ) -> None:
        self.engine, self.journal, self.outbox, self.resumed = engine, journal, outbox, resumed
        self.limiter = limiter  # the rate chart reads its rolling one-second count

    def sent_last_second(self) -> int | None:
        """Recipients in the limiter's own rolling 1 s window (None without a limiter)."""
        return self.limiter.sent_in_window("second") if self.limiter is not None else None

    def pause(self) -> None:
        self.engine.pause()

    def resume(self) -> None:
        self.engine.resume()

    def cancel(self) -> None:
        self.engine.cancel()

    async def run(self) -> Any:
        try:
            return await self.engine.run()
        finally:
            self.journal.close()
            if self.outbox is not None:
                await self.outbox.stop()


def journal_path(campaign: Any, session_path: Path | None) -> Path:
    """The same journal `herald send` uses for this campaign file and workbook."""
    from app.core.send import prepare

    return prepare.journal_path(session_path, campaign.config.recipients)


def snapshot_rows(campaign: Any) -> Iterator[Any]:
    """Every sendable row as the journal records it; renders each message (about 1 ms)."""
    from app.core.send import prepare

    return prepare.snapshot_rows(campaign)


async def rendered_snapshot_rows(campaign: Any) -> list[Any]:
    """`snapshot_rows` rendered on the loop in time-boxed slices (Python work: in a worker
    thread it would hold the GIL and stall the window just the same)."""
    rows: list[Any] = []

    def steps() -> Generator[None, None, list[Any]]:
        for row in snapshot_rows(campaign):
            rows.append(row)
            yield
        return rows

    return await run_steps(steps())


def snapshot_of(
    campaign: Any,
    name: str,
    plan: SendPlan,
    campaign_file: Path | None = None,
    rows: Iterable[Any] | None = None,
) -> Any:
    from app.core.send.prepare import campaign_snapshot

    snapshot = campaign_snapshot(
        campaign,
        campaign_file=campaign_file,
        profile=plan.profile.name,
        host=plan.profile.host,
        user=plan.profile.user,
        rows=rows,
        schedule=plan.schedule.to_settings() if plan.schedule is not None else None,
    )
    return replace(snapshot, name=name)


#: What a send needs (about 60 ms of imports, the local outbox's aiosmtpd another 50 ms).
SEND_MODULES = (
    "app.core.journal",
    "app.core.preflight",
    "app.core.send.engine",
    "app.core.send.transport",
    "app.core.send.limiter",
    "app.core.send.history",
    "app.core.send.prepare",  # last: everything it needs is imported by then
)


async def import_gradually(names: Iterable[str]) -> None:
    """Import modules one per loop turn: all at once they would stall the window ~100 ms."""
    for name in names:
        if name not in sys.modules:
            importlib.import_module(name)
            await asyncio.sleep(0)


async def prepare_run(
    campaign: Any,
    plan: SendPlan,
    *,
    session_path: Path | None,
    on_event: Callable[[Any], None],
    resume: bool = True,
) -> SendRun:
    """Open (or create) the journal, start the outbox if chosen, and build the engine.
    The plan is first clamped to the provider's published caps (`within_provider`)."""
    plan, _ = within_provider(plan)
    await import_gradually(SEND_MODULES + (("app.core.outbox",) if plan.uses_outbox else ()))
    from app.core.journal import Journal
    from app.core.send.clock import SystemClock
    from app.core.send.engine import SendEngine
    from app.core.send.limiter import RateLimiter
    from app.core.send.policy import EngineOptions
    from app.core.send.prepare import account_history, message_source, start_local_outbox
    from app.core.send.transport import SmtpConnector

    path = journal_path(campaign, session_path)
    resumed = path.exists() and resume
    if resumed:
        journal = Journal.open(path)
        journal.recover()
        stored = journal.settings.get("schedule")
        if plan.schedule is None and isinstance(stored, dict):  # keeps the one it started with
            from app.core.send.schedule import Schedule

            plan = replace(plan, schedule=Schedule.from_settings(stored))
    else:
        # Rendering every message (about 1 ms each) runs on the loop in slices; writing the
        # rows runs in a worker thread, mostly inside SQLite, which releases the GIL. The
        # journal's connection allows use from another thread.
        name = session_path.stem if session_path else "campaign"
        rows = await rendered_snapshot_rows(campaign)
        snapshot = snapshot_of(campaign, name, plan, session_path, rows)
        with quiet_gc():
            journal = await in_thread(Journal.create, path, snapshot)
    outbox = None
    profile = plan.profile
    try:
        if plan.uses_outbox:
            # on the local preset's port like `herald send` (8025), any free port if taken
            outbox = await start_local_outbox()
            journal.set_outbox_used(True)  # the Report page offers to open the folder
            settings = _settings_for(replace(profile, host="127.0.0.1"), outbox.listening_port)
        else:
            settings = _settings_for(profile)
        settings = replace(settings, max_messages_per_connection=plan.max_per_connection)
        clock = SystemClock()
        # the rolling hour/day counts of this identity: the login, or the From address at
        # this relay when there is no login
        history = account_history(
            profile.user,
            profile.host,
            local=plan.uses_outbox,
            port=settings.port,
            sender=campaign.settings.sender.address,
        )
        limiter = RateLimiter(plan.limits(), clock, history)
        engine = SendEngine(
            journal,
            message_source(campaign, journal),  # keeps the recorded Message-IDs on resume
            SmtpConnector(settings, password_for(profile)),
            limiter,
            clock,
            EngineOptions(
                connections=plan.connections,
                max_messages_per_connection=plan.max_per_connection,
                schedule=plan.schedule,
            ),
            on_event=on_event,
        )
    except BaseException:
        journal.close()
        if outbox is not None:
            await outbox.stop()
        raise
    return SendRun(engine, journal, outbox, resumed, limiter)


async def send_test_message(session: Any, campaign: Any, row: int, address: str) -> None:
    """Send row `row`'s message to `address` only, subject prefixed with [TEST]; no journal."""
    from app.core.preflight import render_row
    from app.core.send.prepare import start_local_outbox
    from app.core.send.transport import SmtpConnector
    from app.gui.profiles import ProfileStore

    profile = ProfileStore().get(session.config.send.profile)
    test_campaign = _test_campaign(campaign, row, address)
    message = render_row(test_campaign, row)
    outbox = None
    try:
        if profile.name == OUTBOX:
            outbox = await start_local_outbox()
            settings = _settings_for(replace(profile, host="127.0.0.1"), outbox.listening_port)
        else:
            settings = _settings_for(profile)
        connection = await SmtpConnector(settings, password_for(profile)).open()
        try:
            result = await connection.send(message)
        finally:
            await connection.close()
        if result.reply.code is None or result.reply.code >= 400:
            raise RuntimeError(str(result.reply))
    finally:
        if outbox is not None:
            await outbox.stop()


def _test_campaign(campaign: Any, row: int, address: str) -> Any:
    """The same campaign with row `row` addressed to `address` alone and [TEST] in the subject."""
    from app.core.compose import MessageBuilder
    from app.core.model import Template
    from app.core.recipients import validate_address
    from app.core.templates import compile_template

    recipient = campaign.by_row[row]
    test_recipient = replace(recipient, to=validate_address(address), cc=(), bcc=())
    template: Template = campaign.settings.template
    test_template = replace(template, subject="[TEST] " + template.subject)
    settings = replace(campaign.settings, template=test_template)
    return replace(
        campaign,
        template=compile_template(test_template, campaign.table.headers),
        settings=settings,
        builder=MessageBuilder(settings),
        by_row={**campaign.by_row, row: test_recipient},
    )
