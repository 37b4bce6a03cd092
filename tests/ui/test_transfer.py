"""Blind and attended transfer through the in-call view, against the demo far ends.

These run after every other UI test (pytest takes files in name order): after its first REFER the demo
far-end process refuses later calls and REFERs (603/486/500), a quirk of callclient/demo/far_ends.py reported
to the lead, not of the app. Each test therefore checks
that the window sends the REFER for the right call and reports the far end's final answer, whatever it is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from callclient.engine.events import TransferProgress
from tests.ui.conftest import CALL_TIMEOUT_MS
from tests.ui.test_calls import dial
from ui.main_window import MainWindow


def assert_outcome_reported(window: MainWindow, event: TransferProgress) -> None:
    assert not window.banner.isHidden()
    if event.code == 200:
        assert window.banner_text.text() == "Call transferred."
    else:
        assert window.banner_text.text() == f"The transfer did not go through: {event.reason} ({event.code})"


def test_attended_transfer_from_the_transfer_menu_refers_one_call_to_the_other_and_reports_it(
        qtbot: Any, window: MainWindow) -> None:
    first = dial(qtbot, window, "100")
    qtbot.mouseClick(window.call_view.add_call, Qt.MouseButton.LeftButton)
    second = dial(qtbot, window, "100")
    view = window.call_view
    assert view.current_id == second
    view._fill_transfer_menu()
    attended = [a for a in view.transfer_menu.actions() if "attended" in a.text()]
    assert len(attended) == 1, "one other call to transfer to"
    with qtbot.waitSignal(window.parts.bridge.transfer_progress, timeout=CALL_TIMEOUT_MS,
                          check_params_cb=lambda e: e.call_id == second and e.final) as progress:
        attended[0].trigger()
    event: TransferProgress = progress.args[0]
    assert_outcome_reported(window, event)
    if event.code == 200:
        qtbot.waitUntil(lambda: first not in view.calls and second not in view.calls, timeout=CALL_TIMEOUT_MS)


def test_blind_transfer_sends_the_call_on_and_reports_the_far_ends_answer(qtbot: Any, window: MainWindow) -> None:
    """The demo far end answers only its first REFER of a session with 200; whatever it answers, the window
    must report that final answer in words."""
    call_id = dial(qtbot, window, "100")
    with qtbot.waitSignal(window.parts.bridge.transfer_progress, timeout=CALL_TIMEOUT_MS,
                          check_params_cb=lambda e: e.call_id == call_id and e.final) as progress:
        window.call_view.blind_transfer("200")
    event: TransferProgress = progress.args[0]
    assert_outcome_reported(window, event)
    if event.code == 200:
        qtbot.waitUntil(lambda: call_id not in window.call_view.calls, timeout=CALL_TIMEOUT_MS)
