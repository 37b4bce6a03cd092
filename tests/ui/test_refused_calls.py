"""Issue 21: a call refused by policy shows as a missed-call notice with the reason in the user's words,
without ringing, until dismissed. A real far end (plain pjsua2 in its own process) calls the demo line
while do-not-disturb is on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from callclient.app import Core
from callclient.engine.settings import Transport
from tests.fixtures.sip_peer import SipPeer
from tests.ui.conftest import CALL_TIMEOUT_MS
from ui.main_window import MainWindow


@pytest.fixture
def far_end() -> Iterator[SipPeer]:
    peer = SipPeer()
    yield peer
    peer.close()


@pytest.fixture
def dnd_on(window: MainWindow, qtbot: Any, core: Core) -> Iterator[None]:
    window.dnd.setChecked(True)
    qtbot.waitUntil(lambda: all(a.dnd for a in core.engine.status().result(5).accounts), timeout=CALL_TIMEOUT_MS)
    yield
    # The window may be gone already (pytest-qt closes its widgets first): the service turns it off.
    core.services.calls.set_dnd(False).result(5)
    core.services.refusals.dismiss_all()


def test_a_call_refused_while_do_not_disturb_is_a_notice_and_never_rings(
        window: MainWindow, qtbot: Any, core: Core, far_end: SipPeer, dnd_on: None) -> None:
    alerting = core.services.alerting
    assert alerting is not None
    rang: list[bool] = []
    window.parts.bridge.event.connect(lambda _event: rang.append(alerting.ringing or window.incoming.isVisible()))
    far_end.send(op="call", uri=f"sip:me@127.0.0.1:{core.engine.ports[Transport.UDP]}")
    far_end.expect(lambda e: e["ev"] == "state" and e["state"] == "DISCONNECTED", CALL_TIMEOUT_MS / 1000,
                   "the refusal")

    qtbot.waitUntil(lambda: window.refused_calls.isVisible(), timeout=CALL_TIMEOUT_MS)
    [label] = window.refused_calls.labels
    assert "refused while do-not-disturb was on" in label.text()
    assert "Peer" in label.text() or "peer" in label.text(), label.text()
    assert (window.system_tray.last_notification is not None
            and window.system_tray.last_notification[0] == "Missed call")
    assert "do-not-disturb" in window.system_tray.last_notification[1]
    assert "1 refused" in window.system_tray.text()
    assert rang and not any(rang), "the refused call never rang, nor showed the incoming window"

    window.notices.dismiss_refused(core.services.refusals.notices()[0].notice_id)
    assert not window.refused_calls.isVisible()
    assert core.services.refusals.notices() == ()


def test_the_admin_can_turn_the_notices_off(window: MainWindow, qtbot: Any, core: Core, far_end: SipPeer,
                                            dnd_on: None) -> None:
    settings = core.services.settings
    settings.change({"policy.refused_call_notices": False})
    try:
        seen: list[object] = []
        window.parts.bridge.event.connect(lambda event: seen.append(event))
        far_end.send(op="call", uri=f"sip:me@127.0.0.1:{core.engine.ports[Transport.UDP]}")
        qtbot.waitUntil(lambda: any(type(e).__name__ == "CallRefused" for e in seen), timeout=CALL_TIMEOUT_MS)
        assert core.services.refusals.notices() == ()
        assert not window.refused_calls.isVisible()
        assert window.system_tray.last_notification is None
    finally:
        settings.change({"policy.refused_call_notices": True})
