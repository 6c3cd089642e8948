"""Journal figures: snapshot time, per-message state changes (group commit), report export.

Run: /work/venv/bin/python benchmarks/bench_journal.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from app.core.journal import CampaignSnapshot, Journal, SnapshotRow
from app.core.report import export_report


def _rows(count: int):
    for n in range(2, count + 2):
        address = f"user{n}@example.com"
        fields = {"Email": address, "Name": f"用户 {n}", "City": "北京", "Amount": str(n * 3)}
        yield SnapshotRow(n, address, (address,), fields, f"{n:064x}", f"<{n}@example.org>")


def main(count: int) -> None:
    results: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.herald.sqlite"
        snapshot = CampaignSnapshot("bench", (), {}, _rows(count), ("Email", "Name", "City"))
        started = time.perf_counter()
        journal = Journal.create(path, snapshot)
        results.append((f"snapshot {count:,} rows", f"{time.perf_counter() - started:.2f} s"))

        now = dt.datetime.now(dt.UTC)
        cycles = 500
        started = time.perf_counter()
        for _ in range(cycles):
            row = journal.claim_next(now)
            assert row is not None
            journal.mark_sending(row, row.message_id)
            journal.mark_sent(row, 250, "2.0.0 OK")
        per = (time.perf_counter() - started) / cycles * 1000
        results.append(("claim + sending (commit) + sent (held)", f"{per:.2f} ms/message"))

        started = time.perf_counter()
        previous = None
        for _ in range(cycles):  # group commit: last outcome + next `sending` in one commit
            row = journal.claim_next(now)
            assert row is not None
            with journal.batch():
                if previous is not None:
                    journal.mark_sent(previous, 250, "2.0.0 OK")
                journal.mark_sending(row, row.message_id)
            previous = row
        per = (time.perf_counter() - started) / cycles * 1000
        results.append(("same, sent + next sending in batch()", f"{per:.2f} ms/message"))

        for suffix in (".csv", ".xlsx"):
            started = time.perf_counter()
            export_report(journal, Path(folder) / f"report{suffix}")
            results.append(
                (f"report {suffix} {count:,} rows", f"{time.perf_counter() - started:.2f} s")
            )
        journal.close()
    width = max(len(name) for name, _ in results)
    print(f"{'measure':<{width}}  result")
    for name, value in results:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
