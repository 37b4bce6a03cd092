"""Global hotkeys on Wayland through the xdg-desktop-portal GlobalShortcuts interface, on the test's real
session bus: the user sets shortcuts in Settings (the one settings route), the app binds them with the
portal, the portal's Activated signal answers a call a far end places through Kamailio, and a shortcut the
desktop will not bind is reported as a conflict, as is the desktop ending our shortcuts.

The portal is a stand-in (tests/desktop/shortcuts_portal.py) because no GlobalShortcuts backend can run on
Debian 12 here (only KDE Plasma 5.27+ and GNOME 48 implement it, neither headless); the stand-in implements
the documented D-Bus interface exactly — method signatures, Request objects and their Response signals,
the Session object, the version property, Activated — and the app reaches it only through the bus daemon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from callclient.desktop.hotkeys import PORTAL_MISSING
from callclient.services.desktop import HotkeyConflict
from tests.desktop.calls import ringing_at_alice
from tests.desktop.shortcuts_portal import ShortcutsPortal, running_portal
from tests.fixtures.app import app_parts
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer
from tests.services.conftest import CoreHome, core_home, registered_core  # noqa: F401 - fixture
from ui.settings import SettingsDialog

SHORTCUTS = {"desktop.hotkey_answer": "ctrl+alt+a", "desktop.hotkey_hang_up": "ctrl+alt+h",
             "desktop.hotkey_mute": "ctrl+alt+m", "desktop.hotkey_redial": "super+r",
             "desktop.hotkey_show_window": "ctrl+alt+w"}


@pytest.fixture
def wayland(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Wayland session as the app sees one: WAYLAND_DISPLAY set, no X display."""
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-test")
    monkeypatch.delenv("DISPLAY", raising=False)


@pytest.fixture
def portal(secret_service) -> Iterator[ShortcutsPortal]:  # noqa: ANN001 - the session bus fixture
    yield from running_portal(secret_service.bus_address)


@pytest.fixture
def refusing_portal(secret_service) -> Iterator[ShortcutsPortal]:  # noqa: ANN001
    yield from running_portal(secret_service.bus_address, refuse=frozenset({"mute"}))


def test_the_portal_binds_our_shortcuts_and_its_activated_signal_answers_and_hangs_up(
        wayland: None, portal: ShortcutsPortal, core_home: CoreHome, kamailio: Kamailio,  # noqa: F811
        far_end: Callable[..., SipPeer]) -> None:
    core = registered_core(core_home, kamailio, "alice")
    assert core.services.desktop.hotkeys_problem == ""
    core.services.settings.change(SHORTCUTS, by="settings window")
    session = portal.wait_bound("after Settings set the shortcuts")
    assert dict(portal.bind_requests[-1]) == {
        "answer": {"description": "Answer the ringing call", "preferred_trigger": "CTRL+ALT+a"},
        "hang_up": {"description": "Hang up", "preferred_trigger": "CTRL+ALT+h"},
        "mute": {"description": "Mute or unmute the microphone", "preferred_trigger": "CTRL+ALT+m"},
        "redial": {"description": "Call the last number again", "preferred_trigger": "LOGO+r"},
        "show_window": {"description": "Show the CallClient window", "preferred_trigger": "CTRL+ALT+w"},
    }
    assert core.services.desktop.hotkey_conflicts() == {}

    bob = far_end("bob")
    ringing_at_alice(core, bob, kamailio)
    portal.press(session, "answer")
    bob.expect_state("CONFIRMED")
    portal.press(session, "hang_up")
    assert bob.expect_state("DISCONNECTED")["code"] == 200

    # Clearing every shortcut closes the portal session: the desktop forgets our bindings.
    core.services.settings.change({key: "" for key in SHORTCUTS}, by="settings window")
    wait_until(lambda: all(s.closed for s in portal.sessions), 10, "the shortcut session closed")


def test_a_shortcut_the_portal_does_not_bind_is_reported_and_the_others_still_work(
        wayland: None, refusing_portal: ShortcutsPortal, core_home: CoreHome, kamailio: Kamailio,  # noqa: F811
        far_end: Callable[..., SipPeer]) -> None:
    core = registered_core(core_home, kamailio, "alice")
    news = core.services.news.subscribe()
    core.services.settings.change(SHORTCUTS, by="settings window")
    session = refusing_portal.wait_bound("with mute refused")
    wait_until(lambda: "mute" in core.services.desktop.hotkey_conflicts(), 10, "the mute conflict")
    conflicts = core.services.desktop.hotkey_conflicts()
    assert list(conflicts) == ["mute"] and conflicts["mute"].shortcut == "ctrl+alt+m"
    assert "not bound by the desktop" in conflicts["mute"].reason
    conflict = news.get(timeout=10)
    while not isinstance(conflict, HotkeyConflict):
        conflict = news.get(timeout=10)
    assert conflict.action == "mute"
    assert any("Global shortcut for mute not set" in notice for notice in core.notices)

    bob = far_end("bob")
    ringing_at_alice(core, bob, kamailio)
    refusing_portal.press(session, "answer")
    bob.expect_state("CONFIRMED")

    # The desktop takes our shortcuts away (the user removed them in its settings): every one is reported.
    refusing_portal.end_session(session)
    wait_until(lambda: set(core.services.desktop.hotkey_conflicts()) == {"answer", "hang_up", "redial",
                                                                        "show_window"},
               10, "every shortcut reported gone")
    assert "the desktop ended CallClient's shortcuts" in core.services.desktop.hotkey_conflicts()["answer"].reason


def test_a_wayland_session_without_the_shortcuts_portal_says_what_it_needs(
        wayland: None, secret_service, core_home: CoreHome, qtbot: Any) -> None:  # noqa: ANN001, F811
    with running_portal_without_shortcuts(secret_service.bus_address):
        core = core_home.start()
        core.services.settings.change(SHORTCUTS, by="settings window")
        assert core.services.desktop.hotkeys is None
        with app_parts(core, "wayland-page-work") as parts:
            dialog = SettingsDialog(parts)
            qtbot.addWidget(dialog)
            try:
                notes = [label.text() for label in dialog.desktop_page.findChildren(QLabel)]
                assert PORTAL_MISSING in notes, "Settings > Desktop says what global shortcuts need"
            finally:
                dialog.close()
                dialog.deleteLater()


def running_portal_without_shortcuts(bus_address: str):  # noqa: ANN201 - a context manager
    from contextlib import contextmanager

    return contextmanager(running_portal)(bus_address, offers_shortcuts=False)
