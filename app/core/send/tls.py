"""TLS context and the loopback test: the two security decisions the transport makes."""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path

from app.core.send.contracts import Reply, SecurityRefused, Stage


def client_tls_context(cafile: Path | None = None) -> ssl.SSLContext:
    """A verifying client context: system roots, plus one trusted certificate if given.

    There is deliberately no way to switch verification off. A self-hosted server with its own
    certificate is trusted by adding that certificate (`cafile`), never by skipping the check.
    Raises SecurityRefused (the engine stops at once) if `cafile` is not a usable certificate.
    """
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if cafile is not None:
        _load_trusted(context, cafile)
    return context


def check_trusted_certificate(cafile: Path) -> None:
    """Refuse a trusted-certificate file that is missing or holds no certificate, before any
    connection: otherwise every connection fails the same way and looks like a network fault
    (issue 9 measured 8.5 minutes of "connection lost" for a mistyped path)."""
    _load_trusted(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), cafile)


def _load_trusted(context: ssl.SSLContext, cafile: Path) -> None:
    try:
        context.load_verify_locations(cafile=str(cafile))
    except FileNotFoundError:
        problem = "does not exist"
    except IsADirectoryError:
        problem = "is a folder, not a certificate file"
    except PermissionError:
        problem = "cannot be read (permission denied)"
    except ssl.SSLError:
        problem = "holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)"
    except OSError as error:
        problem = f"cannot be read ({error.strerror or error})"
    else:
        return
    text = f"The trusted certificate file {cafile} {problem}."
    raise SecurityRefused(
        Reply(None, text, Stage.CONNECT),
        hint="Choose the server's certificate (or its CA's) as a PEM file, or leave the "
        "trusted certificate empty if the server's certificate is publicly trusted.",
    )


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
