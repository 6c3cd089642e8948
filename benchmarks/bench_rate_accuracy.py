"""Rate accuracy of the limiter alone, on the real clock, in real time.

Scenarios: 10/s and 600/min, each with 1 and 4 concurrent workers acquiring, for 30 s
(`--quick`: 5 s). Scenarios run concurrently (independent limiters) unless --sequential.
Prints target, achieved mean, error %, the most recipients in any sliding 1 s window (and 60 s
window), and pass/fail: mean within 2 % and no window over its cap.

    /work/venv/bin/python benchmarks/bench_rate_accuracy.py [--quick] [--sequential]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
from dataclasses import dataclass

from app.core.send.clock import SystemClock
from app.core.send.limiter import Limits, RateLimiter, parse_rate


@dataclass
class Outcome:
    rate: str
    workers: int
    target: float  # per second
    mean: float
    max_1s: int
    max_60s: int
    sends: int

    @property
    def error(self) -> float:
        return (self.mean - self.target) / self.target * 100

    def passed(self, limits: Limits) -> bool:
        ok = abs(self.error) <= 2.0
        if limits.per_second is not None:
            ok = ok and self.max_1s <= limits.per_second
        if limits.per_minute is not None:
            ok = ok and self.max_60s <= limits.per_minute
        return ok


def max_in_window(times: list[float], length: float) -> int:
    return max(bisect.bisect_left(times, t + length) - i for i, t in enumerate(times))


async def run(rate: str, workers: int, seconds: float) -> tuple[Outcome, Limits]:
    clock = SystemClock()
    limits = Limits.from_rates([rate])
    limiter = RateLimiter(limits, clock)
    times: list[float] = []
    stop = clock.monotonic() + seconds

    async def worker() -> None:
        while clock.monotonic() < stop:
            await limiter.acquire(1, 5_000)
            if clock.monotonic() < stop:
                times.append(clock.monotonic())
            await asyncio.sleep(0)

    await asyncio.gather(*(worker() for _ in range(workers)))
    times.sort()
    parsed = parse_rate(rate)
    target = parsed.count / {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[parsed.window]
    mean = (len(times) - 1) / (times[-1] - times[0])
    outcome = Outcome(
        rate, workers, target, mean, max_in_window(times, 1.0), max_in_window(times, 60.0),
        len(times),
    )  # fmt: skip
    return outcome, limits


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s per scenario instead of 30 s")
    parser.add_argument("--sequential", action="store_true", help="one scenario at a time")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else 30.0
    scenarios = [(r, w) for r in ("10/s", "600/min") for w in (1, 4)]
    if args.sequential:
        results = [await run(r, w, seconds) for r, w in scenarios]
    else:
        results = list(await asyncio.gather(*(run(r, w, seconds) for r, w in scenarios)))
    print(f"limiter alone, real clock, {seconds:g} s per scenario")
    header = f"{'rate':>8} {'workers':>7} {'target/s':>8} {'mean/s':>8} {'error %':>8}"
    print(header + f" {'max 1s':>6} {'max 60s':>7} {'sends':>6}  result")
    failed = 0
    for outcome, limits in results:
        ok = outcome.passed(limits)
        failed += not ok
        print(
            f"{outcome.rate:>8} {outcome.workers:>7} {outcome.target:>8.3f} {outcome.mean:>8.3f}"
            f" {outcome.error:>+8.3f} {outcome.max_1s:>6} {outcome.max_60s:>7}"
            f" {outcome.sends:>6}  {'pass' if ok else 'FAIL'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
