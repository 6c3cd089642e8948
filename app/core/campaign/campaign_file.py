"""The campaign file: TOML in, `CampaignConfig` out, and back again.

Relative paths in the file are relative to the file's own folder, so a campaign folder can be
moved or shared as a whole. Unknown keys are refused by name: a misspelt setting silently
ignored would send something other than what the user wrote. The format is documented in
docs/CAMPAIGN-FILE.md; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tomli_w

from app.core.campaign.config import (
    DEFAULT_ATTACHMENT_MAX_MB,
    DEFAULT_ATTACHMENT_WARN_MB,
    DEFAULT_MAX_ROWS,
    RATE_PATTERN,
    CampaignConfig,
    Security,
    SendConfig,
)
from app.core.model import ColumnMapping, InputError, Problem, ProblemKind

FORMAT_VERSION = 1
HEADER_COMMENT = "# Herald campaign file. Format: docs/CAMPAIGN-FILE.md\n"


class _SettingError(Exception):
    """A value of the wrong type or out of range; turned into an InputError naming the key."""


@dataclass(frozen=True, slots=True)
class _Reader:
    """Reads one section's values, reporting errors as `section.key in file`."""

    source: Path
    folder: Path

    def fail(self, message: str, line: int | None = None) -> InputError:
        return InputError(
            Problem(ProblemKind.INVALID_SETTING, f"{self.source}: {message}", line=line)
        )


# Converters turn a raw TOML value into the typed value, or raise _SettingError saying what
# was expected. Paths need the campaign folder, so they receive it.
Converter = Callable[[Any, Path], Any]


def _text(value: Any, folder: Path) -> str:
    if not isinstance(value, str):
        raise _SettingError("must be text in quotes")
    return value


def _optional_text(value: Any, folder: Path) -> str | None:
    text = _text(value, folder).strip()
    return text or None


def _whole(minimum: int, maximum: int | None = None) -> Converter:
    def convert(value: Any, folder: Path) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _SettingError("must be a whole number")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            raise _SettingError(f"must be {bound} (it is {value})")
        return value

    return convert


def _number(minimum: float, *, above: bool = False) -> Converter:
    def convert(value: Any, folder: Path) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _SettingError("must be a number")
        if value < minimum or (above and value == minimum):
            raise _SettingError(f"must be {'above' if above else 'at least'} {minimum}")
        return float(value)

    return convert


def resolve_path(value: str, folder: Path) -> Path:
    """A path as written by a person, made absolute against `folder` (no symlink resolving)."""
    path = Path(os.path.expanduser(value))
    return Path(os.path.abspath(folder / path))


def _path(value: Any, folder: Path) -> Path:
    text = _text(value, folder).strip()
    if not text:
        raise _SettingError("must name a file")
    return resolve_path(text, folder)


def _paths(value: Any, folder: Path) -> tuple[Path, ...]:
    if isinstance(value, str):  # a single file written without brackets is plainly meant
        value = [value]
    if not isinstance(value, list):
        raise _SettingError('must be a list of files, like ["price-list.pdf"]')
    return tuple(_path(item, folder) for item in value)


def _row_numbers(value: Any, folder: Path) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        raise _SettingError("must be a list of workbook row numbers, like [5, 12]")
    if any(item < 1 for item in value):
        raise _SettingError(f"has {min(value)}; row numbers start at 1")
    return tuple(sorted(set(value)))


def _security(value: Any, folder: Path) -> Security:
    text = _text(value, folder).strip().lower()
    try:
        return Security(text)
    except ValueError:
        raise _SettingError('must be "tls", "starttls" or "none"') from None


