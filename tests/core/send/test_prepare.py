"""The send preparation the window and `herald send` share: journal, snapshot, Message-IDs,
history, and the local outbox's port."""

from __future__ import annotations

import asyncio
import email
import email.policy
from pathlib import Path

import pytest

from app.core.campaign import Campaign, load_campaign, load_campaign_file
from app.core.journal import Journal, SourceRole
from app.core.preflight import render_row
from app.core.send import prepare
from tests.core.campaign.builders import ROWS, write_campaign


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    return folder


def _campaign(tmp_path: Path) -> tuple[Path, Campaign]:
    path = write_campaign(tmp_path / "spring")
    return path, load_campaign(load_campaign_file(path))


def test_snapshot_records_campaign_workbook_and_template_and_no_password(tmp_path: Path) -> None:
    path, campaign = _campaign(tmp_path)

    snapshot = prepare.campaign_snapshot(
        campaign, campaign_file=path, profile="work", host="smtp.example.com", user="me"
    )

    assert snapshot.name == "campaign"  # the campaign file's stem
    roles = {source.role for source in snapshot.sources}
    assert roles == {SourceRole.CAMPAIGN, SourceRole.RECIPIENTS, SourceRole.TEMPLATE}
    assert dict(snapshot.settings) == {
        "profile": "work",
        "host": "smtp.example.com",
        "user": "me",
        "subject": campaign.settings.template.subject,
        "list_unsubscribe": campaign.settings.list_unsubscribe,
        "from": campaign.settings.sender.address,
    }
    rows = list(snapshot.rows)
    assert [r.address for r in rows] == [str(row[0]) for row in ROWS]


def test_journal_path_is_the_same_for_the_same_campaign_and_differs_for_another(
    tmp_path: Path,
) -> None:
    path, campaign = _campaign(tmp_path)
    other = write_campaign(tmp_path / "autumn")

    first = prepare.journal_path(path, campaign.config.recipients)

    assert first == prepare.journal_path(path, campaign.config.recipients)
    assert first.parent == tmp_path / "data" / "campaigns"
    assert first.name.startswith("campaign-")
    assert first != prepare.journal_path(other, tmp_path / "autumn" / "people.xlsx")


def test_message_source_keeps_the_message_id_the_journal_recorded(tmp_path: Path) -> None:
    path, campaign = _campaign(tmp_path)
    snapshot = prepare.campaign_snapshot(
        campaign, campaign_file=path, profile="local", host="127.0.0.1", user=None
    )
    journal = Journal.create(prepare.journal_path(path, campaign.config.recipients), snapshot)
    try:
        row = next(iter(campaign.by_row))
        recorded = journal.get(row)
        assert recorded is not None
        fresh = render_row(campaign, row)
        assert fresh.message_id != recorded.message_id  # each render makes a new one

        message = prepare.message_source(campaign, journal)(row)
    finally:
        journal.close()

    assert message.message_id == recorded.message_id
    parsed = email.message_from_bytes(message.data, policy=email.policy.default)
    assert parsed["Message-ID"] == recorded.message_id
    assert (
        parsed["Subject"]
        == email.message_from_bytes(fresh.data, policy=email.policy.default)["Subject"]
    )


def test_account_history_is_per_login_or_per_from_address_at_a_relay(data_dir: Path) -> None:
    assert prepare.account_history(None, "smtp.example.com") is None  # nothing to count for
    assert prepare.account_history("me", "127.0.0.1", local=True, port=8025, sender="a") is None
    login = prepare.account_history("me@example.com", "smtp.example.com", port=465)
    relay = prepare.account_history(None, "relay.example.com", port=25, sender="shop@example.com")
    other_port = prepare.account_history(
        None, "relay.example.com", port=26, sender="shop@example.com"
    )
    other_sender = prepare.account_history(
        None, "relay.example.com", port=25, sender="b@example.com"
    )
    histories = [login, relay, other_port, other_sender]
    try:
        assert all(h is not None for h in histories)
        paths = [h.path for h in histories if h is not None]
        assert len(set(paths)) == 4  # one file per identity
        # a login's quota is its account's whichever port reaches it (and old files still count)
        same = prepare.account_history("ME@example.com", "smtp.example.com", port=587)
        assert same is not None and same.path == paths[0]
        same.close()
    finally:
        for history in histories:
            if history is not None:
                history.close()


def test_local_outbox_port_is_the_local_presets() -> None:
    assert prepare.local_outbox_port() == 8025


async def test_local_outbox_listens_on_the_preset_port_or_any_free_port_when_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = await asyncio.get_running_loop().create_server(asyncio.Protocol, "127.0.0.1", 0)
    taken = blocker.sockets[0].getsockname()[1]
    monkeypatch.setattr(prepare, "local_outbox_port", lambda: taken)
    try:
        outbox = await prepare.start_local_outbox(tmp_path / "outbox")
        try:
            assert outbox.port not in (None, 0, taken)
        finally:
            await outbox.stop()
        asked = await prepare.start_local_outbox(tmp_path / "outbox", port=taken)  # --smtp-port
        try:
            assert asked.port not in (None, 0, taken)
        finally:
            await asked.stop()
    finally:
        blocker.close()
        await blocker.wait_closed()
