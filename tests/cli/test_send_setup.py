"""Where `herald send` sends to: the local outbox follows its preset."""

from __future__ import annotations

import argparse

from app.cli.send_setup import choose_target
from app.core.campaign import CampaignConfig
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
