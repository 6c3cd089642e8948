"""Servers with a hidden rate, in real time: the whole engine against the fault server.

The fault server (tests/support/smtp_server.py, in its own thread and loop) refuses MAIL above
a hidden rate with a real server's text; Herald is given no rate at all and must learn it from
the refusals. Each scenario prints the time to deliver N against the ideal N / cap, the
server's refusals per 100 messages (MAIL commands it refused) and the rows failed.
Targets (issue 9): time <= 1.5x the ideal for a message-rate limit, <= 2x for a server that
answers 421 and closes; refusals <= 5 per 100; 0 failed.

    .venv/bin/python benchmarks/bench_throttle.py [--quick] [--messages 100]

`--quick` skips the slow 20-per-10-s scenario (about 50 s on its own).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.send.clock import SystemClock
from app.core.send.engine import SendEngine
from app.core.send.events import Throttled
from app.core.send.limiter import Limits, RateLimiter
from app.core.send.policy import EngineOptions
from app.core.send.transport import Security, SmtpConnector, SmtpSettings
from benchmarks.bench_common import message_for, new_journal, table
from tests.support.smtp_server import SmtpTestServer


@dataclass(frozen=True)
class Scenario:
    name: str
    cap: int
    window: float
    reply: str
    connections: int
    target: float  # the ratio to the ideal time that passes
    slow: bool = False


SCENARIOS = [
    Scenario("Postfix anvil, 20/s", 20, 1.0, "450 4.7.1 Error: too much mail from 127.0.0.1", 1,
             1.5),
    Scenario("Postfix anvil, 20/s, 3 lanes", 20, 1.0,
             "450 4.7.1 Error: too much mail from 127.0.0.1", 3, 1.5),
    Scenario("421 and close, 10/s", 10, 1.0, "421 4.7.0 Try again later, closing connection", 1,
             2.0),
    Scenario("Exim ratelimit, 20 per 10 s", 20, 10.0,
             "451 Sender rate exceeds 20 messages per 10s", 1, 1.5, slow=True),
]  # fmt: skip


@dataclass
class Outcome:
    took: float
    ideal: float
    refusals: int
    sent: int
    failed: int


async def measure(
    scenario: Scenario, messages: int, folder: Path, verbose: bool = False
) -> Outcome:
    server = SmtpTestServer(
        rate_limit=(scenario.cap, scenario.window),
        rate_limit_reply=scenario.reply,
        keep_messages=False,
    )
    port = server.start_in_thread()
    try:
        clock = SystemClock()
        journal = new_journal(folder, messages)
        limiter = RateLimiter(Limits(), clock)
        settings = SmtpSettings(
            host="127.0.0.1",
            port=port,
            security=Security.NONE,
            username=None,
            local_hostname="bench.example.com",
        )
        engine = SendEngine(
            journal,
            message_for,
            SmtpConnector(settings, lambda: None),
            limiter,
            clock,
            EngineOptions(connections=scenario.connections),
        )
        began = clock.monotonic()
        if verbose:

            def show(event: object) -> None:
                if isinstance(event, Throttled):
                    wait = (event.until - event.at).total_seconds()
                    print(
                        f"  t={clock.monotonic() - began:6.2f} s"
                        f"  delivered={server.message_count}  wait {wait:.2f} s"
                        f"  learned rate {limiter.learned_rate}"
                    )

            engine.subscribe(show)
        finished = await engine.run()
        took = clock.monotonic() - began
        journal.close()
    finally:
        server.stop_thread()
    refused = len(server.commands_named("MAIL")) - server.message_count
    return Outcome(
        took=took,
        ideal=messages / (scenario.cap / scenario.window),
        refusals=refused,
        sent=finished.counts.get("sent", 0),
        failed=finished.counts.get("failed", 0),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 20-per-10-s scenario")
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--verbose", action="store_true", help="print every push-back")
    args = parser.parse_args()
    rows = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="herald-bench-throttle-") as folder:
        for scenario in SCENARIOS:
            if scenario.slow and args.quick:
                continue
            out = asyncio.run(measure(scenario, args.messages, Path(folder), args.verbose))
            ratio = out.took / out.ideal
            per_100 = out.refusals * 100 / args.messages
            passed = (
                ratio <= scenario.target
                and per_100 <= 5
                and out.failed == 0
                and out.sent == args.messages
            )
            ok = ok and passed
            rows.append(
                (
                    scenario.name,
                    args.messages,
                    f"{out.ideal:.1f}",
                    f"{out.took:.1f}",
                    f"{ratio:.2f}x (<= {scenario.target:g}x)",
                    f"{per_100:.1f}",
                    out.failed,
                    "pass" if passed else "FAIL",
                )
            )
    print(
        table(
            "Hidden server rate, real time (Herald given no rate; learns it from refusals)",
            ("server", "N", "ideal s", "took s", "time / ideal", "refusals/100", "failed", ""),
            rows,
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
