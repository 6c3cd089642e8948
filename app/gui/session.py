"""The open campaign as the window sees it: references to the core's objects plus view state.

Every decision (reading, mapping, validating, rendering) is the core's; the session only keeps
the results and tells the pages when they change. Slow steps never hold the event loop more
than a few ms: a big workbook is read in a child process and arrives in pieces; validation
runs on the loop in time-boxed slices (see app.gui.tasks for why not a worker thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.core.campaign.config import CampaignConfig, SendConfig
from app.core.model import BodyKind, ColumnMapping, InputError, Problem, Role, Table
from app.gui.tasks import SliceStats, in_thread, quiet_gc, run_steps

log = logging.getLogger("herald.gui")
T = TypeVar("T")

# Files at least this big are read in a child process (about 0.3 s to start one); smaller
# ones read in a few ms, where a worker thread's GIL hold does not matter.
OFFLOAD_BYTES = 512 * 1024

_SUFFIX = {BodyKind.HTML: ".html", BodyKind.MARKDOWN: ".md", BodyKind.TEXT: ".txt"}


@dataclass
class Draft:
    """The message as being edited (the campaign file stores the body in its own file)."""

    subject: str = ""
    body: str = ""
    kind: BodyKind = BodyKind.HTML
    text: str | None = None
    sender: str = ""
    reply_to: str = ""
    list_unsubscribe: str = ""
    list_unsubscribe_url: str = ""  # RFC 8058 one-click https URL, optional
    attachments: list[Path] = field(default_factory=list)


@dataclass
class LoadStats:
    """How the last read and validation ran (the responsiveness tests look at these)."""

    offloaded: bool = False  # read in a child process
    pieces: int = 0  # messages the table arrived in
    validation: SliceStats = field(default_factory=SliceStats)


class Session(QObject):
    campaignChanged = Signal()  # a campaign file (or the demo) was opened
    tableChanged = Signal()  # a workbook was (re)read
    recipientsChanged = Signal()  # mapping, validation or exclusions changed
    draftChanged = Signal()  # subject/body/sender/attachments changed
    sendConfigChanged = Signal()  # the account or the limits chosen for sending changed
    dirtyChanged = Signal(bool)
    busyChanged = Signal(bool)
    failed = Signal(str)  # a user-facing error message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None  # the campaign file
        self.config = CampaignConfig()
        self.table: Table | None = None
        self.listed: tuple[Problem, ...] = ()  # rows on the do-not-email list
        self.sheets: tuple[str, ...] = ()
        self.mapping = ColumnMapping()
        self.recipient_list: Any = None  # app.core.recipients.RecipientList
        self.excluded: set[int] = set()
        # the exclusions `recipient_list` was validated without (the core's rule: excluded
        # rows leave before validation); lags `excluded` while a re-validation runs
        self.validated_excluded: frozenset[int] = frozenset()
        self._validation_generation = 0
        self._revalidation: asyncio.Task[None] | None = None
        self.draft = Draft()
        self.dirty = False
        self._busy = 0
        self.offload_bytes = OFFLOAD_BYTES
        self.load_stats = LoadStats()

    # --- state helpers -------------------------------------------------------------------
    @property
    def name(self) -> str:
        if self.path is not None:
            return self.path.stem
        return ""

    def set_dirty(self, dirty: bool = True) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _busy_step(self, delta: int) -> None:
        before = self._busy > 0
        self._busy += delta
        if (self._busy > 0) != before:
            self.busyChanged.emit(self._busy > 0)

    @property
    def busy(self) -> bool:
        return self._busy > 0

    def attachment_folders(self) -> tuple[Path, ...]:
        """Where attachments may come from: the workbook's folder, the campaign file's folder
        and the folders the user allowed (resolved), the same rule as the command line."""
        config = self.config if self.path is None else replace(self.config, source=self.path)
        return config.allowed_attachment_folders()

    def allow_attachment_folder(self, folder: Path) -> None:
        """Allow attachments from `folder` too (saved as attachment_folders), and re-check."""
        folders = self.config.attachment_folders
        if folder in folders:
            return
        self.config = replace(self.config, attachment_folders=(*folders, folder))
        self._attachment_folders_changed()

    def remove_attachment_folder(self, folder: Path) -> None:
        kept = tuple(f for f in self.config.attachment_folders if f != folder)
        if kept != self.config.attachment_folders:
            self.config = replace(self.config, attachment_folders=kept)
            self._attachment_folders_changed()

    def _attachment_folders_changed(self) -> None:
        self.set_dirty()
        self.draftChanged.emit()
        if self.table is not None and self.recipient_list is not None:
            # without an event loop (a bare model test) it is validated when next set
            with contextlib.suppress(RuntimeError):
                self._revalidation = asyncio.ensure_future(self.set_mapping(self.mapping))

    @property
    def base_dir(self) -> Path | None:
        if self.config.recipients is not None:
            return self.config.recipients.parent
        return self.path.parent if self.path else None

    # --- opening ---------------------------------------------------------------------------
    async def open_campaign(self, path: Path) -> None:
        """Read a campaign file, then its workbook. Errors go to `failed` in plain words."""
        from app.core.campaign import load_campaign_file

        try:
            config = load_campaign_file(path)
        except InputError as exc:
            self.failed.emit(exc.problem.message)
            return
        except OSError as exc:
            self.failed.emit(f"{path}: {exc.strerror or exc}")
            return
        self.path = path.resolve()
        self.config = config
        self.draft = _draft_from(config)
        self.excluded = set(config.exclude_rows)
        self.table, self.recipient_list, self.sheets = None, None, ()
        self.mapping = config.columns
        self.set_dirty(False)
        self.campaignChanged.emit()
        self.draftChanged.emit()
        log.info(
            "%s", QCoreApplication.translate("Log", "Opened campaign {path}").format(path=path)
        )
        if config.recipients is not None:
            await self.load_table(config.recipients, config.sheet, config.header_row)

    def new_campaign(self) -> None:
        """An empty campaign: no file, no workbook, a blank message, default settings. Nothing
        of the campaign open before (From, unsubscribe address, attachments) carries over."""
        self.path = None
        self.config = CampaignConfig()
        self.draft = Draft()
        self.excluded = set()
        self.validated_excluded = frozenset()
        self.table, self.recipient_list, self.sheets = None, None, ()
        self.mapping = ColumnMapping()
        self._validation_generation += 1  # a validation of the old table under way is void
        self.set_dirty(False)
        self.campaignChanged.emit()
        self.draftChanged.emit()
        self.tableChanged.emit()
        self.recipientsChanged.emit()
        log.info("%s", QCoreApplication.translate("Log", "New campaign"))

    async def load_table(
        self, path: Path, sheet: str | None = None, header_row: int | None = None
    ) -> bool:
        from app.core.recipients import list_sheets, read_table

        self._busy_step(1)
        try:
            table = await self._read_table(read_table, path, sheet, header_row)
            sheets = table.sheets or (await in_thread(list_sheets, path) if sheet else ())
        except InputError as exc:
            self.failed.emit(exc.problem.message)
            return False
        except OSError as exc:
            self.failed.emit(f"{path}: {exc.strerror or exc}")
            return False
        finally:
            self._busy_step(-1)
        changed_file = self.config.recipients != path
        self.table, self.sheets = table, tuple(sheets)
        self.config = replace(
            self.config, recipients=path, sheet=table.sheet, header_row=header_row
        )
        if changed_file:
            # another workbook: the previous one's exclusions and the roles naming columns
            # it does not have mean nothing here (the email column is detected afresh)
            self.excluded = set()
            self.config = replace(self.config, columns=_roles_found_in(table, self.config.columns))
            self.set_dirty()
        log.info(
            "%s",
            QCoreApplication.translate("Log", "Read {count} rows from {file}").format(
                count=len(table.rows), file=path.name
            ),
        )
        self.tableChanged.emit()
        await self.set_mapping(self.config.columns, detect=True)
        return True

    async def _read_table(
        self,
        read_table: Callable[..., Table],
        path: Path,
        sheet: str | None,
        header_row: int | None,
    ) -> Table:
        """Big files in a child process, received piece by piece between loop turns."""
        from app.core.recipients.offload import ChildReadError, TableTransfer

        self.load_stats = LoadStats()
        try:
            big = path.stat().st_size >= self.offload_bytes
        except OSError:
            big = False  # read_table explains a missing or unreadable file
        if not big:
            return await in_thread(_read, read_table, path, sheet, header_row)
        transfer = TableTransfer(path, sheet=sheet, header_row=header_row)
        try:
            transfer.start()
            with quiet_gc():  # a million new objects: no full collections while they arrive
                while True:
                    payload = await in_thread(transfer.receive)  # waits with the GIL released
                    table = transfer.take(payload)  # one piece: under 2 ms
                    if table is not None:
                        break
        except ChildReadError as exc:  # e.g. a frozen build that cannot start a child
            log.warning(
                "%s",
                QCoreApplication.translate(
                    "Log", "Reading {path} in a child process failed ({error}); reading it here"
                ).format(path=path, error=exc),
            )
            return await in_thread(_read, read_table, path, sheet, header_row)
        finally:
            await in_thread(transfer.close)
        self.load_stats.offloaded, self.load_stats.pieces = True, transfer.messages
        return table

    async def set_mapping(self, explicit: ColumnMapping, *, detect: bool = False) -> None:
        """Apply roles (detecting the unset ones when asked) and validate every row."""
        from app.core.campaign import without_excluded
        from app.core.recipients import detect_mapping
        from app.core.recipients.stepwise import validation_steps

        table = self.table
        if table is None:
            return
        excluded = frozenset(self.excluded)
        self._validation_generation += 1
        generation = self._validation_generation
        self._busy_step(1)
        mapping = explicit
        try:
            # inside the try: a workbook with no recognisable email column is the page's
            # question ("choose the email column"), never a traceback in the Log dock
            mapping = detect_mapping(table, explicit) if detect else explicit
            stats = self.load_stats.validation = SliceStats()
            # excluded rows leave before validation, exactly as `load_campaign` does for the
            # CLI: a row repeating an excluded row's address is sendable, not a duplicate
            kept, _removed = without_excluded(table, excluded)
            steps = validation_steps(
                kept,
                mapping,
                base_dir=self.base_dir,
                attachment_folders=self.attachment_folders(),
            )
            result = await run_steps(steps, stats=stats)
        except InputError as exc:  # no email column: the page asks the user to choose one
            log.warning("%s", exc.problem.message)
            result = None
        finally:
            self._busy_step(-1)
        if table is not self.table:  # another workbook was opened meanwhile
            return
        if generation != self._validation_generation:  # a newer validation is under way
            return
        self.mapping = mapping
        self.recipient_list = result
        self.validated_excluded = excluded
        # the do-not-email list, read once per validation: its rows are shown, never sent
        from app.core.do_not_email import listed_problems

        self.listed = tuple(listed_problems(result.recipients, None, mapping)) if result else ()
        self.recipientsChanged.emit()

    async def set_role(self, role: Role, column: str | None) -> None:
        mapping = replace(self.mapping, **{role.value: column})
        self.config = replace(self.config, columns=mapping)
        self.set_dirty()
        await self.set_mapping(mapping)

    def set_excluded(self, rows: list[int], excluded: bool) -> asyncio.Task[None] | None:
        """Exclude or include rows, then re-validate without the excluded ones (in slices on
        the loop). Returns the re-validation task (None when no table or no loop runs)."""
        if excluded:
            self.excluded.update(rows)
        else:
            self.excluded.difference_update(rows)
        self.set_dirty()
        self.recipientsChanged.emit()
        if self.table is None or self.recipient_list is None:
            return None
        try:
            self._revalidation = asyncio.ensure_future(self.set_mapping(self.mapping))
        except RuntimeError:  # no event loop (a bare model test): validated when next set
            return None
        return self._revalidation

    def revalidate(self) -> asyncio.Task[None] | None:
        """Validate the rows again (the do-not-email list changed); the task, or None when
        there is nothing to validate. `settled()` waits for it."""
        if self.table is None or self.recipient_list is None:
            return None
        try:
            self._revalidation = asyncio.ensure_future(self.set_mapping(self.mapping))
        except RuntimeError:  # no event loop: validated when next set
            return None
        return self._revalidation

    async def settled(self) -> None:
        """Wait for a pending re-validation after an exclusion change."""
        while self._revalidation is not None and not self._revalidation.done():
            await asyncio.shield(self._revalidation)

    def update_draft(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self.draft, key, value)
        self.set_dirty()
        self.draftChanged.emit()

    # --- counts ---------------------------------------------------------------------------
    def problems_by_row(self) -> dict[int, list[Problem]]:
        found: dict[int, list[Problem]] = {}
        sources: list[Problem] = list(self.table.problems) if self.table else []
        if self.recipient_list is not None:
            sources.extend(self.recipient_list.problems)
            sources.extend(self.listed)
        for problem in dict.fromkeys(sources):
            if problem.row is not None:
                found.setdefault(problem.row, []).append(problem)
        return found

    # --- saving ------------------------------------------------------------------------------
    def current_config(self, path: Path | None = None) -> CampaignConfig:
        """The campaign as settings; writes the body files next to `path` when given."""
        d = self.draft
        config = replace(
            self.config,
            columns=self.mapping,
            subject=d.subject,
            sender=d.sender or None,
            reply_to=d.reply_to or None,
            list_unsubscribe=d.list_unsubscribe or None,
            list_unsubscribe_url=d.list_unsubscribe_url or None,
            attachments=tuple(d.attachments),
            exclude_rows=tuple(sorted(self.excluded)),
        )
        if path is not None:
            body = _body_path(path, self.config.body, d.kind)
            body.write_text(d.body, encoding="utf-8")
            text_path = None
            if d.text:
                text_path = self.config.text or path.with_name(path.stem + "-text.txt")
                text_path.write_text(d.text, encoding="utf-8")
            config = replace(config, body=body, text=text_path, source=path)
        return config

    def save(self, path: Path) -> None:
        from app.core.campaign import save_campaign

        config = self.current_config(path)
        save_campaign(config, path)
        self.path, self.config = path.resolve(), config
        self.set_dirty(False)
        self.campaignChanged.emit()
        log.info("%s", QCoreApplication.translate("Log", "Saved campaign {path}").format(path=path))

    def send_config(self) -> SendConfig:
        return self.config.send

    def set_send_config(self, send: SendConfig) -> None:
        if send != self.config.send:
            self.config = replace(self.config, send=send)
            self.set_dirty()
            self.sendConfigChanged.emit()


def _roles_found_in(table: Table, mapping: ColumnMapping) -> ColumnMapping:
    """`mapping` without the roles whose column `table` does not have."""
    from app.core.recipients.roles import find_header

    kept = {}
    for role in Role:
        wanted = mapping.get(role)
        kept[role.value] = find_header(table, wanted) if wanted is not None else None
    return ColumnMapping(**kept)


def _read(
    read_table: Callable[..., Table], path: Path, sheet: str | None, header: int | None
) -> Table:
    return read_table(path, sheet=sheet, header_row=header)


def _body_path(campaign: Path, current: Path | None, kind: BodyKind) -> Path:
    suffix = _SUFFIX[kind]
    if current is not None and current.suffix.lower() == suffix:
        return current
    return campaign.with_name(campaign.stem + "-body" + suffix)


def _draft_from(config: CampaignConfig) -> Draft:
    def read(path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            log.warning(
                "%s", QCoreApplication.translate("Log", "Could not read {path}").format(path=path)
            )
            return None

    return Draft(
        subject=config.subject,
        body=read(config.body) or "",
        kind=config.body_kind,
        text=read(config.text),
        sender=config.sender or "",
        reply_to=config.reply_to or "",
        list_unsubscribe=config.list_unsubscribe or "",
        list_unsubscribe_url=config.list_unsubscribe_url or "",
        attachments=list(config.attachments),
    )


def build_campaign(session: Session) -> Any:
    """The core's Campaign from the table already in memory and the draft being edited.

    `load_campaign` reads the workbook and the body from files; the window has both in memory
    (re-reading 100,000 rows on each preview would be slow), so it assembles the same pieces
    from the core's public functions. Raises InputError with the core's message when unusable.
    Excluded rows never reach validation (the core's rule, shared with the CLI).
    """
    from app.core.campaign import assemble_campaign, parse_mailbox
    from app.core.campaign.loader import check_unsubscribe_url
    from app.core.model import MessageSettings, ProblemKind

    d = session.draft
    table = session.table
    if table is None:
        raise InputError(
            Problem(ProblemKind.UNREADABLE_FILE, "Open a workbook of recipients first.")
        )
    if session.recipient_list is None:
        raise InputError(Problem(ProblemKind.NO_EMAIL_COLUMN, "Choose the email column first."))
    if not d.sender.strip():
        raise InputError(
            Problem(
                ProblemKind.INVALID_SETTING, 'Fill in From, like "Shop Name <news@example.com>".'
            )
        )
    template = _template_of(d)
    sender = parse_mailbox(d.sender, what="From", example='"Shop Name <news@example.com>"')
    reply_to = (
        parse_mailbox(d.reply_to, what="Reply-To", example="help@example.com")
        if d.reply_to
        else None
    )
    unsubscribe = None
    if d.list_unsubscribe:
        bare = d.list_unsubscribe.strip().strip("<>").removeprefix("mailto:")
        unsubscribe = parse_mailbox(
            bare, what="List-Unsubscribe", example="unsubscribe@example.com"
        ).address
    url = check_unsubscribe_url(d.list_unsubscribe_url) if d.list_unsubscribe_url else None
    settings = MessageSettings(
        sender=sender,
        template=template,
        reply_to=reply_to,
        list_unsubscribe=unsubscribe,
        list_unsubscribe_url=url,
        attachments=tuple(d.attachments),
        attachment_warn_bytes=session.config.attachment_warn_bytes,
        attachment_max_bytes=session.config.attachment_max_bytes,
        attachment_folders=session.attachment_folders(),
    )
    # The core assembles the campaign (the same code the CLI's load_campaign ends in); the
    # recipient list was validated without `validated_excluded`, so exclude exactly those.
    return assemble_campaign(
        session.current_config(),
        table,
        session.mapping,
        session.recipient_list,
        template,
        exclude=session.validated_excluded,
        settings=settings,
    )


def _template_of(d: Draft) -> Any:
    from app.core.model import Template

    return Template(subject=d.subject, body=d.body, kind=d.kind, text=d.text)
