"""Pre-flight: render and compose every row before the first message goes out.

One row at a time (`build_row`), so the sender and the window's preview can stream without
holding every message, and the window can check in chunks with a `PreflightTally`. Problems
found here (template, header safety, attachments) join the ones found while loading (addresses)
so each row's verdict is in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from app.core.campaign import Campaign
from app.core.compose import ComposeError
from app.core.model import Problem, ProblemKind, Recipient, RenderedMessage, Severity
from app.core.templates import TemplateRenderError


@dataclass(frozen=True, slots=True)
class RowProblems:
    """A row that cannot be sent, with every reason found (warnings included)."""

    row: int
    problems: tuple[Problem, ...]


RowResult = RenderedMessage | RowProblems


class RowError(ValueError):
    """A row asked for by number cannot be shown as a message."""

    def __init__(self, row: int, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.row = row
        self.problems = problems


class UnknownRowError(RowError):
    """No data row has this number (the header, a blank row, or outside the sheet)."""


class UnsendableRowError(RowError):
    """The row exists but has problems; `problems` lists them."""


def _is_error(problem: Problem) -> bool:
    return problem.severity is Severity.ERROR


def _at_row(problems: Iterable[Problem], row: int) -> tuple[Problem, ...]:
    return tuple(p if p.row is not None else replace(p, row=row) for p in problems)


def build_row(campaign: Campaign, row: int, *, slice_seconds: float | None = None) -> RowResult:
    """Render and compose the data row numbered `row` (workbook numbering); UnknownRowError
    when no data row has that number. With `slice_seconds`, a render still running after
    that long raises RenderPostponed (the window then finishes the row in a thread).

    Rows whose address is unusable are still rendered, so a template mistake shows up in the
    same check rather than after the address is fixed.
    """
    known = campaign.problems_by_row.get(row, ())
    recipient = campaign.by_row.get(row)
    if recipient is None and row not in campaign.rows_by_number:
        raise _unknown_row(campaign, row)
    fields = recipient.fields if recipient is not None else campaign.record(row)
    try:
        parts = campaign.template.render(fields, row=row, slice_seconds=slice_seconds)
    except TemplateRenderError as exc:
        return RowProblems(row, (*known, *_at_row([exc.problem], row)))
    if recipient is None or any(_is_error(p) for p in known):
        return RowProblems(row, known)
    try:
        message = campaign.builder.build(recipient, parts)
    except ComposeError as exc:
        return RowProblems(row, (*known, *_at_row(exc.problems, row)))
    if known:  # warnings from loading (e.g. SMTPUTF8 needed) travel with the message
        message = replace(message, problems=(*known, *message.problems))
    return message


def check_row(campaign: Campaign, row: int | Recipient) -> list[Problem]:
    """Every problem of one row (errors and warnings); cheap enough to call per row."""
    number = row.row if isinstance(row, Recipient) else row
    return list(build_row(campaign, number).problems)


def iter_messages(campaign: Campaign) -> Iterator[RowResult]:
    """Each data row in sheet order, as a message or its problems; one at a time."""
    for row in campaign.row_numbers:
        yield build_row(campaign, row)


def render_row(
    campaign: Campaign, row: int, *, slice_seconds: float | None = None
) -> RenderedMessage:
    """The message for workbook row `row`, or a RowError saying why there is none
    (`slice_seconds` as for build_row)."""
    result = build_row(campaign, row, slice_seconds=slice_seconds)
    if isinstance(result, RowProblems):
        errors = [p for p in result.problems if _is_error(p)]
        listed = "; ".join(_describe(p) for p in errors)
        raise UnsendableRowError(
            row, f"Row {row} cannot be sent: {listed}", problems=result.problems
        )
    return result


def _unknown_row(campaign: Campaign, row: int) -> UnknownRowError:
    numbers = campaign.row_numbers
    why = (
        "is the header row" if row == campaign.table.header_row else "is blank or outside the data"
    )
    span = f"the data rows are {numbers[0]} to {numbers[-1]}" if numbers else "it has no data rows"
    return UnknownRowError(row, f"Row {row} of {campaign.table.source} {why}; {span}.")


def _describe(problem: Problem) -> str:
    where = f" (column {problem.column!r})" if problem.column else ""
    return f"{problem.message}{where}"


@dataclass(frozen=True, slots=True)
class AttachmentUse:
    """One distinct file attached by the sendable rows: where it is, its size, how often."""

    path: Path  # resolved (symlinks followed)
    size: int
    messages: int  # sendable messages carrying it


@dataclass(frozen=True, slots=True)
class PreflightReport:
    """The verdict on a campaign: what can be sent, and everything wrong, by row."""

    rows: int  # data rows in the table
    checked: int  # rows checked (fewer than `rows` only when stopped early)
    sendable_rows: frozenset[int]
    problems: tuple[Problem, ...]  # whole-input problems first, then by row
    total_bytes: int  # sum of the sendable messages' sizes
    envelope_recipients: int  # To + Cc + Bcc over sendable rows: what rate limits count
    stopped: bool = False
    attachments: tuple[AttachmentUse, ...] = ()  # distinct files, in first-use order

    @property
    def attachment_bytes(self) -> int:
        """The distinct files' sizes added up (each file once)."""
        return sum(use.size for use in self.attachments)

    @property
    def sendable(self) -> int:
        return len(self.sendable_rows)

    @property
    def unsendable(self) -> int:
        return self.checked - self.sendable

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if _is_error(p))

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def by_kind(self) -> dict[ProblemKind, int]:
        """Problem counts per kind, most frequent first."""
        return dict(Counter(p.kind for p in self.problems).most_common())

    @property
    def all_sendable(self) -> bool:
        """Every row can go and nothing about the input as a whole is an error."""
        return not self.stopped and self.sendable == self.rows and self.errors == 0


