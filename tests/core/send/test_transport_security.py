"""TLS, STARTTLS and login against the real server: no password ever crosses in clear text."""

from __future__ import annotations

import socket

import pytest

from app.core.send import smtp_auth, transport
from app.core.send.contracts import Action, SecurityRefused, SmtpError, Stage
from app.core.send.replies import classify
from app.core.send.transport import AuthenticationFailed, Security, SmtpConnector
from tests.core.send.test_transport import PASSWORD, USER, connect, message, settings_for

QQ_535 = "535 Login Fail. Please enter your authorization code to login."


async def test_starttls_required_but_not_offered_stops_before_any_auth(smtp_server_factory):
    # A plaintext server that offers AUTH: an opportunistic client would send the password.
    server = await smtp_server_factory(auth=(USER, PASSWORD))

    with pytest.raises(SecurityRefused) as raised:  # the engine stops on this type at once
        await connect(server, security=Security.STARTTLS, username=USER)

    assert raised.value.reply.stage is Stage.CONNECT and raised.value.reply.code is None
    assert "STARTTLS" in raised.value.reply.text and "587" in raised.value.hint
    assert server.commands_named("AUTH") == [] and server.auth_attempts == []


async def test_implicit_tls_with_an_untrusted_certificate_is_refused_before_any_command(
    smtp_server_factory, test_certs, untrusted_certs
):
    server = await smtp_server_factory(
        tls="tls", tls_context=untrusted_certs.server_context(), auth=(USER, PASSWORD)
    )

    with pytest.raises(SecurityRefused) as raised:
        await connect(server, security=Security.TLS, username=USER, cafile=test_certs.ca_file)

    assert raised.value.reply.stage is Stage.CONNECT
    assert "certificate" in raised.value.hint
    assert server.commands == [] and server.auth_attempts == []


async def test_starttls_with_an_untrusted_certificate_is_refused_before_auth(
    smtp_server_factory, test_certs, untrusted_certs
):
    server = await smtp_server_factory(
        tls="starttls", tls_context=untrusted_certs.server_context(), auth=(USER, PASSWORD)
    )

    with pytest.raises(SecurityRefused) as raised:
        await connect(server, security=Security.STARTTLS, username=USER, cafile=test_certs.ca_file)

    assert "certificate" in raised.value.hint
    assert server.commands_named("STARTTLS") == ["STARTTLS"]
    assert server.commands_named("AUTH") == []


async def test_the_system_roots_alone_do_not_trust_a_self_made_certificate(
    smtp_server_factory, test_certs
):
    server = await smtp_server_factory(tls="tls", tls_context=test_certs.server_context())

    with pytest.raises(SecurityRefused):
        await connect(server, security=Security.TLS)

    assert server.commands == []


@pytest.mark.parametrize("security", [Security.TLS, Security.STARTTLS])
async def test_a_trusted_certificate_file_allows_an_encrypted_login_and_send(
    smtp_server_factory, test_certs, security
):
    server = await smtp_server_factory(
        tls=security.value, tls_context=test_certs.server_context(), auth=(USER, PASSWORD)
    )

    connection = await connect(server, security=security, username=USER, cafile=test_certs.ca_file)
    result = await connection.send(message())
    await connection.close()

    assert result.reply.code == 250
    assert "encrypted (TLSv1." in connection.summary and "PLAIN" in connection.summary
    assert [a.success for a in server.auth_attempts] == [True]


async def test_a_wrong_password_is_one_auth_attempt_with_the_authorization_code_hint(
    smtp_server_factory, test_certs
):
    server = await smtp_server_factory(
        tls="tls",
        tls_context=test_certs.server_context(),
        auth=(USER, PASSWORD),
        auth_failure_reply=QQ_535,
    )

    with pytest.raises(AuthenticationFailed) as raised:
        await connect(
            server,
            password="my-login-password",
            security=Security.TLS,
            username=USER,
            cafile=test_certs.ca_file,
        )

    # The server offers PLAIN and LOGIN; aiosmtplib's login() would have tried both.
    assert len(server.auth_attempts) == 1 and len(server.commands_named("AUTH")) == 1
    assert raised.value.reply.code == 535 and raised.value.reply.stage is Stage.AUTH
    assert "授权码" in raised.value.hint


