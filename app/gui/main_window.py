"""The main window: step sidebar over stacked pages, log dock, menus, drag and drop."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

import app
from app.gui.i18n import LANGUAGES, Translations
from app.gui.pages.base import Page
from app.gui.pages.compose import ComposePage
from app.gui.pages.preview import PreviewPage
from app.gui.pages.recipients import RecipientsPage
from app.gui.pages.report import ReportPage
from app.gui.pages.send import SendPage
from app.gui.session import Session
from app.gui.settings import GuiSettings
from app.gui.tasks import spawn
from app.gui.theme import THEMES, apply_theme
from app.gui.widgets.log_view import LogView
from app.gui.widgets.sidebar import StepSidebar

log = logging.getLogger("herald.gui")

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")
CAMPAIGN_SUFFIXES = (".toml",)
ICON = Path(__file__).resolve().parents[2] / "resources" / "icons" / "herald.svg"


class MainWindow(QMainWindow):
    closed = Signal()  # the window really closed (the program may end)

    def __init__(
        self,
        session: Session,
        settings: GuiSettings,
        translations: Translations | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.translations = translations
        self._may_close = False
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))

        self.recipients_page = RecipientsPage(session)
        self.compose_page = ComposePage(session)
        self.preview_page = PreviewPage(session)
        self.send_page = SendPage(session)
        self.report_page = ReportPage(session, self.send_page.controller)
        self.pages: list[Page] = [
            self.recipients_page,
            self.compose_page,
            self.preview_page,
            self.send_page,
            self.report_page,
        ]
        self._build_central()
        self._build_log_dock()
        self._build_menus()
        for index, page in enumerate(self.pages):
            page.statusChanged.connect(lambda s, d, i=index: self.sidebar.set_status(i, s, d))
        session.campaignChanged.connect(self._update_title)
        session.dirtyChanged.connect(self.setWindowModified)
        session.failed.connect(self._show_error)
        controller = self.send_page.controller
        # a test run stays on the Send page, which offers "Send for real now"
        controller.finished.connect(lambda _c: self.send_page.last_run_test or self.go_to(4))
        controller.started.connect(lambda _n: self.go_to(3))  # a resumed send shows its page
        self._sending_table: object = None  # the table whose rows the running send reports
        controller.started.connect(lambda _n: setattr(self, "_sending_table", session.table))
        controller.logBatch.connect(self._show_row_outcomes)
        self.report_page.start_again = self._send_again
        self.send_page.recent_campaigns = settings.recent_files
        self.send_page.open_campaign = self.open_path
        self.retranslate()
        self._restore()

    # --- construction -------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.sidebar = StepSidebar()
        self.sidebar.setObjectName("steps")
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
        self.sidebar.stepChosen.connect(self.stack.setCurrentIndex)
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.back_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() + 1))
        self.stack.currentChanged.connect(self._step_changed)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addWidget(self.stack, 1)
        right.addLayout(nav)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

    def _build_log_dock(self) -> None:
        self.log_view = LogView()
        self.log_dock = QDockWidget()
        self.log_dock.setObjectName("logDock")
        self.log_dock.setWidget(self.log_view)
        self.log_dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.resizeDocks([self.log_dock], [120], Qt.Orientation.Vertical)

    def _action(
        self,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        fallback: str | None = None,
    ) -> QAction:
        action = QAction(self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            # the platform's binding; some platforms have none for Save As / Quit (Windows),
            # where the common one is used so every menu command has a shortcut
            keys = QKeySequence.keyBindings(shortcut)
            action.setShortcuts(keys or ([QKeySequence(fallback)] if fallback else []))
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.new_campaign_action = self._action(self.new_campaign, QKeySequence.StandardKey.New)
        self.open_campaign_action = self._action(
            self.ask_open_campaign, QKeySequence.StandardKey.Open
        )
        self.open_workbook_action = self._action(self.ask_open_workbook, "Ctrl+Shift+O")
        self.save_action = self._action(self.save, QKeySequence.StandardKey.Save)
        self.save_as_action = self._action(
            self.save_as, QKeySequence.StandardKey.SaveAs, "Ctrl+Shift+S"
        )
        self.demo_action = self._action(self.open_demo)
        self.profiles_action = self._action(self.show_profiles)
        self.do_not_email_action = self._action(self.show_do_not_email)
        self.do_not_email_dialog: QWidget | None = None
        self.quit_action = self._action(self.close, QKeySequence.StandardKey.Quit, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        for action in (
            self.new_campaign_action,
            self.open_campaign_action,
            self.open_workbook_action,
        ):
            self.file_menu.insertAction(self.recent_menu.menuAction(), action)
        self.file_menu.addAction(self.demo_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.save_action)
        self.file_menu.addAction(self.save_as_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.profiles_action)
        self.file_menu.addAction(self.do_not_email_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("")
        self.step_actions = []
        for index in range(len(self.pages)):
            action = self._action(lambda _=False, i=index: self.go_to(i), f"Ctrl+{index + 1}")
            self.step_actions.append(action)
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.log_dock.toggleViewAction())
        self.theme_menu = self.view_menu.addMenu("")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            action = self._action(lambda _=False, t=theme: self.set_theme(t))
            action.setCheckable(True)
            self.theme_group.addAction(action)
            self.theme_menu.addAction(action)
            self.theme_actions[theme] = action
        self.theme_actions.get(self.settings.theme(), self.theme_actions["system"]).setChecked(True)

        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        current = self.translations.current if self.translations else "en"
        for code, name in LANGUAGES.items():
            action = self._action(lambda _=False, c=code: self.set_language(c))
            action.setText(name)  # a language's own name is never translated
            action.setCheckable(True)
            action.setChecked(code == current)
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.help_menu = bar.addMenu("")
        self.about_action = self._action(self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt_action = self._action(QApplication.aboutQt)
        self.about_qt_action.setMenuRole(QAction.MenuRole.AboutQtRole)
        self.help_menu.addAction(self.about_action)
        self.help_menu.addAction(self.about_qt_action)

    # --- texts ------------------------------------------------------------------------------
    def step_titles(self) -> list[str]:
        return [
            self.tr("Recipients"),
            self.tr("Compose"),
            self.tr("Preview && test").replace("&&", "&"),
            self.tr("Send"),
            self.tr("Report"),
        ]

    def retranslate(self) -> None:
        titles = self.step_titles()
        self.sidebar.set_steps(titles)
        self.sidebar.setAccessibleName(self.tr("Steps"))
        self.stack.setAccessibleName(self.tr("Current step"))
        self.back_button.setText(self.tr("< &Back"))
        self.next_button.setText(self.tr("&Next >"))
        self.back_button.setAccessibleName(self.tr("Previous step"))
        self.next_button.setAccessibleName(self.tr("Next step"))
        self.log_dock.setWindowTitle(self.tr("Log"))
        self.log_view.setAccessibleName(self.tr("Log messages"))
        self.file_menu.setTitle(self.tr("&File"))
        self.new_campaign_action.setText(self.tr("&New campaign…"))
        self.open_campaign_action.setText(self.tr("&Open campaign…"))
        self.open_workbook_action.setText(self.tr("Open &workbook…"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.demo_action.setText(self.tr("Open the &demo campaign"))
        self.save_action.setText(self.tr("&Save"))
        self.save_as_action.setText(self.tr("Save &as…"))
        self.profiles_action.setText(self.tr("SMTP &profiles…"))
        self.do_not_email_action.setText(self.tr("&Do-not-email list…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        for action, title in zip(self.step_actions, titles, strict=True):
            # "&" in a menu text marks a mnemonic ("Preview _test"); "&&" shows one "&"
            action.setText(title.replace("&", "&&"))
        self.log_dock.toggleViewAction().setText(self.tr("Show &log"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        self.theme_actions["system"].setText(self.tr("Follow the &system"))
        self.theme_actions["light"].setText(self.tr("&Light"))
        self.theme_actions["dark"].setText(self.tr("&Dark"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About Herald"))
        self.about_qt_action.setText(self.tr("About &Qt"))
        self._step_changed(self.stack.currentIndex())
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_title(self) -> None:
        name = self.session.name
        self.setWindowTitle(f"{name}[*] — Herald" if name else "Herald[*]")

    def _step_changed(self, index: int) -> None:
        if self.sidebar.currentRow() != index:
            self.sidebar.setCurrentRow(index)
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.stack.setCurrentIndex(index)

    def _show_row_outcomes(self, entries: list) -> None:
        """Each recipient's latest outcome, shown in the recipients table too: only while the
        table on screen is the one being sent (another workbook's rows have other numbers),
        and never a test run's (nothing was delivered to anyone)."""
        if self.session.table is not self._sending_table or self.send_page.last_run_test:
            return
        outcomes = {e.row: e.status for e in entries if e.row is not None and e.address}
        self.recipients_page.model.set_send_status(outcomes)

    async def _send_again(self) -> None:
        self.go_to(3)
        self.send_page.confirm = False
        try:
            await self.send_page.start_send()
        finally:
            self.send_page.confirm = True

    # --- settings -----------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 760)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)

    def set_language(self, code: str) -> None:
        if self.translations is None:
            return
        self.translations.switch(code)  # Qt sends LanguageChange to every widget
        self.settings.set_language(code)
        self.language_actions[code].setChecked(True)

    def set_theme(self, theme: str) -> None:
        app_instance = QApplication.instance()
        if isinstance(app_instance, QApplication):
            apply_theme(app_instance, theme)
        self.settings.set_theme(theme)

    # --- files --------------------------------------------------------------------------------
    def campaign_folder(self) -> str:
        """Where file dialogs open: the campaign's folder (the demo's: the workbook's), else
        the process's folder as Qt's default."""
        path = self.session.path
        if path is not None and path.parent.name != "demo":
            return str(path.parent)
        folder = self.session.base_dir
        return str(folder) if folder is not None else ""

    def ask_open_campaign(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open campaign"),
            self.campaign_folder(),
            self.tr("Herald campaign (*.toml)"),
        )
        if path:
            spawn(self.open_path(Path(path)))

    def ask_open_workbook(self) -> None:
        self.recipients_page.ask_open()

    async def open_path(self, path: Path) -> None:
        """Open a campaign file or a workbook, whichever `path` is."""
        suffix = path.suffix.lower()
        if suffix in CAMPAIGN_SUFFIXES:
            if not self._confirm_discard():
                return
            await self.session.open_campaign(path)
            self.settings.add_recent(path)
            self.go_to(0)
        elif suffix in WORKBOOK_SUFFIXES:
            self.go_to(0)
            if await self.session.load_table(path):
                self.settings.add_recent(path)
        else:
            self._show_error(
                self.tr(
                    "Herald cannot open {name}: use a workbook (.xlsx, .csv) or a campaign file (.toml)."  # noqa: E501
                ).format(name=path.name)
            )

    @asyncSlot()
    async def new_campaign(self) -> None:
        await self.start_new_campaign()

    async def start_new_campaign(self) -> bool:
        """File › New campaign: a blank message over the workbook the user picks; nothing of
        the campaign open before (the demo's From, unsubscribe address, coupon) carries over."""
        if self.send_page.controller.running:
            self._show_error(self.tr("Wait for the send to finish (or cancel it) first."))
            return False
        if not self._confirm_discard():
            return False
        folder = self.campaign_folder()
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("New campaign: choose the workbook of recipients"),
            folder,
            self.tr("Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)"),
        )
        if not path:
            return False
        self.session.new_campaign()
        self.go_to(0)
        if await self.session.load_table(Path(path)):
            self.settings.add_recent(Path(path))
        self.session.set_dirty(False)  # nothing typed yet: closing need not ask
        return True

    @asyncSlot()
    async def open_demo(self) -> None:
        await self.open_demo_campaign()

    async def open_demo_campaign(self) -> None:
        from app.core.demo import write_demo_campaign
        from app.gui.settings import data_dir

        folder = data_dir() / "demo"
        path = folder / "campaign.toml"
        if not path.exists():  # reuse the demo written on an earlier start
            path = write_demo_campaign(folder, force=True)
        await self.session.open_campaign(path)
        self.settings.mark_first_run_done()
        self.go_to(0)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        for index, name in enumerate(files):
            action = self.recent_menu.addAction(f"&{index + 1} {Path(name).name}")
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, p=name: spawn(self.open_path(Path(p))))
        if not files:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(self.tr("&Clear the list"))
            clear.triggered.connect(self.settings.clear_recent)

    def save(self) -> bool:
        if self.session.path is None or self.session.path.parent.name == "demo":
            return self.save_as()
        return self._save_to(self.session.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save campaign"),
            str(Path(self.campaign_folder()) / (self.session.name or "campaign"))
            if self.campaign_folder()
            else self.session.name or "campaign.toml",
            self.tr("Herald campaign (*.toml)"),
        )
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != ".toml":
            target = target.with_suffix(".toml")
        return self._save_to(target)

    def _save_to(self, path: Path) -> bool:
        try:
            self.session.save(path)
        except OSError as exc:
            self._show_error(
                self.tr("Could not save {path}: {reason}").format(path=path, reason=exc)
            )
            return False
        self.settings.add_recent(path)
        return True

    def _confirm_discard(self) -> bool:
        if not self.session.dirty:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The campaign has unsaved changes. Save them first?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _show_error(self, message: str) -> None:
        log.error("%s", message)
        QMessageBox.warning(self, self.tr("Herald"), message)

    # --- drag and drop ------------------------------------------------------------------------
    def _dropped_path(self, urls: list[QUrl]) -> Path | None:
        for url in urls:
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() in WORKBOOK_SUFFIXES + CAMPAIGN_SUFFIXES:
                    return path
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self._dropped_path(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_path(event.mimeData().urls())
        if path is not None:
            event.acceptProposedAction()
            spawn(self.open_path(path))

    # --- dialogs ------------------------------------------------------------------------------
    def show_profiles(self) -> None:
        from app.gui.profiles_dialog import ProfilesDialog

        dialog = ProfilesDialog(self)
        dialog.exec()
        self.compose_page.reload_profiles()

    def show_do_not_email(self) -> None:
        """The do-not-email list, window-modal but not blocking (the loop keeps running, so
        each change re-validates the open workbook while the dialog stays open)."""
        from app.gui.do_not_email_dialog import DoNotEmailDialog

        dialog = DoNotEmailDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.session.revalidate)
        dialog.destroyed.connect(lambda: setattr(self, "do_not_email_dialog", None))
        self.do_not_email_dialog = dialog
        dialog.open()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Herald"),
            self.tr(
                "<h3>Herald {version}</h3><p>A desktop mail-merge sender: a workbook of "
                "recipients, a template, and steady, rate-controlled SMTP sending.</p>"
            ).format(version=app.__version__),
        )

    def open_outbox(self) -> None:
        from app.core.paths import outbox_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(outbox_dir())))

    # --- closing ------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            self._finish_close()
            event.accept()
            return
        controller = self.send_page.controller
        if controller.running:
            answer = QMessageBox.question(
                self,
                self.tr("Sending in progress"),
                self.tr(
                    "Herald is sending. Pause the send and quit? You can resume it the next "
                    "time you open this campaign; nobody will receive a message twice."
                ),
            )
            event.ignore()
            # unsaved edits are asked about before the send stops: Cancel keeps both going
            if answer == QMessageBox.StandardButton.Yes and self._confirm_discard():
                self.session.set_dirty(False)  # saved, or the user chose to discard them
                spawn(self._pause_then_close())
            return
        if not self._confirm_discard():
            event.ignore()
            return
        self._finish_close()
        event.accept()

    async def _pause_then_close(self) -> None:
        await self.send_page.controller.stop_for_exit()
        self._may_close = True
        self.close()

    def _finish_close(self) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.log_view.detach()
        self.closed.emit()
