"""A send from the window: the Send page's numbers -> the core's `SendSession`.

The account, the provider's caps, the journal (the test outbox's own, none when nothing can be
sent, the identity check on resume) and the engine's wiring are `app.core.send.session`'s, the
same `herald send` uses. This module only adds what the window needs: its plan of spin-box
values, warnings in the interface language, rendering in slices and imports spread over loop
turns.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from app.gui.profiles import OUTBOX, Profile
from app.gui.tasks import in_thread, quiet_gc

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
    """Duration at the chosen caps (the core's estimate; 0 without any cap)."""
    from app.core.send.session import estimate_seconds as core_estimate

    return core_estimate(count, plan.limits(), plan.message_bytes) or 0.0


def account_of(profile: Profile) -> Any:
    """The core's `Account` for a window profile (the built-in outbox: the local test outbox).
    Raises `app.core.send.session.SetupError` for a profile without a server."""
    from app.core.send.session import account_from_profile

    return account_from_profile(profile)


def _settings_for(profile: Profile) -> Any:
    """The transport settings a connection test of this profile uses: the same the send uses."""
    return account_of(profile).settings()


def password_for(profile: Profile) -> Callable[[], Any]:
    """The profile's secret for the connector, found as `herald send` finds it (the core's
    session): its OAuth sign-in (one token source, so its access token is reused) when it
    signs in with OAuth, else the password (environment for this run, or the keychain)."""
    from app.core.send.session import find_password, oauth_credential

    account = account_of(profile)
    credential = oauth_credential(account)
    if credential is not None:
        return lambda: credential
    return lambda: find_password(account)


def send_session(campaign: Any, plan: SendPlan, session_path: Path | None) -> Any:
    """The core's `SendSession` for what the Send page shows: the account chosen on Compose,
    the page's limits (clamped to the provider's caps by the session itself)."""
    from app.core.send.session import Pace, RunOptions, SendSession

    account = account_of(plan.profile)
    pace = Pace(
        limits=plan.limits(),
        connections=plan.connections,
        max_per_connection=plan.max_per_connection,
    )
    name = session_path.stem if session_path else "campaign"
    return SendSession(
        campaign,
        account,
        pace,
        campaign_file=session_path,
        name=name,
        password=password_for(plan.profile),  # the profile's own secret (keychain, sign-in)
        run_options=RunOptions(schedule=plan.schedule),
    )


def journal_path(campaign: Any, session_path: Path | None, *, test: bool = False) -> Path:
    """The same journal `herald send` uses for this campaign file and workbook."""
    from app.core.send import prepare

    return prepare.journal_path(session_path, campaign.config.recipients, test=test)


def snapshot_rows(campaign: Any) -> Iterator[Any]:
    """Every sendable row as the journal records it; renders each message (about 1 ms)."""
    from app.core.send import prepare

    return prepare.snapshot_rows(campaign)


async def rendered_snapshot_rows(campaign: Any, left_out: list[Any] | None = None) -> list[Any]:
    """`snapshot_rows` rendered on the loop in time-boxed slices (Python work: in a worker
    thread it would hold the GIL and stall the window just the same), except a row slower
    than a slice, which is finished in a thread (a slow template cannot freeze the window;
    one over its budget is left out, in `left_out`). See app.gui.slow_rows."""
    from app.gui.slow_rows import snapshot_rows as sliced_snapshot_rows

    return await sliced_snapshot_rows(campaign, left_out)


def snapshot_of(
    campaign: Any,
    name: str,
    plan: SendPlan,
    campaign_file: Path | None = None,
    rows: Iterable[Any] | None = None,
) -> Any:
    """The snapshot a send of this plan records (with its sending identity)."""
    from app.core.send.prepare import campaign_snapshot

    session = send_session(campaign, plan, campaign_file)
    snapshot = campaign_snapshot(
        campaign,
        campaign_file=campaign_file,
        profile=session.account.name,
        host=session.account.host,
        user=session.account.user,
        rows=rows,
        identity=session.identity.to_settings(),
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
    "app.core.send.prepare",
    "app.core.send.session",  # last: everything it needs is imported by then
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
    allow_other_account: bool = False,
    left_out: list[Any] | None = None,
) -> Any:
    """Open (or create) the journal and build the engine, all through the core's
    `SendSession` (the account, the caps, the test outbox's own journal, no journal when
    nothing can be sent, the identity check on resume). A test run always starts afresh.
    Rows that cannot be sent (a template over its budget among them) are left out of a new
    journal and added to `left_out`."""
    await import_gradually(SEND_MODULES + (("app.core.outbox",) if plan.uses_outbox else ()))
    session = send_session(campaign, plan, session_path)
    path = session.journal_path
    resumed = resume and not session.test and path.exists()
    if resumed:
        # the schedule it was started with, unless the page sets one (SendSession reads it)
        journal = session.open_journal(allow_other_account=allow_other_account)
    else:
        # Rendering every message (about 1 ms each) runs on the loop in slices; writing the
        # rows runs in a worker thread, mostly inside SQLite, which releases the GIL. The
        # journal's connection allows use from another thread.
        rows = await rendered_snapshot_rows(campaign, left_out)
        with quiet_gc():
            journal = await in_thread(session.create_journal, rows)
    try:
        run = await session.start(journal, on_event=on_event)
    except BaseException:
        if resumed:
            journal.close()
        else:
            session.discard(journal)  # a failed start leaves no journal behind
        raise
    run.resumed = resumed
    run.session = session
    return run


async def send_test_message(session: Any, campaign: Any, row: int, address: str) -> None:
    """Send row `row`'s message to `address` only, subject prefixed with [TEST]; no journal.
    A slow template renders in a worker thread after its slice; over its budget it raises
    the row's RowError, and nothing is sent."""
    from app.core.send.prepare import start_local_outbox
    from app.core.send.transport import SmtpConnector
    from app.gui.profiles import ProfileStore
    from app.gui.slow_rows import rendered_row

    store = ProfileStore()
    profile = store.get(store.chosen_name(session.config.send.profile))
    account = account_of(profile)
    test_campaign = _test_campaign(campaign, row, address)
    message = await rendered_row(test_campaign, row)
    outbox = None
    try:
        port = None
        if account.local:
            outbox = await start_local_outbox()
            port = outbox.listening_port
        settings = account.settings(port)
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
