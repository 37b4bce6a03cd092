"""Issue 12, item 2: a caller's text is shown as plain text. Each test performs the attack for real — a
hostile far end (hand-written SIP over UDP, as an attacker sends it) calls the demo line with a crafted
display name or URI, or the PBX hands the app a crafted voicemail caller or history name — and inspects
the widgets the user sees: the incoming-call window, the call view, the history and voicemail lists and
the tray notification."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from callclient.app import Core
from callclient.engine.settings import Transport
from tests.fixtures.raw_sip import RawSipClient, plain_sdp
from tests.ui.conftest import CALL_TIMEOUT_MS
from ui.main_window import MainWindow
from ui.text import notification_body

BANK = "<b><font color=red size=7>Your Bank — Fraud team</font></b>"
IMAGE = "<img width=2000 height=900 src=https://attacker.example/x.png>"
REORDERED = "CEO \u202e0001 555"
LONG = "Aa " * 70  # 210 characters: what fits pjsua's remote URI buffer, far beyond a window's width
HUGE = "A" * 3000  # pjsua itself gives up on this one ("uri too long"); the window must still hold
# `sip:<font color=green>✔ Verified: 112</font>@host`, as party_from_header URL-decodes the user part.
GREEN_TICK_USER = "%3Cfont%20color%3Dgreen%3E%E2%9C%94%20Verified%3A%20112%3C%2Ffont%3E"
ALICE_UUID = "a1f0e5b2-7c1d-4e0a-9d37-0c4f5e6a7b01"  # the demo PBX's sample user
BIDI_CONTROLS = [chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
WINDOW_WIDTH_LIMIT_PX = 700


@pytest.fixture
def attacker() -> Iterator[RawSipClient]:
    client = RawSipClient()
    yield client
    client.close()


def hostile_invite(client: RawSipClient, core: Core, display_name: str, user: str = "5550102") -> str:
    """An INVITE to the demo line (which takes calls from anyone: it registers nowhere) from `display_name`."""
    port = core.engine.ports[Transport.UDP]
    call_id, branch = f"{uuid.uuid4().hex}@attacker", uuid.uuid4().hex
    body = plain_sdp(41000)
    name = f'"{display_name}" ' if display_name else ""
    client.send(
        f"INVITE sip:me@127.0.0.1:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{client.port};branch=z9hG4bK{branch};rport\r\n"
        "Max-Forwards: 70\r\n"
        f"From: {name}<sip:{user}@127.0.0.1:{client.port}>;tag={branch[:10]}\r\n"
        f"To: <sip:me@127.0.0.1:{port}>\r\n"
        f"Call-ID: {call_id}\r\nCSeq: 1 INVITE\r\n"
        f"Contact: <sip:{user}@127.0.0.1:{client.port}>\r\n"
        f"Content-Type: application/sdp\r\nContent-Length: {len(body.encode())}\r\n\r\n{body}", port)
    return call_id


def ring(window: MainWindow, qtbot: Any, client: RawSipClient, core: Core, display_name: str,
         user: str = "5550102") -> None:
    hostile_invite(client, core, display_name, user)
    qtbot.waitUntil(lambda: window.incoming.isVisible() and window.incoming.call_id is not None,
                    timeout=CALL_TIMEOUT_MS)


def decline(window: MainWindow, qtbot: Any) -> None:
    window.answering.decline(window.incoming.call_id)
    qtbot.waitUntil(lambda: not window.incoming.isVisible(), timeout=CALL_TIMEOUT_MS)


def assert_plain(label: Any) -> None:
    assert label.textFormat() is Qt.TextFormat.PlainText
    assert not any(char in label.text() for char in BIDI_CONTROLS)


def test_markup_in_a_display_name_is_shown_literally_with_the_number_beside_it(
        window: MainWindow, qtbot: Any, attacker: RawSipClient, core: Core) -> None:
    ring(window, qtbot, attacker, core, BANK)
    incoming = window.incoming
    for label in (incoming.caller, incoming.number):
        assert_plain(label)
    assert incoming.caller.text().startswith("<b><font color=red"), "the markup is shown, not obeyed"
    assert incoming.number.text() == "5550102", "the number that really calls is beside the claimed name"
    assert incoming.width() < WINDOW_WIDTH_LIMIT_PX

    window.answering.answer(incoming.call_id)
    qtbot.waitUntil(lambda: window.call_view.name.text() != "", timeout=CALL_TIMEOUT_MS)
    assert_plain(window.call_view.name)
    assert window.call_view.name.text().startswith("<b><font")
    assert window.call_view.number.text() == "5550102"


def test_an_image_tag_does_not_grow_the_incoming_window(window: MainWindow, qtbot: Any, attacker: RawSipClient,
                                                         core: Core) -> None:
    ring(window, qtbot, attacker, core, IMAGE)
    assert_plain(window.incoming.caller)
    assert "<img" in window.incoming.caller.text() or window.incoming.caller.text().startswith("<im")
    assert window.incoming.width() < WINDOW_WIDTH_LIMIT_PX
    assert window.incoming.height() < 300
    decline(window, qtbot)


def test_a_bidi_override_cannot_reorder_the_number(window: MainWindow, qtbot: Any, attacker: RawSipClient,
                                                    core: Core) -> None:
    ring(window, qtbot, attacker, core, REORDERED)
    assert_plain(window.incoming.caller)
    assert window.incoming.caller.text() == "CEO 0001 555"
    decline(window, qtbot)


def test_a_long_name_is_elided_and_kept_whole_for_screen_readers(
        window: MainWindow, qtbot: Any, attacker: RawSipClient, core: Core) -> None:
    ring(window, qtbot, attacker, core, LONG)
    caller = window.incoming.caller
    assert_plain(caller)
    assert len(caller.text()) <= 64 and caller.text().endswith("…")
    assert caller.accessibleDescription() == LONG.strip()
    assert window.incoming.width() < WINDOW_WIDTH_LIMIT_PX
    decline(window, qtbot)


def test_a_3000_character_name_does_not_stretch_the_window(window: MainWindow, qtbot: Any,
                                                           attacker: RawSipClient, core: Core) -> None:
    ring(window, qtbot, attacker, core, HUGE)
    assert_plain(window.incoming.caller)
    assert len(window.incoming.caller.text()) <= 64
    assert window.incoming.width() < WINDOW_WIDTH_LIMIT_PX
    decline(window, qtbot)


def test_markup_in_the_uri_user_part_is_shown_literally(window: MainWindow, qtbot: Any, attacker: RawSipClient,
                                                        core: Core) -> None:
    ring(window, qtbot, attacker, core, "", user=GREEN_TICK_USER)
    assert_plain(window.incoming.caller)
    assert window.incoming.caller.text() == "<font color=green>✔ Verified: 112</font>"
    decline(window, qtbot)


def test_the_tray_notification_of_a_hostile_call_is_plain(window: MainWindow, qtbot: Any, attacker: RawSipClient,
                                                          core: Core) -> None:
    window.hide()  # closed to the tray: the call is announced there
    ring(window, qtbot, attacker, core, REORDERED + "\x1b[2J\t" + BANK)
    assert window.system_tray.last_notification is not None
    title, text = window.system_tray.last_notification
    assert title == "Incoming call"
    assert not any(char in text for char in BIDI_CONTROLS + ["\x1b", "\t"])
    assert text.startswith("CEO 0001 555") and "<b><font" in text and text.endswith("(5550102)")
    # What the Linux notification server receives: its body-markup must not read the caller's tags.
    assert "<" not in notification_body(text) and "&lt;b&gt;&lt;font" in notification_body(text)
    decline(window, qtbot)


def test_pbx_strings_with_markup_are_plain_in_history_and_voicemail(window: MainWindow, qtbot: Any,
                                                                    core: Core) -> None:
    pbx = core.demo.pbx
    pbx.add_call(ALICE_UUID, BANK + "\u202e" + HUGE, "5550102")
    pbx.add_voicemail(ALICE_UUID, IMAGE + "\u2066", "5550103")
    window.history_view.refresh()
    window.voicemail_view.refresh()

    def row_named(model: Any, prefix: str) -> Any:
        rows = [model.item(r) for r in range(model.rowCount())]
        return next((item for item in rows if item.text().startswith(prefix)), None)

    qtbot.waitUntil(lambda: row_named(window.history_view.model, "<b><font") is not None, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: row_named(window.voicemail_view.model, "<img") is not None, timeout=CALL_TIMEOUT_MS)
    history = row_named(window.history_view.model, "<b><font").text()
    assert len(history) <= 64 and history.endswith("…") and "\u202e" not in history
    voicemail = row_named(window.voicemail_view.model, "<img").text()
    assert voicemail == IMAGE, "shown literally, the bidi isolate gone"
