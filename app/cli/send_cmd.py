"""`herald send`: pre-flight, confirm, then send through the engine with a progress bar.

Exit status: 0 every row sent; 1 some rows failed, are unknown or still pending (cancelled or
paused); 2 the input is unusable, the send could not start, or it was stopped (login refused,
encryption unavailable).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from app.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_ROWS,
    add_campaign_options,
    config_from_args,
    console,
    extra_column_texts,
    grouped_problem_texts,
    print_input_error,
)
from app.cli.send_setup import (
    SetupError,
    account_label,
    build_pace,
    choose_target,
    password_provider,
)
from app.cli.send_view import JsonLog, SendView
from app.core.campaign import CampaignConfig, load_campaign
from app.core.journal import Journal, JournalError
from app.core.model import InputError, ProblemKind
from app.core.preflight import PreflightReport, run_preflight
from app.core.send.events import AnyEvent, Finished, Paused
from app.core.send.limiter import RateError
from app.core.send.policy import MAX_CONNECTIONS
from app.core.send.schedule import Schedule, ScheduleError
from app.core.send.session import AccountMismatch, RunOptions, SendSession

EXIT_STOPPED = EXIT_INPUT


def _connections(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number <= MAX_CONNECTIONS:
        raise argparse.ArgumentTypeError(f"use 1 to {MAX_CONNECTIONS} connections, not {number}")
    return number


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} must be at least 1")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if number < 0:
        raise argparse.ArgumentTypeError("a delay cannot be negative")
    return number


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "send",
        help="send a campaign (checks every row first)",
        description=(
            "Check every row, then send at the rate you set. Without --smtp-host or --profile "
            "the messages go to the local test outbox (.eml files; see `herald outbox`). "
            "Exit status: 0 all sent, 1 some failed/unknown/left, 2 unusable input or stopped."
        ),
    )
    add_campaign_options(parser)
    smtp = parser.add_argument_group("server")
    smtp.add_argument(
        "--profile",
        metavar="NAME",
        help="a profile saved in the window, a provider preset (gmail, outlook, qq, 163 ...) "
        "or 'local' (default)",
    )
    smtp.add_argument("--smtp-host", metavar="HOST")
    smtp.add_argument("--smtp-port", type=_count, metavar="PORT")
    smtp.add_argument("--security", choices=("tls", "starttls", "none"))
    smtp.add_argument("--user", metavar="NAME", help="login name (the password is never an option)")
    smtp.add_argument(
        "--cafile",
        type=Path,
        metavar="PEM",
        help="also trust this certificate (a self-hosted server)",
    )
    pace = parser.add_argument_group("pace")
    pace.add_argument(
        "--rate",
        action="append",
        metavar="N/s|N/min|N/h|N/day",
        help="limit in recipients per period (repeatable; all apply together)",
    )
    pace.add_argument(
        "--connections",
        type=_connections,
        metavar="N",
        help=f"parallel connections (1 to {MAX_CONNECTIONS}; default 1)",
    )
    pace.add_argument("--limit", type=_count, metavar="N", help="send at most N messages now")
    pace.add_argument(
        "--retry-delay",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="wait before the first retry of a temporary failure (default 60)",
    )
    pace.add_argument(
        "--max-attempts",
        type=_count,
        default=3,
        metavar="N",
        help="attempts per recipient for temporary failures (default 3)",
    )
    when = parser.add_argument_group("schedule (local time; a resumed send keeps its own)")
    when.add_argument("--start-at", metavar="'YYYY-MM-DD HH:MM'", help="do not send before this")
    when.add_argument("--send-hours", metavar="HH:MM-HH:MM", help="e.g. 09:00-18:00")
    when.add_argument("--send-days", metavar="DAYS", help="send only on these days, e.g. mon-fri")
    run_group = parser.add_argument_group("run")
    run_group.add_argument(
        "--dry-run", action="store_true", help="check and show the plan; send nothing"
    )
    run_group.add_argument(
        "--resume", action="store_true", help="continue the interrupted send of this campaign"
    )
    run_group.add_argument(
        "--retry-failed",
        action="store_true",
        help="send again to the rows that failed (implies --resume)",
    )
    run_group.add_argument(
        "--start-over",
        action="store_true",
        help="send the whole campaign again: the old journal is kept, renamed, beside the new one",
    )
    run_group.add_argument(
        "--resend-unknown",
        action="store_true",
        help="resend rows whose delivery is unknown (may duplicate them)",
    )
    run_group.add_argument(
        "--skip-invalid",
        action="store_true",
        help="send the rows that can be sent and leave out the rest",
    )
    run_group.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    run_group.add_argument(
        "--log-json", type=Path, metavar="FILE", help="append one JSON object per event to FILE"
    )
    parser.set_defaults(handler=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    out = console()
    err = console(sys.stderr)
    try:
        config = config_from_args(args)
        target = choose_target(args, config)
        pace = build_pace(args, config, target)
        schedule = _schedule(args, config)
        campaign = load_campaign(config)
    except InputError as error:
        return print_input_error(error)
    except (SetupError, RateError, ScheduleError) as error:
        err.print(Text(f"herald send: {error}", style="bold red"))
        return EXIT_INPUT
    session = SendSession(
        campaign,
        target,
        pace,
        campaign_file=args.campaign,
        run_options=RunOptions(
            retry_delay=args.retry_delay,
            max_attempts=args.max_attempts,
            limit=args.limit,
            schedule=schedule,
        ),
    )
    for warning in session.pace.warnings:
        err.print(Text(f"warning: {warning}", style="bold yellow"))
    if session.test:
        err.print(Text(
            "Test run: the messages go to the local test outbox; nothing leaves this computer "
            "and the campaign is not marked as sent.", style="bold cyan"))  # fmt: skip
    try:
        return asyncio.run(_Send(args, config, session, out, err).main())
    except KeyboardInterrupt:
        err.print("Interrupted. Continue later with `herald send --resume`.")
        return EXIT_ROWS


@dataclass
class _Send:
    args: argparse.Namespace
    config: CampaignConfig
    session: SendSession
    out: Console
    err: Console
    schedule: Schedule | None = None  # None: as the journal says on resume, else any time

    # the session's parts under the names the steps below have always used
    @property
    def campaign(self) -> Any:
        return self.session.campaign

    @property
    def target(self) -> Any:
        return self.session.account

    @property
    def limits(self) -> Any:
        return self.session.pace.limits

    @property
    def resuming(self) -> bool:
        a = self.args
        return bool(a.resume or a.retry_failed or a.resend_unknown)

    def _error(self, text: str) -> None:
        self.err.print(Text(f"herald send: {text}", style="bold red"))

    async def main(self) -> int:
        session = self.session
        path = session.journal_path
        if self.resuming:
            journal = self._open_journal()
        else:
            report = self._preflight()
            if report is None:
                return EXIT_INPUT
            for line in extra_column_texts(self.campaign, report.sendable_rows):
                self.out.print(line)  # a found Bcc column is never used unannounced
            if self.args.dry_run:
                self._print_plan(report.sendable, report.total_bytes)
                self._print_attachments(report)
                return EXIT_OK
            if path.exists() and not session.test:
                if not self.args.start_over:
                    self._error(
                        f"this campaign was already started (journal {path}). Continue it "
                        "with --resume (or --retry-failed), or send it all again with "
                        "--start-over (the old journal is kept)."
                    )
                    return EXIT_INPUT
                self._print_attachments(report)  # what leaves this machine, before the question
                if not self._confirm(report.sendable, "Start over: send"):
                    return EXIT_INPUT
                try:
                    kept = session.start_over()
                except JournalError as error:
                    self._error(str(error))
                    return EXIT_INPUT
                self.out.print(f"The previous journal is kept as {kept}.")
            else:
                self._print_attachments(report)  # what leaves this machine, before the question
                if not self._confirm(report.sendable, "Send"):
                    return EXIT_INPUT
            journal = self._create_journal()
        if journal is None:
            return EXIT_INPUT
        return await self._send(journal, created=not self.resuming)

    # -------------------------------------------------------------------- before sending

    def _preflight(self) -> PreflightReport | None:
        report = run_preflight(self.campaign)
        # Rows on the do-not-email list are skipped without asking: that is what the list is
        # for. Only other unsendable rows need the user's --skip-invalid.
        listed = {p.row for p in report.problems if p.kind is ProblemKind.DO_NOT_EMAIL and p.row}
        blocking = {p.row for p in report.problems if p.severity == "error" and p.row not in listed}
        if blocking and not (self.args.skip_invalid and report.sendable):
            for text in grouped_problem_texts(p for p in report.problems if p.severity == "error"):
                self.err.print(text)
            self.err.print(Text(
                f"herald send: {report.unsendable} of {report.rows} rows cannot be sent; nothing "
                "was sent. Fix them (see `herald check`), or add --skip-invalid to send the "
                f"other {report.sendable}.", style="bold red"))  # fmt: skip
            return None
        if listed:
            self.err.print(Text(
                f"Skipping {len(listed)} row(s) on the do-not-email list.",
                style="yellow"))  # fmt: skip
        if report.unsendable - len(listed) > 0:
            self.err.print(Text(
                f"Skipping {report.unsendable - len(listed)} row(s) that cannot be sent "
                "(--skip-invalid).", style="yellow"))  # fmt: skip
        return report

    def _print_plan(self, count: int, size: int) -> None:
        from app.cli.common import format_size

        limits = self.limits
        rate = limits.pace_rate
        seconds = [count / rate] if rate else []
        cap = ""
        if limits.bandwidth_kbps:
            seconds.append(size / (limits.bandwidth_kbps * 1024))
            cap = f", at most {limits.bandwidth_kbps:g} KB/s"
        eta = f", about {_duration(max(seconds))} at the set limits" if seconds else ""
        if self.session.schedule is not None and not self.session.schedule.always:
            eta += f", sending {_window_text(self.session.schedule)}"
        self.out.print(
            f"Dry run: {count} message(s), {format_size(size)} in all, via "
            f"{account_label(self.target)}{cap}{eta}. Nothing was sent."
        )

    def _print_attachments(self, report: PreflightReport) -> None:
        from app.cli.common import attachment_texts

        if report.attachments:
            for line in attachment_texts(report.attachments):
                self.out.print(line)

    def _confirm(self, count: int, verb: str) -> bool:
        what = "Test: " if self.session.test else ""
        question = f"{what}{verb} {count} message(s) via {self.session.label()}?"
        if self.args.yes:
            return True
        if not sys.stdin.isatty():
            self._error(f"{question} Add --yes to confirm when not at a terminal.")
            return False
        answer = input(f"{question} [y/N] ").strip().lower()
        return answer in ("y", "yes")

    def _create_journal(self) -> Journal | None:
        try:
            return self.session.create_journal()
        except (JournalError, SetupError) as error:
            self._error(str(error))
            return None

    def _open_journal(self) -> Journal | None:
        session = self.session
        try:
            journal = session.open_journal()
        except AccountMismatch as error:
            self._error(
                f"{error} (For example --profile {error.started.host or 'local'}"
                + (f" --user {error.started.user}" if error.started.user else "")
                + ", or --start-over to send everything again.)"
            )
            return None
        except JournalError as error:
            self._error(str(error))
            return None
        self.out.print(f"Continuing the send started through {session.identity.label()}.")
        for change in journal.changed_sources():
            self.err.print(Text(f"warning: {change}; resuming from the snapshot taken then.",
                                style="yellow"))  # fmt: skip
        if self.args.retry_failed:
            count = journal.retry_failed()
            self.out.print(f"{count} failed row(s) will be sent again.")
        if self.args.resend_unknown:
            count = journal.resend_unknown()
            self.out.print(f"{count} row(s) of unknown delivery will be sent again.")
        unknown = list(journal.rows(state=_state("unknown")))
        if unknown:
            rows = ", ".join(str(r.row) for r in unknown[:20]) + (
                " ..." if len(unknown) > 20 else ""
            )
            self.err.print(Text(
                f"{len(unknown)} row(s) may or may not have been delivered (rows {rows}); they "
                "are not resent. Check with the recipients or the server, then use "
                "--resend-unknown to send them again.", style="yellow"))  # fmt: skip
        left = sum(n for s, n in journal.counts().items() if s in ("pending", "deferred"))
        if self.args.dry_run:
            self.out.print(f"Dry run: {left} row(s) left to send. Nothing was sent.")
            journal.close()
            return None
        if not self._confirm(left, "Resume: send"):
            journal.close()
            return None
        return journal

    # ------------------------------------------------------------------------ sending

    async def _send(self, journal: Journal, *, created: bool) -> int:
        session = self.session
        try:
            session.password = password_provider(session.account, self.err)
            run = await session.start(journal)
        except (SetupError, OSError) as error:
            if created:
                session.discard(journal)  # a start that failed leaves no journal behind
            else:
                journal.close()
            self._error(str(error))
            return EXIT_INPUT
        except BaseException:
            journal.close()
            raise
        left = sum(n for s, n in journal.counts().items() if s in ("pending", "deferred"))
        log = JsonLog(self.args.log_json) if self.args.log_json else None
        try:
            schedule = session.schedule
            if schedule is not None and not schedule.always:
                self.out.print(f"Sending {_window_text(schedule)}.")
            with SendView(self.out, left + _done(journal)) as view:

                def on_event(event: AnyEvent) -> None:
                    view.on_event(event)
                    if log is not None:
                        log.write(event)
                    if isinstance(event, Paused) and event.until is None and not event.by_user:
                        run.cancel()  # nobody at a terminal can press resume: stop here

                run.subscribe(on_event)
                with _cancel_on_interrupt(run, self.err):
                    finished = await run.run()
        finally:
            if log is not None:
                log.close()
        return self._summary(finished)

    def _summary(self, finished: Finished) -> int:
        counts = finished.counts
        sent, failed, unknown = counts["sent"], counts["failed"], counts["unknown"]
        left = counts["pending"] + counts["deferred"]
        self.out.print(
            f"Sent {finished.sent_this_run} now; in all {sent} sent, {failed} failed, "
            f"{unknown} unknown, {left} left ({_duration(finished.elapsed_seconds)})."
        )
        if self.session.test:
            from app.core.outbox import default_outbox_folder

            self.out.print(f"The messages are in {default_outbox_folder()}")
            self.out.print(
                "This was a test: nothing left this computer and the campaign is not marked "
                "as sent. Send for real with --profile NAME (or --smtp-host HOST)."
            )
        if finished.stopped:
            return EXIT_STOPPED
        if left:
            why = finished.paused or ("cancelled" if finished.cancelled else "limit reached")
            self.out.print(f"Not finished ({why}). Continue with `herald send --resume`.")
        if failed:
            self.out.print("Send the failed rows again with `herald send --retry-failed`.")
        return EXIT_OK if sent == sum(counts.values()) else EXIT_ROWS


def _done(journal: Journal) -> int:
    return sum(n for s, n in journal.counts().items() if s in ("sent", "failed", "unknown"))


def _state(name: str) -> Any:
    from app.core.send.contracts import RecipientState

    return RecipientState(name)


@contextlib.contextmanager
def _cancel_on_interrupt(engine: Any, err: Console) -> Any:
    """First Ctrl-C: stop within a second, the journal consistent (resumable). Second: now."""
    loop = asyncio.get_running_loop()
    pressed: list[bool] = []

    def interrupt() -> None:
        if pressed:
            raise KeyboardInterrupt
        pressed.append(True)
        err.print("Stopping... (Ctrl-C again to stop at once)")
        engine.cancel()

    installed = False
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, interrupt)
        installed = True
    try:
        yield
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)


def _schedule(args: argparse.Namespace, config: CampaignConfig) -> Schedule | None:
    """The options' schedule over the campaign file's; None when neither sets any part."""
    send = config.send
    start = args.start_at or send.start_at
    hours = args.send_hours or send.send_hours
    days = args.send_days or send.send_days
    if not (start or hours or days):
        return None
    return Schedule.from_texts(start, hours, days)


def _window_text(schedule: Schedule) -> str:
    parts = []
    if schedule.start_at is not None:
        parts.append(f"from {schedule.start_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
    if schedule.hours is not None or schedule.days is not None:
        parts.append(f"only {schedule.describe_window()}")
    return " ".join(parts) + " (local time)"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"
