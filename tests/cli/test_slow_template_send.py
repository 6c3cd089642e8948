"""A row whose template runs out of time: `herald send --skip-invalid` still sends the rows
before it (those `check` passed), and reports that row and the later ones as not rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import run
from app.core.templates import limits
from tests.cli.send_support import reader, server_options, write_campaign


class _StepClock:
    """Each reading 10 ms after the last: a 2 s budget is 200 readings, no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.01
        return self.now


def test_rows_before_a_too_slow_row_are_sent_and_the_rest_reported(
    tmp_path: Path, threaded_smtp_server_factory, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setattr(limits, "DEFAULT_LIMITS", limits.RenderLimits(clock=_StepClock()))
    options = write_campaign(tmp_path, 5)
    slow = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    (tmp_path / "body.txt").write_text(
        "Hello {{ name }}{% if name == 'Reader 2' %}" + slow + "{% endif %}\n", "utf-8"
    )
    server = threaded_smtp_server_factory()
    code = run(["send", *options, *server_options(server.port), "--yes", "--skip-invalid"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert sorted(a for m in server.messages for a in m.rcpt_tos) == [reader(0), reader(1)]
    assert "Skipping 3 row(s) that cannot be sent" in err
