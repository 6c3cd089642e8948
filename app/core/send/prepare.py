"""The pieces every send is prepared from: the journal's file and snapshot, the account's send
history, the message source on resume, the local outbox's port.

The window and `herald send` used to do each of these by hand, and had drifted (the window did
not record the template among the snapshot's sources and sent fresh Message-IDs on resume).
Plain functions over core types; `app.core.send.session` puts them together for both front
ends (with the account, the pace and the engine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.campaign import Campaign, CampaignConfig
from app.core.journal import (
    CampaignSnapshot,
    Journal,
    SnapshotRow,
    SourceFile,
    SourceRole,
    journal_path_for,
)
from app.core.journal.snapshot import JsonValue
from app.core.model import RenderedMessage
from app.core.preflight import iter_messages, render_row
from app.core.providers import get_provider
from app.core.send.history import SendHistory

if TYPE_CHECKING:  # aiosmtpd is imported only when the outbox is really started
    from app.core.outbox import LocalOutbox

#: The provider preset id of the embedded local test outbox (`herald send --profile local`).
LOCAL_PRESET = "local"


def local_outbox_port() -> int:
    """The `local` preset's port (8025): a fixed port lets a mail program watch the outbox.
    0 (any free port) when the preset is missing from the data file."""
    try:
        return get_provider(LOCAL_PRESET).port
    except KeyError:
        return 0


async def start_local_outbox(folder: Path | None = None, port: int | None = None) -> LocalOutbox:
    """The local outbox listening on `port` (default: the preset's), or on any free port when
    that one is taken (another send, another program): a busy port never stops a send. Its
    `listening_port` says where it listens; the caller stops it."""
    from app.core.outbox import LocalOutbox, default_outbox_folder

    outbox = LocalOutbox(folder if folder is not None else default_outbox_folder())
    wanted = port if port is not None else local_outbox_port()
    await outbox.start(wanted, any_port_if_taken=True)
    return outbox


def journal_path(
    campaign_file: Path | None, recipients: Path | None, *, test: bool = False
) -> Path:
    """The campaign's journal: named after the campaign file (else the workbook), keyed on both
    so the window and `herald send` find the same journal for the same campaign. A rehearsal
    through the local test outbox (`test`) has its own, which never counts as a delivery."""
    name = campaign_file.stem if campaign_file is not None else None
    return journal_path_for(campaign_file, recipients, name=name, test=test)


def snapshot_rows(campaign: Campaign) -> Iterator[SnapshotRow]:
    """Every sendable row as the journal records it, streamed (each renders its message, about
    1 ms; 100,000 rows are never held at once). Rows that cannot be sent are left out."""
    for result in iter_messages(campaign):
        if isinstance(result, RenderedMessage):
            yield SnapshotRow.of(campaign.by_row[result.row], result)


def snapshot_sources(config: CampaignConfig, campaign_file: Path | None) -> tuple[SourceFile, ...]:
    """The files the send depends on, hashed, so a resume can say which one changed since."""
    sources = []
    if campaign_file is not None and campaign_file.exists():
        sources.append(SourceFile.of(SourceRole.CAMPAIGN, campaign_file))
    if config.recipients is not None:
        sources.append(SourceFile.of(SourceRole.RECIPIENTS, config.recipients))
    if config.body is not None and config.body.exists():
        sources.append(SourceFile.of(SourceRole.TEMPLATE, config.body))
    return tuple(sources)


def campaign_snapshot(
    campaign: Campaign,
    *,
    campaign_file: Path | None,
    profile: str,
    host: str,
    user: str | None,
    rows: Iterable[SnapshotRow] | None = None,
    identity: Mapping[str, JsonValue] | None = None,
    schedule: Mapping[str, str] | None = None,
) -> CampaignSnapshot:
    """What the journal records at the start of a send. `rows` defaults to `snapshot_rows`
    (a front end that renders in slices passes its own). Never a password: only the account's
    name, server, login name and the rest of the sending `identity` (port, From, test run)
    that a resume compares against. `schedule` (`Schedule.to_settings()`) is kept so a
    resumed send waits for the same start time, hours and days."""
    snapshot = CampaignSnapshot(
        name=campaign_file.stem if campaign_file is not None else "campaign",
        sources=snapshot_sources(campaign.config, campaign_file),
        settings={
            "profile": profile,
            "host": host,
            "user": user or None,
            "subject": campaign.settings.template.subject,
            # read back by `herald bounces`: unsubscribe replies come to this address
            "list_unsubscribe": campaign.settings.list_unsubscribe,
            "from": campaign.settings.sender.address,
        },
        rows=snapshot_rows(campaign) if rows is None else rows,
        headers=campaign.table.headers,
    )
    if identity:
        snapshot = replace(snapshot, settings={**snapshot.settings, **identity})
    if schedule:
        settings: dict[str, JsonValue] = {**snapshot.settings, "schedule": dict(schedule)}
        snapshot = replace(snapshot, settings=settings)
    return snapshot


def account_history(
    user: str | None,
    host: str,
    *,
    local: bool = False,
    port: int | None = None,
    sender: str | None = None,
) -> SendHistory | None:
    """The sending identity's rolling hour/day counts, so a daily cap holds across runs and
    restarts: the login's account, or without a login the From address (`sender`) through
    this relay (`host`:`port`). None for the local outbox, or with neither a login nor both a
    sender and a port (nothing to count for)."""
    if local:
        return None
    if user:
        return SendHistory.for_account(user, host)
    if sender and port is not None:
        return SendHistory.for_relay_sender(sender, host, port)
    return None


def with_message_id(message: RenderedMessage, message_id: str) -> RenderedMessage:
    """The message carrying `message_id` instead of its freshly made one, so a message sent on
    resume or retry is recognisably the one recorded (servers and mail programs de-duplicate on
    it)."""
    old = f"Message-ID: {message.message_id}".encode()
    if message.message_id == message_id or old not in message.data:
        return message
    data = message.data.replace(old, f"Message-ID: {message_id}".encode(), 1)
    return replace(message, message_id=message_id, data=data)


def message_source(campaign: Campaign, journal: Journal) -> Callable[[int], RenderedMessage]:
    """The engine's message source: row -> message rendered now, with the Message-ID the journal
    recorded for that row at the snapshot."""

    def render(row: int) -> RenderedMessage:
        message = render_row(campaign, row)
        recorded = journal.get(row)
        if recorded is not None and recorded.message_id:
            message = with_message_id(message, recorded.message_id)
        return message

    return render
