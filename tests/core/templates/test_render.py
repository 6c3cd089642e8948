"""Rendering templates: escaping per part, reaching columns, values as people see them."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.model import BodyKind, InputError, ProblemKind, Template
from app.core.templates import TemplateRenderError, compile_template
from app.core.templates.bodies import html_to_text, markdown_to_html

COLUMNS = ["Name", "Company", "Email"]


def render(body: str, fields: dict[str, object], *, subject: str = "Hi", **kw: object):
    template = Template(subject=subject, body=body, **kw)  # type: ignore[arg-type]
    return compile_template(template, list(fields)).render(fields, row=7)  # type: ignore[arg-type]


def test_html_body_escapes_a_field_while_subject_and_text_keep_it_literal() -> None:
    parts = render("<p>Dear {{ Name }}</p>", {"Name": "<script>& Co"}, subject="For {{ Name }}")
    assert "&lt;script&gt;&amp; Co" in (parts.html or "")
    assert "<script>" not in (parts.html or "")
    assert parts.subject == "For <script>& Co"
    assert "Dear <script>& Co" in parts.text


def test_chinese_header_works_as_a_name_and_every_column_via_row_subscript() -> None:
    parts = render(
        "<p>{{ 姓名 }} / {{ row['First name'] }} / {{ row.姓名 }}</p>",
        {"姓名": "张三", "First name": "Ann"},
    )
    assert "张三 / Ann / 张三" in (parts.html or "")


def test_date_cell_prints_as_iso_date_and_date_filter_formats_it() -> None:
    fields = {"joined": dt.datetime(2024, 3, 1), "at": dt.datetime(2024, 3, 1, 9, 30)}
    parts = render(
        "{{ joined }}|{{ joined|date('%d %B %Y') }}|{{ at }}", fields, kind=BodyKind.TEXT
    )
    assert parts.text == "2024-03-01|01 March 2024|2024-03-01 09:30"


def test_number_money_and_default_filters() -> None:
    fields = {"n": 1234567, "amount": -1234.5, "empty": "", "whole": 3.0}
    body = "{{ n|number }} {{ amount|money('¥') }} {{ empty or 'friend' }} {{ whole }}"
    assert render(body, fields, kind=BodyKind.TEXT).text == "1,234,567 -¥1,234.50 friend 3"


def test_misspelt_field_names_the_field_its_line_and_the_existing_columns() -> None:
    template = Template(subject="Hi", body="<p>Hello</p>\n<p>{{ Compnay }}</p>")
    compiled = compile_template(template, COLUMNS)
    with pytest.raises(TemplateRenderError) as caught:
        compiled.render({"Name": "Ann", "Company": "ACME", "Email": "a@example.com"}, row=12)
    problem = caught.value.problem
    assert problem.kind is ProblemKind.TEMPLATE_ERROR
    assert (problem.row, problem.line) == (12, 2)
    assert "`Compnay` is not a column" in problem.message
    assert "Columns: Name, Company, Email" in problem.message
    assert "Did you mean `Company`" in problem.message


def test_misspelt_row_subscript_is_reported_like_a_misspelt_name() -> None:
    compiled = compile_template(Template(subject="{{ row['Nmae'] }}", body="x"), COLUMNS)
    with pytest.raises(TemplateRenderError) as caught:
        compiled.render({"Name": "Ann", "Company": "", "Email": ""}, row=3)
    assert "`Nmae` is not a column" in caught.value.problem.message
    assert "subject" in caught.value.problem.message


@pytest.mark.parametrize(
    "expression", ["{{ ''.__class__.__mro__ }}", "{{ ''.__class__ }}", "{{ ''|attr('__class__') }}"]
)
def test_sandbox_refuses_access_to_python_internals(expression: str) -> None:
    compiled = compile_template(Template(subject="Hi", body=expression), [])
    with pytest.raises(TemplateRenderError) as caught:
        compiled.render({}, row=2)
    assert "sandbox" in caught.value.problem.message
    assert caught.value.problem.kind is ProblemKind.TEMPLATE_ERROR


def test_syntax_error_is_an_input_error_naming_the_part_and_line() -> None:
    with pytest.raises(InputError) as caught:
        compile_template(Template(subject="Hi", body="ok", text="line one\n{% if %}"), [])
    problem = caught.value.problem
    assert problem.kind is ProblemKind.TEMPLATE_ERROR
    assert problem.line == 2
    assert "plain-text body" in problem.message


def test_markdown_body_becomes_html_and_a_field_cannot_add_markup_or_links() -> None:
    hostile = "<b>*x*</b> [click](https://evil.example.net)"
    parts = render(
        "# Hello {{ Name }}\n\nDear *{{ Name }}*\n", {"Name": hostile}, kind=BodyKind.MARKDOWN
    )
    html = parts.html or ""
    assert "<h1>Hello &lt;b&gt;*x*&lt;/b&gt; [click](https://evil.example.net)</h1>" in html
    assert "<em>" in html  # the template's own markup still works
    assert "<a " not in html and "<b>" not in html
    assert "Hello <b>*x*</b> [click](https://evil.example.net)" in parts.text


def test_markdown_field_inside_a_link_target_still_renders_the_value() -> None:
    parts = render(
        "[site](https://example.com/{{ Name }})", {"Name": "ann"}, kind=BodyKind.MARKDOWN
    )
    assert 'href="https://example.com/ann"' in (parts.html or "")


def test_text_body_has_no_html_part() -> None:
    parts = render("Hello {{ Name }} <b>", {"Name": "Ann & Bob"}, kind=BodyKind.TEXT)
    assert parts.html is None
    assert parts.text == "Hello Ann & Bob <b>"


def test_separate_text_template_is_used_instead_of_the_generated_one() -> None:
    parts = render("<p>HTML {{ Name }}</p>", {"Name": "Ann"}, text="Plain {{ Name }}")
    assert parts.text == "Plain Ann"


def test_plain_text_is_generated_from_the_html_by_inscriptis() -> None:
    parts = render("<p>Hello {{ Name }}</p><ul><li>one</li></ul>", {"Name": "Ann"})
    assert parts.text.startswith("Hello Ann\n")
    assert "* one" in parts.text


@pytest.mark.parametrize("name", ["Ann", "张三  李四", "<i>x</i>", "a\nb", "x < y & z"])
def test_cached_conversion_gives_the_same_text_as_converting_each_row(name: str) -> None:
    body = "<h1>Hi {{ Name }}</h1>{% if Name|length > 3 %}<p>long {{ Name }}</p>{% endif %}"
    parts = render(body, {"Name": name})
    assert parts.text == html_to_text(parts.html or "")


def test_text_part_shows_an_entity_like_cell_literally() -> None:
    # inscriptis alone would unescape twice and print "&"; values are substituted as typed
    parts = render("<p>{{ Name }}</p>", {"Name": "&amp;"})
    assert parts.text == "&amp;\n"


def test_filter_that_cuts_a_placeholder_falls_back_to_direct_conversion() -> None:
    body = "{% set x %}<b>{{ Name }}</b>{% endset %}{{ x[:6] }}|{{ x }}"
    parts = render(body, {"Name": "Ann"})
    assert (parts.html or "").endswith("|<b>Ann</b>")
    assert "\ue000" not in (parts.html or "") + parts.text


def test_fields_used_lists_names_and_row_subscripts_but_not_locals() -> None:
    template = Template(
        subject="{{ Name }}",
        body="{% set greeting = 'hi' %}{{ greeting }} {{ row['First name'] }} {{ row.Company }}"
        "{% for i in range(2) %}{{ i }}{% endfor %}",
    )
    assert compile_template(template, []).fields_used == {"Name", "First name", "Company"}


def test_markdown_conversion_keeps_tables_and_wraps_a_document() -> None:
    html = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<table>" in html and html.startswith("<!DOCTYPE html>")


def test_a_value_printed_many_times_is_escaped_the_same_everywhere() -> None:
    # The fast path converts each distinct value once per row and reuses it at every place.
    body = "".join(f"<p>{i}: {{{{ Name }}}} / {{{{ Company }}}}</p>" for i in range(40))
    fields = {"Name": "<b>A & B</b>", "Company": "x  \t y"}
    parts = render(body, fields)
    html = parts.html or ""
    assert html.count("&lt;b&gt;A &amp; B&lt;/b&gt;") == 40
    assert html.count("x  \t y") == 40  # HTML keeps the cell as typed; browsers collapse it
    assert parts.text.count("<b>A & B</b> / x y") == 40
    assert parts.text == html_to_text(html)


def test_a_template_printing_more_than_512_values_renders_every_one() -> None:
    body = "".join(f"<span>{{{{ Name }}}}{i}</span>" for i in range(600))
    parts = render(body, {"Name": "Ann"})
    assert (parts.html or "").count("Ann") == 600
    assert "Ann599" in parts.text
    assert "\ue000" not in (parts.html or "") + parts.text


def test_rows_taking_the_same_branch_each_get_their_own_values() -> None:
    template = Template(subject="s", body="<p>{{ Name }} of {{ Company }}</p>")
    compiled = compile_template(template, ["Name", "Company"])
    first = compiled.render({"Name": "Ann", "Company": "A&B"}, row=2)
    second = compiled.render({"Name": "李雷", "Company": "C<D"}, row=3)
    assert "Ann of A&amp;B" in (first.html or "") and "Ann of A&B" in first.text
    assert "李雷 of C&lt;D" in (second.html or "") and "李雷 of C<D" in second.text


def test_aware_datetimes_at_the_same_instant_print_their_own_wall_clock() -> None:
    # equal instants in different zones compare equal; a cache keyed on them must not mix them
    utc = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)
    shanghai = utc.astimezone(dt.timezone(dt.timedelta(hours=8)))
    body = "<p>{{ a|date('%H:%M') }} {{ b|date('%H:%M') }}</p>"
    parts = render(body, {"a": utc, "b": shanghai})
    assert "12:00 20:00" in (parts.html or "")
