"""validate_address / parse_mailbox: one address, normalised, or a reason why not."""

from __future__ import annotations

import pytest

from app.core.model import Address
from app.core.recipients import AddressError, parse_mailbox, validate_address


def test_valid_address_keeps_local_part_and_lowercases_domain() -> None:
    assert validate_address(" Alice@Example.COM ") == Address("Alice@example.com")


def test_invalid_address_raises_address_error_with_reason() -> None:
    with pytest.raises(AddressError, match="something after the @-sign") as caught:
        validate_address("bob@")
    assert isinstance(caught.value, ValueError)


def test_idn_domain_is_returned_in_ascii() -> None:
    assert validate_address("admin@аррӏе.com").address == "admin@xn--80ak6aa92e.com"


def test_non_ascii_local_part_is_marked_as_needing_smtputf8() -> None:
    address = validate_address("用户@例子.广告")
    assert address.smtputf8 and address.address == "用户@xn--fsqu00a.xn--4rr70v"


@pytest.mark.parametrize("text", ["a@example.com, b@example.org", "a@example.com;b@example.org"])
def test_several_addresses_are_refused_as_one(text: str) -> None:
    with pytest.raises(AddressError, match="more than one address") as caught:
        validate_address(text)
    assert caught.value.multiple


def test_encoded_word_in_address_is_refused() -> None:
    with pytest.raises(AddressError, match="=\\?"):
        validate_address("=?UTF-8?Q?=0A?=@example.com")


def test_parse_mailbox_accepts_a_display_name() -> None:
    assert parse_mailbox("Zhang San <zhang@example.com>") == Address(
        "zhang@example.com", "Zhang San"
    )


def test_validate_address_refuses_a_display_name() -> None:
    with pytest.raises(AddressError):
        validate_address("Zhang San <zhang@example.com>")


def test_validation_makes_no_dns_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    # A guard, not a stand-in: any name lookup during validation fails the test.
    import socket

    import dns.resolver

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("address validation must not look anything up")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(dns.resolver.Resolver, "resolve", refuse)
    monkeypatch.setattr(dns.resolver, "resolve", refuse)

    assert validate_address("someone@no-such-host.example.org").address == (
        "someone@no-such-host.example.org"
    )
    assert parse_mailbox("王芳 <wang@例子.example>").address == "wang@xn--fsqu00a.example"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("王芳 <wang@example.com>", "王芳"),
        ('"Smith, John" <wang@example.com>', "Smith, John"),
        ('"Say \\"hi\\"" <wang@example.com>', 'Say "hi"'),
        ("<wang@example.com>", ""),
    ],
)
def test_parse_mailbox_accepts_any_display_name_as_people_paste_it(text: str, name: str) -> None:
    assert parse_mailbox(text) == Address("wang@example.com", name)


def test_parse_mailbox_with_a_bad_address_says_which_part_is_wrong() -> None:
    with pytest.raises(AddressError, match=r"'王芳 <wang>'.*'wang' is not a valid address"):
        parse_mailbox("王芳 <wang>")
