"""The privacy policy's app-lock promise, on the real app: while CallClient is locked, no personal data —
favorites' names and numbers, history's names and numbers, voicemail callers — is in the text of any visible
widget, the tray's tooltip or a notification; an incoming call under policy.hide_caller_when_locked names no
caller either. The demo Core (its PBX's sample history and voicemail) with the real windows; the lock is set
off the way the desktop does it, by the screen saver's ActiveChanged on the session bus."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from jeepney import DBusAddress, new_signal
from jeepney.io.blocking import open_dbus_connection
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from callclient.app import Core, CoreOptions
from tests.fixtures.app import app_parts, main_window, running_core
from tests.fixtures.app_lock import AnsweredLock
from tests.fixtures.headless import private_dirs
from ui.main_window import MainWindow
from ui.models import VALUE_ROLE

WAIT_MS = 30_000
FAVORITE = ("Dr Ingrid Bergström", "+33 1 70 36 45 12")


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory, secret_service: Any) -> Iterator[Core]:  # noqa: ARG001
    root = tmp_path_factory.mktemp("locked-privacy")
    config = root / "callclient.toml"
    config.write_text("[ui]\napp_lock = true\n[policy]\nhide_caller_when_locked = true\n")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in private_dirs(root / "home", root / "admin.toml", "cc-lock-run-").items():
            patch.setenv(name, value)
        with running_core(CoreOptions(config_file=config, demo=True, use_sound_devices=False,
                                      environ=dict(os.environ), app_lock=AnsweredLock,
                                      keychain_service=f"CallClient-lock-{secrets.token_hex(4)}")) as core:
            yield core


@pytest.fixture
def window(core: Core, qtbot: Any) -> Iterator[MainWindow]:
    with app_parts(core, "lock-privacy-work") as parts, main_window(parts, qtbot) as window:
        yield window
        core.engine.hangup_all().result(10)


def shown_text(window: MainWindow) -> str:
    """Everything a person could read now: every visible widget's text, tooltip, title and list rows, the
    tray's tooltip and the last notification."""
    seen: list[str] = [window.system_tray.text(), " ".join(window.system_tray.last_notification or ())]
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        for name in ("text", "placeholderText", "windowTitle", "toolTip", "accessibleName", "accessibleDescription"):
            value = getattr(widget, name, None)
            if callable(value):
                result = value()
                if isinstance(result, str):
                    seen.append(result)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount()):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.index(row, 0).data(role)
                    if isinstance(value, str):
                        seen.append(value)
    return "\n".join(seen)


def found(personal: set[str], text: str) -> set[str]:
    # Whole words only: a short extension such as "100" must not match inside an unrelated number.
    return {item for item in personal if re.search(rf"(?<![\w+]){re.escape(item)}(?!\w)", text)}


def personal_data(window: MainWindow) -> set[str]:
    history = [window.history_view.model.item(row).data(VALUE_ROLE)
               for row in range(window.history_view.model.rowCount())]
    items = {FAVORITE[0], FAVORITE[1]}
    for record in history:
        items |= {getattr(record, "other_name", ""), getattr(record, "other_number", "")}
    for message in window.voicemail_view.message_rows():
        items |= {message.caller_name, message.caller_number}
    return {item for item in items if item and len(item) >= 3}


def lock_the_desktop() -> None:
    with open_dbus_connection(bus=os.environ["DBUS_SESSION_BUS_ADDRESS"]) as connection:
        connection.send(new_signal(DBusAddress("/org/gnome/ScreenSaver", interface="org.gnome.ScreenSaver"),
                                   "ActiveChanged", "b", (True,)))


def test_while_locked_no_personal_data_shows_in_any_widget_or_notification(qtbot: Any, window: MainWindow,
                                                                             core: Core) -> None:
    core.services.favorites.add(window.parts.account_id, *FAVORITE)
    window.favorites_view.refresh()
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() > 0
                    and len(window.voicemail_view.message_rows()) > 0
                    and any(f.label == FAVORITE[0] for f in window.favorites_view.favorites), timeout=WAIT_MS)
    personal = personal_data(window)
    # The check can see each kind of data where it shows: unlocked, each section shows its own.
    for section in ("favorites", "history", "voicemail"):
        window.show_section(section)
        qtbot.waitUntil(lambda: bool(found(personal, shown_text(window))), timeout=WAIT_MS)  # else: blind check

    with qtbot.waitSignal(window.parts.bridge.call_ended, timeout=WAIT_MS):
        window.call("400")  # it hangs up and calls back shortly: a call that will ring while locked
    lock_the_desktop()
    qtbot.waitUntil(lambda: window.lock_screen.isVisible(), timeout=WAIT_MS)
    leaked = found(personal, shown_text(window))
    assert not leaked, f"shown while locked: {sorted(leaked)}"
    for section in ("favorites", "history", "voicemail", "contacts"):
        window.show_section(section)  # Ctrl+1..5 still switch pages behind the lock screen
        assert not found(personal, shown_text(window)), section

    window.hide()  # in the tray, so the ring also becomes a notification
    qtbot.waitUntil(lambda: window.incoming.isVisible() and window.incoming.call_id is not None, timeout=WAIT_MS)
    window.show()
    personal.add("Call me back")  # the demo caller's display name
    leaked = found(personal, shown_text(window))
    assert not leaked, f"shown while locked with a call ringing: {sorted(leaked)}"
    assert (window.system_tray.last_notification is not None
            and window.system_tray.last_notification[0] == "Incoming call")


def test_while_locked_no_window_of_the_app_shows_personal_data(qtbot: Any, window: MainWindow, core: Core) -> None:
    """The app's other top-level windows too: Settings, the recordings list, an add-contact dialog filled in
    with a caller; then a call answered on the lock screen. Every visible
    top-level window's widgets are read (shown_text walks them all)."""
    from callclient.storage.app_lock import UnlockResult
    from ui.settings import SettingsDialog

    lock = core.services.lock
    if lock.locked:  # the Core is the module's: a test before may have left it locked
        lock.request_unlock()
        lock.platform.answer(UnlockResult.UNLOCKED)
        qtbot.waitUntil(lambda: not window.app_lock.locked, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() > 0
                    and len(window.voicemail_view.message_rows()) > 0, timeout=WAIT_MS)
    personal = personal_data(window) | {FAVORITE[0], "Call me back"}
    with qtbot.waitSignal(window.parts.bridge.call_ended, timeout=WAIT_MS):
        window.call("400")  # it hangs up and calls back shortly: a call to answer while locked

    settings = SettingsDialog(window.parts, window)
    qtbot.addWidget(settings)
    settings.show()
    window.show_recordings()
    window.add_contact(*FAVORITE)
    window.show_section("dialpad")  # the main window's own page shows nothing personal: only the dialogs do
    before = found(personal, shown_text(window))
    assert FAVORITE[1] in before, "the check must see what the dialogs show"

    lock_the_desktop()
    qtbot.waitUntil(lambda: window.lock_screen.isVisible(), timeout=WAIT_MS)
    leaked = found(personal, shown_text(window))
    assert not leaked, f"shown while locked: {sorted(leaked)}"
    assert not settings.isVisible() and not window.add_contact_dialog.isVisible()

    qtbot.waitUntil(lambda: window.incoming.isVisible() and window.incoming.call_id is not None, timeout=WAIT_MS)
    qtbot.mouseClick(window.incoming.answer, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.call_view.isVisible(), timeout=WAIT_MS)
    leaked = found(personal, shown_text(window))
    assert not leaked, f"shown in a call answered while locked: {sorted(leaked)}"
    settings.close()
