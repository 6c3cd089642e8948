"""Preview & test: i of N, search, header block, no remote images, check all, test send."""

from __future__ import annotations

import email
from email import policy

from app.gui.widgets.safe_browser import SafeBrowser


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
    report = run(page.run_check())
    assert report.rows == 32 and report.sendable == 30
    assert page.progress.value() == 32
    assert page.problems_model.rowCount() == 2
    assert "30 can be sent, 2 cannot" in page.check_summary.text()
    assert page.max_stall < 0.2


def test_send_test_to_me_files_one_message_marked_test_in_the_outbox(demo_window, run, data_dir):
    page = shown_preview(demo_window)
    assert run(page.send_test_to("me@example.org"))
    files = list((data_dir / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Return-Path"] == "<shop@example.com>"
    assert str(message["To"]) == "me@example.org"
    assert str(message["Subject"]).startswith("[TEST] 张伟")
