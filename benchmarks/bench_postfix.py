"""Whole `herald send` runs against a real Postfix on 127.0.0.1 with hidden anvil limits.

    python benchmarks/bench_postfix.py [--quick] [--timeout SECONDS]

Each scenario starts Postfix from a config in tmp (tests/support/postfix.py: loopback only,
Maildir delivery @example.com, STARTTLS required, relays nothing), runs `herald send` in a
subprocess without telling it the server's limit, then counts the Maildirs. It prints the time
against the ideal N / allowed rate, Postfix's refusals, and failures. Needs root and the
Debian packages postfix (and dovecot-core for nothing here); see .ci/run.

Two yardsticks: N / cap (issue 9's: 60 at 12 per 6 s is 30 s) and the window ideal (a whole
window's worth at once, then one window per 12: 24 s), which no paced sender reaches.
Issue 9's targets: <= 1.5x N / cap for Postfix's message rate limit, <= 1.3x with a
connection-count limit below --connections, refusals <= 5 per 100 messages, 0 failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl
import trustme

from tests.support.postfix import Limits, PostfixServer, missing_binaries

HERALD = Path(sys.executable).with_name("herald")


@dataclass(frozen=True)
class Scenario:
    name: str
    messages: int
    limits: Limits
    per_seconds: float  # anvil_rate_time_unit in seconds
    connections: int = 1

    @property
    def n_over_cap(self) -> float:
        """Issue 9's yardstick: N / the allowed rate (12 per 6 s: 2 messages a second)."""
        limit = self.limits.messages or self.messages
        return self.messages * self.per_seconds / limit

    @property
    def ideal(self) -> float:
        """Seconds at exactly the allowed rate: a window's worth goes at once, then one
        window per `limit` messages."""
        limit = self.limits.messages or self.messages
        windows = max(0, -(-self.messages // limit) - 1)
        return windows * self.per_seconds


def campaign(folder: Path, users: list[str]) -> list[str]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "name"])
    for user in users:
        sheet.append([f"{user}@example.com", user])
    book.save(folder / "recipients.xlsx")
    (folder / "body.txt").write_text("Hello {{ name }},\nyour order has shipped.\n", "utf-8")
    return [
        "--recipients", str(folder / "recipients.xlsx"), "--subject", "Order for {{ name }}",
        "--body", str(folder / "body.txt"), "--from", "Shop <shop@example.com>",
    ]  # fmt: skip


def run(scenario: Scenario, ca: trustme.CA, timeout: float) -> dict[str, object]:
    users = [f"reader{i}" for i in range(scenario.messages)]
    leaf = ca.issue_cert("127.0.0.1")
    with (
        tempfile.TemporaryDirectory() as tmp,
        PostfixServer(
            users=users,
            cert_chain=leaf.private_key_and_cert_chain_pem.bytes(),
            limits=scenario.limits,
        ) as server,
    ):
        folder = Path(tmp)
        ca_file = folder / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        command = [
            str(HERALD), "send", *campaign(folder, users),
            "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--security",
            "starttls", "--cafile", str(ca_file), "--connections", str(scenario.connections),
            "--yes",
        ]  # fmt: skip
        env = {**os.environ, "HERALD_DATA_DIR": str(folder / "data")}
        began = time.monotonic()
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
            status: object = done.returncode
        except subprocess.TimeoutExpired:
            status = f"timeout {timeout:g} s"
        elapsed = time.monotonic() - began
        delivered = server.wait_for_deliveries(scenario.messages, timeout=5)
        refusals = sum(server.refusals().values())
    return {
        "scenario": scenario.name,
        "N": scenario.messages,
        "elapsed": elapsed,
        "ideal": scenario.ideal,
        "ratio": elapsed / scenario.ideal if scenario.ideal else float("nan"),
        "n_over_cap": scenario.n_over_cap,
        "refusals": refusals,
        "delivered": delivered,
        "status": status,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages")
    parser.add_argument("--timeout", type=float, default=600.0, help="per run, in seconds")
    args = parser.parse_args()
    missing = missing_binaries()
    if missing:
        print(f"skipped: {missing}")
        return 0
    n = 30 if args.quick else 60
    scenarios = [
        Scenario(f"message rate 12/6 s, {n} messages", n, Limits(messages=12, time_unit="6s"), 6),
        Scenario(
            f"message rate 12/6 s + 2 connections allowed, --connections 4, {n} messages",
            n,
            Limits(messages=12, connections=2, time_unit="6s"),
            6,
            connections=4,
        ),
    ]
    ca = trustme.CA()
    print(
        "| scenario | N | elapsed s | N / cap s | vs N / cap | window ideal s | vs ideal "
        "| refusals | per 100 | delivered | exit |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for scenario in scenarios:
        r = run(scenario, ca, args.timeout)
        n_over_cap = float(r["n_over_cap"])  # type: ignore[arg-type]
        elapsed = float(r["elapsed"])  # type: ignore[arg-type]
        per_100 = 100 * int(r["refusals"]) / scenario.messages  # type: ignore[call-overload]
        print(
            f"| {r['scenario']} | {r['N']} | {elapsed:.1f} | {n_over_cap:.0f} | "
            f"{elapsed / n_over_cap:.2f}x | {r['ideal']:.0f} | {r['ratio']:.2f}x | "
            f"{r['refusals']} | {per_100:.1f} | {r['delivered']} | {r['status']} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
