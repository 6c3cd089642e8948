"""Reading in a child process: the same Table as read_table, delivered in pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.model import InputError, Table
from app.core.recipients import read_table
from app.core.recipients.offload import TableTransfer
from tests.core.recipients.conftest import WriteXlsx


def _transfer(path: Path, **kwargs: object) -> tuple[Table, int]:
    transfer = TableTransfer(path, **kwargs)  # type: ignore[arg-type]
    transfer.start()
    try:
        while (table := transfer.take(transfer.receive())) is None:
            pass
        return table, transfer.messages
    finally:
        transfer.close()


def test_child_process_delivers_the_same_table_in_pieces(write_xlsx: WriteXlsx) -> None:
    rows: list[list[object]] = [["Email", "Name", "Amount", ""]]
    rows += [[f"p{i}@example.org", f"P {i}", i * 1.5, ""] for i in range(450)]
    rows.append(["=broken", "", "", ""])
    path = write_xlsx(rows)
    table, messages = _transfer(path, chunk_rows=100)
    assert table == read_table(path)
    assert messages == 1 + 5 + 1  # header, 451 rows in pieces of 100, end


def test_child_process_refusal_arrives_as_the_same_input_error(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text('Email,Name\n"a@example.org,Unclosed\n', encoding="utf-8")
    with pytest.raises(InputError) as here:
        read_table(path)
    with pytest.raises(InputError) as there:
        _transfer(path)
    assert there.value.problem == here.value.problem
