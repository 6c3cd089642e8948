"""Compose page: highlighting, inserting fields, live template errors with line and name."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.gui.pages.compose import field_expression
from app.gui.widgets.highlighter import TemplateHighlighter


def test_highlighter_marks_fields_tags_and_comments(demo_window):
    highlighter: TemplateHighlighter = demo_window.compose_page.body_highlighter
    spans = highlighter.spans("Hi {{ Name }}{% if x %}!{% endif %}{# note #}")
    assert ("field", 3, 10) in spans
    assert [kind for kind, _s, _l in spans].count("tag") == 2
    assert any(kind == "comment" for kind, _s, _l in spans)


def test_field_expression_uses_row_lookup_for_headers_with_spaces():
    assert field_expression("姓名") == "{{ 姓名 }}"
    assert field_expression("First name") == '{{ row["First name"] }}'


def test_double_clicking_a_field_inserts_it_at_the_cursor(demo_window, qtbot):
    page = demo_window.compose_page
    demo_window.go_to(1)  # on screen: the click lands on the list
    page.body_edit.setPlainText("")
    page.body_edit.setFocus()
    page._last_editor = page.body_edit
    index = page.fields_model.index(page.fields_model.stringList().index("Company"))
    view = page.fields_view
    view.scrollTo(index)
    where = view.visualRect(index).center()
    # a real double click: a click, then the second press that Qt reports as a double click
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert page.body_edit.toPlainText() == "{{ Company }}"  # once, not twice
    assert demo_window.session.draft.body == "{{ Company }}"


def test_a_misspelt_field_is_reported_live_with_its_name(demo_window):
    page = demo_window.compose_page
    page.body_edit.setPlainText("<p>Hello</p>\n<p>{{ Compnay }}</p>")
    message = page.check_template()
    assert "Compnay" in message and "Company" in message
    assert "Compnay" in page.error_label.text()


def test_a_syntax_error_names_its_line(demo_window):
    page = demo_window.compose_page
    page.body_edit.setPlainText("line one\nline two {% if %}\n")
    message = page.check_template()
    assert "line 2" in message


def test_a_good_template_clears_the_error_and_sets_the_badge(demo_window):
    from app.gui.widgets.sidebar import StepStatus

    page = demo_window.compose_page
    page.body_edit.setPlainText("<p>Dear {{ 姓名 }}</p>")
    assert page.check_template() == ""
    assert demo_window.sidebar.status(1) == StepStatus.OK


def test_markdown_mode_and_separate_text_body_reach_the_draft(demo_window):
    from app.core.model import BodyKind

    page = demo_window.compose_page
    page.kind_combo.setCurrentIndex(1)
    page.text_check.setChecked(True)
    page.text_edit.setPlainText("Hello {{ 姓名 }}")
    draft = demo_window.session.draft
    assert draft.kind == BodyKind.MARKDOWN
    assert draft.text == "Hello {{ 姓名 }}"


def test_the_subject_is_highlighted_like_the_body(demo_window):
    page = demo_window.compose_page
    page.subject_edit.setText("Hi {{ 姓名 }} {% if Order %}#{{ Order }}{% endif %}")
    layout = page.subject_edit.document().firstBlock().layout()
    formatted = {(r.start, r.length) for r in layout.formats()}
    assert (3, 8) in formatted  # {{ 姓名 }} carries the field format
    assert page.subject_highlighter.spans(page.subject_edit.text())[0] == ("field", 3, 8)
    assert demo_window.session.draft.subject.startswith("Hi {{ 姓名 }}")


def test_enter_and_pasted_line_breaks_never_split_the_subject(demo_window, qtbot):
    from PySide6.QtCore import QMimeData, Qt

    page = demo_window.compose_page
    edit = page.subject_edit
    edit.setText("Hello")
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, " there")
    data = QMimeData()
    data.setText("\nsecond\r\nthird")
    edit.insertFromMimeData(data)
    assert edit.document().blockCount() == 1
    assert edit.text() == "Hello there second third"
    assert demo_window.session.draft.subject == "Hello there second third"


def test_a_misspelt_field_in_the_subject_is_reported_live_with_its_name(demo_window):
    page = demo_window.compose_page
    page.subject_edit.setText("Hello {{ Compnay }}")
    message = page.check_template()
    assert "Compnay" in message and "Company" in message


def test_a_syntax_error_in_the_subject_says_it_is_in_the_subject(demo_window):
    page = demo_window.compose_page
    page.subject_edit.setText("Hello {% if %}")
    message = page.check_template()
    assert "subject" in message.lower()
    assert "line 1" in message
    assert message in page.error_label.text()


def test_a_field_double_clicked_after_the_subject_had_focus_goes_into_the_subject(demo_window):
    page = demo_window.compose_page
    page.subject_edit.setText("Hi ")
    page.subject_edit.moveCursor(page.subject_edit.textCursor().MoveOperation.End)
    page._last_editor = page.subject_edit
    page.insert_field("Company")
    assert page.subject_edit.text() == "Hi {{ Company }}"


def test_attachments_are_listed_by_name_and_kept_with_their_full_path(demo_window):
    page = demo_window.compose_page
    paths = list(demo_window.session.draft.attachments)
    assert paths and page.attach_list.item(0).text() == paths[0].name
    assert page.attach_list.item(0).toolTip() == str(paths[0])
    page.subject_edit.setText("Changed {{ 姓名 }}")  # any edit writes the draft back
    assert demo_window.session.draft.attachments == paths


def test_a_one_click_unsubscribe_link_typed_in_compose_reaches_every_message(demo_window, qtbot):
    from app.core.preflight import render_row
    from app.gui.session import build_campaign

    page = demo_window.compose_page
    page.unsub_check.setChecked(True)
    page.unsub_url_edit.clear()
    qtbot.keyClicks(page.unsub_url_edit, "https://shop.example.com/u?e={email}")
    assert demo_window.session.draft.list_unsubscribe_url == "https://shop.example.com/u?e={email}"
    campaign = build_campaign(demo_window.session)
    row = campaign.row_numbers[0]
    message = render_row(campaign, row)
    address = campaign.by_row[row].to.address
    assert f"<https://shop.example.com/u?e={address}>".encode() in message.data
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.data
    config = demo_window.session.current_config()
    assert config.list_unsubscribe_url == "https://shop.example.com/u?e={email}"


class _StepClock:
    """Each reading 10 ms after the last: the live check's 50 ms on the loop is 5 readings,
    the template's 2 s budget 200."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.01
        return self.now


def test_a_slow_template_is_checked_in_a_thread_and_its_error_shown(demo_window, run, monkeypatch):
    from app.core.templates import limits

    monkeypatch.setattr(limits, "DEFAULT_LIMITS", limits.RenderLimits(clock=_StepClock()))
    page = demo_window.compose_page
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    page.body_edit.setPlainText(f"<p>Hi</p>\n{loops}\n")
    page._check_timer.stop()  # the typing pause's own check: this test calls it itself

    assert page.check_template() == ""  # not decided yet: the loop was not held for it
    assert page.error_label.text() == "Checking the template…"

    async def finished() -> None:
        assert page.checking is not None
        await page.checking

    run(finished())
    assert "line 2: takes too long to render" in page.error_label.text()
    assert "takes too long" in page.error_text
