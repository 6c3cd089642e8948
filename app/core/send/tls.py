"""TLS context and the loopback test: the two security decisions the transport makes."""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path


def client_tls_context(cafile: Path | None = None) -> ssl.SSLContext:
    """A verifying client context: system roots, plus one trusted certificate if given.

    There is deliberately no way to switch verification off. A self-hosted server with its own
    certificate is trusted by adding that certificate (`cafile`), never by skipping the check.
    """
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if cafile is not None:
        context.load_verify_locations(cafile=str(cafile))
    return context


def is_loopback(host: str) -> bool:
    """True for localhost and 127.0.0.0/8 or ::1: traffic that never leaves this machine."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def describe_tls_failure(error: BaseException, host: str) -> str:
    """A plain hint for a failed TLS handshake (most often: a certificate we do not trust)."""
    if isinstance(error, ssl.SSLCertVerificationError):
        detail = error.verify_message or str(error)
        return (
            f"The certificate of {host} could not be verified ({detail}). If this is your own "
            "server with a self-made certificate, choose that certificate file as a trusted "
            "certificate for this profile; otherwise check the host name."
        )
    return (
        f"The encrypted connection to {host} could not be set up ({error}). Check the port "
        "and security setting: port 465 uses TLS, port 587 uses STARTTLS."
    )
