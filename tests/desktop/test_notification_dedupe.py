"""One notification per incoming call: with the window in the tray, a call is announced by the desktop
service's notification (the one with Answer and Decline) and not a second time by the tray's balloon —
unless desktop notifications are off, when the tray is the only messenger left. A real far end calls
through Kamailio; a notification server owns org.freedesktop.Notifications on the session bus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from callclient.app import Core
from tests.desktop.calls import bob_calls_alice
from tests.fixtures.app import app_parts, main_window
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.notifications import NotificationServer, notification_server  # noqa: F401 - fixture
from tests.fixtures.sip_peer import SipPeer
from tests.services.conftest import CoreHome, core_home, registered_core  # noqa: F401 - fixture
from ui.main_window import MainWindow

WAIT_MS = 15_000


@pytest.fixture
def alice(core_home: CoreHome, kamailio: Kamailio,  # noqa: F811
          notification_server: NotificationServer) -> Core:  # noqa: F811 - the server is up before Core asks
    return registered_core(core_home, kamailio, "alice")


@pytest.fixture
def window_in_tray(alice: Core, qtbot: Any) -> Iterator[MainWindow]:
    with app_parts(alice, "dedupe-work") as parts, main_window(parts, qtbot, shown=False) as window:
        window.hide()  # closed to the tray
        yield window


def ring_and_hang_up(bob: SipPeer, kamailio: Kamailio, window: MainWindow, qtbot: Any) -> None:
    bob_calls_alice(bob, kamailio)
    qtbot.waitUntil(lambda: window.incoming.call_id is not None, timeout=WAIT_MS)  # the window heard of it
    bob.send(op="hangup")
    bob.expect_state("DISCONNECTED")
    qtbot.waitUntil(lambda: window.incoming.call_id is None, timeout=WAIT_MS)


def test_a_call_is_announced_once_by_the_desktop_notification_not_again_by_the_tray(
        alice: Core, window_in_tray: MainWindow, qtbot: Any, kamailio: Kamailio,
        far_end: Callable[..., SipPeer], notification_server: NotificationServer) -> None:  # noqa: F811
    window = window_in_tray
    bob = far_end("bob")
    ring_and_hang_up(bob, kamailio, window, qtbot)
    notification_server.wait_for(lambda n: n.summary == "Incoming call", "for bob's call")
    assert window.system_tray.last_notification is None, "the tray told of the call a second time"
    # The call rang out: its missed-call notification comes after the hang-up; counted before the next call.
    notification_server.wait_for(lambda n: n.summary == "Missed call", "for the call bob gave up on")

    # Desktop notifications off (Settings > Desktop): the tray's balloon is the one that tells.
    alice.services.settings.change({"desktop.notifications": False}, by="settings window")
    shown_before = len(notification_server.shown)
    ring_and_hang_up(bob, kamailio, window, qtbot)
    assert (window.system_tray.last_notification is not None
            and window.system_tray.last_notification[0] == "Incoming call")
    assert "bob" in window.system_tray.last_notification[1]
    assert len(notification_server.shown) == shown_before
