"""The main window's sections, settings and sign-in, driven against the demo PBX and real storage."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListView, QSlider, QWidget

from callclient.app import Core
from callclient.engine.events import CallState, RegistrationState
from callclient.pbx.service import VoicemailFolder
from tests.ui.conftest import CALL_TIMEOUT_MS
from ui import theme
from ui.main_window import MainWindow
from ui.navigation import registration_text
from ui.parts import AppParts
from ui.settings import SettingsDialog
from ui.sign_in import SignInWindow

LOAD_MS = 15_000


def test_history_lists_the_pbx_calls_and_missed_calls_stand_out_and_are_counted(qtbot: Any,
                                                                               window: MainWindow) -> None:
    view = window.history_view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=LOAD_MS)
    records = [view.model.item(row).data(Qt.ItemDataRole.UserRole + 5) for row in range(view.model.rowCount())]
    missed = [r for r in records if r.missed]
    assert missed, "the sample history has missed calls"
    assert window.missed_calls == len(missed)
    assert f"({len(missed)})" in window.sections.item(2).text()
    qtbot.mouseClick(view.missed_button, Qt.MouseButton.LeftButton)
    assert view.filtered.rowCount() == len(missed)
    assert f"{len(missed)} missed" in window.system_tray.text()
    assert not theme.badged_icon(len(missed)).pixmap(64, 64).toImage() == theme.app_icon().pixmap(64, 64).toImage()


def test_calling_back_from_history_dials_the_number_of_the_row(qtbot: Any, window: MainWindow) -> None:
    view = window.history_view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=LOAD_MS)
    with qtbot.waitSignal(view.call_requested, timeout=LOAD_MS) as requested:
        view.list.activated.emit(view.filtered.index(0, 0))
    assert requested.args[0] == view.filtered.index(0, 0).data(Qt.ItemDataRole.UserRole + 4)


def test_voicemail_plays_seeks_and_marks_the_message_read(qtbot: Any, window: MainWindow, core: Core) -> None:
    view = window.voicemail_view
    window.show_section("voicemail")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=LOAD_MS)
    unread = [m for m in view.message_rows() if m.folder is not VoicemailFolder.OLD]
    assert unread and window.unread_voicemail == len(unread)
    message = unread[0]
    view.open_message(message)
    qtbot.waitUntil(lambda: view.player is not None, timeout=LOAD_MS)
    assert view.play_button.isEnabled() and view.progress.maximum() > 0
    qtbot.mouseClick(view.play_button, Qt.MouseButton.LeftButton)
    assert view.play_button.text() == "Pause"
    qtbot.mouseClick(view.play_button, Qt.MouseButton.LeftButton)
    assert view.play_button.text() == "Play", "pause stops it at once"
    assert view.player.position_s < view.player.duration_s
    qtbot.mouseClick(view.play_button, Qt.MouseButton.LeftButton)
    # The sample messages last about a second: it plays to the end, and the bar follows.
    qtbot.waitUntil(lambda: view.play_button.text() == "Play", timeout=LOAD_MS)
    assert view.progress.value() == view.progress.maximum()
    assert view.position.text().startswith("0:01") or view.position.text().startswith("0:00")
    view.seek(view.player.duration_s / 2)
    assert abs(view.progress.value() - view.progress.maximum() / 2) <= 1
    qtbot.waitUntil(lambda: window.unread_voicemail == len(unread) - 1, timeout=LOAD_MS)
    assert core.pbx.voicemail_counts().new + core.pbx.voicemail_counts().urgent == len(unread) - 1


def test_adding_a_favorite_stores_it_lists_it_and_click_calls_it(qtbot: Any, window: MainWindow, core: Core) -> None:
    view = window.favorites_view
    window.show_section("favorites")
    qtbot.keyClicks(view.name_field, "Echo desk")
    qtbot.keyClicks(view.number_field, "100")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(f.label == "Echo desk" for f in view.favorites), timeout=LOAD_MS)
    stored = core.favorites.list(window.parts.account_id)
    assert [f.target for f in stored if f.label == "Echo desk"] == ["100"]
    row = next(r for r in range(view.model.rowCount()) if view.model.item(r).text() == "Echo desk")
    view.list.activated.emit(view.model.index(row, 0))
    qtbot.waitUntil(lambda: any(c.state is CallState.CONFIRMED and c.remote.number == "100"
                                for c in window.call_view.calls.values()), timeout=CALL_TIMEOUT_MS)
    view.list.setCurrentIndex(view.model.index(row, 0))
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not any(f.label == "Echo desk" for f in view.favorites), timeout=LOAD_MS)
    assert not any(f.label == "Echo desk" for f in core.favorites.list(window.parts.account_id))


def test_search_finds_the_demo_numbers_as_you_type(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() > 0, timeout=LOAD_MS)
    qtbot.keyClicks(window.search, "echo")
    assert window.current_section() == "contacts"
    qtbot.waitUntil(lambda: window.contacts_view.visible_numbers() == ["100"], timeout=LOAD_MS)


def test_digits_typed_anywhere_land_on_the_dialpad(qtbot: Any, window: MainWindow) -> None:
    window.show_section("history")
    window.history_view.list.setFocus()
    qtbot.keyClicks(window, "12")
    assert window.current_section() == "dialpad"
    assert window.dialpad.number.text() == "12"


def test_do_not_disturb_switch_turns_it_on_in_the_engine(qtbot: Any, window: MainWindow) -> None:
    engine = window.parts.services.calls
    window.dnd.click()
    qtbot.waitUntil(lambda: all(a.dnd for a in engine.status().result(5).accounts), timeout=LOAD_MS)
    window.dnd.click()
    qtbot.waitUntil(lambda: not any(a.dnd for a in engine.status().result(5).accounts), timeout=LOAD_MS)


def test_registration_state_reads_in_plain_words(window: MainWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: window.registration_label.text().startswith("Ready"), timeout=LOAD_MS)
    failed = registration_text(RegistrationState.FAILED, "wrong password (403 Forbidden)")
    assert failed == "Not connected: wrong password (403 Forbidden)"
    assert registration_text(RegistrationState.RECONNECTING, "") == "Reconnecting…", "after sleep or a network change"


def test_settings_switch_the_call_devices_and_show_where_settings_come_from(qtbot: Any, parts: AppParts,
                                                                          core: Core) -> None:
    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    dialog.show()
    audio = dialog.audio_page
    qtbot.waitUntil(lambda: audio.playback.count() > 1, timeout=LOAD_MS)
    names = [audio.playback.itemData(i) for i in range(1, audio.playback.count())]
    assert core.audio is not None
    other = next(name for name in names if name != core.audio.playback_device_name)
    audio.choose_devices("", other)
    qtbot.waitUntil(lambda: core.audio.playback_device_name == other, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: core.config.origin("audio.playback_device") == "preferences", timeout=LOAD_MS)
    reopened = SettingsDialog(parts)
    qtbot.addWidget(reopened)
    origin = reopened.findChild(QWidget, "origin:audio.playback_device")
    assert origin is not None and origin.text() == "set by preferences", "the choice is saved as an in-app setting"
    assert reopened.findChild(QWidget, "origin:sip.udp_port").text() == "default"
    assert "Python" in dialog.about_page.diagnostics.toPlainText()
    audio.choose_devices("", "")
    qtbot.waitUntil(lambda: core.config.origin("audio.playback_device") == "preferences", timeout=LOAD_MS)
    qtbot.mouseClick(audio.speaker_test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audio.speaker_player is not None, timeout=LOAD_MS)
    assert audio.device_note.text().startswith("Playing a test sound")
    assert audio.speaker_player.position_s > 0 or audio.speaker_player.state.value == "playing"
    dialog.reject()
    assert audio.speaker_player is None, "closing the window closes the test sound's stream"


def test_every_control_has_an_accessible_name(window: MainWindow, parts: AppParts, qtbot: Any) -> None:
    windows: list[QWidget] = [window, window.incoming, SettingsDialog(parts), SignInWindow(parts)]
    for extra in windows[2:]:
        qtbot.addWidget(extra)
    unnamed = []
    for top in windows:
        for control in top.findChildren(QWidget):
            if not isinstance(control, (QAbstractButton, QLineEdit, QComboBox, QListView, QSlider)):
                continue
            if qt_internal(control):
                continue
            if not control.accessibleName() and not (isinstance(control, QAbstractButton) and control.text()):
                unnamed.append(f"{type(top).__name__}: {type(control).__name__} in {type(control.parent()).__name__}")
    assert unnamed == [], unnamed


def qt_internal(control: QWidget) -> bool:
    """Parts Qt builds inside its own widgets (a line edit's clear button, a combo box's popup list)."""
    if control.objectName().startswith("qt_"):
        return True
    parent = control.parent()
    while parent is not None:
        if isinstance(parent, (QLineEdit, QComboBox)) or type(parent).__name__ == "QComboBoxPrivateContainer":
            return True
        parent = parent.parent()
    return False


def test_sign_out_then_sign_in_with_email_and_password(qtbot: Any, window: MainWindow, parts: AppParts,
                                                       core: Core) -> None:
    core.sign_out(erase=False)
    window.start()
    qtbot.waitUntil(lambda: "Could not load" in window.history_view.state.text()
                    or window.history_view.model.rowCount() == 0, timeout=LOAD_MS)
    dialog = SignInWindow(parts)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server.text() == core.demo.pbx_url
    qtbot.keyClicks(dialog.email, core.demo.login)
    qtbot.keyClicks(dialog.password, "wrong password")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Could not sign in"), timeout=LOAD_MS)
    assert dialog.sign_in_button.isEnabled()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, core.demo.password)
    with qtbot.waitSignal(dialog.signed_in, timeout=LOAD_MS):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.password.text() == "", "the password does not linger in the window"
    window.start()
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() > 0, timeout=LOAD_MS)
