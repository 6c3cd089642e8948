"""pytest fixtures for the scriptable SMTP server and test certificates (see smtp_server.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from tests.support.certs import TestCertificates, make_certificates
from tests.support.smtp_server import SmtpTestServer

ServerFactory = Callable[..., Awaitable[SmtpTestServer]]


@pytest.fixture(scope="session")
def test_certs(tmp_path_factory: pytest.TempPathFactory) -> TestCertificates:
    """A CA the client is told to trust (`cafile=test_certs.ca_file`) and its server cert."""
    return make_certificates(tmp_path_factory.mktemp("trusted-ca"))


@pytest.fixture(scope="session")
def untrusted_certs(tmp_path_factory: pytest.TempPathFactory) -> TestCertificates:
    """A second, unrelated CA: a server using it must be refused by a client trusting test_certs."""
    return make_certificates(tmp_path_factory.mktemp("untrusted-ca"))


@pytest.fixture
async def smtp_server_factory() -> AsyncIterator[ServerFactory]:
    """`server = await smtp_server_factory(**SmtpTestServer options)`: started in this loop,
    stopped after the test."""
    servers: list[SmtpTestServer] = []

    async def make(**options: Any) -> SmtpTestServer:
        server = SmtpTestServer(**options)
        await server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()


@pytest.fixture
async def smtp_server(smtp_server_factory: ServerFactory) -> SmtpTestServer:
    """A plain, well-behaved server (no TLS, no AUTH) on 127.0.0.1."""
    return await smtp_server_factory()


@pytest.fixture
def threaded_smtp_server_factory() -> Iterator[Callable[..., SmtpTestServer]]:
    """Like smtp_server_factory, but served from a background thread (client in a subprocess)."""
    servers: list[SmtpTestServer] = []

    def make(**options: Any) -> SmtpTestServer:
        server = SmtpTestServer(**options)
        server.start_in_thread()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop_thread()
