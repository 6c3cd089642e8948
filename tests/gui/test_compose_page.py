"""Compose page: highlighting, inserting fields, live template errors with line and name."""

from __future__ import annotations

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
    page.body_edit.setPlainText("")
    page.body_edit.setFocus()
    page._last_editor = page.body_edit
    index = page.fields_model.index(page.fields_model.stringList().index("Company"))
    page.fields_view.doubleClicked.emit(index)
    assert page.body_edit.toPlainText() == "{{ Company }}"
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
