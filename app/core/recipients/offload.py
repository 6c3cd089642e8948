"""Read a big workbook in a child process and receive the table in small pieces.

Why a process: reading 100,000 rows is about half a second of Python (CSV parsing, cleaning
cells, building rows) and, for an .xlsx that python-calamine cannot read, seven seconds of
openpyxl. In a worker thread of the window that time is spent holding the GIL, and the
window's event loop waits for it in 5 ms turns many times per frame. A child process has its
own GIL. It sends the table back as pickled messages of `CHUNK_ROWS` rows (about 100 KB,
under 2 ms to unpickle), so the receiver can take one between two turns of its event loop.

The child is started with the `spawn` method on every OS: no forked copy of a Qt process,
and the same behaviour as on Windows and macOS. A frozen (PyInstaller) program must call
`multiprocessing.freeze_support()` first thing in its entry point for the child to start.

Protocol, one pickled tuple per message: ("table", table without rows, row count), then
("rows", [(number, values), ...]) until every row is sent, then ("end",); or a single
("refused", Problem) for an InputError, ("oserror", message) or ("crash", message).

A child killed by a signal (a reader that aborts, SIGABRT; the out-of-memory killer,
SIGKILL) is reported as an InputError saying so: the window shows it, and does not read the
same file in its own process, where the same abort would close the window.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from app.core.model import InputError, Problem, ProblemKind, Row, Table
from app.core.recipients.reader import read_table

CHUNK_ROWS = 2000


class ChildReadError(RuntimeError):
    """The child process ended without a table or a refusal (it crashed or could not start)."""


def _child_main(
    conn: Connection,
    path: Path,
    sheet: str | None,
    header_row: int | None,
    max_rows: int,
    chunk_rows: int,
) -> None:
    try:
        try:
            table = read_table(path, sheet=sheet, header_row=header_row, max_rows=max_rows)
        except InputError as exc:
            conn.send_bytes(pickle.dumps(("refused", exc.problem)))
            return
        except OSError as exc:
            conn.send_bytes(pickle.dumps(("oserror", f"{path}: {exc.strerror or exc}")))
            return
        except Exception as exc:  # reported to the window, which reads the file itself instead
            conn.send_bytes(pickle.dumps(("crash", f"{type(exc).__name__}: {exc}")))
            return
        rows = table.rows
        conn.send_bytes(pickle.dumps(("table", replace(table, rows=[]), len(rows))))
        for start in range(0, len(rows), chunk_rows):
            piece = [(row.number, row.values) for row in rows[start : start + chunk_rows]]
            conn.send_bytes(pickle.dumps(("rows", piece), protocol=pickle.HIGHEST_PROTOCOL))
        conn.send_bytes(pickle.dumps(("end",)))
    finally:
        conn.close()


class TableTransfer:
    """One read in a child process. Loop-agnostic: `receive()` blocks (call it in a worker
    thread: waiting on the pipe releases the GIL) and `take()` is quick (call it anywhere).

        transfer = TableTransfer(path); transfer.start()
        while (table := transfer.take(transfer.receive())) is None: ...
        transfer.close()
    """

    def __init__(
        self,
        path: Path,
        *,
        sheet: str | None = None,
        header_row: int | None = None,
        max_rows: int = 1_000_000,
        chunk_rows: int = CHUNK_ROWS,
    ) -> None:
        self.path = path
        self._args = (path, sheet, header_row, max_rows, chunk_rows)
        self._process: Any = None
        self._conn: Connection | None = None
        self._header: Table | None = None
        self._rows: list[Row] = []
        self.messages = 0  # how many pieces arrived; the tests check the table came in pieces

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        self._conn = receiver
        process = context.Process(
            target=_child_main, args=(sender, *self._args), daemon=True, name="herald-read"
        )
        try:
            process.start()
        except Exception as exc:  # e.g. started while the main module is being imported
            raise ChildReadError(f"the reading process could not start ({exc})") from exc
        finally:
            sender.close()  # only the child writes: EOF on our end means the child is gone
        self._process = process

    @property
    def pid(self) -> int | None:
        """The child's process id once started (the tests stop it on purpose)."""
        return None if self._process is None else int(self._process.pid)

    def receive(self) -> bytes:
        """The next message; blocks. Raises ChildReadError if the child died without one."""
        assert self._conn is not None, "start() first"
        try:
            return self._conn.recv_bytes()
        except (EOFError, OSError) as exc:
            killed = self._killed_by()
            if killed is not None:
                raise _killed_error(self.path, killed) from exc
            raise ChildReadError(f"the reading process ended early ({exc!r})") from exc

    def _killed_by(self) -> str | None:
        """The signal's name if the child was killed by one (its pipe closed: it is ending)."""
        if self._process is None:
            return None
        self._process.join(timeout=5)
        code = self._process.exitcode
        if code is None or code >= 0:
            return None
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"

    def take(self, payload: bytes) -> Table | None:
        """Unpickle one message; the complete Table after the last one, else None.

        Raises InputError / OSError as `read_table` would, ChildReadError on a crash.
        """
        message = pickle.loads(payload)  # noqa: S301 - from our own child process
        self.messages += 1
        kind = message[0]
        if kind == "rows":
            self._rows.extend(Row(number, values) for number, values in message[1])
            return None
        if kind == "table":
            self._header = message[1]
            return None
        if kind == "end":
            assert self._header is not None
            return replace(self._header, rows=self._rows)
        if kind == "refused":
            raise InputError(message[1])
        if kind == "oserror":
            raise OSError(message[1])
        raise ChildReadError(message[1])

    def close(self) -> None:
        """Stop the child if it still runs (the window was closed or another file opened)."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.join(timeout=0.5)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(timeout=2)


def _killed_error(path: Path, signal_name: str) -> InputError:
    return InputError(
        Problem(
            kind=ProblemKind.UNREADABLE_FILE,
            message=(
                f"{path.name}: could not be read: the process reading it was stopped "
                f"({signal_name}), e.g. because the file made it run out of memory. "
                "Open the workbook in Excel or WPS, delete the rows and columns past your "
                "list, and save it again, or save it as CSV UTF-8."
            ),
        )
    )
