"""The one send set-up both front ends use (`app.core.send.session`): the account and pace,
the test outbox's own journal, no journal when nothing can be sent, the identity recorded and
compared on resume, Start over, and an engine that connects where the label says."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.campaign import Campaign, SendConfig, load_campaign, load_campaign_file
from app.core.journal import Journal, find_journal_for
from app.core.profiles import Profile, ProfileStore
from app.core.providers import get_provider
from app.core.send.limiter import Limits
from app.core.send.session import (
    AccountChoice,
    AccountMismatch,
    NothingToSend,
    Pace,
    SendSession,
    SetupError,
    account_from_profile,
    choose_account,
    choose_pace,
)
from app.core.send.transport import Security
from tests.core.campaign.builders import ROWS, write_campaign
from tests.support.smtp_server import SmtpTestServer


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def _campaign(tmp_path: Path, **options: str) -> tuple[Path, Campaign]:
    path = write_campaign(tmp_path / "spring", **options)
    return path, load_campaign(load_campaign_file(path))


def _loopback(port: int, name: str = "loopback", **limits: int) -> Profile:
    profile = Profile(name=name, host="127.0.0.1", port=port, security=Security.NONE, **limits)
    ProfileStore().save(profile)
    return profile


def _session(path: Path, campaign: Campaign, port: int | None) -> SendSession:
    account = choose_account(AccountChoice(profile="loopback" if port else None))
    return SendSession(campaign, account, Pace(), campaign_file=path)


def test_no_server_and_no_profile_is_the_local_test_outbox_and_a_test() -> None:
    account = choose_account(AccountChoice())
    assert account.local and "local test outbox" in account.label()
    window_outbox = account_from_profile(Profile(name="outbox", provider="outbox", port=0))
    assert window_outbox.local
    # a saved account may well be called "local": it is what the user set up, not the outbox
    named_local = account_from_profile(Profile(name="local", host="mail.example.com"))
    assert not named_local.local and named_local.host == "mail.example.com"


def test_a_saved_profiles_limits_apply_when_options_and_campaign_set_none() -> None:
    _loopback(2525, per_minute=30, per_day=400, connections=2, pause=1.5)
    account = choose_account(AccountChoice(profile="loopback"))
    pace = choose_pace(account, SendConfig())
    assert (pace.limits.per_minute, pace.limits.per_day) == (30, 400)
    assert pace.connections == 2 and pace.limits.min_interval == 1.5
    # an option's rate wins over the profile's, and the campaign's connections too
    faster = choose_pace(account, SendConfig(connections=1), rates=("10/min",))
    assert faster.limits.per_minute == 10 and faster.limits.per_day is None
    assert faster.connections == 1


def test_the_providers_published_caps_hold_in_the_session_whatever_the_front_end_asks(
    tmp_path: Path,
) -> None:
    path, campaign = _campaign(tmp_path)
    account = choose_account(AccountChoice(profile="microsoft365", user="me@example.com"))
    session = SendSession(
        campaign, account, Pace(Limits(per_minute=120), connections=5), campaign_file=path
    )
    cap = get_provider("microsoft365")
    assert session.pace.limits.per_minute == cap.per_minute
    assert session.pace.connections == cap.connections


def test_a_test_run_has_its_own_journal_that_the_real_search_never_finds(tmp_path: Path) -> None:
    path, campaign = _campaign(tmp_path)
    test = _session(path, campaign, None)
    assert test.test and test.journal_path != test.real_journal_path
    test.create_journal().close()
    assert test.journal_path.is_file() and not test.real_journal_path.exists()
    assert find_journal_for(path) is None  # the Report and resume see no delivery
    assert find_journal_for(path, test=True) == test.journal_path
    # a second rehearsal replaces the first: a test is never resumed into a real send
    with test.create_journal() as again:
        assert sum(again.counts().values()) == len(ROWS)


def test_nothing_to_send_writes_no_journal(tmp_path: Path) -> None:
    path, campaign = _campaign(tmp_path)
    _loopback(2525)
    session = _session(path, campaign, 2525)
    with pytest.raises(NothingToSend):
        session.create_journal(rows=[])
    assert not session.journal_path.exists()


def test_the_journal_records_the_identity_and_a_resume_through_another_is_refused(
    tmp_path: Path,
) -> None:
    path, campaign = _campaign(tmp_path)
    _loopback(2525)
    session = _session(path, campaign, 2525)
    session.create_journal().close()
    with Journal.open_readonly(session.journal_path) as journal:
        assert journal.settings["host"] == "127.0.0.1" and journal.settings["port"] == 2525
        assert journal.settings["sender"] == "shop@example.com"
        assert journal.settings["test"] is False

    _loopback(2526)  # the same name now points at another server
    moved = _session(path, campaign, 2526)
    state = moved.existing()
    assert state is not None and moved.mismatch(state) == ["port"]
    with pytest.raises(AccountMismatch) as refused:
        moved.open_journal()
    assert "127.0.0.1:2525" in str(refused.value) and "127.0.0.1:2526" in str(refused.value)
    moved.open_journal(allow_other_account=True).close()  # the user was asked and agreed


def test_start_over_keeps_the_old_journal_under_another_name(tmp_path: Path) -> None:
    path, campaign = _campaign(tmp_path)
    _loopback(2525)
    session = _session(path, campaign, 2525)
    session.create_journal().close()
    kept = session.start_over()
    assert kept is not None and kept.is_file() and ".archived-" in kept.name
    assert not session.journal_path.exists() and find_journal_for(path) is None
    with Journal.open_readonly(kept) as journal:  # nothing lost: the old record still reads
        assert sum(journal.counts().values()) == len(ROWS)
    session.create_journal().close()  # and the campaign can be sent again


def test_a_start_that_fails_after_the_journal_was_written_leaves_none(tmp_path: Path) -> None:
    path, campaign = _campaign(tmp_path)
    _loopback(2525)
    session = _session(path, campaign, 2525)
    journal = session.create_journal()
    session.discard(journal)
    assert not session.journal_path.exists()


def test_a_profile_without_a_server_cannot_be_sent_through() -> None:
    with pytest.raises(SetupError):
        account_from_profile(Profile(name="half done", host=""))


async def test_the_engine_connects_where_the_account_label_says(
    tmp_path: Path, smtp_server: SmtpTestServer
) -> None:
    path, campaign = _campaign(tmp_path)
    _loopback(smtp_server.port)
    session = _session(path, campaign, smtp_server.port)
    assert f"127.0.0.1:{smtp_server.port}" in session.label()
    run = await session.start(session.create_journal())
    assert (run.settings.host, run.settings.port) == ("127.0.0.1", smtp_server.port)
    finished = await run.run()
    assert finished.counts["sent"] == len(ROWS) == len(smtp_server.messages)
    assert find_journal_for(path) == session.journal_path  # a real send: the Report's


async def test_a_test_run_goes_to_the_local_outbox_and_leaves_the_campaign_unsent(
    tmp_path: Path, data_dir: Path
) -> None:
    path, campaign = _campaign(tmp_path)
    session = _session(path, campaign, None)
    finished = await (await session.start(session.create_journal())).run()
    assert finished.counts["sent"] == len(ROWS)
    assert len(list((data_dir / "outbox").glob("*.eml"))) == len(ROWS)
    assert not session.real_journal_path.exists()


def test_an_older_heralds_outbox_journal_under_the_real_name_never_counts(tmp_path: Path) -> None:
    """Before test journals existed, a rehearsal through the outbox was kept under the real
    journal's name: the real send then said "0 left". Such a journal is moved aside."""
    from app.core.send import prepare

    path, campaign = _campaign(tmp_path)
    real_path = prepare.journal_path(path, campaign.config.recipients)
    snapshot = prepare.campaign_snapshot(
        campaign, campaign_file=path, profile="outbox", host="127.0.0.1", user=None
    )
    with Journal.create(real_path, snapshot) as old:
        old.set_outbox_used(True)
    assert find_journal_for(path) is None  # the Report and resume never see it

    _loopback(2525)
    session = _session(path, campaign, 2525)
    assert session.existing() is None  # nothing real was sent...
    assert find_journal_for(path, test=True) is not None  # ...the rehearsal is kept as a test
    with session.create_journal() as journal:  # and the real send goes to everyone
        counts = {str(state): n for state, n in journal.counts().items()}
        assert counts["pending"] == len(ROWS) and counts.get("sent", 0) == 0
