"""Preview & test: i of N, search, header block, no remote images, check all, test send."""

from __future__ import annotations

import asyncio
import email
import threading
from email import policy

from PySide6.QtCore import QUrl

from app.gui.widgets.safe_browser import SafeBrowser


class _StepClock:
    """Each reading `step` seconds after the last (a render's 2 s budget runs out after 200
    readings of the 10 ms default)."""

    def __init__(self, step: float = 0.01) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def shown_preview(window):
    window.go_to(2)
    page = window.preview_page
    page.refresh()
    return page


def test_navigation_shows_i_of_n_and_the_header_block(demo_window):
    page = shown_preview(demo_window)
    assert page.position_label.text() == "1 of 20 (row 2)"
    assert "zhang.wei@example.com" in page.header_values["to"].text()
    assert "shop@example.com" in page.header_values["from"].text()
    assert "100231" in page.header_values["subject"].text()
    assert "优惠券.txt" in page.header_values["attachments"].text()
    page.next_button.click()
    assert page.position_label.text() == "2 of 20 (row 3)"
    assert "Alice" in page.text_view.toPlainText()


def test_search_by_any_column_jumps_to_the_matching_recipient(demo_window):
    page = shown_preview(demo_window)
    page.search.setText("jones bakery")
    assert page.find_next()
    assert "bob.jones@example.com" in page.header_values["to"].text()


def test_remote_images_are_never_loaded(qtbot):
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.show_html('<p>Hi</p><img src="https://tracker.example.com/pixel.png">')
    browser.grab()  # forces layout, which asks for the image
    assert set(browser.blocked) == {"https://tracker.example.com/pixel.png"}


def test_check_all_runs_in_chunks_and_lists_problems(window, run, tmp_path):
    from tests.gui.helpers import people

    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 30, bad=2)))
    window.session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body="<p>{{ Name }}</p>"
    )
    page = shown_preview(window)
    step = 1 / 256  # exact in binary: each look at the clock 3.9 ms after the last
    page.clock = _StepClock(step)
    report = run(page.run_check())
    assert report.rows == 32 and report.sendable == 30
    assert page.progress.value() == 32
    assert page.problems_model.rowCount() == 2
    assert "30 can be sent, 2 cannot" in page.check_summary.text()
    # a chunk renders rows while under 20 ms (5 looks), then yields to the loop: 32 rows in
    # 7 chunks. Injected time, so this holds on a loaded machine (a wall-clock bound did not)
    assert page.chunks == 7
    assert page.max_stall == 7 * step


