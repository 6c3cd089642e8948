"""Values bound for headers cannot add headers: unsafe rows become UNSAFE_HEADER problems."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.compose import ComposeError
from app.core.headers import check_header_value
from app.core.model import ProblemKind

from .helpers import build, header_names, parse, parts, recipient, to_display_name

ATTACKS = [
    "Ann\r\nBcc: evil@example.org",
    "Ann\nBcc: evil@example.org",
    "=?UTF-8?Q?=0A?=Bcc: evil@example.org",
    "=?utf-8?b?Cg==?=Bcc: evil@example.org",
    "Ann\u2028Bcc: evil@example.org",
    "Ann\u2029x",
    "Ann\x85x",
    "Ann\x00",
    "Ann\n",
]


@pytest.mark.parametrize("value", ATTACKS)
def test_check_header_value_flags_line_breaks_controls_and_encoded_words(value: str) -> None:
    problem = check_header_value(value, column="Name", row=4)
    assert problem is not None
    assert (problem.kind, problem.column, problem.row) == (ProblemKind.UNSAFE_HEADER, "Name", 4)


def test_encoded_word_hiding_a_line_break_is_explained_as_such() -> None:
    problem = check_header_value("=?UTF-8?Q?=0A?=Bcc: evil@example.org")
    assert problem is not None and "decodes to a line break" in problem.message


@pytest.mark.parametrize("value", ["张三", "O'Brien, Ann", "Tab\there", "🎉 emoji", "a = b?"])
def test_ordinary_names_are_safe(value: str) -> None:
    assert check_header_value(value) is None


@pytest.mark.parametrize("value", ATTACKS)
def test_unsafe_display_name_names_the_name_column_and_row(value: str) -> None:
    rcpt = recipient(value, row=8, fields={"Email": "ann@example.org", "Name": value})
    with pytest.raises(ComposeError) as caught:
        build(rcpt)
    problem = caught.value.problems[0]
    assert (problem.kind, problem.row, problem.column) == (ProblemKind.UNSAFE_HEADER, 8, "Name")


@pytest.mark.parametrize("value", ATTACKS)
def test_unsafe_subject_from_a_cell_names_that_column(value: str) -> None:
    rcpt = recipient("Ann", row=5, fields={"Name": "Ann", "Topic": value})
    with pytest.raises(ComposeError) as caught:
        build(rcpt, parts(subject=f"About {value}"))
    problem = caught.value.problems[0]
    assert (problem.kind, problem.row, problem.column) == (ProblemKind.UNSAFE_HEADER, 5, "Topic")


def test_trailing_newline_in_the_subject_itself_is_a_problem() -> None:
    with pytest.raises(ComposeError) as caught:
        build(rendered=parts(subject="Hello\n"))
    assert "subject" in caught.value.problems[0].message.lower()


SAFE_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(name=SAFE_TEXT, subject=SAFE_TEXT)
def test_any_safe_unicode_name_and_subject_round_trip_exactly(name: str, subject: str) -> None:
    if check_header_value(name) or check_header_value(subject):
        return  # an encoded-word-looking value: refused, covered by the next property
    message = build(recipient(name), parts(subject=subject))
    parsed = parse(message)
    assert to_display_name(message) == name
    assert parsed["To"].addresses[0].addr_spec == "ann@example.org"
    assert parsed["Subject"] == subject


INJECTED = st.lists(
    st.sampled_from(
        [
            "a",
            "张",
            " ",
            "\r",
            "\n",
            "\r\n",
            "\u2028",
            "\x85",
            "Bcc: evil@example.org",
            "=?UTF-8?Q?=0A?=",
            "=?utf-8?b?DQo=?=",
            ":",
            "<evil@example.org>",
            ",",
        ]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(name=INJECTED, subject=INJECTED)
def test_injected_text_is_refused_or_adds_no_header(name: str, subject: str) -> None:
    rcpt = recipient(name, fields={"Name": name, "Topic": subject})
    try:
        message = build(rcpt, parts(subject=subject))
    except ComposeError as error:
        assert all(p.kind is ProblemKind.UNSAFE_HEADER for p in error.problems)
        return
    expected = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type"]
    assert header_names(message) == expected
    assert message.recipients == ("ann@example.org",)
    assert [a.addr_spec for a in parse(message)["To"].addresses] == ["ann@example.org"]
