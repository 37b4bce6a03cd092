"""Global hotkeys on X11, under Xvfb: the user sets shortcuts in Settings, another window has focus (none
of ours exists here), `xdotool key` presses them, and a far end calling through Kamailio sees the result.
A shortcut another X client already grabbed is reported as a conflict, not lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from callclient.app import Core
from callclient.services.desktop import HotkeyConflict, ShowWindowRequested
from tests.desktop.calls import ringing_at_alice
from tests.desktop.conftest import x_display  # noqa: F401 - fixture
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer
from tests.fixtures.xvfb import XDisplay
from tests.services.conftest import CoreHome, core_home, registered_core  # noqa: F401 - fixture

SHORTCUTS = {"desktop.hotkey_answer": "ctrl+alt+a", "desktop.hotkey_hang_up": "ctrl+alt+h",
             "desktop.hotkey_mute": "ctrl+alt+m", "desktop.hotkey_show_window": "ctrl+alt+w"}


@pytest.fixture
def alice_on_x(core_home: CoreHome, kamailio: Kamailio, x_display: XDisplay,  # noqa: F811
               monkeypatch: pytest.MonkeyPatch) -> Core:
    monkeypatch.setenv("DISPLAY", x_display.name)
    return registered_core(core_home, kamailio, "alice")


@pytest.fixture
def other_program(x_display: XDisplay) -> Iterator[Callable[[str], None]]:  # noqa: F811
    """Another X client that grabs a shortcut first (as a desktop's own shortcuts would)."""
    from Xlib import X, XK, display

    connection = display.Display(x_display.name)

    def grab(key: str) -> None:
        keycode = connection.keysym_to_keycode(XK.string_to_keysym(key))
        for locks in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
            connection.screen().root.grab_key(keycode, X.ControlMask | X.Mod1Mask | locks, False,
                                              X.GrabModeAsync, X.GrabModeAsync)
        connection.sync()

    yield grab
    connection.close()


def test_shortcuts_answer_mute_and_hang_up_while_another_window_has_focus(
        alice_on_x: Core, kamailio: Kamailio, far_end: Callable[..., SipPeer], x_display: XDisplay) -> None:  # noqa: F811
    core = alice_on_x
    news = core.services.news.subscribe()
    core.services.settings.change(SHORTCUTS, by="settings window")
    assert core.services.desktop.hotkeys.grabbed == {"answer": "ctrl+alt+a", "hang_up": "ctrl+alt+h",
                                                     "mute": "ctrl+alt+m", "show_window": "ctrl+alt+w"}
    bob = far_end("bob")
    ringing_at_alice(core, bob, kamailio)

    x_display.xdotool("key", "ctrl+alt+a")
    bob.expect_state("CONFIRMED")

    wait_until(lambda: core.services.calls.calls.current_id is not None, 10, "the call to be current")
    x_display.xdotool("key", "ctrl+alt+m")
    wait_until(lambda: [c.muted for c in core.services.calls.calls.answered().values()] == [True], 10,
               "the call muted")

    x_display.xdotool("key", "ctrl+alt+w")
    while not isinstance(news.get(timeout=10), ShowWindowRequested):
        pass

    x_display.xdotool("key", "ctrl+alt+h")
    assert bob.expect_state("DISCONNECTED")["code"] == 200


def test_a_shortcut_another_program_holds_is_reported_and_the_others_still_work(
        alice_on_x: Core, other_program: Callable[[str], None], x_display: XDisplay,  # noqa: F811
        kamailio: Kamailio, far_end: Callable[..., SipPeer]) -> None:
    core = alice_on_x
    other_program("m")
    news = core.services.news.subscribe()
    core.services.settings.change(SHORTCUTS, by="settings window")
    hotkeys = core.services.desktop.hotkeys
    assert hotkeys.conflicts == {"mute": "ctrl+alt+m is already taken by another program"}
    assert "mute" not in hotkeys.grabbed and hotkeys.grabbed["answer"] == "ctrl+alt+a"
    conflict = news.get(timeout=10)
    while not isinstance(conflict, HotkeyConflict):
        conflict = news.get(timeout=10)
    assert conflict.action == "mute"
    assert any("Global shortcut for mute not set" in notice for notice in core.notices)

    # Turning the shortcuts off releases them: the other program can have ctrl+alt+a now.
    core.services.settings.change({key: "" for key in SHORTCUTS}, by="settings window")
    assert hotkeys.grabbed == {}
    other_program("a")  # would raise BadAccess (an X error) if we still held it


def test_redial_calls_the_last_number_called_again(
        alice_on_x: Core, kamailio: Kamailio, far_end: Callable[..., SipPeer], x_display: XDisplay) -> None:  # noqa: F811
    core = alice_on_x
    core.services.settings.change({"desktop.hotkey_redial": "ctrl+alt+r"}, by="settings window")
    bob = far_end("bob")
    x_display.xdotool("key", "ctrl+alt+r")  # nothing called yet: nothing to redial
    call_id = core.services.calls.place_call("bob").result(10)
    bob.expect(lambda e: e["ev"] == "incoming", what="the first call")
    core.services.calls.hang_up(call_id).result(10)
    bob.expect_state("DISCONNECTED")
    wait_until(lambda: core.services.calls.calls.all() == {}, 10, "the first call gone")

    x_display.xdotool("key", "ctrl+alt+r")
    again = bob.expect(lambda e: e["ev"] == "incoming", what="the redialled call")
    assert "alice" in again["headers"].get("from", "")
