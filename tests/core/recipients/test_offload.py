"""Reading in a child process: the same Table as read_table, delivered in pieces."""

from __future__ import annotations

import os
import signal
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


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGABRT], ids=["SIGKILL", "SIGABRT"])
def test_a_child_killed_mid_read_is_an_input_error_saying_so_not_a_hang(
    write_xlsx: WriteXlsx, stop: signal.Signals
) -> None:
    # 5,000 rows in pieces of 100 are far more than a pipe holds: after the first message
    # the child waits for us to read, and is killed while it still has rows to send
    rows: list[list[object]] = [["Email", "Name"]]
    rows += [[f"p{i}@example.org", f"Person number {i}"] for i in range(5000)]
    path = write_xlsx(rows)
    transfer = TableTransfer(path, chunk_rows=100)
    transfer.start()
    try:
        assert transfer.take(transfer.receive()) is None  # the table's header arrived
        assert transfer.pid is not None
        os.kill(transfer.pid, stop)
        with pytest.raises(InputError) as caught:
            while transfer.take(transfer.receive()) is None:
                pass
    finally:
        transfer.close()
    message = caught.value.problem.message
    assert message.startswith("list.xlsx: could not be read")
    assert stop.name in message
