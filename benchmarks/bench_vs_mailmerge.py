"""Whole `herald send` against awdeorio/mailmerge 2.3.0, to one distant server, in one run.

    python benchmarks/bench_vs_mailmerge.py                      # mailmerge in /tmp/mm-venv
    python benchmarks/bench_vs_mailmerge.py --mailmerge-venv DIR [--rounds 3] [--messages 100]

mailmerge is not a dependency of Herald: install it into a venv of its own first,
`python3 -m venv /tmp/mm-venv && /tmp/mm-venv/bin/pip install mailmerge==2.3.0`. Without it
the script says so and exits 0 (skipped).

The sink (tests/support/smtp_server.py in its own process) answers every command 20 ms after
it arrives, like a server 20 ms away (replies to commands written together leave together);
it advertises PIPELINING unless told not to. Both tools get the same 100 rows (a CSV of
@example.com addresses), the same short template and the same sink; each round times the
whole process, from start to exit (interpreter start, imports, reading, checking, sending).
The figure is the median of the rounds.

    mailmerge --no-dry-run --no-limit          security = Never, no username, no ratelimit
    herald send --connections 8 --yes          no --rate: no limit of Herald's own

mailmerge opens one connection per message (smtplib: connect, greeting, EHLO, MAIL, RCPT,
DATA, body, QUIT: 7 round trips). The second table is Herald over one connection, with the
server advertising PIPELINING and not (whole process; bench_pipelining.py measures the engine
alone). Issue 9's targets: Herald with 8 connections >= 12x mailmerge; PIPELINING >= 1.8x.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_common import ROOT, table

HERALD = Path(sys.executable).with_name("herald")
LATENCY_MS = 20.0
SENDER = "Shop <shop@example.com>"
SUBJECT = "Your order, {{ name }}"
BODY = "Hello {{ name }},\n\nyour order has shipped and should arrive this week.\n\nThe shop\n"


@contextmanager
def distant_sink(*, pipelining: bool = True) -> Iterator[int]:
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


def write_database(folder: Path, count: int) -> Path:
    database = folder / "mailmerge_database.csv"
    lines = ["email,name"] + [f"reader{i}@example.com,Reader {i}" for i in range(count)]
    database.write_text("\n".join(lines) + "\n", "utf-8")
    return database


def mailmerge_command(venv: Path, folder: Path, port: int, count: int) -> list[str]:
    database = write_database(folder, count)
    (folder / "mailmerge_server.conf").write_text(
        f"[smtp_server]\nhost = 127.0.0.1\nport = {port}\nsecurity = Never\n", "utf-8"
    )
    (folder / "mailmerge_template.txt").write_text(
        f"TO: {{{{ email }}}}\nSUBJECT: {SUBJECT}\nFROM: {SENDER}\n\n{BODY}", "utf-8"
    )
    return [
        str(venv / "bin" / "mailmerge"), "--no-dry-run", "--no-limit",
        "--template", str(folder / "mailmerge_template.txt"),
        "--database", str(database),
        "--config", str(folder / "mailmerge_server.conf"),
        "--output-format", "text",
    ]  # fmt: skip


def herald_command(folder: Path, port: int, count: int, connections: int) -> list[str]:
    database = write_database(folder, count)
    (folder / "body.txt").write_text(BODY, "utf-8")
    return [
        str(HERALD), "send", "--recipients", str(database), "--email-column", "email",
        "--subject", SUBJECT, "--body", str(folder / "body.txt"), "--from", SENDER,
        "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--security", "none",
        "--connections", str(connections), "--yes",
    ]  # fmt: skip


def timed(command: list[str], folder: Path, cache: Path) -> float:
    """Seconds from start to exit of one whole process (its own fresh folder and data dir).

    Both interpreters keep their compiled bytecode (in `cache`, warmed by an untimed first
    round), as an installed program does: with PYTHONDONTWRITEBYTECODE set, as in some shells,
    Herald's own modules would be compiled again at every start (about 0.15 s)."""
    env = {**os.environ, "HERALD_DATA_DIR": str(folder / "data")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    began = time.perf_counter()
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return elapsed


def median_seconds(make: object, rounds: int, work: Path, label: str) -> float:
    times = []
    for round_ in range(rounds):
        folder = work / f"{label}-{round_}"
        folder.mkdir()
        times.append(timed(make(folder), folder, work / "pycache"))  # type: ignore[operator]
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mailmerge-venv", type=Path, default=Path("/tmp/mm-venv"))
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    venv: Path = args.mailmerge_venv
    if not (venv / "bin" / "mailmerge").exists():
        print(
            f"skipped: no mailmerge in {venv} (python3 -m venv {venv} && "
            f"{venv}/bin/pip install mailmerge==2.3.0)"
        )
        return 0
    version = subprocess.run(
        [str(venv / "bin" / "mailmerge"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    n, rounds = args.messages, args.rounds
    work = Path(tempfile.mkdtemp(prefix="herald-vs-mailmerge-"))
    seconds: dict[str, float] = {}
    try:
        with distant_sink(pipelining=True) as port:
            # interleaved rounds: both tools see the same neighbours on a shared machine
            runs = {
                "mailmerge": lambda f: mailmerge_command(venv, f, port, n),
                "herald 8": lambda f: herald_command(f, port, n, 8),
                "herald 1": lambda f: herald_command(f, port, n, 1),
            }
            samples: dict[str, list[float]] = {name: [] for name in runs}
            for round_ in range(-1, rounds):  # round -1: untimed warm-up (bytecode, disk cache)
                for name, make in runs.items():
                    folder = work / f"{name.replace(' ', '-')}-{round_}"
                    folder.mkdir()
                    seconds_ = timed(make(folder), folder, work / "pycache")
                    if round_ >= 0:
                        samples[name].append(seconds_)
            seconds.update({name: statistics.median(s) for name, s in samples.items()})
        with distant_sink(pipelining=False) as port:
            seconds["herald 1 without"] = median_seconds(
                lambda f: herald_command(f, port, n, 1), rounds, work, "herald-1-without"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = seconds["mailmerge"]
    names = {
        "mailmerge": f"{version or 'mailmerge'} (--no-limit, 1 connection per message)",
        "herald 8": "herald send --connections 8 (PIPELINING offered)",
        "herald 1": "herald send --connections 1 (PIPELINING offered)",
    }
    rows = [
        (label, f"{seconds[key]:.2f}", f"{n / seconds[key]:.1f}", f"{base / seconds[key]:.1f}x")
        for key, label in names.items()
    ]
    title = f"{n} messages, {LATENCY_MS:g} ms away, whole process, median of {rounds}"
    print(table(title, ("run", "seconds", "msg/s", "vs mailmerge"), rows))
    without, with_ = seconds["herald 1 without"], seconds["herald 1"]
    rows = [
        ("server without PIPELINING", f"{without:.2f}", f"{n / without:.1f}", "1.00x"),
        ("server with PIPELINING", f"{with_:.2f}", f"{n / with_:.1f}", f"{without / with_:.2f}x"),
    ]
    print()
    print(table("herald send --connections 1, whole process", ("run", "s", "msg/s", "vs"), rows))
    ratio = base / seconds["herald 8"]
    print(f"\nHerald, 8 connections: {ratio:.1f}x mailmerge (target >= 12x)")
    print(f"PIPELINING, 1 connection, whole process: {without / with_:.2f}x (target >= 1.8x)")
    return 0 if ratio >= 12 else 1


if __name__ == "__main__":
    raise SystemExit(main())
