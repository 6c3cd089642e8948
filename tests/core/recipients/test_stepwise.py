"""Validation in slices gives exactly what validate_recipients gives, a step at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.model import ColumnMapping, InputError, ProblemKind
from app.core.recipients import detect_mapping, read_table, validate_recipients
from app.core.recipients.stepwise import validation_steps


def _drain(steps):  # type: ignore[no-untyped-def]
    yielded = []
    while True:
        try:
            yielded.append(next(steps))
        except StopIteration as stop:
            return yielded, stop.value


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_steps_return_the_same_recipients_and_problems_as_one_call(tmp_path: Path) -> None:
    lines = ["Email,Name,Cc"]
    lines += [f"p{i}@example.org,P {i},c{i}@example.net" for i in range(250)]
    lines += ["not-an-address,Bad,", "p3@example.org,Twin,", ",Empty,", "q@example.com,Q,bad cc"]
    table = read_table(_csv(tmp_path / "list.csv", lines))
    mapping = detect_mapping(table)
    yielded, stepped = _drain(validation_steps(table, mapping, step_rows=100))
    assert stepped == validate_recipients(table, mapping)
    assert {p.kind for p in stepped.problems} >= {
        ProblemKind.INVALID_ADDRESS,
        ProblemKind.DUPLICATE_ADDRESS,
        ProblemKind.EMPTY_ADDRESS,
    }
    assert yielded == [100, 200]  # 254 rows: a step after every 100


def test_steps_refuse_a_mapping_without_email_column_like_the_one_call(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path / "list.csv", ["Name", "Ann"]))
    with pytest.raises(InputError) as raised:
        next(validation_steps(table, ColumnMapping()))
    assert raised.value.problem.kind is ProblemKind.NO_EMAIL_COLUMN
