"""What cells put into a message stays well-formed: encoded-word length, control characters in
bodies, CRLF in base64 text, and a cap on the header block."""

from __future__ import annotations

import base64
import re

import pytest

from app.core.compose import ComposeError, MessageBuilder
from app.core.compose.builder import MAX_HEADER_BYTES
from app.core.model import Address, ColumnMapping, ProblemKind

from .helpers import (
    FIXED_NOW,
    build,
    header_lines,
    parse,
    parts,
    recipient,
    settings,
    to_display_name,
)

ENCODED_WORD = re.compile(r"=\?utf-8\?b\?([A-Za-z0-9+/=]*)\?=")


@pytest.mark.parametrize(
    "name",
    [
        "欧阳·慕容" * 10,
        "a" + "张" * 40,  # one byte, then three-byte characters off the word boundary
        "🎉é张x" * 12,  # four, two, three and one byte characters mixed
        "Ann " + "ü" * 60,
    ],
)
def test_encoded_words_in_names_and_subjects_are_at_most_75_chars_of_whole_characters(
    name: str,
) -> None:
    message = build(recipient(name), parts(subject=name))

    head = message.data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    words = ENCODED_WORD.findall(head)
    assert len(words) > 2
    for payload in words:
        assert len(f"=?utf-8?b?{payload}?=") <= 75
        base64.b64decode(payload).decode("utf-8")  # each word holds whole characters
    assert to_display_name(message) == name
    assert parse(message)["Subject"] == name


CONTROLS = "Hi\x00 there\x1b]0;title\x07 \x08\x0b\x0c\x7f end"


@pytest.mark.parametrize("html", [None, "<p>" + CONTROLS + "</p>"])
def test_control_characters_from_cells_never_reach_a_7bit_part(html: str | None) -> None:
    message = build(rendered=parts(html=html, text=CONTROLS + "\n"))

    parsed = parse(message)
    texts = [p for p in parsed.walk() if p.get_content_maintype() == "text"]
    assert texts
    for part in texts:
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
        assert "\x00" in part.get_content() and "\x1b]0;title\x07" in part.get_content()
    body = message.data.split(b"\r\n\r\n", 1)[1]
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", body)  # all encoded


def test_plain_ascii_text_is_still_7bit() -> None:
    message = build(rendered=parts(html=None, text="Hello\tthere\nbye\n"))
    assert parse(message)["Content-Transfer-Encoding"] == "7bit"


def test_base64_text_parts_carry_crlf_line_ends() -> None:
    message = build(rendered=parts(html="<p>第一行</p>\n<p>第二行</p>\n", text="第一行\n第二行\n"))

    texts = [p for p in parse(message).walk() if p.get_content_maintype() == "text"]
    assert [p["Content-Transfer-Encoding"] for p in texts] == ["base64", "base64"]
    plain, html = (p.get_payload(decode=True) for p in texts)
    assert plain == "第一行\r\n第二行\r\n".encode()
    assert html == "<p>第一行</p>\r\n<p>第二行</p>\r\n".encode()


def test_a_header_block_over_64_kb_is_a_row_problem_naming_the_cc_column() -> None:
    many = tuple(Address(f"person{i:05d}@example.org", f"Person {i}") for i in range(2500))
    builder = MessageBuilder(
        settings(), now=lambda: FIXED_NOW, mapping=ColumnMapping(email="Email", cc="抄送")
    )

    with pytest.raises(ComposeError) as caught:
        builder.build(recipient(cc=many, row=9), parts())

    (problem,) = caught.value.problems
    assert problem.kind is ProblemKind.HEADERS_TOO_LARGE
    assert (problem.row, problem.column) == (9, "抄送")
    assert "more than the 64 KB" in problem.message and "the Cc header" in problem.message


def test_a_huge_subject_is_a_header_problem_and_just_under_the_cap_is_fine() -> None:
    with pytest.raises(ComposeError) as caught:
        build(rendered=parts(subject="word " * 14000))
    assert "most of it is the subject" in caught.value.problems[0].message

    message = build(rendered=parts(subject=("word " * 11000).strip()))  # plain, folded
    head = "\r\n".join(header_lines(message)).encode()
    assert 50 * 1024 < len(head) <= MAX_HEADER_BYTES
