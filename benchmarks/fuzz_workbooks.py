"""Fuzz `herald check` with many mutants of real workbooks; print the counts.

    python benchmarks/fuzz_workbooks.py [--mutants 1000] [--seed 1] [--batch 100]

Each mutant is a workbook written by openpyxl with one or two mutations (byte flips,
truncation, member shuffles and deletions, compression changes, damaged XML, far cell
addresses, CRC / deflate / header / name faults; tests/support/zip_surgery.py) and goes
through `herald check` in process. Batches run in child processes, so a mutant that kills
its process (an abort in a reader, which Python cannot catch) is counted as such and the
run goes on with the next.

Pass: every mutant exits 0, 1 or 2 and prints no traceback. The suite runs a few hundred of
the same mutants (tests/core/recipients/test_fuzz_workbooks.py); this is the longer run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # for tests.support; `app` comes from the installed package


def worker(seed: int, start: int, count: int) -> None:
    from tests.support.workbook_fuzz import check_one, mutant, seed_workbooks, write_campaign

    seeds = seed_workbooks()
    with tempfile.TemporaryDirectory() as folder:
        campaign = write_campaign(Path(folder))
        for index in range(start, start + count):
            name, data = mutant(seeds, seed, index)
            print(json.dumps({"i": index, "mutation": name}), flush=True)  # before: an abort
            code, problem = check_one(campaign, data)
            print(json.dumps({"i": index, "exit": code, "problem": problem}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--worker", nargs=2, type=int, metavar=("START", "COUNT"))
    args = parser.parse_args()
    if args.worker:
        worker(args.seed, *args.worker)
        return 0

    began = time.perf_counter()
    exits: Counter[str] = Counter()
    by_mutation: dict[str, Counter[str]] = {}
    failures: list[tuple[int, str, str]] = []
    index = 0
    while index < args.mutants:
        count = min(args.batch, args.mutants - index)
        command = [sys.executable, __file__, "--seed", str(args.seed), "--worker"]
        child = subprocess.Popen(
            [*command, str(index), str(count)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        names: dict[int, str] = {}
        done = index
        for line in child.stdout:
            record = json.loads(line)
            if "mutation" in record:
                names[record["i"]] = record["mutation"]
                continue
            outcome = "traceback" if record["exit"] is None else f"exit {record['exit']}"
            if record["problem"] and record["exit"] is not None:
                outcome = f"exit {record['exit']} + traceback"
            kind = names[record["i"]].split("+")[0]
            exits[outcome] += 1
            by_mutation.setdefault(kind, Counter())[outcome] += 1
            if record["problem"]:
                failures.append((record["i"], names[record["i"]], record["problem"]))
            done = record["i"] + 1
        code = child.wait()
        if done < index + count:  # the child died while checking mutant `done`
            outcome = f"process killed ({code})"
            exits[outcome] += 1
            by_mutation.setdefault(names.get(done, "?").split("+")[0], Counter())[outcome] += 1
            failures.append((done, names.get(done, "?"), f"the process ended with {code}"))
            done += 1
        index = done

    seconds = time.perf_counter() - began
    print(f"{args.mutants} mutants (seed {args.seed}) in {seconds:.0f} s")
    print(f"{'outcome':<28} {'mutants':>8}")
    for outcome, number in sorted(exits.items()):
        print(f"{outcome:<28} {number:>8}")
    print()
    outcomes = sorted(exits)
    widths = [max(10, len(o) + 2) for o in outcomes]
    print(f"{'mutation':<22}" + "".join(f"{o:>{w}}" for o, w in zip(outcomes, widths, strict=True)))
    for kind in sorted(by_mutation):
        counts = by_mutation[kind]
        print(
            f"{kind:<22}"
            + "".join(f"{counts[o]:>{w}}" for o, w in zip(outcomes, widths, strict=True))
        )
    for number, name, problem in failures[:20]:
        print(f"\n--- mutant {number} ({name}) ---\n{problem[-1500:]}")
    verdict = "pass" if not failures else f"FAIL ({len(failures)} mutants)"
    print(f"\nverdict: {verdict}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
