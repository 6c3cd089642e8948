"""Provider presets: the data file loads, every preset is usable, published caps clamp."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.providers import (
    ProviderDataError,
    clamp_connections,
    clamp_limits,
    get_provider,
    load_providers,
)
from app.core.send.limiter import Limits

REQUIRED = {
    "gmail",
    "google-workspace",
    "outlook",
    "microsoft365",
    "yahoo",
    "qq",
    "exmail",
    "163",
    "126",
    "yeah",
    "netease-qiye",
    "aliyun-qiye",
    "aliyun",
    "sina",
    "custom",
    "local",
}


def test_every_required_preset_is_in_the_data_file() -> None:
    assert {p.id for p in load_providers()} == REQUIRED


@pytest.mark.parametrize("provider", load_providers(), ids=lambda p: p.id)
def test_every_preset_has_server_security_hints_and_a_limits_source(provider) -> None:
    assert provider.security in {"tls", "starttls", "none"}
    assert 0 < provider.port < 65536
    assert provider.host or provider.id == "custom"
    assert provider.hint_en and provider.hint_zh and provider.name_en and provider.name_zh
    assert provider.limits_source.startswith(("https://", "not published"))
    assert provider.security != "none" or provider.host == "127.0.0.1"
    assert provider.security != "tls" or provider.port == 465
    assert isinstance(provider.default_limits(), Limits)


def test_chinese_providers_tell_the_user_about_the_authorization_code() -> None:
    for provider_id in ("qq", "163", "126", "yeah"):
        provider = get_provider(provider_id)
        assert "授权码" in provider.hint("zh_CN")
        assert "authorization code" in provider.hint("en")


def test_published_figures_become_default_caps() -> None:
    m365 = get_provider("microsoft365")
    assert m365.default_limits() == Limits(per_minute=30, per_day=10000)
    assert (m365.connections, m365.host, m365.port) == (3, "smtp.office365.com", 587)
    assert get_provider("gmail").default_limits().per_day == 500
    assert get_provider("google-workspace").default_limits().per_day == 2000
    assert get_provider("yahoo").messages_per_connection == 20


def test_m365_user_asking_120_per_minute_is_clamped_to_30_with_a_warning() -> None:
    user = Limits(per_minute=120, per_day=500)
    limits, warnings = clamp_limits(user, get_provider("microsoft365"))
    assert limits == Limits(per_minute=30, per_day=500)
    [warning] = warnings
    assert "at most 30/min" in warning and "120/min" in warning


def test_missing_user_cap_takes_a_published_cap() -> None:
    limits, warnings = clamp_limits(Limits(per_second=5), get_provider("google-workspace"))
    assert limits == Limits(per_second=5, per_day=2000)
    assert "no limit" in warnings[0]


def test_unpublished_default_only_warns_and_keeps_the_users_setting() -> None:
    limits, warnings = clamp_limits(Limits(per_minute=60), get_provider("qq"))
    assert limits.per_minute == 60
    assert any("publishes no per-minute limit" in w for w in warnings)


def test_settings_within_the_caps_pass_silently() -> None:
    user = Limits(per_minute=20, per_day=300)
    assert clamp_limits(user, get_provider("microsoft365")) == (user, [])
    assert clamp_limits(Limits(per_second=100), get_provider("custom")) == (
        Limits(per_second=100),
        [],
    )


def test_connections_are_clamped_to_the_published_maximum() -> None:
    assert clamp_connections(8, get_provider("microsoft365"))[0] == 3
    assert clamp_connections(2, get_provider("microsoft365")) == (2, [])
    assert clamp_connections(8, get_provider("gmail")) == (8, [])


def test_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="gmail"):
        get_provider("hotmail-classic")


def test_malformed_data_file_names_the_preset_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "providers.toml"
    bad.write_text(
        '[[provider]]\nid = "x"\nname_en = "X"\nname_zh = "X"\nhost = "smtp.example.com"\n'
        'port = 465\nsecurity = "ssl"\nhint_en = "h"\nhint_zh = "h"\n'
        '[provider.limits]\nper_day = 5\npublished = ["per_day"]\n'
        'limits_source = "not published"\n',
        encoding="utf-8",
    )
    with pytest.raises(ProviderDataError, match=r"preset #1 \(x\): security"):
        load_providers(bad)
