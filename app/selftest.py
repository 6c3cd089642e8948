"""`herald --self-test`: prove a (frozen) Herald works end to end, with no display and no network.

The installers' workflow runs it inside every bundle, so it exercises what a bundle can lose:
package data (the demo, translations, the icon), the Qt platform, image-format and icon-engine
plugins, fonts, the asyncio/Qt loop, SQLite, the SMTP client and server, and the email codecs.

Steps: write the demo campaign into a temporary folder; load it and run the pre-flight (every row
renders, no problem); open the main window offscreen on that campaign and grab it to a PNG; send
the whole campaign through the real engine (the window's own wiring, `app.gui.sending`) to the
embedded local test outbox, with the journal in a throwaway data folder; check that one `.eml`
per recipient arrived, parses and is addressed to that recipient.

It never touches the user's folders: HERALD_DATA_DIR points at a temporary folder unless the
caller set it. A windowed Windows executable has no stdout, so the report is also written to a
file (`--report PATH`, else herald-self-test-report.txt in the temporary folder) and the exit
status (0 passed, 1 failed) is the verdict.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import email.policy
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPORT_NAME = "herald-self-test-report.txt"
TIMEOUT_SECONDS = 60.0  # a wedged step fails the test instead of hanging CI


class StepFailed(Exception):
    """A check did not hold; the message says what was expected and what was found."""


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failed: str | None = None
    started: float = field(default_factory=time.perf_counter)

    def say(self, line: str) -> None:
        self.lines.append(line)
        _print(line)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[Callable[[str], None]]:
        """Time one step; `note(text)` adds its result. Any exception fails the step."""
        notes: list[str] = []
        begun = time.perf_counter()
        try:
            yield notes.append
        except BaseException as error:
            seconds = time.perf_counter() - begun
            if isinstance(error, StepFailed):
                reason = str(error)
            elif isinstance(error, asyncio.CancelledError):
                reason = f"did not finish within {TIMEOUT_SECONDS:.0f} s"
            else:
                reason = _describe(error)
            self.failed = f"{name}: {reason.splitlines()[0] if reason else type(error).__name__}"
            self.say(f"[FAIL] {name} ({seconds:.2f} s): {reason}")
            raise StepFailed(reason) from error
        seconds = time.perf_counter() - begun
        self.say(f"[ ok ] {name} ({seconds:.2f} s){': ' if notes else ''}{'; '.join(notes)}")

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _describe(error: BaseException) -> str:
    frames = traceback.format_exception(error)
    return f"{type(error).__name__}: {error}\n" + "".join(frames[-6:]).rstrip()


def _print(line: str) -> None:
    # A windowed executable (console=False on Windows) has no stdout at all.
    stream = sys.stdout
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError, UnicodeError):
        stream.write(line + "\n")
        stream.flush()


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True  # always a (possibly invisible) session; CI sets QT_QPA_PLATFORM itself
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="herald --self-test",
        description="Send the demo campaign to the local test outbox and check the result.",
    )
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the report here")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (it is kept on failure)"
    )
    return parser.parse_args(argv)


def run_self_test(argv: list[str]) -> int:
    """Run every step; 0 when all passed, 1 otherwise. Never raises."""
    args = _parse(argv)
    work = Path(tempfile.mkdtemp(prefix="herald-selftest-"))
    report_path = args.report or Path(tempfile.gettempdir()) / REPORT_NAME
    report = Report()
    import app

    python = sys.version.split()[0]
    report.say(f"Herald {app.__version__} self-test ({sys.platform}, Python {python})")
    if not os.environ.get("QT_QPA_PLATFORM") and not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not os.environ.get("HERALD_DATA_DIR", "").strip():  # empty would mean the real folder
        os.environ["HERALD_DATA_DIR"] = str(work / "data")
    report.say(f"Qt platform: {os.environ.get('QT_QPA_PLATFORM') or 'default'}")
    report.say(f"Data folder: {os.environ['HERALD_DATA_DIR']}")
    try:
        _run_steps(report, work)
    except StepFailed:
        pass
    except BaseException as error:  # the verdict must still be written
        report.say(f"[FAIL] {_describe(error)}")
        report.failed = report.failed or f"{type(error).__name__}: {error}"
    verdict = "FAILED: " + report.failed if report.failed else "PASSED"
    report.say(f"Self-test {verdict} in {report.elapsed:.1f} s")
    if report.failed or args.keep:
        report.say(f"Files kept in {work}")
    _write_report(report, report_path)
    if not (report.failed or args.keep):
        shutil.rmtree(work, ignore_errors=True)
    return 1 if report.failed else 0


def _write_report(report: Report, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(report.lines) + "\n", encoding="utf-8")
    except OSError as error:
        _print(f"Could not write the report to {path}: {error}")
        return
    _print(f"Report: {path}")


# ------------------------------------------------------------------------------------ steps


@dataclass
class _Loaded:
    campaign_file: Path
    campaign: Any  # app.core.campaign.Campaign
    expected: dict[str, int]  # To address -> workbook row, for every sendable row


def _run_steps(report: Report, work: Path) -> None:
    loaded = _load_demo(report, work)
    from PySide6.QtWidgets import QApplication  # PySide6 before qasync (ENVIRONMENT.md)

    from app.gui.application import create_application

    with report.step("Start Qt") as note:
        qt_app = create_application([])
        note(f"platform {QApplication.platformName()}, Qt style {qt_app.style().name()}")
    import qasync

    async def gui_then_send() -> None:
        await asyncio.wait_for(_gui_and_send(report, work, loaded, qt_app), TIMEOUT_SECONDS)

    qasync.run(gui_then_send())


def _load_demo(report: Report, work: Path) -> _Loaded:
    from app.core.campaign import load_campaign, load_campaign_file
    from app.core.demo import PEOPLE, write_demo_campaign
    from app.core.preflight import run_preflight

    with report.step("Write the demo campaign") as note:
        campaign_file = write_demo_campaign(work / "campaign")
        note(f"{campaign_file}")
    with report.step("Load the campaign and check every row") as note:
        # the bundle's own check: the user's do-not-email list is not part of it
        from app.core.do_not_email import DoNotEmailList

        nobody = DoNotEmailList(work / "do-not-email.csv")
        campaign = load_campaign(load_campaign_file(campaign_file), do_not_email=nobody)
        preflight = run_preflight(campaign)
        problems = "; ".join(p.message for p in preflight.problems[:3])
        _check(not preflight.problems, f"the demo has problems: {problems}")
        _check(preflight.all_sendable, f"only {preflight.sendable} of {preflight.rows} rows render")
        _check(
            preflight.rows == len(PEOPLE),
            f"expected {len(PEOPLE)} rows in the demo workbook, read {preflight.rows}",
        )
        note(f"{preflight.rows} rows, all render, {preflight.total_bytes:,} bytes")
    with report.step("Read the workbook in a child process") as note:
        # The window reads big workbooks this way; in a frozen bundle it needs freeze_support().
        from app.core.recipients.offload import TableTransfer

        transfer = TableTransfer(campaign.table.source, chunk_rows=5)
        transfer.start()
        try:
            table = None
            while table is None:
                table = transfer.take(transfer.receive())
        finally:
            transfer.close()
        _check(
            [row.values for row in table.rows] == [row.values for row in campaign.table.rows],
            "the child process read different rows than this process",
        )
        note(f"{len(table.rows)} rows in {transfer.messages} pieces")
    expected = {r.to.address.lower(): r.row for r in campaign.by_row.values()}
    return _Loaded(campaign_file, campaign, expected)


async def _gui_and_send(report: Report, work: Path, loaded: _Loaded, qt_app: Any) -> None:
    with _dialogs_dismissed(qt_app) as dismissed:
        window = await _open_window(report, work, loaded, qt_app, dismissed)
    await _send(report, loaded)
    with report.step("Close the window") as note:
        window.session.set_dirty(False)  # nothing to save: the demo is throwaway
        window.close()
        note("closed")


async def _open_window(
    report: Report, work: Path, loaded: _Loaded, qt_app: Any, dismissed: list[str]
) -> Any:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QFontDatabase, QImage, QImageReader

    from app.gui.i18n import Translations
    from app.gui.main_window import ICON, MainWindow
    from app.gui.session import Session
    from app.gui.settings import GuiSettings
    from app.gui.theme import apply_theme

    with report.step("Load the translations") as note:
        translations = Translations(qt_app)
        _check(translations.switch("zh_CN"), "herald_zh_CN.qm is missing from the bundle")
        translations.switch("en")
        note("English and 简体中文")
    with report.step("Open the main window on the demo") as note:
        apply_theme(qt_app, "system")
        window = MainWindow(Session(), GuiSettings(), translations)
        errors: list[str] = []
        window.session.failed.connect(errors.append)
        window.show()
        await window.open_path(loaded.campaign_file)
        _check(not errors and not dismissed, f"the window reported: {errors + dismissed}")
        table = window.session.table
        _check(table is not None, "the window did not read the workbook")
        recipients = window.session.recipient_list
        _check(
            recipients is not None and len(recipients.recipients) == len(loaded.expected),
            f"the window found {len(recipients.recipients) if recipients else 0} recipients, "
            f"expected {len(loaded.expected)}",
        )
        note(f"{len(table.rows)} rows on the Recipients page, title {window.windowTitle()!r}")
    with report.step("Draw the window to an image") as note:
        families = QFontDatabase.families()
        _check(bool(families), "Qt found no fonts")
        await asyncio.sleep(0.05)  # let queued layout and paint events run
        qt_app.processEvents()
        pixmap = window.grab()
        _check(not pixmap.isNull() and pixmap.width() > 100, "grabbing the window gave no image")
        shot = work / "window.png"
        _check(pixmap.save(str(shot), "PNG"), f"could not save {shot} as PNG")
        image = QImage(str(shot))
        _check(image.width() == pixmap.width(), f"could not read back {shot}")
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in (20, 60, 200)}
        _check(len(colours) > 3, "the window image is blank: nothing was painted")
        formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
        missing = {"png", "svg", "ico", "jpg", "gif"} - formats
        _check(not missing, f"image formats missing from the bundle: {sorted(missing)}")
        _check(ICON.exists(), f"the window icon {ICON} is missing from the bundle")
        icon = window.windowIcon().pixmap(QSize(64, 64))
        _check(not icon.isNull(), "the SVG window icon does not render (iconengines/svg plugin)")
        note(f"{pixmap.width()}x{pixmap.height()} px, {len(families)} font families, {shot.name}")
    return window


@contextlib.contextmanager
def _dialogs_dismissed(qt_app: Any) -> Iterator[list[str]]:
    """Offscreen nobody can click a dialog: close any that opens, and record its text."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    dismissed: list[str] = []

    def sweep() -> None:
        widget = qt_app.activeModalWidget()
        if widget is not None:
            text = widget.text() if isinstance(widget, QMessageBox) else widget.windowTitle()
            dismissed.append(f"dialog {text!r}")
            widget.close()

    timer = QTimer()
    timer.timeout.connect(sweep)
    timer.start(200)
    try:
        yield dismissed
    finally:
        timer.stop()


