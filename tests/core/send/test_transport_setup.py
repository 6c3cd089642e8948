"""Set-up faults found before anything is sent (issue 9): an unusable trusted-certificate file,
a security mode that does not match the port, and QUIT after a refused login."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.send.contracts import AuthenticationFailed, SecurityRefused, Stage
from app.core.send.tls import check_trusted_certificate
from app.core.send.transport import Security
from tests.core.send.test_transport import PASSWORD, USER, connect


def _bad_cafiles(folder: Path) -> dict[str, Path]:
    junk = folder / "notes.pem"
    junk.write_text("this is not a certificate\n", "utf-8")
    key_only = folder / "key.pem"
    key_only.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "ascii")
    return {
        "does not exist": folder / "missing.pem",
        "is a folder": folder,
        "holds no certificate": junk,
        "holds no certificate ": key_only,
    }


@pytest.mark.parametrize("problem", ["does not exist", "is a folder", "holds no certificate"])
async def test_an_unusable_trusted_certificate_stops_before_any_connection(
    smtp_server_factory, test_certs, tmp_path, problem
):
    server = await smtp_server_factory(tls="tls", tls_context=test_certs.server_context())
    cafile = _bad_cafiles(tmp_path)[problem]

    with pytest.raises(SecurityRefused) as raised:  # the engine stops on this type at once
        await connect(server, security=Security.TLS, cafile=cafile)

    assert str(cafile) in raised.value.reply.text and problem.strip() in raised.value.reply.text
    assert "PEM" in raised.value.hint
    assert server.connections == 0  # refused before the network, not after a timeout


def test_the_certificate_check_names_the_file_and_accepts_a_real_one(test_certs, tmp_path):
    check_trusted_certificate(test_certs.ca_file)  # a real CA file passes
    for cafile in _bad_cafiles(tmp_path).values():
        with pytest.raises(SecurityRefused) as raised:
            check_trusted_certificate(cafile)
        assert str(cafile) in raised.value.reply.text


async def test_starttls_against_an_implicit_tls_port_says_so_naming_port_and_mode(
    smtp_server_factory, test_certs
):
    server = await smtp_server_factory(tls="tls", tls_context=test_certs.server_context())

    with pytest.raises(SecurityRefused) as raised:
        # without the probe this waits out the whole connect timeout (an hour here)
        await connect(
            server,
            security=Security.STARTTLS,
            cafile=test_certs.ca_file,
            connect_timeout=3600,
            tls_probe_after=0.2,
        )

    hint = raised.value.hint
    assert f"Port {server.port}" in hint and "TLS from the first byte" in hint
    assert "not STARTTLS" in hint and "--security tls" in hint
    assert raised.value.reply.stage is Stage.CONNECT
    assert server.commands == []  # nothing was said in clear text


async def test_starttls_probe_does_not_misfire_on_a_slow_plain_greeting(smtp_server_factory):
    # A plain server that greets late (e.g. a postscreen pause) is not mistaken for TLS.
    server = await smtp_server_factory()
    server.on("greeting", "220 smtp.example.test slow but fine", delay=0.6)

    connection = await connect(server, security=Security.NONE, tls_probe_after=0.1)
    await connection.close()

    assert server.connections == 2  # the probe's own connection, then nothing more


@pytest.mark.parametrize("server_tls", ["none", "starttls"])
async def test_tls_against_a_plain_or_starttls_port_says_so_naming_port_and_mode(
    smtp_server_factory, test_certs, server_tls
):
    server = await smtp_server_factory(tls=server_tls, tls_context=test_certs.server_context())

    with pytest.raises(SecurityRefused) as raised:
        await connect(server, security=Security.TLS, cafile=test_certs.ca_file)

    hint = raised.value.hint
    assert f"Port {server.port}" in hint and "plain text" in hint
    assert "--security starttls" in hint


async def test_quit_is_sent_after_a_refused_login(smtp_server_factory, test_certs):
    server = await smtp_server_factory(
        tls="starttls", tls_context=test_certs.server_context(), auth=(USER, PASSWORD)
    )

    with pytest.raises(AuthenticationFailed):
        await connect(
            server,
            password="wrong",
            security=Security.STARTTLS,
            username=USER,
            cafile=test_certs.ca_file,
        )

    assert len(server.auth_attempts) == 1
    assert server.commands[-1][1] == "QUIT"  # the last thing the server heard: goodbye
