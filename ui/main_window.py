"""The main window: the pages (dialpad, favorites, history, voicemail, contacts), one search box, the in-call
view while calls are up, and the menus. It owns no service and decides no policy: calls are answered, held
and declined by the call actions service, ringing is the alerting service's; everything arrives in
`AppParts`, and the window follows the services' news (accounts, settings, PBX events) live.

It composes the parts with a job of their own: the left column (ui/navigation.py: sections, registration,
my status, DND), answering (ui/answering.py: the incoming-call window and the call keys), the notices
(ui/notices.py), the app lock's part (ui/window_lock.py), call forwarding (ui/forwarding.py) and the tray
(ui/tray.py)."""

from __future__ import annotations

import logging
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callclient.services.threads import GUI, runs_on
from callclient.services.types import (
    AccountsChanged,
    CallEnded,
    CallState,
    CallUpdated,
    EngineStatus,
    RegistrationChanged,
    RegistrationState,
    SettingsChanged,
    UpdateModeChanged,
)
from ui import theme
from ui.add_contact import AddContactDialog
from ui.answering import CALL_KEYS, Answering
from ui.call_view import CallView
from ui.confirm import place_call
from ui.contacts_view import ContactsView
from ui.dialpad import Dialpad
from ui.favorites_view import FavoritesView
from ui.forwarding import ForwardingBanner, ForwardingMenu
from ui.history_view import HistoryView
from ui.models import NUMBER_ROLE, apply_language
from ui.parts import AppParts
from ui.navigation import NavigationColumn
from ui.notices import Notices
from ui.sip_words import status_words
from ui.text import caller_line, plain
from ui.tray import SystemTray
from ui.voicemail_view import VoicemailView
from ui.window_lock import WindowLock

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    settings_requested = Signal()
    sign_in_requested = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts = parts
        apply_language(parts.config().config.ui.language)
        self.setWindowTitle(self.tr("CallClient"))
        self.setWindowIcon(theme.app_icon())
        self.resize(900, 640)
        self.missed_calls = 0
        self.unread_voicemail = 0
        self.quitting = False

        # --- navigation column (ui/navigation.py): sections, registration, my status, DND
        self.navigation = NavigationColumn(parts, self)
        self.navigation.section_chosen.connect(self._section_chosen)
        self.navigation.changed.connect(self._update_tray)
        self.navigation.notice.connect(self.show_notice)
        self.sections = self.navigation.sections
        self.registration_label = self.navigation.registration_label
        self.dnd = self.navigation.dnd
        self.status_actions = self.navigation.status_actions
        self.status_button = self.navigation.status_button

        # --- content: search, notices, pages
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search colleagues, contacts, favorites and history (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        # Qt's own clear button has no name to say; its button shows this action, so the action names it.
        for clear in self.search.findChildren(QAction):
            clear.setText(self.tr("Clear the search"))
            clear.setToolTip(self.tr("Clear the search"))
        self.search.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition).setText(self.tr("Search"))
        self.search.textChanged.connect(self._search_changed)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        # The banner and the refused-call notices above the pages (ui/notices.py).
        self.notices = Notices(self)
        self.banner, self.banner_text = self.notices.banner, self.notices.banner_text
        self.refused_calls = self.notices.refused_calls
        # Only while the PBX's websocket is down: then a call's history entry is fetched shortly after it
        # ends. While it is up, the PBX pushes the entry (HistoryChanged) and no timer runs.
        self._history_refresh = QTimer(self)
        self._history_refresh.setSingleShot(True)
        self._history_refresh.setInterval(1500)

        self.dialpad = Dialpad()
        self.favorites_view = FavoritesView(parts)
        self.history_view = HistoryView(parts)
        self.voicemail_view = VoicemailView(parts)
        self.contacts_view = ContactsView(parts)
        self.call_view = CallView(parts)
        self.pages = QStackedWidget()
        self._page_of = {"dialpad": self._dialpad_page(), "favorites": self.favorites_view,
                         "history": self.history_view, "voicemail": self.voicemail_view,
                         "contacts": self.contacts_view}
        for page in self._page_of.values():
            self.pages.addWidget(page)
        self.home = QWidget()
        home_layout = QVBoxLayout(self.home)
        home_layout.setContentsMargins(12, 12, 12, 0)
        home_layout.addWidget(self.search)
        home_layout.addWidget(self.banner)
        self.forwarding_banner = ForwardingBanner(parts)  # while every call is forwarded (issue 14)
        self.forwarding_banner.error.connect(self.show_notice)
        home_layout.addWidget(self.forwarding_banner)
        home_layout.addWidget(self.refused_calls)
        home_layout.addWidget(self.pages, 1)
        self.screens = QStackedWidget()
        self.screens.addWidget(self.home)
        self.screens.addWidget(self.call_view)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.screens, 1)
        self.setCentralWidget(central)

        self.answering = Answering(self)  # the incoming-call window, Ctrl+Shift+A, the call keys (ui/answering.py)
        self.incoming = self.answering.incoming

        for view in (self.dialpad, self.favorites_view, self.history_view, self.voicemail_view, self.contacts_view):
            view.call_requested.connect(self.call)
        for view in (self.favorites_view, self.voicemail_view, self.call_view):
            view.error.connect(self.show_notice)
        self._history_refresh.timeout.connect(self.history_view.refresh)
        self.history_view.missed_count_changed.connect(self._missed_changed)
        self.voicemail_view.unread_count_changed.connect(self._unread_changed)
        for view in (self.contacts_view, self.history_view, self.voicemail_view):
            view.add_favorite_requested.connect(self.add_favorite)
            view.add_contact_requested.connect(self.add_contact)
        self.add_contact_dialog: AddContactDialog | None = None
        self.call_view.add_call_requested.connect(self._add_call)
        self.call_view.call_requested.connect(self.call)
        parts.bridge.registration_changed.connect(self.navigation.on_registration)
        parts.bridge.call_updated.connect(self.on_call_updated)
        parts.bridge.call_ended.connect(self.on_call_ended)
        parts.bridge.message_summary.connect(lambda _event: self.voicemail_view.refresh())
        parts.bridge.voicemail_changed.connect(lambda _event: self.voicemail_view.refresh())
        parts.bridge.history_changed.connect(lambda _event: self.history_view.refresh())
        parts.bridge.pbx_updates_changed.connect(self._pbx_updates_changed)
        parts.bridge.accounts_changed.connect(self.on_accounts_changed)
        parts.bridge.settings_changed.connect(self.on_settings_changed)

        self._build_menus()
        # The app lock's part in the windows (ui/window_lock.py): the lock screen over `central`.
        self.app_lock = WindowLock(self, central)
        self.lock_screen = self.app_lock.screen
        self.system_tray = SystemTray(self)
        self.tray = self.system_tray.icon
        self.navigation.show_registration(RegistrationState.REGISTERING, "")
        self.show_section("dialpad")

    # ------------------------------------------------------------------ building

    def _dialpad_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.dialpad, 1)
        if self.parts.demo:
            hint = QLabel(self.tr("Demo mode: try %1").replace("%1", "  ·  ".join(
                f"{n.number} {QCoreApplication.translate('DemoNumbers', n.name)}" for n in self.parts.demo_numbers)))
            hint.setProperty("role", "muted")
            hint.setWordWrap(True)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            hint.setAccessibleName(self.tr("Demo numbers"))
            layout.addWidget(hint)
        return page

    def _build_menus(self) -> None:
        app_menu = self.menuBar().addMenu(self.tr("&CallClient"))
        self.settings_action = QAction(theme.icon("settings"), self.tr("&Settings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.settings_requested)
        self.sign_in_action = QAction(self.tr("Sign &in…"), self)
        self.sign_in_action.triggered.connect(self.sign_in_requested)
        self.sign_out_action = QAction(theme.icon("sign-out"), self.tr("Sign &out"), self)
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.quit)
        for action in (self.settings_action, self.sign_in_action, self.sign_out_action):
            app_menu.addAction(action)
        app_menu.addSeparator()
        app_menu.addAction(self.quit_action)
        call_menu = self.menuBar().addMenu(self.tr("C&all"))
        redial = call_menu.addAction(self.tr("&Redial"))
        redial.setShortcut(QKeySequence("Ctrl+R"))
        redial.triggered.connect(self.dialpad.redial)
        answer = call_menu.addAction(self.tr("&Answer"))
        answer.setToolTip(QKeySequence("Ctrl+Shift+A").toString(QKeySequence.SequenceFormat.NativeText))
        answer.triggered.connect(self.answering.answer_ringing)
        self.forwarding_menu = ForwardingMenu(self.parts, self)  # the tray shows the same menu
        self.forwarding_menu.error.connect(self.show_notice)
        call_menu.addMenu(self.forwarding_menu)
        recordings = call_menu.addAction(self.tr("Re&cordings…"))
        recordings.triggered.connect(self.show_recordings)

    # ------------------------------------------------------------------ start-up

    def start(self) -> None:
        """First paint: the engine's current state, then the lists (all fetched off the GUI thread)."""
        self.parts.tasks.follow(self.parts.services.calls.status(), self._show_status, lambda error: None)
        self.favorites_view.refresh()
        self.history_view.refresh()
        self.voicemail_view.refresh()

    def _show_status(self, status: EngineStatus) -> None:
        for account in status.accounts:
            self.navigation.on_registration(RegistrationChanged(account.account_id, account.state, account.code,
                                                                account.reason))
            self.navigation.show_engine_dnd(account.dnd)

    # ------------------------------------------------------------------ sections and search

    def show_section(self, name: str) -> None:
        self.navigation.show_section(name)

    def current_section(self) -> str:
        return self.navigation.current_section()

    def _section_chosen(self, name: str) -> None:
        self.pages.setCurrentWidget(self._page_of[name])
        if self.screens.currentWidget() is self.call_view and not self.call_view.has_calls():
            self.screens.setCurrentWidget(self.home)
        if name == "dialpad":
            self.dialpad.setFocus()

    def _search_changed(self, text: str) -> None:
        self.history_view.set_search(text)
        self.contacts_view.set_search(text)
        if text.strip():
            self.show_section("contacts")

    def add_favorite(self, name: str, number: str) -> None:
        """"Add to favorites" from a search result, a history row or a voicemail."""
        self.favorites_view.add(name or number, number)
        self.show_notice(self.tr("%1 added to favorites.").replace("%1", plain(name or number)))

    def add_contact(self, name: str, number: str) -> None:
        """"Add to contacts": a personal contact on the PBX, after the user checks the fields."""
        if self.add_contact_dialog is not None:
            self.add_contact_dialog.close()
        dialog = AddContactDialog(self.parts, name, number, self)
        dialog.saved.connect(lambda saved: self.show_notice(self.tr("%1 added to your contacts.")
                                                            .replace("%1", plain(saved))))
        dialog.saved.connect(lambda _saved: self.history_view.refresh())
        self.add_contact_dialog = dialog
        dialog.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Digits typed anywhere that is not a text field go to the dialpad (or to the call as DTMF)."""
        desktop = self.parts.services.desktop
        if event.key() in CALL_KEYS and not (desktop is not None and desktop.media_keys_reach_us):
            self.answering.call_key(Qt.Key(event.key()))
            return
        text = event.text()
        if text and text in "0123456789*#+" and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if self.app_lock.showing:  # locked: digits can only make an emergency call
                self.lock_screen.emergency_number.setFocus()
                self.lock_screen.emergency_number.insert(text)
            elif self.screens.currentWidget() is self.call_view and self.call_view.keypad.isVisible():
                self.call_view.keypad.press(text)
            else:
                self.show_section("dialpad")
                self.dialpad.type_text(text)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ calls

    def call(self, target: str) -> None:
        if not self.app_lock.may_call(target):
            return
        self.search.clear()
        place_call(self.parts, self, target, self.show_notice)  # asks first for a target outside the domain

    def _add_call(self) -> None:
        if self.app_lock.locked:
            self.app_lock.request_unlock()
            return
        self.screens.setCurrentWidget(self.home)
        self.show_section("dialpad")

    @runs_on(GUI)
    def on_call_updated(self, event: CallUpdated) -> None:
        if event.state is CallState.INCOMING:
            self.answering.ring(event)
            return
        self.incoming.stop_ringing(event.call_id)
        if event.state is not CallState.DISCONNECTED:
            self.screens.setCurrentWidget(self.call_view)
            self.app_lock.apply()

    def on_call_ended(self, event: CallEnded) -> None:
        self.incoming.stop_ringing(event.call_id)
        if not self.call_view.has_calls() and self.screens.currentWidget() is self.call_view:
            self.screens.setCurrentWidget(self.home)
            if self.current_section() == "dialpad":
                self.dialpad.setFocus()
            self.app_lock.apply()
        if event.code >= 300 and not event.answered and event.direction.value == "outgoing":
            self.show_notice(self.tr("Call to %1 ended: %2").replace("%1", caller_line(event.remote))
                             .replace("%2", status_words(event.code, event.reason)))
        # The PBX records the call. While its websocket is up it pushes the entry (HistoryChanged);
        # otherwise the history is fetched shortly after.
        if not self.parts.services.pbx.live:
            self._history_refresh.start()

    def _pbx_updates_changed(self, _event: UpdateModeChanged) -> None:
        if self.parts.services.pbx.live:
            self._history_refresh.stop()

    @runs_on(GUI)
    def on_accounts_changed(self, _event: AccountsChanged) -> None:
        """A first sign-in, a sign-out or a provisioned account: the lists and the status follow at once."""
        self.start()

    @runs_on(GUI)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("ui.language"):
            apply_language(change.config.config.ui.language)
        if change.touches("ui.language", "dialplan.region"):
            self.history_view.refresh()
            self.voicemail_view.refresh()
        if change.touches("ui.theme"):
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance()
            if app is not None:
                theme.apply(app, change.config.config.ui.theme)

    # ------------------------------------------------------------------ status

    def _missed_changed(self, count: int) -> None:
        self.missed_calls = count
        self.navigation.set_badge("history", count)

    def _unread_changed(self, count: int) -> None:
        self.unread_voicemail = count
        self.navigation.set_badge("voicemail", count)

    def _update_tray(self) -> None:
        if getattr(self, "system_tray", None) is not None:
            self.system_tray.update()

    def notify(self, title: str, text: str) -> None:
        """A tray notification of plain words (callers build `text` with ui.text)."""
        self.system_tray.notify(title, text)

    def show_notice(self, text: str) -> None:
        self.notices.show_notice(text)

    # ------------------------------------------------------------------ window

    def show_recordings(self) -> None:
        """The call recordings on this device (Call > Recordings…)."""
        from ui.recordings_view import RecordingsDialog

        dialog = RecordingsDialog(self.parts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.recordings_dialog = dialog
        dialog.show()

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if self.app_lock.locked and not self.app_lock.state.unlocking:
            self.app_lock.request_unlock()  # opening the window while locked asks straight away

    def quit(self) -> None:
        self.quitting = True
        self.quit_requested.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Close to the tray (calls keep working); Quit really quits."""
        config = self.parts.config()
        close_to_tray = config.config.ui.close_to_tray if config is not None else True
        if self.tray is not None and close_to_tray and not self.quitting:
            event.ignore()
            self.hide()
            return
        self._history_refresh.stop()
        self.incoming.close()
        self.voicemail_view.close()
        super().closeEvent(event)


def favorite_numbers(view: FavoritesView) -> list[str]:
    return [view.model.item(row).data(NUMBER_ROLE) for row in range(view.model.rowCount())]

