"""Where `herald send` sends to and how fast: presets, campaign file, provider clamps."""

from __future__ import annotations

import argparse

from app.cli.send_setup import build_limits, choose_target
from app.core.campaign import CampaignConfig, SendConfig
from app.core.providers import get_provider


def _args(**given: object) -> argparse.Namespace:
    values: dict[str, object] = dict.fromkeys(
        ("profile", "smtp_host", "smtp_port", "security", "user", "cafile", "connections")
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
    limits = build_limits(args, CampaignConfig(), target)
    assert (target.host, target.port, target.security) == ("smtp.office365.com", 587, "starttls")
    assert target.connections == 3
    assert limits.per_minute == 30 and limits.per_day == 10000
    assert any("at most 30/min" in w for w in target.warnings)


def test_the_campaign_files_bandwidth_and_pause_reach_the_limits():
    config = CampaignConfig(send=SendConfig(bandwidth_kbps=256, pause=0.5, rates=("10/s",)))
    args = _args(rate=None)
    limits = build_limits(args, config, choose_target(args, config))
    assert (limits.bandwidth_kbps, limits.min_interval, limits.per_second) == (256, 0.5, 10)
