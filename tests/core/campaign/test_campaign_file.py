"""The campaign file: reading, refusing what it does not know, and writing it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.campaign import (
    CampaignConfig,
    Security,
    SendConfig,
    load_campaign_file,
    save_campaign,
)
from app.core.model import BodyKind, ColumnMapping, InputError, ProblemKind

FULL = """
version = 1
[recipients]
file = "data/people.xlsx"
sheet = "Customers"
header_row = 3
max_rows = 5000
exclude_rows = [9, 4, 4]
[columns]
email = "邮箱"
name = "姓名"
cc = "Cc"
bcc = "Bcc"
reply_to = "Reply"
attachments = "Files"
[message]
from = "Shop <shop@example.com>"
reply_to = "help@example.com"
subject = "Hi {{ 姓名 }}"
body = "body.md"
text = "body.txt"
attachments = ["a.pdf", "sub/b.pdf"]
list_unsubscribe = "unsubscribe@example.com"
attachment_warn_mb = 5
[send]
profile = "work"
smtp_host = "smtp.example.com"
smtp_port = 587
security = "starttls"
user = "shop@example.com"
rates = ["10/s", "500/day"]
connections = 4
pause = 0.5
jitter = 0.25
max_per_connection = 50
bandwidth_kbps = 256.5
"""


def write(tmp_path: Path, text: str, name: str = "campaign.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_setting_is_read_with_paths_relative_to_the_campaign_folder(tmp_path: Path) -> None:
    config = load_campaign_file(write(tmp_path, FULL))

    assert config.recipients == tmp_path / "data" / "people.xlsx"
    assert (config.sheet, config.header_row, config.max_rows) == ("Customers", 3, 5000)
    assert config.columns == ColumnMapping("邮箱", "姓名", "Cc", "Bcc", "Reply", "Files")
    assert config.sender == "Shop <shop@example.com>"
    assert config.subject == "Hi {{ 姓名 }}"
    assert config.body == tmp_path / "body.md"
    assert config.body_kind is BodyKind.MARKDOWN
    assert config.text == tmp_path / "body.txt"
    assert config.attachments == (tmp_path / "a.pdf", tmp_path / "sub" / "b.pdf")
    assert config.attachment_warn_bytes == 5 * 1024 * 1024
    assert config.send == SendConfig(
        profile="work",
        smtp_host="smtp.example.com",
        smtp_port=587,
        security=Security.STARTTLS,
        user="shop@example.com",
        rates=("10/s", "500/day"),
        connections=4,
        pause=0.5,
        jitter=0.25,
        max_per_connection=50,
        bandwidth_kbps=256.5,
    )
    assert config.exclude_rows == (4, 9)  # sorted, each once
    assert config.source == tmp_path / "campaign.toml"


def test_relative_paths_do_not_depend_on_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = write(tmp_path, '[recipients]\nfile = "people.xlsx"\n')
    monkeypatch.chdir(tmp_path.parent)

    assert load_campaign_file(campaign).recipients == tmp_path / "people.xlsx"


def test_an_unknown_key_is_refused_by_name_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, '[message]\nsubjct = "Hi"\n')

    with pytest.raises(InputError) as caught:
        load_campaign_file(path)

    problem = caught.value.problem
    assert problem.kind is ProblemKind.INVALID_SETTING
    assert "'message.subjct'" in problem.message
    assert "Did you mean 'subject'?" in problem.message
    assert str(path) in problem.message


def test_an_unknown_section_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown setting 'smtp'"):
        load_campaign_file(write(tmp_path, '[smtp]\nhost = "x"\n'))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[send]\nconnections = 11\n", "'send.connections' must be between 1 and 10"),
        ('[send]\nconnections = "two"\n', "'send.connections' must be a whole number"),
        ('[send]\nsecurity = "ssl"\n', '\'send.security\' must be "tls", "starttls" or "none"'),
        ('[send]\nrates = ["10 per second"]\n', "write N/s, N/min, N/h or N/day"),
        ("[message]\nsubject = 5\n", "'message.subject' must be text in quotes"),
        ("[recipients]\nheader_row = 0\n", "'recipients.header_row' must be >= 1"),
        ("[message]\nattachments = 3\n", "'message.attachments' must be a list of files"),
        ("message = 1\n", "'message' must be a section"),
        ("[recipients]\nexclude_rows = 5\n", "'recipients.exclude_rows' must be a list"),
        ("[recipients]\nexclude_rows = [0]\n", "row numbers start at 1"),
        ("[send]\nbandwidth_kbps = 0\n", "'send.bandwidth_kbps' must be above 0"),
    ],
)
def test_a_value_of_the_wrong_type_or_range_is_refused_naming_the_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_campaign_file(write(tmp_path, text))

    assert expected in caught.value.problem.message


def test_invalid_toml_is_reported_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_campaign_file(write(tmp_path, '[message]\nsubject = "ok"\nbody = oops\n'))

    assert caught.value.problem.line == 3
    assert "not valid TOML" in caught.value.problem.message


def test_a_missing_campaign_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_campaign_file(tmp_path / "nope.toml")

    assert caught.value.problem.kind is ProblemKind.UNREADABLE_FILE
    assert "herald init" in caught.value.problem.message


def test_a_newer_format_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="version"):
        load_campaign_file(write(tmp_path, "version = 2\n"))


def test_saving_and_loading_gives_back_the_same_settings(tmp_path: Path) -> None:
    original = load_campaign_file(write(tmp_path, FULL, "original.toml"))

    saved = save_campaign(original, tmp_path / "copy.toml")

    assert load_campaign_file(tmp_path / "copy.toml") == saved
    assert saved.source == tmp_path / "copy.toml"


def test_saving_writes_paths_inside_the_folder_as_relative_and_others_as_absolute(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    outside = tmp_path / "elsewhere" / "logo.png"
    config = CampaignConfig(
        recipients=folder / "data" / "people.xlsx",
        body=folder / "body.html",
        attachments=(outside,),
        subject="Hi",
    )

    save_campaign(config, folder / "campaign.toml")

    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    assert 'file = "data/people.xlsx"' in text
    assert 'body = "body.html"' in text
    assert str(outside) in text
    moved = tmp_path / "moved"
    (folder).rename(moved)
    assert load_campaign_file(moved / "campaign.toml").recipients == moved / "data" / "people.xlsx"


def test_saving_leaves_out_settings_that_were_never_set(tmp_path: Path) -> None:
    save_campaign(CampaignConfig(subject="Hi"), tmp_path / "c.toml")

    text = (tmp_path / "c.toml").read_text(encoding="utf-8")
    assert "[send]" not in text
    assert "[columns]" not in text
    assert load_campaign_file(tmp_path / "c.toml").send == SendConfig()


def test_the_schedule_keys_read_normalised_and_write_back(tmp_path: Path) -> None:
    text = (
        'version = 1\n[send]\nstart_at = 2026-12-08T09:00:00\nsend_hours = "09:00-18:00"\n'
        'send_days = ["Mon", "tue-fri"]\n'
    )
    config = load_campaign_file(write(tmp_path, text))
    assert config.send.start_at == "2026-12-08 09:00"  # a TOML date-time, as text
    assert config.send.send_hours == "09:00-18:00"
    assert config.send.send_days == "mon-fri"
    saved = save_campaign(config, tmp_path / "copy.toml")
    assert load_campaign_file(tmp_path / "copy.toml") == saved
    assert 'send_days = "mon-fri"' in (tmp_path / "copy.toml").read_text("utf-8")
