"""Settings → Desktop: CallClient's place on the desktop — notifications, media keys, start at login, the
sip:/tel: link handler, global shortcuts and the headset buttons that drive calls. Every control takes the
one settings route; the desktop service (callclient/services/desktop.py) applies the change, and what it
cannot apply (a shortcut another program holds) is shown beside the control that asked for it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QKeyCombination, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QKeySequenceEdit, QLabel, QLineEdit, QListWidget, \
    QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget

from callclient.services.types import HotkeyConflict, SettingsChanged
from ui.parts import AppParts
from ui.settings.common import SettingsPage
from ui.text import plain_name, plain_tooltip

# Marked for lupdate (QT_TRANSLATE_NOOP) and translated where shown, with self.tr in this page's context.
HOTKEYS = (("answer", QT_TRANSLATE_NOOP("DesktopPage", "Answer")),
           ("hang_up", QT_TRANSLATE_NOOP("DesktopPage", "Hang up")),
           ("mute", QT_TRANSLATE_NOOP("DesktopPage", "Mute or unmute")),
           ("redial", QT_TRANSLATE_NOOP("DesktopPage", "Redial")),
           ("show_window", QT_TRANSLATE_NOOP("DesktopPage", "Show the window")))
# Qt's portable key names -> X keysym names where they differ (desktop.hotkey_* holds X keysym names).
_X_KEYSYMS = {"PgUp": "Prior", "PgDown": "Next", "Del": "Delete", "Ins": "Insert", "Esc": "Escape",
              "Backspace": "BackSpace", "Space": "space", "Enter": "KP_Enter"}
_QT_KEYS = {x: qt for qt, x in _X_KEYSYMS.items()}
# What each telephony key does, in the user's words (callclient/desktop/headset.py: TelephonyKey).
KEY_WORDS = {"PICKUP_PHONE": QT_TRANSLATE_NOOP("DesktopPage", "answer"),
             "HANGUP_PHONE": QT_TRANSLATE_NOOP("DesktopPage", "hang up"),
             "MICMUTE": QT_TRANSLATE_NOOP("DesktopPage", "mute"),
             "PHONE": QT_TRANSLATE_NOOP("DesktopPage", "phone button")}
DEVICE_LIST_HEIGHT_PX = 96  # four or so rows: a desk rarely has more headsets
_MODIFIERS = ((Qt.KeyboardModifier.ControlModifier, "ctrl", "Ctrl"), (Qt.KeyboardModifier.AltModifier, "alt", "Alt"),
              (Qt.KeyboardModifier.ShiftModifier, "shift", "Shift"), (Qt.KeyboardModifier.MetaModifier, "super", "Meta"))


def shortcut_from_sequence(sequence: QKeySequence) -> str:
    """'ctrl+alt+a' for the first chord of `sequence` ('' when empty): the form desktop.hotkey_* stores."""
    if sequence.isEmpty():
        return ""
    chord: QKeyCombination = sequence[0]
    key = QKeySequence(chord.key()).toString(QKeySequence.SequenceFormat.PortableText)
    key = _X_KEYSYMS.get(key, key.lower() if len(key) == 1 else key)
    names = [name for modifier, name, _qt in _MODIFIERS if chord.keyboardModifiers() & modifier]
    return "+".join([*names, key])


def sequence_from_shortcut(shortcut: str) -> QKeySequence:
    if not shortcut:
        return QKeySequence()
    *modifiers, key = shortcut.split("+")
    qt_names = {name: qt for _modifier, name, qt in _MODIFIERS}
    key = _QT_KEYS.get(key, key.upper() if len(key) == 1 else key)
    return QKeySequence("+".join([*(qt_names.get(m.lower(), m) for m in modifiers), key]),
                        QKeySequence.SequenceFormat.PortableText)


class DesktopPage(SettingsPage):
    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        self._desktop = parts.services.desktop  # None where a Services is built without Core
        form = QFormLayout(self)

        self.notifications = self._check(self.tr("Show calls, missed calls and voicemail as desktop notifications"),
                                         "desktop", "notifications", True)
        self._row(form, self.tr("Notifications"), self.notifications, "desktop.notifications")
        problem = self._desktop.problem if self._desktop is not None and self._desktop.bus is None else ""
        if problem:
            note = QLabel(self.tr("Not available in this session: %1").replace("%1", problem))
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setProperty("role", "muted")
            note.setWordWrap(True)
            form.addRow("", note)
        self.media_keys = self._check(self.tr("Media keys and Bluetooth headset buttons answer and hang up"),
                                      "desktop", "media_keys", True)
        self._row(form, self.tr("Media keys"), self.media_keys, "desktop.media_keys")
        self.autostart = self._check(self.tr("Start CallClient when I log in (in the tray)"), "desktop", "autostart",
                                     False)
        self._row(form, self.tr("Start at login"), self.autostart, "desktop.autostart")
        self.start_minimised = self._check(self.tr("Start minimised to the tray"), "ui", "start_minimised", False)
        self._row(form, "", self.start_minimised, "ui.start_minimised")
        self.link_handler = self._check(self.tr("Open sip:, sips:, tel: and callto: links with CallClient"),
                                        "desktop", "link_handler", False)
        self._row(form, self.tr("Links"), self.link_handler, "desktop.link_handler")

        heading = QLabel(self.tr("Global shortcuts (work while another window has focus)"))
        heading.setProperty("role", "heading")
        form.addRow(heading)
        hotkeys_problem = self._desktop.hotkeys_problem if self._desktop is not None else ""
        if hotkeys_problem:
            note = QLabel(hotkeys_problem)
            note.setProperty("role", "muted")
            note.setWordWrap(True)
            form.addRow("", note)
        self.shortcut_editors: dict[str, QKeySequenceEdit] = {}
        self.conflict_labels: dict[str, QLabel] = {}
        for action, text in HOTKEYS:
            editor = QKeySequenceEdit(sequence_from_shortcut(str(self._value("desktop", f"hotkey_{action}", ""))))
            editor.setMaximumSequenceLength(1)  # one chord: X grabs a key with modifiers, not a sequence
            editor.setClearButtonEnabled(True)
            editor.setObjectName(f"hotkey:{action}")
            editor.setAccessibleName(self.tr("Shortcut to %1").replace("%1", self.tr(text).lower()))
            typed_into = editor.findChild(QLineEdit)  # what takes the keys, and what a screen reader lands on
            if typed_into is not None:
                typed_into.setAccessibleName(editor.accessibleName())
            editor.editingFinished.connect(lambda action=action: self._shortcut_edited(action))
            editor.keySequenceChanged.connect(
                lambda sequence, action=action: sequence.isEmpty() and self._shortcut_edited(action))
            conflict = QLabel()
            conflict.setObjectName(f"conflict:{action}")
            conflict.setTextFormat(Qt.TextFormat.PlainText)
            conflict.setStyleSheet("color: #c62828;")  # the one warning colour of the settings pages
            conflict.setWordWrap(True)
            conflict.hide()
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(editor)
            column.addWidget(conflict)
            self.shortcut_editors[action] = editor
            self.conflict_labels[action] = conflict
            self._row(form, self.tr(text), cell, f"desktop.hotkey_{action}")
            cell.setAccessibleName(self.tr("%1 shortcut").replace("%1", self.tr(text)))

        heading = QLabel(self.tr("Headset buttons"))
        heading.setProperty("role", "heading")
        form.addRow(heading)
        self.devices = QListWidget()
        self.devices.setMaximumHeight(DEVICE_LIST_HEIGHT_PX)
        self.devices.setWordWrap(True)
        self.devices.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.devices.setToolTip(self.tr("Tick the devices whose answer, hang-up and mute buttons drive calls"))
        self.devices.itemChanged.connect(self._devices_changed)
        refresh = QPushButton(self.tr("Look again"))
        refresh.setAccessibleName(self.tr("Look for headsets again"))
        refresh.clicked.connect(self.list_devices)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.devices)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        column.addLayout(buttons)
        self._row(form, self.tr("Devices that drive calls"), cell, "desktop.headset_devices")
        self.devices.setAccessibleName(self.tr("Devices that drive calls"))
        self.list_devices()

        parts.bridge.event.connect(self._on_news)
        parts.bridge.settings_changed.connect(self._on_settings_changed)
        self.show_conflicts()

    # ------------------------------------------------------------------ check boxes

    def _check(self, text: str, section: str, name: str, default: bool) -> QCheckBox:
        box = QCheckBox(text)
        box.setChecked(bool(self._value(section, name, default)))
        box.toggled.connect(lambda on: self._set(f"{section}.{name}", on))
        return box

    def _set(self, key: str, value: Any) -> None:
        if self._value(*key.split(".", 1)) == value:
            return
        self.change({key: value}, "the Settings window",
                    lambda error: QMessageBox.warning(self, self.tr("Settings"), str(error)))

    # ------------------------------------------------------------------ shortcuts

    def _shortcut_edited(self, action: str) -> None:
        shortcut = shortcut_from_sequence(self.shortcut_editors[action].keySequence())
        self._set(f"desktop.hotkey_{action}", shortcut)

    def show_conflicts(self) -> None:
        """Shows, beside each shortcut, why the desktop service could not take it (if it could not)."""
        conflicts = self._desktop.hotkey_conflicts() if self._desktop is not None else {}
        for action, label in self.conflict_labels.items():
            self._show_conflict(action, conflicts.get(action))

    def _show_conflict(self, action: str, conflict: HotkeyConflict | None) -> None:
        label = self.conflict_labels[action]
        wanted = shortcut_from_sequence(self.shortcut_editors[action].keySequence())
        # A conflict about a shortcut the editor no longer holds is history, not news.
        if conflict is None or not wanted or conflict.shortcut.lower() != wanted.lower():
            label.clear()
            label.hide()
            return
        label.setText(self.tr("Not set: %1").replace("%1", conflict.reason))
        label.show()

    def _on_news(self, event: object) -> None:
        if isinstance(event, HotkeyConflict) and event.action in self.conflict_labels:
            self._show_conflict(event.action, event)

    def _on_settings_changed(self, change: SettingsChanged) -> None:
        # The values compared against before each change are the ones in force now, not the dialog's first.
        self.config = change.config
        if change.touches("desktop.hotkey_"):
            self.show_conflicts()

    # ------------------------------------------------------------------ headset devices

    def list_devices(self) -> None:
        """The input devices with telephony keys, ticked where they drive calls now; a chosen device that is
        not plugged in stays listed (ticked, "not connected") so unticking it remains possible."""
        chosen = list(self._value("desktop", "headset_devices", ()))
        found = self._desktop.input_devices() if self._desktop is not None else []
        self.devices.blockSignals(True)
        self.devices.clear()
        for device in found:
            keys = ", ".join(self.tr(KEY_WORDS.get(key.name, key.name.lower())) for key in device.keys)
            self._add_device(f"{plain_name(device.name)} ({keys})", device.path, device.path in chosen)
        for path in chosen:
            if path not in {device.path for device in found}:
                self._add_device(self.tr("%1 (not connected)").replace("%1", path), path, True)
        if not self.devices.count():
            item = QListWidgetItem(self.tr("No headset with call buttons found"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.devices.addItem(item)
        self.devices.blockSignals(False)

    def _add_device(self, text: str, path: str, ticked: bool) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, path)
        item.setToolTip(plain_tooltip(path))  # by-id names come from the device's USB strings
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.devices.addItem(item)

    def chosen_devices(self) -> list[str]:
        return [self.devices.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.devices.count())
                if self.devices.item(row).checkState() == Qt.CheckState.Checked]

    def _devices_changed(self, _item: QListWidgetItem) -> None:
        self._set("desktop.headset_devices", self.chosen_devices())