def _rates(value: Any, folder: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _SettingError('must be a list like ["10/s", "500/day"]')
    for item in value:
        if not RATE_PATTERN.match(item):
            raise _SettingError(f'has {item!r}; write N/s, N/min, N/h or N/day, like "10/s"')
    return tuple(item.strip().replace(" ", "") for item in value)


def _schedule_part(part: str) -> Converter:
    """start_at / send_hours / send_days, checked as app.core.send.schedule reads them and
    kept as text in its normal form (a TOML date-time is accepted for start_at)."""

    def convert(value: Any, folder: Path) -> str:
        from app.core.send.schedule import Schedule, ScheduleError, parse_days

        if part == "start_at" and isinstance(value, dt.datetime):
            value = value.isoformat(sep=" ", timespec="minutes")
        if part == "send_days" and isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                raise _SettingError('must be text like "mon-fri" or a list like ["mon", "wed"]')
            value = ",".join(value)
        text = _text(value, folder).strip()
        try:
            if part == "send_days":
                return Schedule(days=parse_days(text)).days_text()
            if part == "start_at":
                Schedule.from_texts(start_at=text)
            else:
                Schedule.from_texts(hours=text)
        except ScheduleError as exc:
            raise _SettingError(f"is wrong: {exc}") from None
        return text

    return convert


# section -> file key -> (attribute name, converter)
_RECIPIENTS: dict[str, tuple[str, Converter]] = {
    "file": ("recipients", _path),
    "sheet": ("sheet", _optional_text),
    "header_row": ("header_row", _whole(1)),
    "max_rows": ("max_rows", _whole(1)),
    "exclude_rows": ("exclude_rows", _row_numbers),
}
_COLUMNS: dict[str, tuple[str, Converter]] = {
    role: (role, _optional_text)
    for role in ("email", "name", "cc", "bcc", "reply_to", "attachments")
}
_MESSAGE: dict[str, tuple[str, Converter]] = {
    "from": ("sender", _optional_text),
    "reply_to": ("reply_to", _optional_text),
    "subject": ("subject", _text),
    "body": ("body", _path),
    "text": ("text", _path),
    "attachments": ("attachments", _paths),
    "list_unsubscribe": ("list_unsubscribe", _optional_text),
    "list_unsubscribe_url": ("list_unsubscribe_url", _optional_text),
    "attachment_warn_mb": ("attachment_warn_mb", _number(0, above=True)),
    "attachment_max_mb": ("attachment_max_mb", _number(0, above=True)),
    "attachment_folders": ("attachment_folders", _paths),
}
_SEND: dict[str, tuple[str, Converter]] = {
    "profile": ("profile", _optional_text),
    "smtp_host": ("smtp_host", _optional_text),
    "smtp_port": ("smtp_port", _whole(1, 65535)),
    "security": ("security", _security),
    "user": ("user", _optional_text),
    "rates": ("rates", _rates),
    "connections": ("connections", _whole(1, 10)),
    "pause": ("pause", _number(0)),
    "jitter": ("jitter", _number(0)),
    "max_per_connection": ("max_per_connection", _whole(1)),
    "bandwidth_kbps": ("bandwidth_kbps", _number(0, above=True)),
    "start_at": ("start_at", _schedule_part("start_at")),
    "send_hours": ("send_hours", _schedule_part("send_hours")),
    "send_days": ("send_days", _schedule_part("send_days")),
}
_SECTIONS: dict[str, dict[str, tuple[str, Converter]]] = {
    "recipients": _RECIPIENTS,
    "columns": _COLUMNS,
    "message": _MESSAGE,
    "send": _SEND,
}
_TOP_LEVEL = ("version", *_SECTIONS)


def _unknown(reader: _Reader, key: str, allowed: tuple[str, ...], where: str) -> InputError:
    close = difflib.get_close_matches(key.split(".")[-1], allowed, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return reader.fail(
        f"unknown setting {key!r}.{hint} Settings allowed {where}: {', '.join(allowed)}. "
        "Fix the spelling or remove the line."
    )


def _read_section(
    reader: _Reader, name: str, data: Any, spec: dict[str, tuple[str, Converter]]
) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise reader.fail(f"{name!r} must be a section written as [{name}]")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        if key not in spec:
            raise _unknown(reader, f"{name}.{key}", tuple(spec), f"in [{name}]")
        attribute, convert = spec[key]
        try:
            values[attribute] = convert(raw, reader.folder)
        except _SettingError as exc:
            raise reader.fail(f"setting '{name}.{key}' {exc}.") from None
    return values


def config_from_mapping(data: Mapping[str, Any], *, source: Path) -> CampaignConfig:
    """Build a config from parsed TOML. `source` is the campaign file (paths relative to it)."""
    source = Path(os.path.abspath(source))
    reader = _Reader(source=source, folder=source.parent)
    for key in data:
        if key not in _TOP_LEVEL:
            raise _unknown(reader, key, _TOP_LEVEL, "at the top level")
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise reader.fail(
            f"the format version is {version!r}, but this Herald reads version "
            f"{FORMAT_VERSION}. Update Herald, or write version = {FORMAT_VERSION}."
        )
    sections = {
        name: _read_section(reader, name, data[name], spec) if name in data else {}
        for name, spec in _SECTIONS.items()
    }
    return CampaignConfig(
        **sections["recipients"],
        columns=ColumnMapping(**sections["columns"]),
        **sections["message"],
        send=SendConfig(**sections["send"]),
        source=source,
    )


_TOML_LINE = re.compile(r"at line (\d+)")


def load_campaign_file(path: Path) -> CampaignConfig:
    """Read a campaign file. Every failure is an InputError that says what and where."""
    path = Path(os.path.abspath(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            Problem(
                ProblemKind.UNREADABLE_FILE,
                f"Campaign file {path} does not exist. Check the path, or create one with "
                "`herald init FOLDER`.",
            )
        ) from None
    except OSError as exc:
        raise InputError(
            Problem(
                ProblemKind.UNREADABLE_FILE,
                f"Campaign file {path} cannot be read: {exc.strerror or exc}.",
            )
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(
            Problem(
                ProblemKind.UNREADABLE_FILE,
                f"Campaign file {path} is not UTF-8 text. Save it as UTF-8 and try again.",
            )
        ) from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise InputError(
            Problem(
                ProblemKind.INVALID_SETTING,
                f"Campaign file {path} is not valid TOML: {exc}. Fix that line "
                '(text values need quotes, like subject = "Hello").',
                line=int(found.group(1)) if found else None,
            )
        ) from None
    return config_from_mapping(data, source=path)


def _relative(path: Path, folder: Path) -> str:
    """Relative to the campaign folder when inside it, so the folder can move as a whole."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(folder).as_posix()
    except ValueError:
        return str(absolute)


def config_to_mapping(config: CampaignConfig, folder: Path) -> dict[str, Any]:
    """The TOML document for `config`, paths relative to `folder` where possible."""
    recipients: dict[str, Any] = {}
    if config.recipients is not None:
        recipients["file"] = _relative(config.recipients, folder)
    if config.sheet:
        recipients["sheet"] = config.sheet
    if config.header_row is not None:
        recipients["header_row"] = config.header_row
    if config.max_rows != DEFAULT_MAX_ROWS:
        recipients["max_rows"] = config.max_rows
    if config.exclude_rows:
        recipients["exclude_rows"] = sorted(set(config.exclude_rows))

    columns = {
        role: value for role in _COLUMNS if (value := getattr(config.columns, role)) is not None
    }

    message: dict[str, Any] = {}
    if config.sender:
        message["from"] = config.sender
    if config.reply_to:
        message["reply_to"] = config.reply_to
    message["subject"] = config.subject
    if config.body is not None:
        message["body"] = _relative(config.body, folder)
    if config.text is not None:
        message["text"] = _relative(config.text, folder)
    if config.attachments:
        message["attachments"] = [_relative(p, folder) for p in config.attachments]
    if config.list_unsubscribe:
        message["list_unsubscribe"] = config.list_unsubscribe
    if config.list_unsubscribe_url:
        message["list_unsubscribe_url"] = config.list_unsubscribe_url
    if config.attachment_warn_mb != DEFAULT_ATTACHMENT_WARN_MB:
        message["attachment_warn_mb"] = config.attachment_warn_mb
    if config.attachment_max_mb != DEFAULT_ATTACHMENT_MAX_MB:
        message["attachment_max_mb"] = config.attachment_max_mb
    if config.attachment_folders:
        message["attachment_folders"] = [_relative(p, folder) for p in config.attachment_folders]

    send: dict[str, Any] = {}
    for key in _SEND:
        value = getattr(config.send, key)
        if value is None or value == ():
            continue
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Security):
            value = value.value
        send[key] = value

    document: dict[str, Any] = {"version": FORMAT_VERSION}
    for name, section in (
        ("recipients", recipients),
        ("columns", columns),
        ("message", message),
        ("send", send),
    ):
        if section:
            document[name] = section
    return document


def save_campaign(config: CampaignConfig, path: Path) -> CampaignConfig:
    """Write `config` to `path` (atomically) and return it as it would load from there."""
    path = Path(os.path.abspath(path))
    text = HEADER_COMMENT + tomli_w.dumps(config_to_mapping(config, path.parent))
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)  # a crash mid-write never leaves half a campaign file
    return replace(config, source=path)
