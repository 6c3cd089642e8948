"""Peak memory of a whole `herald send` of 100,000 recipients (target: under 300 MB).

    python benchmarks/bench_send_memory.py            # 100,000 rows (several minutes)
    python benchmarks/bench_send_memory.py --quick    # 10,000 rows
    python benchmarks/bench_send_memory.py --rows N

The real path, in this process: an .xlsx written by openpyxl, the campaign loaded and checked
(pre-flight renders every row), the journal snapshot, then the engine re-rendering each row on
demand and sending it to an aiosmtpd sink in its own process (which counts, keeping nothing).
Peak RSS is read from the kernel (ru_maxrss) after each phase.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_common import sink, table


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def write_workbook(path: Path, rows: int) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(["email", "name", "order", "city"])
    for i in range(rows):
        sheet.append([f"reader{i}@example.org", f"Reader {i}", 100000 + i, "Springfield"])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 rows")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    rows = 10_000 if args.quick else args.rows
    folder = Path(tempfile.mkdtemp(prefix="herald-memory-"))
    os.environ["HERALD_DATA_DIR"] = str(folder / "data")
    phases: list[tuple[str, str, str]] = []
    began = time.perf_counter()

    def mark(phase: str) -> None:
        phases.append((phase, f"{time.perf_counter() - began:.1f}", f"{peak_mb():.0f}"))

    mark("start (imports)")
    workbook = folder / "recipients.xlsx"
    write_workbook(workbook, rows)
    (folder / "body.html").write_text(
        "<p>Dear {{ name }},</p><p>order {{ order }} ships to {{ city }}.</p>" * 20, "utf-8"
    )
    mark(f"workbook of {rows:,} rows written")

    from app.cli import run

    with sink(folder) as server:
        code = run([
            "send", "--recipients", str(workbook), "--subject", "Order {{ order }}",
            "--body", str(folder / "body.html"), "--from", "Shop <shop@example.com>",
            "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--security", "none",
            "--connections", str(args.connections), "--yes",
        ])  # fmt: skip
        mark(f"herald send finished (exit {code})")
    print(table(
        f"Peak memory of herald send, {rows:,} recipients (target < 300 MB)",
        ("phase", "elapsed s", "peak RSS MB"), phases))  # fmt: skip
    print("verdict:", "ok" if peak_mb() < 300 else "MISSED")


if __name__ == "__main__":
    main()