async def test_a_server_without_plain_is_logged_into_with_login(
    smtp_server_factory, test_certs, monkeypatch
):
    server = await smtp_server_factory(
        tls="tls", tls_context=test_certs.server_context(), auth=(USER, PASSWORD)
    )
    monkeypatch.setattr(smtp_auth, "MECHANISMS", ("login",))

    connection = await connect(
        server, security=Security.TLS, username=USER, cafile=test_certs.ca_file
    )
    await connection.close()

    assert [(a.mechanism, a.success) for a in server.auth_attempts] == [("LOGIN", True)]


async def test_a_login_is_never_sent_in_clear_text_to_another_machine():
    settings = settings_for_host("smtp.example.com", security=Security.NONE, username=USER)
    asked: list[bool] = []

    with pytest.raises(SecurityRefused) as raised:
        await SmtpConnector(settings, lambda: asked.append(True) or PASSWORD).open()

    assert "unencrypted" in raised.value.reply.text and "STARTTLS" in raised.value.hint
    assert "unencrypted" in raised.value.hint
    assert asked == []  # not even the password was fetched


async def test_a_login_without_encryption_is_allowed_on_loopback(smtp_server_factory):
    server = await smtp_server_factory(auth=(USER, PASSWORD))

    connection = await connect(server, username=USER)
    await connection.close()

    assert [a.success for a in server.auth_attempts] == [True]
    assert "unencrypted" in connection.summary


async def test_a_missing_password_fails_without_trying_to_log_in(smtp_server_factory):
    server = await smtp_server_factory(auth=(USER, PASSWORD))
    connector = SmtpConnector(settings_for(server, username=USER), lambda: None)

    with pytest.raises(SecurityRefused) as raised:
        await connector.open()

    assert server.auth_attempts == [] and server.commands_named("AUTH") == []
    assert "No password" in raised.value.reply.text and "herald login" in raised.value.hint


async def test_a_421_greeting_is_a_connect_stage_error(smtp_server):
    smtp_server.on("greeting", "421 4.7.0 HL:ICC too many connections")

    with pytest.raises(SmtpError) as raised:
        await connect(smtp_server)

    assert raised.value.reply.code == 421 and raised.value.reply.stage is Stage.CONNECT


async def test_a_closed_port_is_a_connect_stage_error_with_a_hint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = settings_for_host("127.0.0.1", port=port)

    with pytest.raises(SmtpError) as raised:
        await SmtpConnector(settings, lambda: None).open()

    assert raised.value.reply.stage is Stage.CONNECT and "port" in raised.value.hint
    assert classify(raised.value.reply).action is Action.RETRY  # the server may come back


async def test_test_connection_summarises_a_good_login(smtp_server_factory, test_certs):
    server = await smtp_server_factory(
        tls="tls", tls_context=test_certs.server_context(), auth=(USER, PASSWORD)
    )
    settings = settings_for(server, security=Security.TLS, username=USER, cafile=test_certs.ca_file)

    summary = await transport.test_connection(settings, PASSWORD)

    assert summary.startswith(f"Connected to 127.0.0.1:{server.port}")
    assert f"signed in as {USER}" in summary
    assert server.commands_named("QUIT") == ["QUIT"] and server.message_count == 0


async def test_test_connection_raises_the_plain_hint_for_a_wrong_password(
    smtp_server_factory, test_certs
):
    server = await smtp_server_factory(
        tls="tls", tls_context=test_certs.server_context(), auth=(USER, PASSWORD)
    )
    settings = settings_for(server, security=Security.TLS, username=USER, cafile=test_certs.ca_file)

    with pytest.raises(AuthenticationFailed) as raised:
        await transport.test_connection(settings, "wrong")

    assert "password" in raised.value.hint and len(server.auth_attempts) == 1


def settings_for_host(host: str, port: int = 25, **overrides: object) -> transport.SmtpSettings:
    values: dict[str, object] = {"host": host, "port": port, "security": Security.NONE}
    values.update(overrides)
    return transport.SmtpSettings(**values)  # type: ignore[arg-type]
