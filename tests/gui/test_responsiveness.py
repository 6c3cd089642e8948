"""Long work never holds the loop: big reads come from a child process in pieces, validation
runs in short slices, and Qt timers keep firing meanwhile.

No millisecond thresholds here (a loaded CI machine would make them flaky); the figures are
in benchmarks/bench_gui_latency.py. These tests check the structure that makes them hold.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from app.core.recipients import detect_mapping, read_table, validate_recipients


def _write(path, rows):
    lines = ["Email,Name,City"] + [f"r{i}@example.org,Reader {i},City {i % 7}" for i in range(rows)]
    path.write_text("\n".join([*lines, "broken,Bad,Nowhere"]), encoding="utf-8")
    return path


def test_big_workbook_is_read_off_process_in_pieces_while_the_loop_ticks(window, run, tmp_path):
    session = window.session
    session.offload_bytes = 0  # every file counts as big here; 4,000 rows keep the test quick
    path = _write(tmp_path / "big.csv", 4000)
    ticks = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        assert run(window.recipients_page.open_file(path), timeout=60)
    finally:
        timer.stop()
    stats = session.load_stats
    assert stats.offloaded and stats.pieces >= 3  # header, rows in pieces of 2,000, end
    assert stats.validation.slices >= 2
    assert len(ticks) >= 3  # the window's own timers ran during the load
    expected = read_table(path)
    assert session.table == expected
    assert session.recipient_list == validate_recipients(expected, detect_mapping(expected))
    assert window.recipients_page.counts["invalid"] == 1


def test_small_workbook_is_read_in_process(window, run, tmp_path):
    session = window.session
    assert run(window.recipients_page.open_file(_write(tmp_path / "small.csv", 20)))
    assert not session.load_stats.offloaded
    assert window.recipients_page.counts["valid"] == 20


def test_changing_a_role_revalidates_in_slices(window, run, tmp_path):
    from app.core.model import Role

    session = window.session
    run(window.recipients_page.open_file(_write(tmp_path / "list.csv", 3000)))
    run(session.set_role(Role.NAME, "City"))
    assert session.load_stats.validation.slices >= 2
    assert session.recipient_list.recipients[0].to.display_name == "City 0"
