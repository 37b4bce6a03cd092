"""Call forwarding from the windows, against the demo PBX the UI Core is signed in to: Settings >
Forwarding stores on the PBX; a change made on the PBX shows the main window's banner; the banner's Turn
off, the PBX's 403 and a junk destination, each as the user meets them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from callclient.app import Core
from callclient.demo.pbx_server.forwards import change_forward
from callclient.services.types import ForwardKind
from ui.main_window import MainWindow
from ui.parts import AppParts
from ui.settings import SettingsDialog

ALICE = "a1f0e5b2-7c1d-4e0a-9d37-0c4f5e6a7b01"  # the demo PBX's user the Core signs in as
TIMEOUT_MS = 10_000


def _stored(core: Core) -> dict[str, Any]:
    pbx = core.demo.pbx
    with pbx._lock:
        return {name: dict(f) for name, f in pbx.data.forwards.get(ALICE, {}).items()}


@pytest.fixture
def clean_forwards(core: Core, qtbot: Any) -> Iterator[None]:
    """Every forward off on the PBX before and after, and the app caught up with it."""
    for name in ("busy", "noanswer", "unconditional"):
        change_forward(core.demo.pbx, ALICE, name, False, "")
    forwarding = core.services.forwarding
    qtbot.waitUntil(lambda: forwarding.current is not None and not forwarding.current.unconditional.enabled,
                    timeout=TIMEOUT_MS)
    yield
    for name in ("busy", "noanswer", "unconditional"):
        change_forward(core.demo.pbx, ALICE, name, False, "")


@pytest.fixture
def forwarding_page(parts: AppParts, qtbot: Any, clean_forwards: None) -> Iterator[Any]:
    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.forwarding_page)
    dialog.show()
    page = dialog.forwarding_page
    qtbot.waitUntil(lambda: page.status.text() == "", timeout=TIMEOUT_MS)  # read from the PBX
    yield page
    dialog.close()  # the dialog is held here until the test is done


def test_forwards_set_in_settings_are_stored_on_the_pbx(forwarding_page: Any, core: Core, qtbot: Any) -> None:
    page = forwarding_page
    qtbot.mouseClick(page.enabled[ForwardKind.BUSY], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.destination[ForwardKind.BUSY], "1002")
    qtbot.mouseClick(page.enabled[ForwardKind.NO_ANSWER], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.destination[ForwardKind.NO_ANSWER], "+33 6 12 34 56 78")
    page.ring_seconds.setValue(15)
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text() == "Saved on the phone system.", timeout=TIMEOUT_MS)
    stored = _stored(core)
    assert stored["busy"] == {"enabled": True, "destination": "1002"}
    assert stored["noanswer"] == {"enabled": True, "destination": "+33612345678"}  # the demo has no region
    assert stored["unconditional"]["enabled"] is False
    assert core.demo.pbx.data.ring_seconds[ALICE] == 15


def test_a_junk_destination_is_refused_with_its_name_and_nothing_is_sent(forwarding_page: Any, core: Core,
                                                                        qtbot: Any) -> None:
    page = forwarding_page
    before = len(core.demo.pbx.requests)
    qtbot.mouseClick(page.enabled[ForwardKind.UNCONDITIONAL], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.destination[ForwardKind.UNCONDITIONAL], "my mobile")
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "“my mobile” is not a phone number" in page.status.text(), timeout=TIMEOUT_MS)
    assert page.destination[ForwardKind.UNCONDITIONAL].text() == "my mobile", "kept, to be corrected"
    assert [r for r in core.demo.pbx.requests[before:] if r[0] == "PUT"] == []


def test_the_pbx_refusing_403_is_told_and_the_page_shows_what_the_pbx_kept(forwarding_page: Any, core: Core,
                                                                          qtbot: Any) -> None:
    page = forwarding_page
    core.demo.pbx.fail_next(403, path_contains="/forwards", count=1)
    qtbot.mouseClick(page.enabled[ForwardKind.UNCONDITIONAL], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.destination[ForwardKind.UNCONDITIONAL], "1003")
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "403 Forbidden" in page.status.text(), timeout=TIMEOUT_MS)
    assert "ask your PBX administrator" in page.status.text()
    qtbot.waitUntil(lambda: not page.enabled[ForwardKind.UNCONDITIONAL].isChecked(), timeout=TIMEOUT_MS)
    assert _stored(core)["unconditional"]["enabled"] is False


def test_forwarding_turned_on_at_the_pbx_shows_the_banner_and_turn_off_clears_it(
        window: MainWindow, core: Core, qtbot: Any, clean_forwards: None) -> None:
    banner = window.forwarding_banner
    assert not banner.isVisible()
    change_forward(core.demo.pbx, ALICE, "unconditional", True, "0612345678")  # a desk phone's *21
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT_MS)
    assert banner.text.text() == "Calls are forwarded to 0612345678"
    qtbot.mouseClick(banner.turn_off, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=TIMEOUT_MS)
    assert _stored(core)["unconditional"] == {"enabled": False, "destination": "0612345678"}


def test_the_quick_menu_forwards_every_call_and_stops(window: MainWindow, core: Core, qtbot: Any,
                                                     clean_forwards: None) -> None:
    from tests.ui.test_transfer import answer_the_transfer_prompt_with  # types into the open prompt, presses OK

    menu = window.forwarding_menu
    menu.aboutToShow.emit()
    assert menu.forward_all.isEnabled() and not menu.stop_all.isEnabled()
    answer_the_transfer_prompt_with("1002")
    menu.forward_all.trigger()  # "Forward all calls to…", then the prompt
    qtbot.waitUntil(window.forwarding_banner.isVisible, timeout=TIMEOUT_MS)
    assert _stored(core)["unconditional"] == {"enabled": True, "destination": "1002"}
    menu.aboutToShow.emit()
    assert menu.stop_all.isEnabled()
    menu.stop_all.trigger()
    qtbot.waitUntil(lambda: not window.forwarding_banner.isVisible(), timeout=TIMEOUT_MS)
    assert _stored(core)["unconditional"]["enabled"] is False
