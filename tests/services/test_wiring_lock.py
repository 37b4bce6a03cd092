"""The lock service as Core composes it: the desktop's screen saver locking, announced on the session bus (the
test session's real dbus-daemon), or logind's session lock on a private system bus (a real dbus-daemon with a
stand-in for logind, which cannot run here), locks the app, and the news carries the lock to the windows."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from jeepney import DBusAddress, new_signal
from jeepney.io.blocking import open_dbus_connection

from callclient.app import Core, CoreOptions
from callclient.services.lock import LockChanged
from callclient.storage.app_lock import UnlockResult
from tests.fixtures.app_lock import AnsweredLock
from tests.fixtures.dbus import private_system_bus
from tests.fixtures.engine_events import Events
from tests.fixtures.logind import StandInLogind
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


@pytest.fixture
def logind(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInLogind]:
    """A private system bus with a stand-in logind whose one session holds this process (Core runs in it)."""
    with private_system_bus() as address:
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", address)
        monkeypatch.delenv("XDG_SESSION_ID", raising=False)
        stand_in = StandInLogind(address, pids=(os.getpid(),))
        yield stand_in
        stand_in.close()


def following(logind: StandInLogind) -> None:
    """The lock follows logind from its watch thread, after start."""
    assert logind.followed.wait(10), f"the app never read LockedHint; it asked {logind.asked}"


def session_lookups(logind: StandInLogind) -> list[str]:
    """How the lock found its session, in order (the sleep watch's Inhibit on the same logind is not one)."""
    return [member for member in logind.asked if member.startswith("GetSession")]


def unlock(core: Core, stream: Events) -> None:
    core.services.lock.request_unlock()
    core.services.lock.platform.answer(UnlockResult.UNLOCKED)
    stream.wait(LockChanged, locked=False, unlocking=False)


def test_loginctl_lock_session_locks_the_app_without_a_screen_saver(core_home: CoreHome,
                                                                    logind: StandInLogind) -> None:
    """A desktop that locks through logind only (Sway, a bare window manager with xss-lock): logind's Lock
    signal on our session locks the app; its Unlock does not open it; LockedHint true locks it again."""
    core = start(core_home)
    stream = news(core)
    following(logind)
    assert session_lookups(logind)[:1] == ["GetSessionByPID"]
    logind.lock()
    assert stream.wait(LockChanged, locked=True).locked
    logind.unlock()  # the desktop's unlock is not CallClient's: still locked until the platform confirms
    logind.set_locked_hint(False)
    unlock(core, stream)
    assert core.services.lock.platform.asked == ["Unlock CallClient"]
    logind.set_locked_hint(True)
    stream.wait(LockChanged, locked=True, only_new=True)


def test_an_app_outside_the_session_finds_it_through_xdg_session_id(core_home: CoreHome, logind: StandInLogind,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Started by the user's systemd (an autostart unit), the process is in no session: GetSessionByPID
    fails and XDG_SESSION_ID names the session."""
    logind.pids.clear()
    monkeypatch.setenv("XDG_SESSION_ID", logind.session_id)
    core = start(core_home)
    stream = news(core)
    following(logind)
    assert session_lookups(logind)[:2] == ["GetSessionByPID", "GetSession"]
    logind.set_locked_hint(True)
    stream.wait(LockChanged, locked=True)


def test_lock_signals_from_another_sender_or_session_do_not_lock(core_home: CoreHome,
                                                                 logind: StandInLogind) -> None:
    """Only logind itself speaks for our session: a program posing as it, or another session's lock, is not
    followed."""
    core = start(core_home)
    stream = news(core)
    following(logind)
    ours = DBusAddress(logind.session_path, interface="org.freedesktop.login1.Session")
    other = DBusAddress("/org/freedesktop/login1/session/c99", interface="org.freedesktop.login1.Session")
    with open_dbus_connection(bus=os.environ["DBUS_SYSTEM_BUS_ADDRESS"]) as impostor:
        impostor.send(new_signal(ours, "Lock"))
    logind.send(new_signal(other, "Lock"))  # logind's, but for someone else's session
    stream.none_within(LockChanged, 1.0, locked=True)
    assert not core.services.lock.locked
    logind.lock()
    stream.wait(LockChanged, locked=True)
