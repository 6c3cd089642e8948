"""RFC 8058 one-click unsubscribe: List-Unsubscribe carries the https URL (with the recipient's
address percent-encoded where `{email}` stands) next to the mailto, plus List-Unsubscribe-Post;
a URL that could break the header or is not https is refused with a sentence."""

from __future__ import annotations

import pytest

from app.core.campaign.loader import check_unsubscribe_url
from app.core.model import InputError

from .helpers import build, header_names, parse, recipient

URL = "https://shop.example.com/unsubscribe?u={email}"


def test_one_click_headers_with_the_recipient_in_the_url_and_the_mailto_beside_it() -> None:
    message = parse(
        build(
            recipient("Ann", "ann+news@example.org"),
            list_unsubscribe="unsub@example.com",
            list_unsubscribe_url=URL,
        )
    )
    assert message["List-Unsubscribe"] == (
        "<mailto:unsub@example.com>, "
        "<https://shop.example.com/unsubscribe?u=ann%2Bnews@example.org>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_url_alone_is_enough_and_without_it_there_is_no_post_header() -> None:
    message = parse(build(list_unsubscribe_url="https://shop.example.com/u/static"))
    assert message["List-Unsubscribe"] == "<https://shop.example.com/u/static>"
    assert "list-unsubscribe-post" not in header_names(build(list_unsubscribe="u@example.com"))


@pytest.mark.parametrize(
    "url",
    [
        "http://shop.example.com/u",  # mail programs only POST to https
        "https://shop.example.com/u?a=1, <mailto:x@example.net>",
        "https://shop.example.com/u\r\nBcc: x@example.net",
        "https://shop.example.com/退订",
        "https://",
    ],
)
def test_a_url_that_is_not_plain_https_is_refused_with_an_example(url: str) -> None:
    with pytest.raises(InputError) as caught:
        check_unsubscribe_url(url)
    assert "https://shop.example.com/unsubscribe?u={email}" in caught.value.problem.message


def test_the_campaign_file_key_reaches_the_message(tmp_path, capsys) -> None:
    from app.cli import run
    from tests.cli.send_support import write_campaign_file

    campaign = write_campaign_file(tmp_path, 1, "")
    text = campaign.read_text("utf-8").replace(
        "[send]", f'list_unsubscribe_url = "{URL}"\n\n[send]'
    )
    campaign.write_text(text, "utf-8")
    eml = tmp_path / "row2.eml"
    assert run(["preview", str(campaign), "--row", "2", "--eml", str(eml)]) == 0
    data = eml.read_bytes()
    assert b"List-Unsubscribe: <https://shop.example.com/unsubscribe?u=reader0@example.org>" in data
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in data
