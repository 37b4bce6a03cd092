"""The main window's left column: the sections (dialpad, favorites, history, voicemail, contacts) with their
Ctrl+1…5 shortcuts and badges, the registration state in plain words, my status, and the do-not-disturb
switch (the my-status service owns DND where there is one; the switch is its shortcut). It decides nothing:
the window says which section shows and what the counts are; the accounts and status services say the rest.

Its words stay in the "MainWindow" translation context (registration_text's in the empty one, as before),
but for the plural badge text: lupdate reads plurals only from tr(), so that one is the column's own."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from callclient.services.types import MyStatus, RegistrationChanged, RegistrationState
from ui import theme
from ui.parts import AppParts
from ui.status_menu import StatusActions, StatusButton
from ui.text import plain, plain_tooltip

SECTIONS = ("dialpad", "favorites", "history", "voicemail", "contacts")
_REASON_LIMIT = 1000


def tr(text: str) -> str:
    # lupdate files a bare tr() call under the empty context, so that is where its translation is looked up.
    return QCoreApplication.translate("", text)


def registration_text(state: RegistrationState, reason: str, aor: str = "") -> str:
    """The registration state as a user would say it."""
    if state is RegistrationState.REGISTERED:
        return tr("Ready · %1").replace("%1", aor) if aor else tr("Ready")
    if state is RegistrationState.NOT_REGISTERING:
        return tr("Ready (direct calls, no registration)")
    if state is RegistrationState.REGISTERING:
        return tr("Connecting to your phone system…")
    if state is RegistrationState.RECONNECTING:  # after sleep or a network change
        return tr("Reconnecting…")
    if state is RegistrationState.FAILED:
        return tr("Not connected: %1").replace("%1", reason or tr("the phone system did not answer"))
    return tr("Not connected")


class NavigationColumn(QWidget):
    """Sections, registration, my status and DND; `window` carries the section shortcuts (they work wherever
    the focus is in it)."""

    section_chosen = Signal(str)
    changed = Signal()  # what the tray repeats changed: the registration, my status, DND or a badge
    notice = Signal(str)  # a user-facing message (a status change that did not go through)

    def __init__(self, parts: AppParts, window: QWidget) -> None:
        super().__init__()
        self._parts = parts
        self.registration: dict[str, RegistrationChanged] = {}  # the last news of each account
        self.setObjectName("navigation")
        self.setFixedWidth(210)
        brand = QLabel(QCoreApplication.translate("MainWindow", "CallClient"))
        brand.setProperty("role", "title")
        self.sections = QListWidget()
        self.sections.setObjectName("navigationList")
        self.sections.setAccessibleName(QCoreApplication.translate("MainWindow", "Sections"))
        self.sections.setIconSize(QSize(20, 20))
        labels = {"dialpad": QCoreApplication.translate("MainWindow", "Dialpad"),
                  "favorites": QCoreApplication.translate("MainWindow", "Favorites"),
                  "history": QCoreApplication.translate("MainWindow", "History"),
                  "voicemail": QCoreApplication.translate("MainWindow", "Voicemail"),
                  "contacts": QCoreApplication.translate("MainWindow", "Contacts")}
        icons = {"dialpad": "dialpad", "favorites": "favorites", "history": "history", "voicemail": "voicemail",
                 "contacts": "search"}
        self._section_labels = labels
        for number, name in enumerate(SECTIONS, start=1):
            item = QListWidgetItem(theme.icon(icons[name]), labels[name])
            item.setData(Qt.ItemDataRole.UserRole, name)
            shortcut = QKeySequence(f"Ctrl+{number}")
            item.setToolTip(QCoreApplication.translate("MainWindow", "%1 (%2)").replace("%1", labels[name])
                            .replace("%2", shortcut.toString(QKeySequence.SequenceFormat.NativeText)))
            self.sections.addItem(item)
            QShortcut(shortcut, window, lambda n=name: self.show_section(n))
        self.sections.currentRowChanged.connect(self._row_chosen)
        # Wide enough for the longest section name in this language with its badge ("Messagerie vocale  (99)"):
        # icon, item padding and margins (ui/theme.py) and the column's margins around it; no scroll bar under them.
        widest = max(self.sections.fontMetrics().horizontalAdvance(f"{label}  (99)") for label in labels.values())
        self.setFixedWidth(max(210, widest + 100))
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.registration_dot = QLabel()
        self.registration_dot.setObjectName("registrationDot")
        self.registration_label = QLabel(QCoreApplication.translate("MainWindow", "Starting…"))
        self.registration_label.setWordWrap(True)
        # The reason is the registrar's or the TLS library's words (issue 12: remote text is plain text).
        self.registration_label.setTextFormat(Qt.TextFormat.PlainText)
        self.registration_label.setAccessibleName(QCoreApplication.translate("MainWindow", "Registration state"))
        self.registration_label.setProperty("role", "muted")
        registration_row = QHBoxLayout()
        registration_row.addWidget(self.registration_dot, 0, Qt.AlignmentFlag.AlignTop)
        registration_row.addWidget(self.registration_label, 1)
        self.dnd = QCheckBox(QCoreApplication.translate("MainWindow", "Do not disturb"))
        self.dnd.setAccessibleName(QCoreApplication.translate("MainWindow", "Do not disturb"))
        self.dnd.setToolTip(QCoreApplication.translate("MainWindow", "Refuse incoming calls as busy"))
        self.dnd.toggled.connect(self.set_dnd)
        # My status (issue 14): the my-status service owns it, and DND with it; the checkbox is its shortcut.
        self.status_actions = StatusActions(parts, window)
        self.status_actions.refused.connect(self.notice)
        self.status_actions.changed.connect(self._status_shown)
        self.status_button = StatusButton(self.status_actions)
        self._status_shown(self.status_actions.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 16, 10, 12)
        layout.addWidget(brand)
        layout.addSpacing(8)
        layout.addWidget(self.sections, 1)
        layout.addLayout(registration_row)
        layout.addWidget(self.status_button)
        layout.addWidget(self.dnd)

    # ------------------------------------------------------------------ sections

    def show_section(self, name: str) -> None:
        self.sections.setCurrentRow(SECTIONS.index(name))

    def current_section(self) -> str:
        return SECTIONS[self.sections.currentRow()]

    def _row_chosen(self, row: int) -> None:
        if row >= 0:
            self.section_chosen.emit(SECTIONS[row])

    def set_badge(self, section: str, count: int) -> None:
        item = self.sections.item(SECTIONS.index(section))
        label = self._section_labels[section]
        item.setText(f"{label}  ({count})" if count else label)
        item.setData(Qt.ItemDataRole.AccessibleTextRole,
                     self.tr("%1, %n new", "", count).replace("%1", label)
                     if count else label)
        self.changed.emit()

    # ------------------------------------------------------------------ registration, status, DND

    def on_registration(self, event: RegistrationChanged) -> None:
        self.registration[event.account_id] = event
        shown = self.registration.get(self._parts.account_id) or event
        aor = f"{self._parts.account_id}" if shown.state is RegistrationState.REGISTERED else ""
        self.show_registration(shown.state, shown.reason, aor)

    def show_registration(self, state: RegistrationState, reason: str, aor: str = "") -> None:
        # Neutralised, and elided only far beyond any reason the engine writes, so the window says exactly
        # what the tray and `callclient status` say (issue 21).
        text = registration_text(state, plain(reason, _REASON_LIMIT), plain(aor))
        self.registration_label.setText(text)
        self.registration_dot.setStyleSheet(theme.dot_style(theme.registration_color(str(state))))
        self.registration_dot.setToolTip(plain_tooltip(text))
        self.changed.emit()

    def set_dnd(self, enabled: bool) -> None:
        if self._parts.services.my_status is not None:  # the status owns DND (on the PBX where there is one)
            self.status_actions.choose(MyStatus.DND if enabled else MyStatus.AVAILABLE)
            return
        failure = QCoreApplication.translate("MainWindow", "Could not change do not disturb")
        self._parts.tasks.follow(self._parts.services.calls.set_dnd(enabled), None, lambda error: self.notice.emit(
            QCoreApplication.translate("MainWindow", "%1: %2").replace("%1", failure).replace("%2", str(error))))
        self.changed.emit()

    def show_engine_dnd(self, dnd: bool) -> None:
        """The engine's DND at start-up, where no my-status service owns it."""
        if self._parts.services.my_status is None and dnd != self.dnd.isChecked():
            self._set_dnd_shown(dnd)

    def _status_shown(self, status: MyStatus) -> None:
        if self.dnd.isChecked() != (status is MyStatus.DND):
            self._set_dnd_shown(status is MyStatus.DND)
        self.changed.emit()

    def _set_dnd_shown(self, dnd: bool) -> None:
        self.dnd.blockSignals(True)  # showing the state, not a click: nothing to send
        self.dnd.setChecked(dnd)
        self.dnd.blockSignals(False)