def test_send_test_to_me_files_one_message_marked_test_in_the_outbox(demo_window, run, data_dir):
    page = shown_preview(demo_window)
    assert run(page.send_test_to("me@example.org"))
    files = list((data_dir / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Return-Path"] == "<shop@example.com>"
    assert str(message["To"]) == "me@example.org"
    assert str(message["Subject"]).startswith("[TEST] 张伟")


def test_a_remote_image_in_the_mail_is_never_fetched_from_the_network(demo_window, qtbot):
    """A real HTTP server on 127.0.0.1 counts requests: the preview must make none."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/pixel.png"
        demo_window.session.update_draft(
            body=f'<p>Hi {{{{ 姓名 }}}}</p><img src="{url}"><img src="https://example.com/x.png">'
        )
        page = shown_preview(demo_window)
        page.html_view.grab()  # lays the document out: the moment images are asked for
        qtbot.wait(200)  # time enough for any request to arrive
        assert url in page.html_view.blocked
        assert "https://example.com/x.png" in page.html_view.blocked
        assert page.html_view.loadResource(2, QUrl(url)) is None  # 2: QTextDocument.ImageResource
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_send_test_to_me_sends_one_test_message_through_the_chosen_account(
    demo_window, run, tmp_path, monkeypatch
):
    from dataclasses import replace

    from PySide6.QtWidgets import QInputDialog

    from app.gui.profiles import Profile, ProfileStore
    from tests.support.smtp_server import SmtpTestServer

    server = SmtpTestServer()
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="loopback", host="127.0.0.1", port=port, security="none"))
        session = demo_window.session
        session.set_send_config(replace(session.config.send, profile="loopback"))
        page = shown_preview(demo_window)
        page.next_button.click()  # the second row: Alice
        asked = {}

        def answer(_parent, _title, label, **kwargs):
            asked["label"], asked["text"] = label, kwargs.get("text")
            return kwargs.get("text"), True  # the user accepts the suggested own address

        monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))

        async def press() -> None:
            page.test_button.click()
            deadline = asyncio.get_running_loop().time() + 10
            while not server.messages and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.1)

        run(press())
    finally:
        run(server.stop())
    assert asked["text"] == "shop@example.com"  # the user's own address: the sender's
    assert len(server.messages) == 1
    received = server.messages[0]
    assert received.rcpt_tos == ("shop@example.com",)  # nobody else, no Cc/Bcc of the row
    message = email.message_from_bytes(received.data, policy=policy.default)
    assert str(message["Subject"]).startswith("[TEST] ")
    assert "Alice" in message.get_body(("plain", "html")).get_content()
    assert page.row_problem.text().startswith("✓")


async def _finished(task) -> None:
    assert task is not None
    await task


def test_a_template_that_runs_too_long_shows_the_error_and_check_all_finishes(
    window, run, tmp_path, monkeypatch
):
    from app.core.templates import limits
    from tests.gui.helpers import people

    monkeypatch.setattr(limits, "DEFAULT_LIMITS", limits.RenderLimits(clock=_StepClock()))
    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 30)))
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    window.session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi {{ Name }}", body=f"<p>Hi</p>{loops}"
    )
    page = shown_preview(window)
    # past 50 ms on the loop the row goes on in a thread; the window says so meanwhile
    assert page.row_problem.text() == "Rendering row 2…"
    run(_finished(page.rendering))
    assert "takes too long to render (more than 2 s for one message)" in page.row_problem.text()
    assert page.message is None and not page.test_button.isEnabled()

    report = run(page.run_check())

    assert report.rows == 30 and report.sendable == 0 and not report.stopped
    assert "0 can be sent, 30 cannot" in page.check_summary.text()
    messages = [page.problems_model.problem(i).message for i in range(30)]
    assert all("too long" in m for m in messages)


def test_a_template_that_makes_a_huge_message_shows_the_error_in_the_preview(window, run, tmp_path):
    from tests.gui.helpers import people

    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
    window.session.update_draft(
        sender="Shop <shop@example.com>", subject="Hi", body="<p>{{ 'x' * 500000000 }}</p>"
    )
    page = shown_preview(window)

    assert "makes a message too large (more than 10 MB of text)" in page.row_problem.text()
    report = run(page.run_check())
    assert report.sendable == 0 and page.chunks >= 1


class _HeldClock:
    """On the window's thread, 10 ms later at each reading; in worker threads time stands
    still until `released`, then jumps past any deadline. So a slow row provably renders while
    the window's loop keeps turning, and ends when the test says, not when a wall clock does."""

    def __init__(self) -> None:
        self.window_now = 0.0
        self.worker_now = 0.0
        self.released = False
        self.window_thread = threading.get_ident()

    def __call__(self) -> float:
        if threading.get_ident() == self.window_thread:
            self.window_now += 0.01
            return self.window_now
        if self.released:
            self.worker_now += 10.0
        return self.worker_now


def test_the_window_keeps_running_while_a_slow_row_renders_in_a_thread(
    window, run, tmp_path, monkeypatch
):
    from app.core.templates import limits
    from tests.gui.helpers import people

    clock = _HeldClock()
    monkeypatch.setattr(limits, "DEFAULT_LIMITS", limits.RenderLimits(clock=clock))
    run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 3)))
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    window.session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body=loops)
    try:
        page = shown_preview(window)
        assert page.row_problem.text() == "Rendering row 2…"

        async def meanwhile() -> int:
            turns = 0
            while turns < 20 and not page.rendering.done():
                await asyncio.sleep(0.01)  # the loop (and Qt's events) keeps turning
                turns += 1
            clock.released = True
            await page.rendering
            return turns

        assert run(meanwhile()) == 20  # twenty turns of the loop while the row rendered
    finally:
        clock.released = True
    assert "takes too long to render" in page.row_problem.text()
