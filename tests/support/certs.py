"""Test certificates made on the spot with trustme: a CA file for the client, a context for the
server. Nothing here is ever trusted outside the test that made it."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class TestCertificates:
    __test__ = False  # not a pytest test class

    ca_file: Path  # give this to the client as `cafile`
    leaf: trustme.LeafCert

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.leaf.configure_cert(context)
        return context


def make_certificates(
    folder: Path, hostnames: tuple[str, ...] = ("127.0.0.1", "localhost")
) -> TestCertificates:
    """A fresh CA (written to folder/ca.pem) and a server certificate for `hostnames`."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return TestCertificates(ca_file=ca_file, leaf=ca.issue_cert(*hostnames))
