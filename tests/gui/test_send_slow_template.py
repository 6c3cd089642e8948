"""A slow template never freezes the Send page (issue 8): the readiness check, the send start's
snapshot and "Send test to me" render a row on the loop for one slice at most, finish it in a
worker thread, and a row over its budget is that row's problem (said in English and Chinese,
Start disabled with the reason, nothing sent for it). Time is the render budget's injected
clock; the loop's turns are counted with a QTimer, never timed."""

from __future__ import annotations

import asyncio
import threading
import time

from PySide6.QtCore import QTimer

from app.gui.profiles import Profile, ProfileStore
from tests.gui.helpers import people
from tests.support.smtp_server import SmtpTestServer

LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


class _GatedClock:
    """The render budget's clock. On the window's thread 10 ms later at each reading (a slice
    of the loop is over after a few readings, the 2 s budget after 200). In a worker thread it
    waits while the gate is shut; then it stands still, or once `released` also runs 10 ms a
    reading (an ordinary row finishes, an endless loop runs out of its budget), or once
    `expire`d jumps 10 s a reading (past any deadline). So a slow row provably sits in a
    thread while the window's loop turns, and ends when the test says, not when a wall clock
    does."""

    def __init__(self) -> None:
        self.window_thread = threading.get_ident()
        self.window_now = 0.0
        self.worker_now = 0.0
        self.step = 0.0
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = 0  # worker readings held at the gate so far

    def __call__(self) -> float:
        if threading.get_ident() == self.window_thread:
            self.window_now += 0.01
            return self.window_now
        if not self.gate.is_set():
            self.waiting += 1
            self.gate.wait(60)  # only a stall guard: the test opens it
        self.worker_now += self.step
        return self.worker_now

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.step = max(self.step, 0.01)
        self.gate.set()

    def expire(self) -> None:
        self.step = 10.0
        self.gate.set()


def _gated(monkeypatch) -> _GatedClock:
    from app.core.templates import limits

    clock = _GatedClock()
    monkeypatch.setattr(limits, "DEFAULT_LIMITS", limits.RenderLimits(clock=clock))
    return clock


