"""Blind and attended transfer through the in-call view's Transfer menu, against the demo far ends.

The demo far end accepts every transfer to one of its numbers (it is the transferee and the target), so
each transfer here must go through: the window reports "Call transferred." and the transferred calls end.
The far end has four call slots (PJSUA_MAX_CALLS in the pjsua2 wheel) and an attended transfer between two
calls to it uses all four at its peak; transfers in a row prove it leaves none of them behind.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from callclient.engine.events import TransferProgress
from tests.ui.conftest import CALL_TIMEOUT_MS
from tests.ui.test_calls import dial
from ui.main_window import MainWindow

RECORDING = "200"  # the demo far end that plays a recording


def transfer_menu_actions(window: MainWindow) -> dict[str, Any]:
    """Opens the Transfer button's menu as a click does (it fills itself as it shows) and lists its actions."""
    view = window.call_view
    view.transfer_menu.popup(view.transfer.mapToGlobal(QPoint(0, view.transfer.height())))
    return {action.text(): action for action in view.transfer_menu.actions()}


def choose(window: MainWindow, action: Any) -> None:
    window.call_view.transfer_menu.hide()
    action.trigger()


def answer_the_transfer_prompt_with(number: str) -> None:
    """Types `number` into the "Transfer this call to:" prompt once it is open, and presses OK."""
    def answer() -> None:
        prompt = QApplication.activeModalWidget()
        if not isinstance(prompt, QInputDialog):
            QTimer.singleShot(20, answer)  # the prompt opens inside the action's handler, after this is queued
            return
        prompt.setTextValue(number)
        prompt.accept()

    QTimer.singleShot(0, answer)


def transfer_and_wait(qtbot: Any, window: MainWindow, call_id: str, trigger: Any) -> TransferProgress:
    with qtbot.waitSignal(window.parts.bridge.transfer_progress, timeout=CALL_TIMEOUT_MS,
                          check_params_cb=lambda e: e.call_id == call_id and e.final) as progress:
        trigger()
    return progress.args[0]


def attended_transfer(qtbot: Any, window: MainWindow) -> None:
    """Two calls to the echo test; the second is transferred to the first from the Transfer menu."""
    first = dial(qtbot, window, "100")
    qtbot.mouseClick(window.call_view.add_call, Qt.MouseButton.LeftButton)
    second = dial(qtbot, window, "100")
    view = window.call_view
    assert view.current_id == second
    attended = [action for text, action in transfer_menu_actions(window).items() if "attended" in text]
    assert len(attended) == 1, "one other call to transfer to"
    event = transfer_and_wait(qtbot, window, second, lambda: choose(window, attended[0]))
    assert (event.code, event.reason) == (200, "OK"), f"the far end refused the transfer: {event}"
    assert not window.banner.isHidden() and window.banner_text.text() == "Call transferred."
    qtbot.waitUntil(lambda: first not in view.calls and second not in view.calls, timeout=CALL_TIMEOUT_MS)


def blind_transfer(qtbot: Any, window: MainWindow, target: str) -> None:
    call_id = dial(qtbot, window, "100")
    action = transfer_menu_actions(window)["Transfer to a number…"]
    answer_the_transfer_prompt_with(target)
    event = transfer_and_wait(qtbot, window, call_id, lambda: choose(window, action))
    assert (event.code, event.reason) == (200, "OK"), f"the far end refused the transfer: {event}"
    assert not window.banner.isHidden() and window.banner_text.text() == "Call transferred."
    qtbot.waitUntil(lambda: call_id not in window.call_view.calls, timeout=CALL_TIMEOUT_MS)


def test_attended_transfer_from_the_transfer_menu_refers_one_call_to_the_other_and_reports_it(
        qtbot: Any, window: MainWindow) -> None:
    attended_transfer(qtbot, window)


def test_blind_transfer_from_the_transfer_menu_sends_the_call_on_and_reports_it(qtbot: Any,
                                                                                 window: MainWindow) -> None:
    blind_transfer(qtbot, window, RECORDING)


def test_transfers_in_a_row_all_go_through(qtbot: Any, window: MainWindow) -> None:
    """Each transfer leaves the far end with its call slots free: before, the calls it placed for a transfer
    had no owner and stayed up, and the next call or transfer met 486 Busy Here or 500 at once."""
    blind_transfer(qtbot, window, RECORDING)
    attended_transfer(qtbot, window)
    attended_transfer(qtbot, window)
    blind_transfer(qtbot, window, RECORDING)


def test_park_is_a_blind_transfer_to_the_configured_parking_extension(qtbot: Any, window: MainWindow) -> None:
    settings = window.parts.services.settings
    settings.change({"dialplan.park_extension": "100"}, by="the test")  # the demo far end plays the parking lot
    try:
        call_id = dial(qtbot, window, "100")
        actions = transfer_menu_actions(window)
        assert "Park" in actions
        event = transfer_and_wait(qtbot, window, call_id, lambda: choose(window, actions["Park"]))
        assert (event.code, event.reason) == (200, "OK"), f"the parking extension refused the REFER: {event}"
        qtbot.waitUntil(lambda: call_id not in window.call_view.calls, timeout=CALL_TIMEOUT_MS)
    finally:
        settings.change({"dialplan.park_extension": ""}, by="the test")


def test_park_is_not_offered_without_a_parking_extension(qtbot: Any, window: MainWindow) -> None:
    assert window.parts.config().config.dialplan.park_extension == ""
    dial(qtbot, window, "100")
    assert "Park" not in transfer_menu_actions(window)
    window.call_view.transfer_menu.hide()
