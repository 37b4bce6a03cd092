"""Voicemail is deleted from the device after playback (issue 12 item 3): the voicemail view playing a
message to the end releases its offline copy through the PBX service. Before the wiring nothing in the app
called `voicemail_played`, so the encrypted copy stayed for days."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from callclient.app import Core
from callclient.services.accounts import PBX_ACCOUNT_ID
from ui.main_window import MainWindow

LOAD_MS = 15_000


def test_playing_a_message_to_the_end_removes_its_cached_copy(qtbot: Any, window: MainWindow, core: Core) -> None:
    view = window.voicemail_view
    window.show_section("voicemail")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=LOAD_MS)
    message = view.message_rows()[0]
    view.open_message(message)
    qtbot.waitUntil(lambda: view.player is not None, timeout=LOAD_MS)
    assert core.voicemail_cache.get(PBX_ACCOUNT_ID, message.id) is not None, "cached while it is open"

    qtbot.mouseClick(view.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: core.voicemail_cache.get(PBX_ACCOUNT_ID, message.id) is None, timeout=LOAD_MS)
    assert view.progress.value() == view.progress.maximum(), "it was heard to the end"
