"""The lock service as Core composes it: the desktop's screen saver locking, announced on the session bus (the
test session's real dbus-daemon), locks the app, and the news carries the lock to the windows."""

from __future__ import annotations

import os

from jeepney import DBusAddress, new_signal
from jeepney.io.blocking import open_dbus_connection

from callclient.app import Core, CoreOptions
from callclient.services.lock import LockChanged
from callclient.storage.app_lock import UnlockResult
from tests.fixtures.app_lock import AnsweredLock
from tests.services.conftest import CoreHome, news


def screen_saver(interface: str, active: bool) -> None:
    """What the desktop's screen saver broadcasts when the session locks (or unlocks)."""
    path = "/org/gnome/ScreenSaver" if "gnome" in interface else "/org/freedesktop/ScreenSaver"
    with open_dbus_connection(bus=os.environ["DBUS_SESSION_BUS_ADDRESS"]) as connection:
        connection.send(new_signal(DBusAddress(path, interface=interface), "ActiveChanged", "b", (active,)))


def start(home: CoreHome, app_lock: bool = True) -> Core:
    home.config_file.write_text(f"[ui]\napp_lock = {str(app_lock).lower()}\n")
    core = Core(CoreOptions(config_file=home.config_file, demo=False, use_sound_devices=False,
                            keychain_service=home.keychain_service, app_lock=AnsweredLock))
    home.cores.append(core)
    core.start()
    assert core.services is not None and core.services.desktop.bus is not None, core.services.desktop.problem
    return core


def test_the_desktop_session_locking_locks_the_app(core_home: CoreHome) -> None:
    core = start(core_home)
    stream = news(core)
    screen_saver("org.gnome.ScreenSaver", active=True)
    assert stream.wait(LockChanged, locked=True).hide_caller is False
    assert core.services.lock.locked
    core.services.lock.request_unlock()
    core.services.lock.platform.answer(UnlockResult.UNLOCKED)
    stream.wait(LockChanged, locked=False, unlocking=False)
    screen_saver("org.freedesktop.ScreenSaver", active=True)  # KDE's and Xfce's name for the same news
    stream.wait(LockChanged, locked=True, only_new=True)