class _Ticks:
    """A QTimer firing every millisecond while the test runs: its count says the loop turned."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


async def _until(condition, limit: float = 30) -> None:
    deadline = time.monotonic() + limit  # a stall guard, not a timing margin
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    assert condition()


def _open(window, run, tmp_path, body: str, count: int = 3) -> None:
    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", count)))
    window.session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body=body
    )
    window.session.save(tmp_path / "campaign.toml")


def _use_account(window, name: str) -> None:
    window.go_to(1)
    combo = window.compose_page.profile_combo
    combo.setCurrentIndex(combo.findData(name))
    window.go_to(3)


def test_the_readiness_of_a_slow_template_is_checked_in_a_thread_and_start_says_why(
    window, run, tmp_path, monkeypatch
):
    clock = _gated(monkeypatch)
    clock.hold()  # from the start: Compose's own check of this template waits too
    try:
        _open(window, run, tmp_path, f"<p>Hi {{{{ Name }}}}</p>{LOOPS}")
        _use_account(window, "outbox")
        page = window.send_page
        ticks = _Ticks()

        async def meanwhile() -> None:
            page.update_readiness()  # what the page does when an edit settles
            # the first row was postponed after its slice on the loop: the page says so
            assert page.readiness_check is not None
            assert page.reason_label.text() == "Checking the messages of the first rows…"
            assert not page.start_button.isEnabled()
            ticks.count = 0
            await _until(lambda: ticks.count >= 20)
            # twenty turns of the loop while the row was still rendering in its thread
            assert page.readiness_check is not None and not page.readiness_check.done()
            assert clock.waiting >= 1
            clock.expire()  # the row runs out of its 2 s budget
            await _until(lambda: page.readiness_check is None)

        run(meanwhile())
        ticks.timer.stop()
    finally:
        clock.expire()
    assert not page.start_button.isEnabled()
    assert page.reason_label.text() == (
        "⚠ The template takes too long to fill in the message of row 2 (more than 2 s for one "
        "message). Make its loops smaller and check it on Preview."
    )
    assert page.start_button.toolTip() == page.start_reason

    async def in_chinese() -> None:
        window.set_language("zh_CN")  # the page checks again and says it in Chinese
        await _until(lambda: page.readiness_check is None)

    run(in_chinese())
    assert "模板填写第 2 行的邮件用时过长（每封超过 2 秒）" in page.reason_label.text()
    assert not page.start_button.isEnabled()
    window.set_language("en")


def test_start_with_a_slow_template_keeps_the_window_turning_and_sends_nothing(
    window, run, tmp_path, monkeypatch, data_dir
):
    clock = _gated(monkeypatch)
    clock.hold()
    try:
        _open(window, run, tmp_path, LOOPS)
        _use_account(window, "outbox")
        page = window.send_page
        page.confirm = False
        ticks = _Ticks()

        async def start() -> bool:
            starting = asyncio.ensure_future(page.start_send())
            await _until(lambda: ticks.count >= 20)
            assert not starting.done() and clock.waiting >= 1  # the row is in its thread
            assert not page.start_button.isEnabled()  # no second start meanwhile
            clock.expire()
            return await starting

        assert run(start()) is False
        ticks.timer.stop()
    finally:
        clock.expire()
    assert "takes too long to fill in the message of row 2" in page.notice_label.text()
    assert "takes too long" in page.reason_label.text() and not page.start_button.isEnabled()
    assert page.run is None and not page.controller.running
    assert not list((data_dir / "outbox").glob("*.eml"))  # nothing sent


def _save_account(name: str, port: int) -> None:
    ProfileStore().save(Profile(name=name, host="127.0.0.1", port=port, security="none"))


def test_a_row_over_its_budget_at_the_send_start_is_left_out_and_said_the_others_sent(
    window, run, tmp_path, monkeypatch, no_modal_dialogs
):
    """The first rows are quick (Start is offered); the last row's template is slow: the
    snapshot renders it in a thread while the window turns, and it is never sent."""
    server = SmtpTestServer()
    port = run(server.start())
    clock = _gated(monkeypatch)
    try:
        _save_account("loopback", port)
        _open(
            window,
            run,
            tmp_path,
            "<p>Hi {{ Name }}</p>{% if Name == 'Person 3' %}" + LOOPS + "{% endif %}",
            count=4,
        )
        _use_account(window, "loopback")
        page = window.send_page
        page.confirm = False

        async def ready() -> None:
            page.update_readiness()
            await _until(lambda: page.readiness_check is None)

        run(ready())
        assert page.start_button.isEnabled()
        clock.hold()
        ticks = _Ticks()

        async def start() -> bool:
            starting = asyncio.ensure_future(page.start_send())
            await _until(lambda: ticks.count >= 20)
            assert not starting.done() and clock.waiting >= 1  # rows in their threads
            clock.release()  # time runs in the threads: row 5's endless loop runs out
            started = await starting
            await _until(lambda: not page.controller.running)
            return started

        assert run(start()) is True
        ticks.timer.stop()
        page.controller.flush()
        sent = sorted(m.rcpt_tos[0] for m in server.messages)
        assert sent == [f"person{i}@example.com" for i in range(3)]  # not person3 (row 5)
        assert page.controller.counts["sent"] == 3
        assert page.notice_label.text().startswith(
            "ℹ 1 row(s) cannot be sent and were left out (see the send log): The template takes "
            "too long to fill in the message of row 5"
        )
        lines = [page.log_model.as_text([i]) for i in range(page.log_model.rowCount())]
        left_out = [line.split("\t")[1:] for line in lines if "\tnot sent\t" in line]
        assert left_out == [
            [
                "5",
                "person3@example.com",
                "not sent",
                "",
                "The template takes too long to fill in the message of row 5 (more than 2 s "
                "for one message). Make its loops smaller and check it on Preview.",
            ]
        ]
    finally:
        clock.expire()
        run(server.stop())


def test_an_ordinary_campaign_sends_everyone_even_when_every_row_goes_to_a_thread(
    window, run, tmp_path, monkeypatch, data_dir
):
    """Under this clock every row outlasts its 8 ms slice on the loop, so the whole snapshot
    is rendered in threads: everyone is still sent, once."""
    _gated(monkeypatch)
    _open(window, run, tmp_path, "<p>Hi {{ Name }}</p>", count=30)
    _use_account(window, "outbox")
    page = window.send_page
    page.confirm = False

    async def send() -> None:
        assert await page.start_send()
        await _until(lambda: not page.controller.running)

    run(send())
    page.controller.flush()
    assert page.controller.counts["sent"] == 30
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 30
    assert not page.left_out


def test_send_test_to_me_renders_a_slow_row_in_a_thread_and_says_when_it_is_too_slow(
    window, run, tmp_path, monkeypatch
):
    server = SmtpTestServer()
    port = run(server.start())
    clock = _gated(monkeypatch)
    try:
        _save_account("loopback", port)
        # about 100 readings: past a 50 ms slice on the loop, inside the 2 s budget in a thread
        _open(window, run, tmp_path, "<p>Hi {{ Name }}</p>{% for i in range(100) %}.{% endfor %}")
        _use_account(window, "loopback")
        window.go_to(2)
        preview = window.preview_page
        preview.refresh()
        if preview.rendering is not None:
            run(preview.rendering)
        assert preview.message is not None and preview.test_button.isEnabled()
        clock.hold()
        ticks = _Ticks()

        async def test_send() -> bool:
            sending = asyncio.ensure_future(preview.send_test_to("me@example.com"))
            await _until(lambda: ticks.count >= 20)
            assert not sending.done() and clock.waiting >= 1  # the test message, in a thread
            clock.release()  # 10 ms a reading: it renders within its budget
            return await sending

        assert run(test_send()) is True
        ticks.timer.stop()
        assert [m.rcpt_tos for m in server.messages] == [("me@example.com",)]

        clock.expire()  # from now on every row renders past its budget in its thread
        assert run(preview.send_test_to("me@example.com")) is False
        assert preview.row_problem.text() == (
            "⚠ The test was not sent: The template takes too long to fill in the message of "
            "row 2 (more than 2 s for one message). Make its loops smaller and check it on "
            "Preview."
        )
        assert len(server.messages) == 1  # nothing more sent
    finally:
        clock.expire()
        run(server.stop())
