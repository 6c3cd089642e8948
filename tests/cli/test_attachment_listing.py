"""`check`, `preview` and `send` show every attachment with its full path and size, and only
attach files from the campaign's folders unless `--attachment-folder` allows another."""

from __future__ import annotations

import email
import email.policy
import json
import os
from pathlib import Path

import pytest

from app.cli import run
from tests.cli.send_support import reader, server_options
from tests.cli.send_support import write_campaign as write_send_campaign
from tests.core.campaign.builders import write_campaign

HEADERS = ("Email", "Name", "Files")


def campaign(folder: Path, cells: tuple[str, str], extra: str = "") -> Path:
    return write_campaign(
        folder,
        rows=[("ann@example.com", "Ann", cells[0]), ("bob@example.com", "Bob", cells[1])],
        headers=HEADERS,
        template="{{ Name }}",
        subject="Hi {{ Name }}",
        extra=extra,
    )


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HERALD_DATA_DIR", str(folder))
    monkeypatch.delenv("HERALD_SMTP_PASSWORD", raising=False)
    return folder


def test_check_lists_each_distinct_file_with_full_path_size_and_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "c"
    path = campaign(folder, ("price.pdf; 报价单.pdf", "price.pdf"))
    (folder / "price.pdf").write_bytes(b"x" * 2048)
    (folder / "报价单.pdf").write_bytes(b"y" * 100)

    assert run(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Attachments: 2 distinct files, 2.1 KB in all" in out
    assert f"  {folder / 'price.pdf'}  (2.0 KB, in 2 messages)" in out
    assert f"  {folder / '报价单.pdf'}  (100 B, in 1 message)" in out
    assert f"Attachments allowed from: {folder}" in out

    assert run(["check", str(path), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["attachments"] == [
        {"path": str(folder / "price.pdf"), "size": 2048, "messages": 2},
        {"path": str(folder / "报价单.pdf"), "size": 100, "messages": 1},
    ]
    assert document["attachment_folders"] == [str(folder)]


def test_a_file_outside_is_refused_until_its_folder_is_allowed_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "terms.pdf").write_bytes(b"%PDF")
    path = campaign(tmp_path / "c", (str(shared / "terms.pdf"), ""))

    assert run(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "row 2, column 'Files': error unsafe-attachment:" in out
    assert "outside the campaign folder" in out and "--attachment-folder" in out

    assert run(["check", str(path), "--attachment-folder", str(shared)]) == 0
    out = capsys.readouterr().out
    assert f"  {shared / 'terms.pdf'}  (4 B, in 1 message)" in out
    assert str(shared) in out.split("Attachments allowed from:")[1]


def test_a_fifo_in_a_cell_is_a_row_problem_and_check_does_not_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "c"
    path = campaign(folder, ("pipe", ""))
    os.mkfifo(folder / "pipe")
    assert run(["check", str(path)]) == 1
    assert "is a named pipe (FIFO)" in capsys.readouterr().out


def test_the_size_cap_is_an_option_and_a_row_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "c"
    path = campaign(folder, ("big.bin", ""))
    (folder / "big.bin").write_bytes(b"z" * 600_000)
    assert run(["check", str(path)]) == 0
    capsys.readouterr()
    assert run(["check", str(path), "--attachment-max-mb", "0.5"]) == 1
    out = capsys.readouterr().out
    assert "error large-attachments:" in out and "above the limit of 0.5 MB" in out


def test_preview_shows_full_path_and_size_and_writes_a_streamed_message_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "c"
    path = campaign(folder, ("video.bin", ""))
    content = os.urandom(3 * 1024 * 1024)
    (folder / "video.bin").write_bytes(content)

    assert run(["preview", str(path), "--row", "2"]) == 0
    out = capsys.readouterr().out
    assert f"  {folder / 'video.bin'}  (3.0 MB, application/octet-stream)" in out

    eml = tmp_path / "row2.eml"
    assert run(["preview", str(path), "--row", "2", "--eml", str(eml)]) == 0
    parsed = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    [part] = parsed.iter_attachments()  # type: ignore[attr-defined]
    assert part.get_content() == content


def test_dry_run_and_send_list_the_attachments_before_anything_goes(
    tmp_path: Path, threaded_smtp_server_factory, capsys: pytest.CaptureFixture[str]
) -> None:
    options = write_send_campaign(tmp_path, 2)
    (tmp_path / "catalogue.pdf").write_bytes(b"%PDF" * 1000)
    options += ["--attach", str(tmp_path / "catalogue.pdf")]

    assert run(["send", *options, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Attachments: 1 file, 3.9 KB in all" in out
    assert f"  {tmp_path / 'catalogue.pdf'}  (3.9 KB, in 2 messages)" in out

    server = threaded_smtp_server_factory()
    assert run(["send", *options, *server_options(server.port)]) == 2  # not a terminal: asks
    captured = capsys.readouterr()
    assert f"  {tmp_path / 'catalogue.pdf'}  (3.9 KB, in 2 messages)" in captured.out
    assert "--yes" in captured.err and server.message_count == 0

    assert run(["send", *options, *server_options(server.port), "--yes"]) == 0
    assert sorted(server.recipients()) == [reader(0), reader(1)]


def test_send_refuses_a_common_attachment_outside_the_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    options = write_send_campaign(work, 1)
    (tmp_path / "secret.txt").write_text("x")
    code = run(["send", *options, "--attach", str(tmp_path / "secret.txt"), "--dry-run"])
    assert code == 2
    err = capsys.readouterr().err
    assert "outside the campaign folder" in err and "Traceback" not in err


def test_herald_send_streams_a_large_attachment_to_the_server_intact(
    tmp_path: Path, threaded_smtp_server_factory, capsys: pytest.CaptureFixture[str]
) -> None:
    options = write_send_campaign(tmp_path, 2)
    content = os.urandom(5 * 1024 * 1024 + 7)  # above the 2 MB streaming threshold
    (tmp_path / "catalogue.pdf").write_bytes(content)
    server = threaded_smtp_server_factory()

    code = run(
        [
            "send",
            *options,
            "--attach",
            str(tmp_path / "catalogue.pdf"),
            *server_options(server.port),
            "--yes",
        ]
    )

    assert code == 0, capsys.readouterr().err
    assert len(server.messages) == 2
    for received in server.messages:
        parsed = email.message_from_bytes(received.data, policy=email.policy.default)
        [part] = parsed.iter_attachments()  # type: ignore[attr-defined]
        assert part.get_filename() == "catalogue.pdf"
        assert part.get_content() == content
