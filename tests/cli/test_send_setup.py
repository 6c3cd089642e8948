"""Where `herald send` sends to and how fast: presets, campaign file, provider clamps."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.cli import run
from app.cli.send_setup import build_pace, choose_target
from app.core.campaign import CampaignConfig, SendConfig
from app.core.profiles import Profile, ProfileStore
from app.core.providers import get_provider
from app.core.send.transport import Security
from tests.cli.send_support import write_campaign


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Saved profiles are read from HERALD_DATA_DIR: never the user's own."""
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    return folder


def _args(**given: object) -> argparse.Namespace:
    values: dict[str, object] = dict.fromkeys(
        ("profile", "smtp_host", "smtp_port", "security", "user", "cafile", "connections", "rate")
    )
    values.update(given)
    return argparse.Namespace(**values)


def test_the_local_outbox_listens_on_the_port_its_preset_names():
    target = choose_target(_args(), CampaignConfig())
    assert target.local and target.host == "127.0.0.1"
    assert target.port == get_provider("local").port


def test_a_port_given_for_the_local_outbox_wins_over_the_preset():
    target = choose_target(_args(profile="local", smtp_port=2525), CampaignConfig())
    assert target.local and target.port == 2525


def test_microsoft_365_asked_for_120_per_minute_and_5_connections_gets_30_and_3():
    args = _args(profile="microsoft365", connections=5, rate=["120/min"])
    target = choose_target(args, CampaignConfig())
    pace = build_pace(args, CampaignConfig(), target)
    assert (target.host, target.port, target.security) == ("smtp.office365.com", 587, "starttls")
    assert pace.connections == 3
    assert pace.limits.per_minute == 30 and pace.limits.per_day == 10000
    assert any("at most 30/min" in w for w in pace.warnings)


def test_the_campaign_files_bandwidth_and_pause_reach_the_limits():
    config = CampaignConfig(send=SendConfig(bandwidth_kbps=256, pause=0.5, rates=("10/s",)))
    args = _args(rate=None)
    limits = build_pace(args, config, choose_target(args, config)).limits
    assert (limits.bandwidth_kbps, limits.min_interval, limits.per_second) == (256, 0.5, 10)


def _save_office_profile(cafile: Path) -> None:
    """`cafile` must be a real certificate: herald send refuses a missing one at once."""
    ProfileStore().save(
        Profile(
            name="Office relay",
            host="mail.example.com",
            port=2465,
            security=Security.TLS,
            user="shop@example.com",
            cafile=str(cafile),
        )
    )


def test_send_profile_names_an_account_saved_by_the_window(tmp_path: Path, capsys, test_certs):
    _save_office_profile(test_certs.ca_file)
    options = write_campaign(tmp_path, 2)
    assert run(["send", *options, "--profile", "Office relay", "--dry-run"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "via shop@example.com at mail.example.com:2465 (tls)" in out


def test_a_saved_profile_fills_only_what_options_and_campaign_file_leave_open(test_certs):
    _save_office_profile(test_certs.ca_file)
    send = SendConfig(profile="Office relay", user="orders@example.com")
    target = choose_target(_args(smtp_port=587, security="starttls"), CampaignConfig(send=send))
    assert (target.host, target.port, target.security) == ("mail.example.com", 587, "starttls")
    assert target.user == "orders@example.com" and target.profile == "Office relay"
    assert target.cafile == test_certs.ca_file and not target.local


def test_a_saved_profile_on_a_preset_gets_the_presets_caps():
    gmail = get_provider("gmail")
    saved = Profile(name="Newsletter", provider="gmail", host=gmail.host, port=gmail.port,
                    security=gmail.security, user="me@example.com")  # fmt: skip
    ProfileStore().save(saved)
    target = choose_target(_args(profile="Newsletter"), CampaignConfig())
    assert target.provider == gmail and target.host == gmail.host and target.port == gmail.port


def test_a_provider_preset_id_still_works_without_saved_profiles(tmp_path: Path, capsys):
    gmail = get_provider("gmail")
    options = write_campaign(tmp_path, 2)
    assert run(["send", *options, "--profile", "gmail", "--user", "me@example.com",
                "--dry-run"]) == 0  # fmt: skip
    out = " ".join(capsys.readouterr().out.split())
    assert f"{gmail.host}:{gmail.port}" in out


def test_an_unknown_profile_name_lists_saved_profiles_and_presets(
    tmp_path: Path, capsys, test_certs
):
    _save_office_profile(test_certs.ca_file)
    options = write_campaign(tmp_path, 2)
    assert run(["send", *options, "--profile", "Ofice relay", "--dry-run"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "'Ofice relay' is neither a saved profile nor a provider preset" in err
    assert "Office relay" in err and "gmail" in err and "--smtp-host" in err
