"""Compose: sender profile, subject, body (highlighted), fields, attachments, live errors."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QStringListModel, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.model import BodyKind, InputError, Role, Template
from app.gui.pages.base import Page
from app.gui.profiles import ProfileStore
from app.gui.session import Session
from app.gui.tasks import RENDER_SLICE_S, in_thread, spawn
from app.gui.widgets.highlighter import TemplateHighlighter
from app.gui.widgets.sidebar import StepStatus
from app.gui.widgets.template_line import TemplateLineEdit

IDENTIFIER = re.compile(r"^[^\W\d]\w*$")
KINDS = (BodyKind.HTML, BodyKind.MARKDOWN, BodyKind.TEXT)
CHECK_DELAY_MS = 300


def field_expression(column: str) -> str:
    """What to insert for a column: `{{ 姓名 }}`, or `{{ row["First name"] }}` when needed."""
    if IDENTIFIER.match(column) and column != "row":
        return "{{ " + column + " }}"
    escaped = column.replace("\\", "\\\\").replace('"', '\\"')
    return '{{ row["' + escaped + '"] }}'


class ComposePage(Page):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.profiles = ProfileStore()
        self._loading = False
        self.error_text = ""
        self._checks = 0  # numbers each live check, so a late slow one cannot overwrite
        self.checking: asyncio.Task[None] | None = None  # a slow check finishing in a thread
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_template)
        self._build()
        self._last_editor: QWidget = self.body_edit
        session.draftChanged.connect(self._load_draft)
        session.campaignChanged.connect(self._load_draft)
        # the account follows the campaign wherever it is changed (Send page, opening a file)
        session.campaignChanged.connect(self.reload_profiles)
        session.sendConfigChanged.connect(self.reload_profiles)
        session.tableChanged.connect(self._load_fields)
        session.recipientsChanged.connect(self._load_fields)
        self.retranslate()
        self.reload_profiles()

    def _build(self) -> None:
        self.heading = QLabel()
        self.profile_combo = QComboBox()
        self.profile_combo.currentIndexChanged.connect(self._profile_chosen)
        self.profiles_button = QPushButton()
        self.profiles_button.clicked.connect(self._edit_profiles)
        self.sender_edit = QLineEdit()
        self.reply_to_edit = QLineEdit()
        self.subject_edit = TemplateLineEdit()  # highlighted like the body, one line
        self.subject_highlighter = self.subject_edit.highlighter
        self.kind_combo = QComboBox()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.body_edit = QPlainTextEdit()
        self.body_edit.setFont(mono)
        self.body_edit.setTabChangesFocus(True)  # keyboard users can leave the editor
        self.body_highlighter = TemplateHighlighter(self.body_edit.document())
        self.text_check = QCheckBox()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setFont(mono)
        self.text_edit.setTabChangesFocus(True)
        self.text_highlighter = TemplateHighlighter(self.text_edit.document())
        self.text_edit.setVisible(False)
        self.text_check.toggled.connect(self.text_edit.setVisible)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_combo, 1)
        profile_row.addWidget(self.profiles_button)
        self.form = QFormLayout()
        self.profile_label, self.sender_label = QLabel(), QLabel()
        self.reply_label, self.subject_label, self.kind_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.profile_label, profile_row)
        self.form.addRow(self.sender_label, self.sender_edit)
        self.form.addRow(self.reply_label, self.reply_to_edit)
        self.form.addRow(self.subject_label, self.subject_edit)
        self.form.addRow(self.kind_label, self.kind_combo)
        for label, widget in (
            (self.profile_label, self.profile_combo),
            (self.sender_label, self.sender_edit),
            (self.reply_label, self.reply_to_edit),
            (self.subject_label, self.subject_edit),
            (self.kind_label, self.kind_combo),
        ):
            label.setBuddy(widget)

        editors = QVBoxLayout()
        editors.addLayout(self.form)
        self.body_label = QLabel()
        self.body_label.setBuddy(self.body_edit)
        editors.addWidget(self.body_label)
        editors.addWidget(self.body_edit, 3)
        editors.addWidget(self.text_check)
        editors.addWidget(self.text_edit, 2)
        editors.addWidget(self.error_label)
        editor_widget = QWidget()
        editor_widget.setLayout(editors)

        self.fields_box = QGroupBox()
        self.fields_model = QStringListModel(self)
        self.fields_view = QListView()
        self.fields_view.setModel(self.fields_model)
        self.fields_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        # `activated` alone: Qt emits it for a double click (or a single click where the
        # platform activates on one) AND for Enter; with doubleClicked too a double click
        # inserted the field twice
        self.fields_view.activated.connect(lambda index: self.insert_field(index.data()))
        fields_layout = QVBoxLayout(self.fields_box)
        self.fields_hint = QLabel()
        self.fields_hint.setWordWrap(True)
        fields_layout.addWidget(self.fields_view)
        fields_layout.addWidget(self.fields_hint)

        self.attach_box = QGroupBox()
        self.attach_list = QListWidget()
        self.attach_add = QPushButton()
        self.attach_remove = QPushButton()
        self.attach_add.clicked.connect(self._add_attachments)
        self.attach_remove.clicked.connect(self._remove_attachment)
        self.attach_column_label = QLabel()
        self.attach_column = QComboBox()
        self.attach_column_label.setBuddy(self.attach_column)
        self.attach_column.currentIndexChanged.connect(self._attach_column_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach_add)
        buttons.addWidget(self.attach_remove)
        attach_layout = QVBoxLayout(self.attach_box)
        attach_layout.addWidget(self.attach_list)
        attach_layout.addLayout(buttons)
        attach_layout.addWidget(self.attach_column_label)
        attach_layout.addWidget(self.attach_column)
        # Which folders files may come from: a workbook from someone else must not attach
        # ~/.ssh/id_rsa. The workbook's and campaign's folders are always listed (fixed).
        self.folders_label = QLabel()
        self.folders_list = QListWidget()
        # small: the window must still fit a 720-pixel-high screen
        self.folders_list.setMinimumHeight(44)
        self.folders_list.setMaximumHeight(80)
        self.folders_label.setBuddy(self.folders_list)
        self.folder_add = QPushButton()
        self.folder_remove = QPushButton()
        self.folder_add.clicked.connect(self._allow_folder)
        self.folder_remove.clicked.connect(self._remove_folder)
        self.folders_list.itemSelectionChanged.connect(self._folder_selection_changed)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folders_label, 1)
        folder_row.addWidget(self.folder_add)
        folder_row.addWidget(self.folder_remove)
        attach_layout.addLayout(folder_row)
        attach_layout.addWidget(self.folders_list)

        self.unsub_check = QCheckBox()
        self.unsub_edit = QLineEdit()
        self.unsub_edit.setEnabled(False)
        self.unsub_check.toggled.connect(self.unsub_edit.setEnabled)
        self.unsub_url_edit = QLineEdit()  # RFC 8058 one-click, optional
        self.unsub_url_edit.setEnabled(False)
        self.unsub_check.toggled.connect(self.unsub_url_edit.setEnabled)
        self.unsub_check.toggled.connect(lambda _on: self._changed())
        side = QVBoxLayout()
        side.addWidget(self.fields_box, 2)
        side.addWidget(self.attach_box, 1)
        side.addWidget(self.unsub_check)
        side.addWidget(self.unsub_edit)
        side.addWidget(self.unsub_url_edit)
        side_widget = QWidget()
        side_widget.setLayout(side)

        splitter = QSplitter()
        splitter.addWidget(editor_widget)
        splitter.addWidget(side_widget)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)

        for edit in (self.sender_edit, self.reply_to_edit, self.unsub_edit, self.unsub_url_edit):
            edit.textEdited.connect(lambda _t: self._changed())
        for plain in (self.subject_edit, self.body_edit, self.text_edit):
            plain.textChanged.connect(self._changed)
        self.text_check.toggled.connect(lambda _on: self._changed())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._changed())
        for widget in (self.subject_edit, self.body_edit, self.text_edit):
            widget.installEventFilter(self)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # Re-colouring makes the editors report a text change: not an edit of the draft.
            loading, self._loading = self._loading, True
            try:
                for highlighter in (
                    self.subject_highlighter,
                    self.body_highlighter,
                    self.text_highlighter,
                ):
                    highlighter.refresh_colours()  # field colours readable on light and dark
            finally:
                self._loading = loading

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            isinstance(event, QEvent)
            and event.type() == QEvent.Type.FocusIn
            and isinstance(watched, QWidget)
        ):
            self._last_editor = watched
        return False

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + self.tr("Compose") + "</h2>")
        self.profile_label.setText(self.tr("Sending &account:"))
        self.profiles_button.setText(self.tr("&Manage…"))
        self.profiles_button.setAccessibleName(self.tr("Manage SMTP profiles"))
        self.sender_label.setText(self.tr("&From:"))
        self.sender_edit.setPlaceholderText(self.tr("Shop Name <news@example.com>"))
        self.reply_label.setText(self.tr("Re&ply-To:"))
        self.reply_to_edit.setPlaceholderText(self.tr("optional"))
        self.subject_label.setText(self.tr("&Subject:"))
        self.subject_edit.setAccessibleName(self.tr("Subject"))
        self.subject_edit.setPlaceholderText(self.tr("Your order #{{ Order }} has shipped"))
        self.kind_label.setText(self.tr("Body &format:"))
        current = self.kind_combo.currentIndex()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItems([self.tr("HTML"), self.tr("Markdown"), self.tr("Plain text")])
        self.kind_combo.setCurrentIndex(max(current, 0))
        self.kind_combo.blockSignals(False)
        self.body_label.setText(self.tr("&Body:"))
        self.body_edit.setAccessibleName(self.tr("Message body"))
        self.text_check.setText(self.tr("Separate &plain-text body (otherwise made from the HTML)"))
        self.text_edit.setAccessibleName(self.tr("Plain-text body"))
        self.fields_box.setTitle(self.tr("Fields"))
        self.fields_view.setAccessibleName(self.tr("Fields: double-click or press Enter to insert"))
        self.fields_hint.setText(
            self.tr("Double-click (or Enter) inserts the field where the cursor is.")
        )
        self.attach_box.setTitle(self.tr("Attachments"))
        self.attach_list.setAccessibleName(self.tr("Files attached to every message"))
        self.attach_add.setText(self.tr("&Add files…"))
        self.attach_remove.setText(self.tr("&Remove"))
        self.attach_column_label.setText(self.tr("Per-row files from &column:"))
        self.attach_column.setAccessibleName(self.tr("Attachment column"))
        self.folders_label.setText(self.tr("Allowe&d folders:"))
        self.folders_label.setToolTip(
            self.tr(
                "Files are attached only from these folders: the workbook's, the campaign "
                "file's, and the ones you allow. A path in the workbook that leads anywhere "
                "else is refused."
            )
        )
        self.folders_list.setAccessibleName(self.tr("Allowed attachment folders"))
        self.folder_add.setText(self.tr("A&llow folder…"))
        self.folder_remove.setText(self.tr("Remo&ve folder"))
        self._load_folders()
        self.unsub_check.setText(self.tr("Add a List-&Unsubscribe header"))
        self.unsub_edit.setPlaceholderText(self.tr("unsubscribe@example.com"))
        self.unsub_edit.setAccessibleName(self.tr("Unsubscribe address"))
        self.unsub_url_edit.setPlaceholderText(
            self.tr("One-click link (optional): https://…/unsubscribe?u={email}")
        )
        self.unsub_url_edit.setAccessibleName(self.tr("One-click unsubscribe link"))
        self.unsub_url_edit.setToolTip(
            self.tr(
                "Gmail and Yahoo show an Unsubscribe button that calls this https link. "
                "{email} becomes each recipient's address."
            )
        )
        self.error_label.setAccessibleName(self.tr("Template check"))
        self.reload_profiles()
        self._load_fields()
        self.check_template()

    # --- draft <-> widgets -------------------------------------------------------------------
    def _load_draft(self) -> None:
        if self._loading:
            return
        self._loading = True
        d = self.session.draft
        if self.sender_edit.text() != d.sender:
            self.sender_edit.setText(d.sender)
        if self.reply_to_edit.text() != d.reply_to:
            self.reply_to_edit.setText(d.reply_to)
        if self.subject_edit.text() != d.subject:
            self.subject_edit.setText(d.subject)
        self.kind_combo.setCurrentIndex(KINDS.index(d.kind))
        if self.body_edit.toPlainText() != d.body:
            self.body_edit.setPlainText(d.body)
        self.text_check.setChecked(d.text is not None)
        if d.text is not None and self.text_edit.toPlainText() != d.text:
            self.text_edit.setPlainText(d.text)
        self.unsub_check.setChecked(bool(d.list_unsubscribe or d.list_unsubscribe_url))
        self.unsub_edit.setText(d.list_unsubscribe)
        self.unsub_url_edit.setText(d.list_unsubscribe_url)
        self.attach_list.clear()
        for path in d.attachments:
            self._add_attachment_item(str(path))
        self._load_folders()
        self._loading = False
        self._check_timer.start()

    def _changed(self) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self.session.update_draft(
                sender=self.sender_edit.text().strip(),
                reply_to=self.reply_to_edit.text().strip(),
                subject=self.subject_edit.text(),
                kind=KINDS[max(self.kind_combo.currentIndex(), 0)],
                body=self.body_edit.toPlainText(),
                text=self.text_edit.toPlainText() if self.text_check.isChecked() else None,
                list_unsubscribe=self.unsub_edit.text().strip()
                if self.unsub_check.isChecked()
                else "",
                list_unsubscribe_url=self.unsub_url_edit.text().strip()
                if self.unsub_check.isChecked()
                else "",
                attachments=[
                    Path(self.attach_list.item(i).data(Qt.ItemDataRole.UserRole))
                    for i in range(self.attach_list.count())
                ],
            )
        finally:
            self._loading = False
        self._check_timer.start()

    def _load_fields(self) -> None:
        table = self.session.table
        headers = list(table.headers) if table else []
        self.fields_model.setStringList(headers)
        self.attach_column.blockSignals(True)
        self.attach_column.clear()
        self.attach_column.addItem(self.tr("(none)"), None)
        for header in headers:
            self.attach_column.addItem(header, header)
        current = self.session.mapping.attachments
        self.attach_column.setCurrentIndex(
            max(self.attach_column.findData(current), 0) if current else 0
        )
        self.attach_column.blockSignals(False)
        self._check_timer.start()

    def insert_field(self, column: str) -> None:
        text = field_expression(column)
        target = self._last_editor
        if isinstance(target, QLineEdit):
            target.insert(text)
        elif isinstance(target, QPlainTextEdit):
            target.insertPlainText(text)
        target.setFocus()

    # --- profiles and attachments ------------------------------------------------------------
    def reload_profiles(self) -> None:
        current = self.profiles.chosen_name(self.session.config.send.profile)
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for name, label in self.profiles.choices():
            self.profile_combo.addItem(label, name)
        if self.profiles.find(current) is None:  # named by the campaign, not saved here
            self.profile_combo.addItem(
                self.tr("{name} (not saved on this computer)").format(name=current), current
            )
        index = self.profile_combo.findData(current)
        self.profile_combo.setCurrentIndex(max(index, 0))
        self.profile_combo.blockSignals(False)
        self.profile_combo.setAccessibleName(self.tr("Sending account"))

    def _profile_chosen(self) -> None:
        from dataclasses import replace

        name = self.profile_combo.currentData()
        send = self.session.config.send
        if name != send.profile:
            self.session.set_send_config(replace(send, profile=name))
            self.profiles.remember_last(name)

    def _edit_profiles(self) -> None:
        from app.gui.profiles_dialog import ProfilesDialog

        ProfilesDialog(self).exec()
        self.reload_profiles()

    def _add_attachments(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Attach files"), str(self.session.base_dir or "")
        )
        self.attach_files([Path(name) for name in files])

    def attach_files(self, files: list[Path]) -> None:
        """Attach files the user picked. A file picked from outside the allowed folders is
        the user's explicit choice: its folder is allowed, and shown in the list."""
        allowed = self.session.attachment_folders()
        folders: dict[Path, None] = {}
        for path in files:
            real = path.resolve()
            if not any(real.is_relative_to(folder) for folder in allowed):
                folders[real.parent] = None
            self._add_attachment_item(str(path))
        if files:
            self._changed()  # into the draft first: allowing a folder reloads the page
        for folder in folders:
            self.session.allow_attachment_folder(folder)

    # --- allowed folders ----------------------------------------------------------------------
    def _load_folders(self) -> None:
        chosen = {Path(p).resolve() for p in self.session.config.attachment_folders}
        self.folders_list.clear()
        for folder in self.session.attachment_folders():
            item = QListWidgetItem(str(folder))
            item.setData(Qt.ItemDataRole.UserRole, str(folder))
            if folder in chosen:
                item.setToolTip(self.tr("Allowed by you"))
            else:
                # the workbook's or campaign's own folder: always allowed, cannot be removed
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(self.tr("The workbook's or campaign file's folder"))
            self.folders_list.addItem(item)
        self._folder_selection_changed()

    def _folder_selection_changed(self) -> None:
        self.folder_remove.setEnabled(bool(self.folders_list.selectedItems()))

    def _allow_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Allow attachments from folder"), str(self.session.base_dir or "")
        )
        if folder:
            self.session.allow_attachment_folder(Path(folder))

    def _remove_folder(self) -> None:
        for item in self.folders_list.selectedItems():
            chosen = Path(item.data(Qt.ItemDataRole.UserRole))
            for folder in self.session.config.attachment_folders:
                if folder.resolve() == chosen:
                    self.session.remove_attachment_folder(folder)

    def _add_attachment_item(self, path: str) -> None:
        """The file's name in the list (the folder would crowd it out); the path on hover."""
        item = QListWidgetItem(Path(path).name)
        item.setData(Qt.ItemDataRole.UserRole, path)
        item.setToolTip(path)
        self.attach_list.addItem(item)

    def _remove_attachment(self) -> None:
        for item in self.attach_list.selectedItems():
            self.attach_list.takeItem(self.attach_list.row(item))
        self._changed()

    def _attach_column_chosen(self) -> None:
        spawn(self.session.set_role(Role.ATTACHMENTS, self.attach_column.currentData()))

    # --- live check ------------------------------------------------------------------------
    def check_template(self) -> str:
        """Compile the draft and render the first row; show the first error with its line."""
        from app.core.templates import RenderPostponed, TemplateRenderError, compile_template

        self._checks += 1  # a slow check still finishing in a thread is out of date now
        d = self.session.draft
        table = self.session.table
        columns = table.headers if table else ()
        message = ""
        try:
            compiled = compile_template(Template(d.subject, d.body, d.kind, d.text), columns)
            # the core's rule: guarded names (|default, is defined) and row.get() are fine
            unknown = list(compiled.unknown_fields()) if table else []
            if unknown:
                message = self.tr("`{name}` is not a column. Columns: {columns}").format(
                    name=unknown[0], columns=", ".join(columns)
                )
            elif table is not None and table.rows:
                row = table.rows[0]
                fields = table.record(row)
                try:
                    compiled.render(fields, row=row.number, slice_seconds=RENDER_SLICE_S)
                except RenderPostponed:  # slow: finish in a thread, typing goes on meanwhile
                    self.error_text = ""
                    self.error_label.setText(self.tr("Checking the template…"))
                    self.checking = spawn(self._check_slowly(self._checks, compiled, fields, row))
                    return ""
        except InputError as exc:
            message = exc.problem.message
        except TemplateRenderError as exc:
            message = exc.problem.message
        return self._show_check(message)

    async def _check_slowly(self, check: int, compiled: Any, fields: Any, row: Any) -> None:
        from app.core.templates import TemplateRenderError

        def render() -> str:
            try:
                compiled.render(fields, row=row.number)
            except TemplateRenderError as exc:
                return str(exc.problem.message)
            return ""

        message = await in_thread(render)
        if check == self._checks:  # the draft has not changed since
            self._show_check(message)

    def _show_check(self, message: str) -> str:
        d = self.session.draft
        if not d.subject.strip() and not message:
            message = self.tr("The subject is empty.")
        if not d.sender.strip() and not message:
            message = self.tr("Fill in From: the sender's name and address.")
        self.error_text = message
        if message:
            self.error_label.setText("⚠ " + message)
            self.set_status(StepStatus.ERROR, message)
        else:
            self.error_label.setText("✓ " + self.tr("The template is fine."))
            self.set_status(StepStatus.OK, self.tr("The template is fine."))
        return message
