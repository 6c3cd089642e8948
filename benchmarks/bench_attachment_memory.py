"""Peak memory of `herald send` with one large attachment, against the same send without it.

    python benchmarks/bench_attachment_memory.py              # a 1 GB attachment (about 1 min)
    python benchmarks/bench_attachment_memory.py --mb 200     # another size

Each scenario runs in a fresh child process (so each peak is its own): a one-row .xlsx
written by openpyxl, a campaign file, then the real `herald send --yes` (load, check, journal
snapshot, engine, transport) to an aiosmtpd sink on 127.0.0.1 in a third process. Peak RSS is
the kernel's ru_maxrss of the child. The attachment is a generated file (sparse: zeros), so
writing it costs nothing; its base64 is still 1.37 GB on the wire. A 1 GB file is far above
the 25 MB per-message cap, so the campaign raises `attachment_max_mb` explicitly.

The sink is aiosmtpd with its DATA handler replaced by one that counts bytes instead of
keeping them: aiosmtpd's own keeps the whole message (several GB for this one) in the sink.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_common import ROOT, table

MB = 1024 * 1024


# --- the sink (its own process) --------------------------------------------------------------
def run_sink(log: Path) -> None:
    from aiosmtpd.smtp import SMTP, Envelope, Session

    class CountingSMTP(SMTP):  # type: ignore[misc]
        async def smtp_DATA(self, arg: str) -> None:
            if not self.envelope.rcpt_tos:
                await self.push("503 Error: need RCPT command")
                return
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            # read in blocks, not lines (900,000 lines per 68 MB cost the sink seconds);
            # the body ends at CRLF.CRLF (DATA starts at a line start, so prepend one)
            received, tail = 0, b"\r\n"
            while True:
                block = await self._reader.read(1 << 20)
                if not block:
                    return
                received += len(block)
                seen = tail + block
                if seen.endswith(b"\r\n.\r\n"):
                    received -= 3  # the final ".\r\n" is not the message
                    break
                tail = seen[-4:]
            with log.open("a") as handle:
                handle.write(f"{received}\n")
            self.envelope = Envelope()
            await self.push(f"250 OK counted {received} bytes")

    class Handler:
        async def handle_RCPT(
            self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
        ) -> str:
            envelope.rcpt_tos.append(address)
            return "250 OK"

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: CountingSMTP(Handler(), data_size_limit=None, hostname="sink.example.com"),
            "127.0.0.1",
            0,
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


# --- one scenario (its own process) ----------------------------------------------------------
def run_child(folder: Path, port: int, attachment: Path | None, max_mb: float) -> None:
    import openpyxl

    os.environ["HERALD_DATA_DIR"] = str(folder / "data")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "name", "files"])
    sheet.append(["reader@example.org", "Reader", attachment.name if attachment else ""])
    book.save(folder / "recipients.xlsx")
    (folder / "body.txt").write_text("Hello {{ name }},\nthe catalogue is attached.\n", "utf-8")
    (folder / "campaign.toml").write_text(
        'version = 1\n[recipients]\nfile = "recipients.xlsx"\n[columns]\nattachments = "files"\n'
        '[message]\nfrom = "Shop <shop@example.com>"\nsubject = "Catalogue for {{ name }}"\n'
        f'body = "body.txt"\nattachment_max_mb = {max_mb}\n',
        "utf-8",
    )
    from app.cli import run

    began = time.perf_counter()
    options = ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--security", "none"]
    with open(os.devnull, "w") as quiet:
        sys.stdout = quiet
        code = run(["send", str(folder / "campaign.toml"), *options, "--yes"])
        sys.stdout = sys.__stdout__
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"code": code, "seconds": seconds, "peak_mb": peak}))


# --- the comparison ---------------------------------------------------------------------------
def scenario(name: str, folder: Path, port: int, mb: int, max_mb: float, log: Path) -> tuple:
    folder.mkdir(parents=True)
    command = [sys.executable, __file__, "--child", str(folder), "--port", str(port)]
    if mb:
        attachment = folder / "catalogue.bin"
        with attachment.open("wb") as handle:
            handle.truncate(mb * MB)  # generated at once (sparse); read back as zeros
        command += ["--attachment", str(attachment)]
    command += ["--max-mb", str(max_mb)]
    before = len(log.read_text().split()) if log.exists() else 0
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    counts = log.read_text().split()[before:] if log.exists() else []
    wire = int(counts[-1]) if counts else 0
    return (
        name,
        f"{mb:,} MB",
        f"{wire / MB:,.1f} MB" if wire >= MB else f"{wire / 1024:,.1f} KB",
        "sent" if result["code"] == 0 else f"exit {result['code']}",
        f"{result['seconds']:.1f}",
        f"{result['peak_mb']:.0f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=1024, help="attachment size (default 1024)")
    parser.add_argument("--sink", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--attachment", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--max-mb", type=float, default=25.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink is not None:
        run_sink(args.sink)
        return
    if args.child is not None:
        run_child(args.child, args.port, args.attachment, args.max_mb)
        return

    work = Path(tempfile.mkdtemp(prefix="herald-attach-memory-"))
    log = work / "sink.log"
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(log)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert sink.stdout is not None
    port = int(sink.stdout.readline())
    cap = max(25.0, args.mb + 1.0)  # above the default cap: raised explicitly
    try:
        rows = [
            scenario("baseline: no attachment", work / "baseline", port, 0, 25.0, log),
            scenario(f"{args.mb:,} MB attachment", work / "attached", port, args.mb, cap, log),
        ]
    finally:
        sink.terminate()
        sink.wait(10)
        shutil.rmtree(work, ignore_errors=True)  # the generated file, journals, workbooks
    header = ("scenario", "attachment", "on the wire", "result", "seconds", "peak RSS MB")
    print(table("herald send, one message, to an aiosmtpd sink on loopback", header, rows))
    extra = float(rows[1][-1]) - float(rows[0][-1])  # type: ignore[arg-type]
    print(f"\nThe attachment adds {extra:.0f} MB of peak memory for {args.mb} MB of file.")


if __name__ == "__main__":
    main()
