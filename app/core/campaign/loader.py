"""From settings to a checked campaign: read the table, map columns, validate, compile.

Cheap checks come first (missing settings, a bad sender, missing files) so a user with a
100,000-row workbook hears about a typo in --from at once, not after the workbook is read.
Everything that makes the input as a whole unusable raises InputError; problems confined to
rows are collected on the Campaign and the pre-flight adds the rendering ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from app.core.attachment_files import AttachmentRefused, inspect_attachment
from app.core.campaign.config import BODY_SUFFIXES, CampaignConfig, body_kind_for
from app.core.compose import MessageBuilder
from app.core.do_not_email import DoNotEmailList, listed_problems
from app.core.headers import check_header_value
from app.core.model import (
    Address,
    CellValue,
    ColumnMapping,
    InputError,
    MessageSettings,
    Problem,
    ProblemKind,
    Recipient,
    Row,
    Table,
    Template,
)
from app.core.recipients import (
    AddressError,
    RecipientList,
    detect_mapping,
    read_table,
    validate_recipients,
)
from app.core.recipients import parse_mailbox as parse_mailbox_text
from app.core.templates import CompiledTemplate, compile_template


@dataclass(frozen=True, slots=True)
class Campaign:
    """A loaded campaign: everything the pre-flight, the preview and the sender need."""

    config: CampaignConfig
    table: Table
    mapping: ColumnMapping
    recipient_list: RecipientList
    template: CompiledTemplate
    settings: MessageSettings
    builder: MessageBuilder
    problems: tuple[Problem, ...]  # known before rendering: table and address problems
    by_row: Mapping[int, Recipient]  # workbook row number -> recipient (valid address rows)
    problems_by_row: Mapping[int, tuple[Problem, ...]]
    rows_by_number: Mapping[int, Row]  # every data row, in sheet order
    excluded_rows: tuple[int, ...] = ()  # data rows left out (the file's `exclude_rows`)

    @property
    def recipients(self) -> tuple[Recipient, ...]:
        return self.recipient_list.recipients

    @property
    def row_numbers(self) -> tuple[int, ...]:
        return tuple(self.rows_by_number)

    def record(self, row: int) -> dict[str, CellValue]:
        """The fields of data row `row` by header (KeyError for a row that is not data)."""
        return self.table.record(self.rows_by_number[row])

    @property
    def general_problems(self) -> tuple[Problem, ...]:
        """Problems about the input as a whole (renamed headers...), not any one row."""
        return tuple(p for p in self.problems if p.row is None)


def _setting_error(message: str) -> InputError:
    return InputError(Problem(ProblemKind.INVALID_SETTING, message))


def parse_mailbox(text: str, *, what: str, example: str) -> Address:
    """`Name <address>` or a bare address, validated; an InputError names `what` and the fix."""
    unsafe = check_header_value(text)
    if unsafe is not None:
        raise InputError(replace(unsafe, message=f"{what}: {unsafe.message}"))
    try:
        return parse_mailbox_text(text)
    except AddressError as exc:
        raise InputError(
            Problem(
                ProblemKind.INVALID_ADDRESS,
                f"{what} cannot be used: {exc}. Write it like {example}.",
            )
        ) from None


def _mailto_address(text: str) -> str:
    """`mailto:x@example.com`, `<mailto:...>` or a bare address -> the validated address."""
    bare = text.strip().strip("<>").strip()
    if bare.lower().startswith("mailto:"):
        bare = bare[len("mailto:") :]
    return parse_mailbox(
        bare, what="List-Unsubscribe", example="--list-unsubscribe unsubscribe@example.com"
    ).address


def check_unsubscribe_url(text: str) -> str:
    """An RFC 8058 one-click URL: https only (mail programs POST to it), one line, printable
    ASCII (percent-encode the rest), no angle brackets or commas (they end the header's entry).
    Returns it stripped; InputError says what is wrong."""
    url = text.strip()
    problem = None
    if not url.lower().startswith("https://") or len(url) <= len("https://"):
        problem = "must start with https:// (mail programs send the one-click request there)"
    elif len(url) > 900:
        problem = "is longer than 900 characters"
    elif any(not (33 <= ord(ch) <= 126) or ch in '<>,"' for ch in url):
        problem = "may hold only printable ASCII without spaces, <, >, comma or quotes"
    if problem:
        raise _setting_error(
            f"The one-click unsubscribe URL {url[:80]!r} {problem}. Example: "
            "https://shop.example.com/unsubscribe?u={email}"
        )
    return url


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            Problem(ProblemKind.UNREADABLE_FILE, f"The {what} file {path} does not exist.")
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            Problem(
                ProblemKind.UNREADABLE_FILE,
                f"The {what} file {path} is not UTF-8 text (byte {exc.start}). "
                "Save it as UTF-8 and try again.",
            )
        ) from None
    except OSError as exc:
        raise InputError(
            Problem(
                ProblemKind.UNREADABLE_FILE,
                f"The {what} file {path} cannot be read: {exc.strerror or exc}.",
            )
        ) from None


def _template(config: CampaignConfig) -> Template:
    if config.body is None:
        raise _setting_error(
            "No message body: give --body FILE (.html, .md or .txt), or `body` under "
            "[message] in the campaign file."
        )
    kind = body_kind_for(config.body)
    if kind is None:
        raise _setting_error(
            f"The body file {config.body} has a suffix Herald does not know; name it "
            f"with one of {', '.join(BODY_SUFFIXES)} so Herald knows its kind."
        )
    if not config.subject.strip():
        raise _setting_error(
            "No subject: give --subject TEXT, or `subject` under [message] in the campaign file."
        )
    text = _read_text(config.text, "plain-text body") if config.text is not None else None
    return Template(
        subject=config.subject, body=_read_text(config.body, "body"), kind=kind, text=text
    )


def _check_common_attachments(paths: tuple[Path, ...], folders: tuple[Path, ...]) -> None:
    """A file attached to every message that cannot be attached makes the campaign unusable;
    said once, here, rather than on every row."""
    for path in paths:
        try:
            inspect_attachment(path, folders)
        except AttachmentRefused as refused:
            kind = (
                ProblemKind.MISSING_ATTACHMENT if refused.missing else ProblemKind.UNSAFE_ATTACHMENT
            )
            raise InputError(
                Problem(
                    kind,
                    f"The attachment {path} (attached to every message) {refused.reason}. "
                    + ("Check the path or remove it from the campaign." if refused.missing else ""),
                )
            ) from None


def message_settings(config: CampaignConfig, template: Template) -> MessageSettings:
    """What is the same for every message, checked: sender, Reply-To, unsubscribe, files."""
    if not config.sender:
        raise _setting_error(
            'No sender: give --from "Name <address>", or `from` under [message] in the '
            "campaign file."
        )
    sender = parse_mailbox(
        config.sender, what="The sender (--from)", example='"Shop Name <news@example.com>"'
    )
    reply_to = (
        parse_mailbox(config.reply_to, what="Reply-To", example="--reply-to help@example.com")
        if config.reply_to
        else None
    )
    unsubscribe = _mailto_address(config.list_unsubscribe) if config.list_unsubscribe else None
    url = (
        check_unsubscribe_url(config.list_unsubscribe_url) if config.list_unsubscribe_url else None
    )
    folders = config.allowed_attachment_folders()
    _check_common_attachments(config.attachments, folders)
    return MessageSettings(
        sender=sender,
        template=template,
        reply_to=reply_to,
        list_unsubscribe=unsubscribe,
        list_unsubscribe_url=url,
        attachments=config.attachments,
        attachment_warn_bytes=config.attachment_warn_bytes,
        attachment_max_bytes=config.attachment_max_bytes,
        attachment_folders=folders,
    )


def _table(config: CampaignConfig) -> Table:
    if config.recipients is None:
        raise _setting_error(
            "No recipients: give --recipients FILE (.xlsx or .csv), or `file` under "
            "[recipients] in the campaign file."
        )
    table = read_table(
        config.recipients,
        sheet=config.sheet,
        header_row=config.header_row,
        max_rows=config.max_rows,
    )
    if not table.rows:
        where = f"sheet {table.sheet!r} of " if table.sheet else ""
        raise InputError(
            Problem(
                ProblemKind.UNREADABLE_FILE,
                f"{where}{table.source} has no data rows below its header (row "
                f"{table.header_row}). Add recipients, or choose another sheet with --sheet.",
            )
        )
    return table


def _group_by_row(problems: tuple[Problem, ...]) -> dict[int, tuple[Problem, ...]]:
    grouped: defaultdict[int, list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.row is not None:
            grouped[problem.row].append(problem)
    return {row: tuple(found) for row, found in grouped.items()}


def assemble_campaign(
    config: CampaignConfig,
    table: Table,
    mapping: ColumnMapping,
    recipient_list: RecipientList,
    template: Template,
    *,
    exclude: Collection[int] = frozenset(),
    settings: MessageSettings | None = None,
    do_not_email: DoNotEmailList | None = None,
) -> Campaign:
    """A campaign from parts already in memory (the window holds the table and the template
    being edited). Rows numbered in `exclude` are left out entirely, as if not in the sheet.

    `recipient_list` must be the validation of `without_excluded(table, exclude)[0]` (the
    core's rule: excluded rows leave before validation, so a row repeating an excluded one is
    not a duplicate); the filtering below only drops excluded rows from the table and the
    table's problems. Raises InputError for an unusable sender or template."""
    if settings is None:
        settings = message_settings(config, template)
    excluded: tuple[int, ...] = ()
    if exclude:
        excluded = tuple(r.number for r in table.rows if r.number in exclude)
        table = replace(table, rows=[r for r in table.rows if r.number not in exclude])
        recipient_list = RecipientList(
            recipients=tuple(r for r in recipient_list.recipients if r.row not in exclude),
            problems=tuple(p for p in recipient_list.problems if p.row not in exclude),
        )
    compiled = compile_template(template, table.headers)
    compiled.check_fields()  # a misspelt field fails every row: the template is unusable
    # Table problems may be repeated in the recipient list's; keep each once, in order.
    problems = tuple(
        p
        for p in dict.fromkeys((*table.problems, *recipient_list.problems))
        if p.row is None or p.row not in exclude
    )
    problems = (*problems, *listed_problems(recipient_list.recipients, do_not_email, mapping))
    return Campaign(
        config=config,
        table=table,
        mapping=mapping,
        recipient_list=recipient_list,
        template=compiled,
        settings=settings,
        builder=MessageBuilder(settings, mapping=mapping),
        problems=problems,
        by_row={recipient.row: recipient for recipient in recipient_list.recipients},
        problems_by_row=_group_by_row(problems),
        rows_by_number={row.number: row for row in table.rows},
        excluded_rows=excluded,
    )


def without_excluded(table: Table, exclude: Collection[int]) -> tuple[Table, tuple[int, ...]]:
    """The table minus the excluded rows, and which data rows that removed.

    This is the one rule for exclusions, shared by the CLI and the window: rows go before
    validation, so an excluded row is not even the first of a duplicate pair ("as if not in
    the sheet"). Numbers that are not data rows (the sheet shrank) are ignored. May return a
    table with no rows; `load_campaign` refuses that, the window shows it.
    """
    if not exclude:
        return table, ()
    removed = tuple(row.number for row in table.rows if row.number in exclude)
    if not removed:
        return table, ()
    kept = [row for row in table.rows if row.number not in exclude]
    problems = tuple(p for p in table.problems if p.row is None or p.row not in exclude)
    return replace(table, rows=kept, problems=problems), removed


def load_campaign(
    config: CampaignConfig, *, do_not_email: DoNotEmailList | None = None
) -> Campaign:
    """Read, map, validate and compile. Raises InputError when the input is unusable.
    `do_not_email` defaults to the list in Herald's data folder."""
    template = _template(config)
    settings = message_settings(config, template)  # before the (slow) workbook read
    table = _table(config)
    # refuses an explicit column not in the sheet (UNKNOWN_COLUMN) and a sheet with no e-mail
    # column (NO_EMAIL_COLUMN), naming the columns that are there
    mapping = detect_mapping(table, config.columns)
    table, excluded = without_excluded(table, frozenset(config.exclude_rows))
    if not table.rows:
        raise InputError(
            Problem(
                ProblemKind.INVALID_SETTING,
                f"Every data row of {table.source} is excluded (exclude_rows under "
                "[recipients] in the campaign file): nothing is left to check or send. "
                "Include some rows again.",
            )
        )
    assert config.recipients is not None  # _table refused a config without one
    recipient_list = validate_recipients(
        table,
        mapping,
        base_dir=config.recipients.parent,
        attachment_folders=config.allowed_attachment_folders(),
    )
    campaign = assemble_campaign(
        config,
        table,
        mapping,
        recipient_list,
        template,
        settings=settings,
        do_not_email=do_not_email,
    )
    return replace(campaign, excluded_rows=excluded)
