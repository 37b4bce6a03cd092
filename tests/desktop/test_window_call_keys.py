"""Media and phone keys pressed on the main window where no MPRIS player takes them (Windows and macOS have
no MPRIS; here the user turned desktop.media_keys off, the same condition): Play/Pause or Phone answers the
ringing call and Play/Pause or Phone ends it, Hangup declines a ringing call or ends the call — through the call-actions service, seen by a far end
calling through Kamailio."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from callclient.app import Core
from tests.desktop.calls import bob_calls_alice
from tests.fixtures.app import app_parts, main_window
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.sip_peer import SipPeer
from tests.services.conftest import CoreHome, core_home, registered_core  # noqa: F401 - fixture
from ui.main_window import MainWindow

WAIT_MS = 15_000


@pytest.fixture
def alice(core_home: CoreHome, kamailio: Kamailio) -> Core:  # noqa: F811
    core = registered_core(core_home, kamailio, "alice")
    core.services.settings.change({"desktop.media_keys": False}, by="settings window")
    assert not core.services.desktop.media_keys_reach_us
    return core


@pytest.fixture
def window(alice: Core, qtbot: Any) -> Iterator[MainWindow]:
    with app_parts(alice, "call-keys-work") as parts, main_window(parts, qtbot) as window:
        yield window


def press(qtbot: Any, window: MainWindow, key: Qt.Key) -> None:
    """A key pressed while the window is active: it reaches the focused control first (the dialpad's number
    box), which passes keys it has no use for on to the window."""
    focused = window.focusWidget()
    assert focused is not None and focused is not window
    qtbot.keyClick(focused, key)


def ring(window: MainWindow, qtbot: Any, bob: SipPeer, kamailio: Kamailio) -> None:
    bob_calls_alice(bob, kamailio)
    qtbot.waitUntil(lambda: window.incoming.call_id is not None, timeout=WAIT_MS)


def test_play_pause_answers_and_hangup_ends_the_call(window: MainWindow, qtbot: Any, kamailio: Kamailio,
                                                      far_end: Callable[..., SipPeer]) -> None:
    bob = far_end("bob")
    ring(window, qtbot, bob, kamailio)
    press(qtbot, window, Qt.Key.Key_MediaTogglePlayPause)
    bob.expect_state("CONFIRMED")
    qtbot.waitUntil(window.call_view.has_calls, timeout=WAIT_MS)
    press(qtbot, window, Qt.Key.Key_Hangup)
    assert bob.expect_state("DISCONNECTED")["code"] == 200


def test_hangup_declines_a_ringing_call_and_the_phone_key_answers_the_next_and_ends_it(window: MainWindow, qtbot: Any,
                                                                    kamailio: Kamailio,
                                                                    far_end: Callable[..., SipPeer]) -> None:
    bob = far_end("bob")
    ring(window, qtbot, bob, kamailio)
    press(qtbot, window, Qt.Key.Key_Hangup)
    assert bob.expect_state("DISCONNECTED")["code"] == 603
    qtbot.waitUntil(lambda: window.incoming.call_id is None, timeout=WAIT_MS)
    ring(window, qtbot, bob, kamailio)
    press(qtbot, window, Qt.Key.Key_Phone)
    bob.expect_state("CONFIRMED")
    qtbot.waitUntil(window.call_view.has_calls, timeout=WAIT_MS)
    press(qtbot, window, Qt.Key.Key_Phone)
    assert bob.expect_state("DISCONNECTED")["code"] == 200
