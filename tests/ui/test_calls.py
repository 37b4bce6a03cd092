"""Calls driven through the real windows against the demo far ends (100 echo, 200 recording, 400 calls back)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from callclient.engine.events import CallEnded, CallState, MediaState
from tests.ui.conftest import CALL_TIMEOUT_MS
from ui.main_window import MainWindow


def dial(qtbot: Any, window: MainWindow, number: str) -> str:
    """Types `number` on the dialpad, presses Call, and waits until that call is connected."""
    window.show_section("dialpad")
    before = set(window.call_view.calls)
    qtbot.keyClicks(window.dialpad.number, number)
    qtbot.mouseClick(window.dialpad.call_button, Qt.MouseButton.LeftButton)
    view = window.call_view

    def connected() -> list[str]:
        return [c.call_id for c in view.calls.values()
                if c.state is CallState.CONFIRMED and c.call_id not in before and c.remote.number == number]

    qtbot.waitUntil(lambda: bool(connected()), timeout=CALL_TIMEOUT_MS)
    call_id = connected()[0]
    # The services' record runs ahead of the window's queued events: until the view has handled the
    # connection, its controls are still disabled and a click on them does nothing.
    qtbot.waitUntil(lambda: view.shows_connected(call_id), timeout=CALL_TIMEOUT_MS)
    return call_id


def engine_call(window: MainWindow, call_id: str) -> Any:
    calls = window.parts.services.calls.status().result(5).calls
    return next((c for c in calls if c.call_id == call_id), None)


def test_dialling_the_echo_number_shows_the_call_and_hang_up_returns_to_the_dialpad(qtbot: Any,
                                                                                    window: MainWindow) -> None:
    call_id = dial(qtbot, window, "100")
    assert window.screens.currentWidget() is window.call_view
    assert "100" in window.call_view.name.text() + window.call_view.number.text()
    assert engine_call(window, call_id).state is CallState.CONFIRMED
    with qtbot.waitSignal(window.parts.bridge.call_ended, timeout=CALL_TIMEOUT_MS,
                          check_params_cb=lambda e: e.call_id == call_id):
        qtbot.mouseClick(window.call_view.hang_up, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.home, timeout=CALL_TIMEOUT_MS)
    assert engine_call(window, call_id) is None


def test_mute_and_hold_buttons_change_the_real_call_and_show_it(qtbot: Any, window: MainWindow) -> None:
    call_id = dial(qtbot, window, "100")
    view = window.call_view
    qtbot.mouseClick(view.mute, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine_call(window, call_id).muted, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: view.status.text().startswith("Muted"), timeout=CALL_TIMEOUT_MS)
    qtbot.mouseClick(view.hold, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine_call(window, call_id).media is MediaState.LOCAL_HOLD, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: view.status.text().startswith("On hold"), timeout=CALL_TIMEOUT_MS)
    assert view.hold.isChecked()
    qtbot.mouseClick(view.hold, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine_call(window, call_id).media is MediaState.ACTIVE, timeout=CALL_TIMEOUT_MS)
    qtbot.mouseClick(view.mute, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not engine_call(window, call_id).muted, timeout=CALL_TIMEOUT_MS)
    assert not view.mute.isChecked() and not view.hold.isChecked()


def test_keypad_sends_each_digit_as_dtmf_and_shows_what_was_sent(qtbot: Any, window: MainWindow) -> None:
    dial(qtbot, window, "100")
    view = window.call_view
    qtbot.mouseClick(view.keypad_button, Qt.MouseButton.LeftButton)
    assert view.keypad.isVisible()
    for digit in "12#":
        qtbot.mouseClick(view.keypad.keys[digit], Qt.MouseButton.LeftButton)
    assert view.keypad.number.text() == "12#"
    assert not window.banner.isVisible(), window.banner_text.text()


def test_audio_quick_switch_moves_the_call_to_another_speaker(qtbot: Any, window: MainWindow) -> None:
    dial(qtbot, window, "100")
    view = window.call_view
    audio = window.parts.services.audio
    assert audio.available and view.devices.isEnabled()
    view.devices_menu.ask_devices()
    qtbot.waitUntil(lambda: bool(view.devices_menu.devices), timeout=CALL_TIMEOUT_MS)
    actions = view.devices_menu.actions()
    speaker_section = next(i for i, a in enumerate(actions) if a.isSeparator() and a.text() == "Speaker")
    speakers = [a for a in actions[speaker_section + 1:] if a.isCheckable()]
    assert [a.text() for a in speakers if a.isChecked()] == [audio.playback_device_name]
    other = next(a for a in speakers if not a.isChecked())
    name = other.text()
    other.trigger()
    qtbot.waitUntil(lambda: audio.playback_device_name == name, timeout=CALL_TIMEOUT_MS)
    assert engine_call(window, view.current_id).state is CallState.CONFIRMED, "the call stays up"
    assert window.parts.config().config.audio.playback_device == name, "the in-call choice is saved"
    audio.choose_devices("", "", by="the test's clean-up")


def test_quality_indicator_shows_figures_from_the_stream_statistics(qtbot: Any, window: MainWindow) -> None:
    dial(qtbot, window, "100")
    window.call_view.quality.ask()
    qtbot.waitUntil(lambda: "jitter" in window.call_view.quality.text(), timeout=CALL_TIMEOUT_MS)
    assert "MOS" in window.call_view.quality.toolTip()


def test_add_call_holds_the_first_and_merge_joins_both(qtbot: Any, window: MainWindow) -> None:
    first = dial(qtbot, window, "100")
    qtbot.mouseClick(window.call_view.add_call, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.home, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: engine_call(window, first).media is MediaState.LOCAL_HOLD, timeout=CALL_TIMEOUT_MS)
    second = dial(qtbot, window, "200")
    view = window.call_view
    assert view.current_id == second
    assert view.others.count() == 1, "the held call is listed"
    assert view.merge.isEnabled()
    qtbot.mouseClick(view.merge, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(engine_call(window, c).merged for c in (first, second)), timeout=CALL_TIMEOUT_MS)
    assert all(engine_call(window, c).media is MediaState.ACTIVE for c in (first, second))


def wait_for_incoming(qtbot: Any, window: MainWindow) -> str:
    qtbot.waitUntil(lambda: window.incoming.isVisible() and window.incoming.call_id is not None,
                    timeout=3 * CALL_TIMEOUT_MS)
    return window.incoming.call_id


def call_400_and_be_on_a_call_with_100(qtbot: Any, window: MainWindow) -> str:
    """Calls 400 (it talks, hangs up, calls back) and, while it prepares the call-back, calls 100."""
    window.call("400")
    qtbot.waitUntil(lambda: window.call_view.has_calls(), timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.call_view.has_calls(), timeout=CALL_TIMEOUT_MS)
    return dial(qtbot, window, "100")


def test_incoming_calls_ring_without_taking_keystrokes_and_answer_decline_and_call_waiting_work(
        qtbot: Any, window: MainWindow) -> None:
    """400 hangs up and calls back a few seconds later: each round is one real incoming call."""
    incoming = window.incoming
    # Wait for the window to have handled the end of the call, not only for the call record to be empty: the
    # record is kept on the services' event thread and runs ahead of the window, whose handling of the end
    # puts the focus back on the dialpad (it took the search box's focus under load once).
    with qtbot.waitSignal(window.parts.bridge.call_ended, timeout=2 * CALL_TIMEOUT_MS):
        window.call("400")
    assert not window.call_view.has_calls()
    window.search.setFocus()  # the user is typing somewhere when the call-back arrives
    answered = wait_for_incoming(qtbot, window)
    assert incoming.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert incoming.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert incoming.focusWidget() is None, "no control of the ringing window takes keystrokes"
    focus = window.focusWidget()
    assert focus is window.search, (
        f"typing keeps going where the user was typing, not in {type(focus).__name__} "
        f"{focus.accessibleName() if focus is not None else ''!r}")
    assert incoming.caller.text() == "Call me back" and incoming.number.text() == "400"
    assert incoming.heading.text() == "Incoming call" and not incoming.hold_and_answer.isVisible()
    qtbot.waitUntil(lambda: window.parts.services.alerting.ringing, timeout=CALL_TIMEOUT_MS)  # ringing on the ring device
    qtbot.mouseClick(incoming.answer, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine_call(window, answered) is not None
                    and engine_call(window, answered).state is CallState.CONFIRMED, timeout=CALL_TIMEOUT_MS)
    assert not incoming.isVisible()
    qtbot.waitUntil(lambda: not window.parts.services.alerting.ringing, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.call_view, timeout=CALL_TIMEOUT_MS)
    window.parts.services.calls.hang_up(answered).result(5)
    qtbot.waitUntil(lambda: not window.call_view.has_calls(), timeout=CALL_TIMEOUT_MS)

    # A call arriving during a call is a waiting call: decline it and the first call carries on untouched.
    first = call_400_and_be_on_a_call_with_100(qtbot, window)
    declined = wait_for_incoming(qtbot, window)
    assert incoming.heading.text() == "Call waiting"
    assert incoming.hold_and_answer.isVisible() and not incoming.answer.isVisible()
    assert not window.parts.services.alerting.ringing, "a waiting call shows; it does not ring over the conversation"
    with qtbot.waitSignal(window.parts.bridge.call_ended, timeout=CALL_TIMEOUT_MS,
                          check_params_cb=lambda e: e.call_id == declined) as ended:
        qtbot.mouseClick(incoming.decline, Qt.MouseButton.LeftButton)
    event: CallEnded = ended.args[0]
    assert not event.answered
    assert not incoming.isVisible()
    assert engine_call(window, first).media is MediaState.ACTIVE
    window.parts.services.calls.hang_up(first).result(5)
    qtbot.waitUntil(lambda: not window.call_view.has_calls(), timeout=CALL_TIMEOUT_MS)

    # Hold and answer: the first call goes on hold, the waiting one connects.
    first = call_400_and_be_on_a_call_with_100(qtbot, window)
    waiting = wait_for_incoming(qtbot, window)
    qtbot.mouseClick(incoming.hold_and_answer, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine_call(window, first).media is MediaState.LOCAL_HOLD
                    and engine_call(window, waiting) is not None
                    and engine_call(window, waiting).state is CallState.CONFIRMED, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.call_view.current_id == waiting and window.call_view.others.count() == 1,
                    timeout=CALL_TIMEOUT_MS)
