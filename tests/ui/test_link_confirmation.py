"""A target outside the account's domain is called only after the user saw the full address and said yes
(issue 12 item 1): a clicked link (what ui/main.py's control relay hands the window) and an address typed
on the dialpad. Before the wiring the engine's refusal reached the user as a bare error, with no way to
confirm; before the engine fix the link dialled at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from callclient.app import Core
from ui.confirm import CONFIRM_OBJECT_NAME
from ui.main_window import MainWindow

CRAFTED = "sip:bob@attacker.example"
REACHABLE_FOREIGN = "sip:bob@127.0.0.9"  # outside the demo domain, and dialling it needs no DNS


def the_question(qtbot: Any) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() + QApplication.allWidgets()
                    if isinstance(w, QMessageBox) and w.objectName() == CONFIRM_OBJECT_NAME and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=10_000)
    return found[0]


def foreign_calls(core: Core, host: str) -> list[Any]:
    return [c for c in core.services.calls.calls.all().values() if host in c.remote.uri]


def test_a_clicked_foreign_link_asks_with_the_full_target_and_no_places_no_call(
        qtbot: Any, window: MainWindow, core: Core) -> None:
    window.call(CRAFTED)  # what the control relay does with a link handed over by the desktop
    box = the_question(qtbot)
    assert CRAFTED in box.text() and box.textFormat() is Qt.TextFormat.PlainText
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    assert not core.engine.status().result(5).calls
    assert not foreign_calls(core, "attacker.example")


def test_a_foreign_address_typed_on_the_dialpad_is_called_after_yes(
        qtbot: Any, window: MainWindow, core: Core) -> None:
    window.show_section("dialpad")
    qtbot.keyClicks(window.dialpad.number, REACHABLE_FOREIGN)
    qtbot.mouseClick(window.dialpad.call_button, Qt.MouseButton.LeftButton)
    box = the_question(qtbot)
    assert REACHABLE_FOREIGN in box.text()
    assert not core.engine.status().result(5).calls, "nothing is dialled while the question is open"
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(core.engine.status().result(5).calls), timeout=10_000)