class PreflightTally:
    """Accumulates row results into a report; the window feeds it a chunk at a time."""

    def __init__(self, campaign: Campaign) -> None:
        self._rows = len(campaign.table.rows)
        self._general = campaign.general_problems
        self._row_problems: list[Problem] = []
        self._sendable: set[int] = set()
        self._checked = 0
        self._bytes = 0
        self._envelope = 0
        self._files: dict[Path, list[int]] = {}  # path -> [size, messages]

    def add(self, result: RowResult) -> None:
        self._checked += 1
        self._row_problems.extend(result.problems)
        if isinstance(result, RenderedMessage):
            self._sendable.add(result.row)
            self._bytes += result.size
            self._envelope += len(result.recipients)
            for file in result.attachments:
                use = self._files.setdefault(file.path, [file.size, 0])
                use[1] += 1

    def report(self, *, stopped: bool = False) -> PreflightReport:
        by_row = sorted(self._row_problems, key=lambda p: p.row or 0)  # stable within a row
        return PreflightReport(
            rows=self._rows,
            checked=self._checked,
            sendable_rows=frozenset(self._sendable),
            problems=(*self._general, *by_row),
            total_bytes=self._bytes,
            envelope_recipients=self._envelope,
            stopped=stopped,
            attachments=tuple(
                AttachmentUse(path, size, messages)
                for path, (size, messages) in self._files.items()
            ),
        )


def run_preflight(
    campaign: Campaign,
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PreflightReport:
    """Check every row. `progress(done, total)` is called about 200 times in all, not per
    row, so a window can repaint on each call; `should_stop()` is polled before each row."""
    tally = PreflightTally(campaign)
    numbers = campaign.row_numbers
    total = len(numbers)
    every = max(1, total // 200)
    for done, row in enumerate(numbers, start=1):
        if should_stop is not None and should_stop():
            return tally.report(stopped=True)
        tally.add(build_row(campaign, row))
        if progress is not None and (done % every == 0 or done == total):
            progress(done, total)
    return tally.report()


def planned_attachments(campaign: Campaign) -> tuple[AttachmentUse, ...]:
    """The distinct files the campaign's recipients would carry, from stat() alone (nothing
    rendered or read): for a confirmation before sending. Files that cannot be attached are
    left out; the pre-flight reports them on their rows."""
    from app.core.attachment_files import AttachmentRefused, inspect_attachment

    folders = campaign.settings.attachment_folders
    files: dict[Path, list[int]] = {}
    sizes: dict[Path, tuple[Path, int] | None] = {}
    for recipient in campaign.recipients:
        for path in (*campaign.settings.attachments, *recipient.attachments):
            if path not in sizes:
                try:
                    found = inspect_attachment(path, folders)
                    sizes[path] = (found.path, found.size)
                except AttachmentRefused:
                    sizes[path] = None
            known = sizes[path]
            if known is not None:
                files.setdefault(known[0], [known[1], 0])[1] += 1
    return tuple(AttachmentUse(path, size, count) for path, (size, count) in files.items())