async def _send(report: Report, loaded: _Loaded) -> None:
    from app.core import paths
    from app.core.paths import outbox_dir
    from app.gui.profiles import outbox_profile
    from app.gui.sending import SendPlan, prepare_run

    outbox = outbox_dir()
    before = set(outbox.glob("*.eml"))
    with report.step("Send the campaign to the local test outbox") as note:
        events: list[Any] = []
        plan = SendPlan(profile=outbox_profile())  # no rate cap: as fast as the outbox takes it
        run = await prepare_run(
            loaded.campaign,
            plan,
            session_path=loaded.campaign_file,
            on_event=events.append,
            resume=False,
        )
        journal = Path(run.journal.path)
        finished = await run.run()
        counts = dict(finished.counts)
        _check(
            counts.get("sent") == len(loaded.expected) and finished.stopped is None,
            f"expected {len(loaded.expected)} sent, the engine reports {counts}"
            + (f", stopped: {finished.stopped}" if finished.stopped else ""),
        )
        note(f"{counts['sent']} sent in {finished.elapsed_seconds:.2f} s, {len(events)} events")
        _check(journal.is_relative_to(paths.data_dir()), f"the journal {journal} is elsewhere")
        note(f"journal {journal.name}")
    with report.step("Check the .eml files in the outbox") as note:
        arrived = sorted(set(outbox.glob("*.eml")) - before)
        _check(
            len(arrived) == len(loaded.expected),
            f"expected {len(loaded.expected)} .eml files in {outbox}, found {len(arrived)}",
        )
        seen: dict[str, Path] = {}
        for path in arrived:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            to = message["To"]
            addresses = [a.addr_spec.lower() for a in to.addresses] if to is not None else []
            _check(len(addresses) == 1, f"{path.name}: To is {to!r}, expected one address")
            address = addresses[0]
            _check(address in loaded.expected, f"{path.name}: unexpected To {address}")
            _check(address not in seen, f"{path.name} and {seen.get(address)}: both to {address}")
            seen[address] = path
            row = loaded.expected[address]
            order = str(loaded.campaign.by_row[row].fields.get("Order"))
            _check(order in str(message["Subject"]), f"{path.name}: subject lacks order {order}")
            names = [part.get_filename() for part in message.iter_attachments()]
            _check("优惠券.txt" in names, f"{path.name}: attachment names are {names}")
        note(f"{len(arrived)} messages, one per recipient, To/Subject/attachment correct")
