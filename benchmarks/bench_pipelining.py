"""PIPELINING (RFC 2920) on one connection to a distant server.

    python benchmarks/bench_pipelining.py            # 100 messages per run
    python benchmarks/bench_pipelining.py --quick    # 30

The sink (its own process) answers every command 20 ms after it arrives, like a server 20 ms
away: replies to commands written together leave together, as over a real network. (The
throughput benchmark's `--delay-ms` instead holds each reply 20 ms in turn, server think time,
which pipelining cannot shorten.) The real engine (SQLite journal with synchronous=FULL,
limiter, transport) sends over one connection, with the server advertising PIPELINING and not;
then the server advertising it and Herald told not to use it, as a check that only pipelining
makes the difference. One by one a message costs MAIL, RCPT, DATA and the body: 4 round trips;
pipelined, MAIL+RCPT+DATA and the body: 2.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.send.clock import SystemClock
from app.core.send.engine import SendEngine
from app.core.send.limiter import Limits, RateLimiter
from app.core.send.policy import EngineOptions
from app.core.send.transport import Security, SmtpConnector, SmtpSettings
from benchmarks.bench_common import ROOT, message_for, new_journal, table

LATENCY_MS = 20.0


@contextmanager
def distant_sink(*, pipelining: bool) -> Iterator[int]:
    command = [sys.executable, "-m", "tests.support.smtp_server", "--port", "0"]
    command += ["--latency-ms", str(LATENCY_MS)] + (["--pipelining"] if pipelining else [])
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    try:
        yield int(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(10)


async def send(port: int, count: int, folder: Path, *, use_pipelining: bool) -> float:
    """Messages per second through the real engine over one connection."""
    journal = new_journal(folder, count)
    settings = SmtpSettings(
        host="127.0.0.1",
        port=port,
        security=Security.NONE,
        local_hostname="herald.example.com",
        pipelining=use_pipelining,
    )
    clock = SystemClock()
    engine = SendEngine(
        journal,
        message_for,
        SmtpConnector(settings, lambda: None),
        RateLimiter(Limits(), clock),
        clock,
        EngineOptions(connections=1),
    )
    began = time.perf_counter()
    finished = await engine.run()
    elapsed = time.perf_counter() - began
    journal.close()
    assert finished.sent_this_run == count, finished.counts
    return count / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count = 30 if args.quick else 100
    folder = Path(tempfile.mkdtemp(prefix="herald-bench-pipelining-"))
    runs = [
        ("server without PIPELINING", False, True),
        ("server with PIPELINING, Herald told not to use it", True, False),
        ("server with PIPELINING", True, True),
    ]
    rates: dict[str, float] = {}
    for name, offered, used in runs:
        with distant_sink(pipelining=offered) as port:
            rates[name] = asyncio.run(send(port, count, folder, use_pipelining=used))
    base = rates[runs[0][0]]
    rows = [
        (name, f"{rate:.1f}", f"{1000 / rate:.0f}", f"{rate / base:.2f}x")
        for name, rate in rates.items()
    ]
    title = f"{count} messages, 1 connection, {LATENCY_MS:g} ms to the server and back"
    print(table(title, ("run", "msg/s", "ms/msg", "vs without"), rows))
    ratio = rates[runs[2][0]] / base
    print(f"\nPIPELINING: {ratio:.2f}x (target >= 1.8x)")
    return 0 if ratio >= 1.8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
