"""Busy lamps and my status in the window, against the demo Core's spec-checked PBX: lamps follow presences the
PBX pushes through the websocket; a click on a ringing colleague's lamp dials the pickup code; the status
chosen in the status menu lands on the PBX; a change made on the PBX (the "desk phone": the test drives the
server's API) shows within a second; a refused change says why and shows the PBX's status again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from callclient.app import Core
from callclient.services.types import CallEnded, CallUpdated, MyStatus, PresenceState
from ui.lamp_rows import lamp_rect
from ui.main_window import MainWindow
from ui.models import VALUE_ROLE

LOAD_MS = 15_000
PUSH_MS = 5_000
# Colleagues the demo's own activity timer leaves alone (it moves the first six), by extension.
COLLEAGUES = {"1010": "00000000-0000-4000-8000-000000000008", "1011": "00000000-0000-4000-8000-000000000009"}


@pytest.fixture
def server(core: Core) -> Any:
    server = core.demo.pbx
    server.presence.stop()  # the demo's lamps move on their own; these tests move them
    return server


@pytest.fixture
def alice(server: Any) -> str:
    return next(iter(server.data.users))


@pytest.fixture
def colleagues(window: MainWindow, qtbot: Any, server: Any, core: Core) -> Iterator[dict[str, int]]:
    """Two colleagues added as favorites through the view; their rows by extension."""
    qtbot.waitUntil(lambda: core.services.pbx.live, timeout=LOAD_MS)
    for number, user in COLLEAGUES.items():
        server.presence.set(user, line_state="available", state="available", dnd=False)
    view = window.favorites_view
    window.show_section("favorites")
    for number in COLLEAGUES:
        view.add(f"Colleague {number}", number)
    qtbot.waitUntil(lambda: {f.target for f in view.favorites} >= set(COLLEAGUES), timeout=LOAD_MS)
    rows = {view.model.item(r).data(VALUE_ROLE).target: r for r in range(view.model.rowCount())}
    yield {number: rows[number] for number in COLLEAGUES}
    for favorite in list(core.services.favorites.list(window.parts.account_id)):
        if favorite.target in COLLEAGUES:
            core.services.favorites.remove(favorite.id)


@pytest.fixture
def my_status_reset(core: Core) -> Iterator[None]:
    yield
    core.services.my_status.set(MyStatus.AVAILABLE)  # DND left on would refuse the next tests' calls


def test_lamps_follow_presences_pushed_by_the_pbx(window: MainWindow, qtbot: Any, server: Any,
                                                  colleagues: dict[str, int]) -> None:
    view, row = window.favorites_view, colleagues["1010"]
    user = COLLEAGUES["1010"]
    qtbot.waitUntil(lambda: view.lamp_state(row) == PresenceState.AVAILABLE, timeout=LOAD_MS)
    for change, lamp in [({"line_state": "ringing"}, PresenceState.RINGING),
                         ({"line_state": "talking"}, PresenceState.BUSY),
                         ({"line_state": "holding"}, PresenceState.ON_HOLD),
                         ({"line_state": "available", "state": "away"}, PresenceState.AWAY),
                         ({"state": "available", "dnd": True}, PresenceState.DND),
                         ({"dnd": False, "line_state": "unavailable"}, PresenceState.OFFLINE),
                         ({"line_state": "available"}, PresenceState.AVAILABLE)]:
        server.presence.set(user, **change)
        qtbot.waitUntil(lambda lamp=lamp: view.lamp_state(row) == lamp, timeout=PUSH_MS)
    assert view.lamp_state(colleagues["1011"]) == PresenceState.AVAILABLE, "only that colleague's lamp moved"
    item = view.model.item(row)
    assert "Idle" in item.toolTip() and "Idle" in item.data(Qt.ItemDataRole.UserRole + 1)


def test_clicking_a_ringing_lamp_dials_the_pickup_code(window: MainWindow, qtbot: Any, server: Any,
                                                       colleagues: dict[str, int]) -> None:
    view, row = window.favorites_view, colleagues["1011"]
    placed: list[object] = []
    window.parts.bridge.call_updated.connect(placed.append)
    window.parts.bridge.call_ended.connect(placed.append)
    server.presence.set(COLLEAGUES["1011"], line_state="ringing")
    qtbot.waitUntil(lambda: view.lamp_state(row) == PresenceState.RINGING, timeout=PUSH_MS)

    index = view.model.index(row, 0)
    view.list.scrollTo(index)
    lamp = lamp_rect(view.list.visualRect(index)).center()
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=lamp)

    def dialled() -> bool:
        return any(isinstance(e, CallUpdated | CallEnded) and "*81011" in e.remote.uri for e in placed)

    qtbot.waitUntil(dialled, timeout=LOAD_MS)


def test_status_chosen_in_the_menu_lands_on_the_pbx(window: MainWindow, qtbot: Any, server: Any, alice: str,
                                                    core: Core, my_status_reset: None) -> None:
    qtbot.waitUntil(lambda: core.services.pbx.live, timeout=LOAD_MS)
    window.status_actions.actions[MyStatus.AWAY].trigger()  # the menu entry, as a click on it does
    qtbot.waitUntil(lambda: server.presence.get(alice)["state"] == "away", timeout=LOAD_MS)
    assert window.status_button.text() == "Away"

    tray_entries = {a.text() for a in window.system_tray.status_menu.actions()} if window.tray is not None else set()
    assert tray_entries in (set(), {"Available", "Away", "Do not disturb", "Invisible"})
    window.status_actions.actions[MyStatus.DND].trigger()
    qtbot.waitUntil(lambda: server.presence.get(alice)["do_not_disturb"], timeout=LOAD_MS)
    qtbot.waitUntil(lambda: all(a.dnd for a in core.services.calls.status().result(5).accounts), timeout=LOAD_MS)
    # The window hears of the change after the engine has applied it (the news follows the engine).
    qtbot.waitUntil(lambda: window.dnd.isChecked() and window.status_button.text() == "Do not disturb",
                    timeout=LOAD_MS)


def test_status_changed_on_the_pbx_shows_within_a_second(window: MainWindow, qtbot: Any, server: Any,
                                                         alice: str, core: Core, my_status_reset: None) -> None:
    qtbot.waitUntil(lambda: core.services.pbx.live, timeout=LOAD_MS)
    server.presence.set(alice, state="invisible")  # the web app, another device
    qtbot.waitUntil(lambda: window.status_button.text() == "Invisible", timeout=1000)
    server.presence.set(alice, state="available", dnd=True)  # the desk phone's DND key
    qtbot.waitUntil(lambda: window.status_button.text() == "Do not disturb", timeout=1000)
    assert window.dnd.isChecked()


def test_a_refused_status_change_says_why_and_shows_the_pbx_status(window: MainWindow, qtbot: Any, server: Any,
                                                                   alice: str, core: Core,
                                                                   my_status_reset: None) -> None:
    qtbot.waitUntil(lambda: core.services.pbx.live, timeout=LOAD_MS)
    core.services.my_status.set(MyStatus.AVAILABLE)
    qtbot.waitUntil(lambda: window.status_button.text() == "Available", timeout=PUSH_MS)
    server.fail_next(403, "/presences")
    window.status_actions.actions[MyStatus.INVISIBLE].trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible() and "403" in window.banner_text.text(), timeout=LOAD_MS)
    assert "status to invisible" in window.banner_text.text()
    qtbot.waitUntil(lambda: window.status_button.text() == "Available", timeout=PUSH_MS)
    assert window.status_actions.actions[MyStatus.AVAILABLE].isChecked()
    assert server.presence.get(alice)["state"] == "available"
