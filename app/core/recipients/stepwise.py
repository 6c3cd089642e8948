"""`validate_recipients` in slices, for callers that must stay responsive (the window).

Checking a row costs about 45 µs (email-validator is Python), so 100,000 rows take seconds.
Run in a worker thread that would still stall the window: the thread holds the GIL for most
of that time. As a generator the same checks can run on the caller's own thread a slice at
a time: the caller decides how long a slice may take and what to do between slices.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from app.core.model import ColumnMapping, Problem, Recipient, Severity, Table
from app.core.recipients.validate import RecipientList, _RowChecker, validate_recipients

#: Rows per step: about 5 ms of checking, fine-grained enough for a time-budgeted driver.
STEP_ROWS = 100


def validation_steps(
    table: Table,
    mapping: ColumnMapping,
    *,
    base_dir: Path | None = None,
    attachment_folders: tuple[Path, ...] | None = None,
    step_rows: int = STEP_ROWS,
) -> Generator[int, None, RecipientList]:
    """Yields the number of rows checked after every `step_rows` rows; returns the same
    RecipientList as `validate_recipients` (same checker, same order, same problems).

    Raises InputError(NO_EMAIL_COLUMN) on the first `next()` when no e-mail column is chosen.
    """
    if mapping.email is None:
        # raises the same error
        return validate_recipients(
            table, mapping, base_dir=base_dir, attachment_folders=attachment_folders
        )
    checker = _RowChecker(table, mapping, base_dir or table.source.parent, attachment_folders)
    table_problems: dict[int, list[Problem]] = {}
    for problem in table.problems:
        if problem.row is not None:
            table_problems.setdefault(problem.row, []).append(problem)
    recipients: list[Recipient] = []
    problems: list[Problem] = []
    for done, row in enumerate(table.rows, start=1):
        before = len(problems)
        problems.extend(table_problems.get(row.number, ()))
        recipient = checker.check(row, problems)
        blocked = any(p.severity is Severity.ERROR for p in problems[before:])
        if recipient is not None and not blocked:
            recipients.append(recipient)
        if done % step_rows == 0:
            yield done
    return RecipientList(tuple(recipients), tuple(problems))
