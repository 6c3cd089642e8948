"""Send page: every limit shown and prefilled, passed to the limiter and the engine, estimated."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from app.gui.profiles import Profile, ProfileStore
from app.gui.sending import estimate_seconds
from tests.gui.helpers import people
from tests.support.smtp_server import SmtpTestServer


def test_bandwidth_and_messages_per_connection_come_from_the_campaign(demo_window):
    session = demo_window.session
    send = replace(session.config.send, bandwidth_kbps=64.0, max_per_connection=7)
    session.set_send_config(send)
    page = demo_window.send_page
    page.load_limits()
    assert page.bandwidth_spin.value() == 64
    assert page.per_connection_spin.value() == 7
    plan = page.plan()
    assert plan.limits().bandwidth_kbps == 64
    assert plan.max_per_connection == 7


def test_messages_per_connection_falls_back_to_the_provider_preset(demo_window):
    ProfileStore().save(
        Profile(name="yahoo", provider="yahoo", host="smtp.mail.yahoo.com", port=465)
    )
    session = demo_window.session
    session.set_send_config(replace(session.config.send, profile="yahoo", max_per_connection=None))
    page = demo_window.send_page
    page.load_limits()
    assert page.per_connection_spin.value() == 20  # the Yahoo preset reconnects after 20
    assert page.bandwidth_spin.text() == "no limit"


def test_the_estimate_counts_the_bandwidth_cap_with_the_real_message_size(demo_window):
    page = demo_window.send_page
    for spin in page.spins.values():
        spin.setValue(0)
    page.pause_spin.setValue(0)
    page.jitter_spin.setValue(0)
    assert page.plan().message_bytes == 0  # no cap: no need to render anything
    page.bandwidth_spin.setValue(1)  # 1 KB/s
    size = page.plan().message_bytes
    assert size > 1000  # the demo's first message, rendered
    expected = 20 * size / 1024
    assert abs(estimate_seconds(20, page.plan()) - expected) < 0.01
    assert "20 recipients" in page.estimate_label.text()
    minutes = int(expected // 60)
    assert f"{minutes} min" in page.estimate_label.text()


def test_a_user_edited_limit_is_saved_with_the_campaign(demo_window, tmp_path):
    from app.core.campaign import load_campaign_file

    page = demo_window.send_page
    page.bandwidth_spin.setValue(128)
    page.per_connection_spin.setValue(5)
    page.spins["per_minute"].setValue(30)
    target = tmp_path / "saved.toml"
    assert demo_window._save_to(target)
    send = load_campaign_file(target).send
    assert send.bandwidth_kbps == 128 and send.max_per_connection == 5
    assert "30/min" in send.rates


def test_the_engine_reconnects_after_the_chosen_number_of_messages(window, run, tmp_path):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="loop", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 6)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="loop"))
        session.save(tmp_path / "c.toml")
        page = window.send_page
        page.load_limits()
        page.per_connection_spin.setValue(2)
        page.confirm = False

        async def send_all() -> None:
            assert await page.start_send()
            deadline = time.monotonic() + 20
            while page.controller.running and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

        run(send_all())
        assert server.message_count == 6
        assert server.connections == 3
    finally:
        run(server.stop())


def test_pause_resume_and_cancel_buttons_drive_the_send(window, run, tmp_path):
    import asyncio
    import time
    from dataclasses import replace

    from app.gui.profiles import Profile, ProfileStore
    from tests.gui.helpers import people
    from tests.support.smtp_server import SmtpTestServer

    async def until(condition, limit: float = 15) -> None:
        deadline = time.monotonic() + limit
        while not condition() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    server = SmtpTestServer(delay=0.03)
    port = run(server.start())
    page = window.send_page
    notices: list[str] = []
    page.controller.notice.connect(notices.append)
    try:
        ProfileStore().save(Profile(name="slow", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 60)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="slow"))
        session.save(tmp_path / "c.toml")
        page.confirm = False

        async def scenario() -> tuple[int, int, int]:
            assert await page.start_send()
            await until(lambda: len(server.messages) >= 3)
            page.pause_button.click()
            await until(lambda: page.controller.state == "paused")
            await asyncio.sleep(0.2)  # a message in flight may still land
            paused_at = len(server.messages)
            await asyncio.sleep(0.4)
            still = len(server.messages)
            page.resume_button.click()
            await until(lambda: len(server.messages) >= still + 3)
            page.cancel_button.click()
            await until(lambda: not page.controller.running)
            page.controller.flush()
            return paused_at, still, len(server.messages)

        paused_at, still, final = run(scenario())
    finally:
        run(server.stop())
    assert paused_at == still  # nothing went out while paused
    assert "Paused. Press Resume to carry on." in notices
    assert still < final < 60  # resumed, then cancelled before the end
    assert page.controller.counts["sent"] == final


def test_a_microsoft_365_send_is_clamped_to_its_published_caps_and_says_so(
    window, run, tmp_path, caplog
):
    server = SmtpTestServer()
    port = run(server.start())
    try:
        ProfileStore().save(
            Profile(
                name="m365", provider="microsoft365", host="127.0.0.1", port=port, security="none"
            )
        )
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>x</p>")
        session.set_send_config(replace(session.config.send, profile="m365"))
        session.save(tmp_path / "c.toml")
        page = window.send_page
        page.load_limits()
        for spin in page.spins.values():
            spin.setValue(0)
        page.pause_spin.setValue(0)
        page.jitter_spin.setValue(0)
        page.spins["per_minute"].setValue(120)
        page.connections.setValue(5)
        assert "about 6 s" in page.estimate_label.text()  # 3 at 30/min, not 1.5 s at 120/min
        page.confirm = False

        async def send_all() -> None:
            assert await page.start_send()
            deadline = time.monotonic() + 20
            while page.controller.running and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

        with caplog.at_level("WARNING", logger="herald.gui"):
            run(send_all())
        assert server.message_count == 3
    finally:
        run(server.stop())
    assert page.run.limiter.limits.per_minute == 30
    assert page.run.engine._options.connections == 3
    assert (page.spins["per_minute"].value(), page.connections.value()) == (120, 5)  # kept
    lowered = (
        "Microsoft 365 (Exchange Online) allows at most 30/min; "
        "your setting (120/min) was lowered to 30/min."
    )
    connections = "allows at most 3 connections at once; 5 was lowered to 3."
    assert lowered in page.notice_label.text() and connections in page.notice_label.text()
    logged = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert lowered in logged
    assert any(connections in line for line in logged)
