"""A workbook from someone else cannot attach files from outside the campaign's folders, nor
anything that is not a regular file (a pipe would hang Herald, /proc holds the password).

Targets outside the campaign folder are real files made under tmp_path, or system paths used
read-only as targets (/etc/shadow, /proc/self/environ): nothing asserts on their content, and
the point is that they are never opened.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.campaign import load_campaign, load_campaign_file
from app.core.model import InputError, ProblemKind, RenderedMessage
from app.core.preflight import RowProblems, build_row
from tests.core.campaign.builders import SENDER, write_campaign

HEADERS = ("Email", "Name", "Attachments")
PLAIN = "{{ Name }}"


def campaign_with(folder: Path, cell: str, *, extra: str = "") -> Path:
    return write_campaign(
        folder,
        rows=[("ann@example.com", "Ann", cell), ("bob@example.com", "Bob", "")],
        headers=HEADERS,
        template=PLAIN,
        subject="Hi {{ Name }}",
        sender=SENDER,
        extra=extra,
    )


def problems_of_row_2(campaign_file: Path) -> list[tuple[ProblemKind, str]]:
    campaign = load_campaign(load_campaign_file(campaign_file))
    result = build_row(campaign, 2)
    assert isinstance(result, RowProblems), "the file was attached"
    assert isinstance(build_row(campaign, 3), RenderedMessage)  # the other row still goes
    return [(p.kind, p.message) for p in result.problems]


def only_problem(campaign_file: Path) -> str:
    [(kind, message)] = problems_of_row_2(campaign_file)
    assert kind is ProblemKind.UNSAFE_ATTACHMENT
    # refused while validating: the row yields no recipient, so nothing can send it
    assert 2 not in load_campaign(load_campaign_file(campaign_file)).by_row
    return message


@pytest.mark.parametrize("target", ["/etc/shadow", "/etc/passwd", "/proc/self/environ"])
def test_an_absolute_system_path_is_outside_the_campaign_folder(
    tmp_path: Path, target: str
) -> None:
    message = only_problem(campaign_with(tmp_path / "campaign", target))
    assert "outside the campaign folder" in message
    assert target in message


def test_a_private_key_in_the_home_folder_is_never_attached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    key = home / ".ssh" / "id_rsa"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    monkeypatch.setenv("HOME", str(home))

    message = only_problem(campaign_with(tmp_path / "campaign", str(key)))
    assert "outside the campaign folder" in message
    # `~` is not expanded in cells: it names a folder called "~" next to the workbook
    [(kind, tilde)] = problems_of_row_2(campaign_with(tmp_path / "c2", "~/.ssh/id_rsa"))
    assert kind is ProblemKind.MISSING_ATTACHMENT
    assert str(tmp_path / "c2" / "~" / ".ssh" / "id_rsa") in tilde


def test_dot_dot_paths_that_climb_out_are_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not for customers")
    message = only_problem(campaign_with(tmp_path / "a" / "campaign", "../../secret.txt"))
    assert "outside the campaign folder" in message
    assert str(tmp_path / "secret.txt") in message


def test_a_symlink_inside_the_folder_pointing_out_is_judged_by_its_target(tmp_path: Path) -> None:
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"%PDF")
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "price-list.pdf").symlink_to(outside)

    message = only_problem(campaign_with(folder, "price-list.pdf"))
    assert "outside the campaign folder" in message
    assert f"-> {outside}" in message


def test_a_symlink_to_proc_environ_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "notes.txt").symlink_to("/proc/self/environ")
    assert "outside the campaign folder" in only_problem(campaign_with(folder, "notes.txt"))


def test_proc_stays_refused_even_when_its_folder_is_allowed(tmp_path: Path) -> None:
    extra = 'attachment_folders = ["/proc/self"]'
    message = only_problem(campaign_with(tmp_path / "c", "/proc/self/environ", extra=extra))
    assert "system entry under /proc" in message and "not a regular file" in message


def test_a_named_pipe_is_refused_as_a_fifo_without_being_opened(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    os.mkfifo(folder / "invoice.pdf")  # opening it for reading would wait for a writer forever

    message = only_problem(campaign_with(folder, "invoice.pdf"))
    assert "is a named pipe (FIFO)" in message
    assert "folder" not in message.split("(FIFO)")[0]


def test_a_device_is_refused_as_a_device(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "zeros.bin").symlink_to("/dev/zero")  # endless: would never finish encoding

    assert "outside the campaign folder" in only_problem(campaign_with(folder, "zeros.bin"))
    allowed = campaign_with(tmp_path / "c2", "/dev/zero", extra='attachment_folders = ["/dev"]')
    assert "is a device" in only_problem(allowed)


def test_a_folder_is_refused_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    (folder / "scans").mkdir(parents=True)
    assert "is a folder, not a file" in only_problem(campaign_with(folder, "scans"))


def test_a_folder_allowed_in_the_campaign_file_may_supply_attachments(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "catalogue.pdf").write_bytes(b"%PDF-1.4 catalogue")
    extra = f'attachment_folders = ["{shared.as_posix()}"]'

    path = campaign_with(tmp_path / "c", str(shared / "catalogue.pdf"), extra=extra)
    campaign = load_campaign(load_campaign_file(path))
    message = build_row(campaign, 2)
    assert isinstance(message, RenderedMessage)
    assert [(a.path, a.size) for a in message.attachments] == [(shared / "catalogue.pdf", 18)]


def test_files_in_the_workbooks_own_folder_and_below_are_attached(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "报价单.pdf").write_bytes(b"%PDF")
    campaign = load_campaign(load_campaign_file(campaign_with(folder, "files/报价单.pdf")))
    message = build_row(campaign, 2)
    assert isinstance(message, RenderedMessage)
    assert [a.path for a in message.attachments] == [folder / "files" / "报价单.pdf"]


def test_a_common_attachment_outside_the_folder_makes_the_campaign_unusable(
    tmp_path: Path,
) -> None:
    (tmp_path / "outside.pdf").write_bytes(b"%PDF")
    path = campaign_with(tmp_path / "campaign", "", extra='attachments = ["../outside.pdf"]')
    with pytest.raises(InputError) as caught:
        load_campaign(load_campaign_file(path))
    assert caught.value.problem.kind is ProblemKind.UNSAFE_ATTACHMENT
    assert "outside the campaign folder" in caught.value.problem.message


def test_the_campaign_files_folder_counts_as_the_campaign_folder(tmp_path: Path) -> None:
    # workbook in a sub-folder, the attachment next to the campaign file
    folder = tmp_path / "campaign"
    path = campaign_with(folder, "../brochure.pdf")
    (folder / "brochure.pdf").write_bytes(b"%PDF")
    (folder / "data").mkdir()
    (folder / "people.xlsx").rename(folder / "data" / "people.xlsx")
    path.write_text(path.read_text().replace('"people.xlsx"', '"data/people.xlsx"'))
    campaign = load_campaign(load_campaign_file(path))
    assert isinstance(build_row(campaign, 2), RenderedMessage)


def test_attachments_above_the_cap_are_refused_from_their_size_before_any_read(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    huge = folder / "video.mp4"
    with huge.open("wb") as handle:
        handle.truncate(30 * 1024**3)  # 30 GB, sparse: reading it would take minutes and memory

    [(kind, message)] = problems_of_row_2(campaign_with(folder, "video.mp4"))
    assert kind is ProblemKind.LARGE_ATTACHMENTS
    assert "30720.0 MB, above the limit of 25.0 MB per message" in message


def test_the_cap_is_set_in_the_campaign_file(tmp_path: Path) -> None:
    roomy = campaign_with(tmp_path / "roomy", "a.bin")
    (tmp_path / "roomy" / "a.bin").write_bytes(b"x" * 300_000)
    assert isinstance(build_row(load_campaign(load_campaign_file(roomy)), 2), RenderedMessage)

    tight = campaign_with(tmp_path / "tight", "a.bin", extra="attachment_max_mb = 0.25")
    (tmp_path / "tight" / "a.bin").write_bytes(b"x" * 300_000)
    config = load_campaign_file(tight)
    assert config.attachment_max_bytes == 256 * 1024
    [(kind, message)] = problems_of_row_2(tight)
    assert kind is ProblemKind.LARGE_ATTACHMENTS
    assert "above the limit of 0.2 MB" in message
