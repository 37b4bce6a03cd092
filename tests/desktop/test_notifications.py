"""Notifications you can act on, through Core as it ships and a notification server on the real session bus:
a far end (a pjsua2 process registered at Kamailio) calls, the notification's buttons answer, decline and
call back. No window exists in these tests: that is the "window hidden" case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from callclient.app import Core, CoreOptions
from callclient.services.types import CallDirection, CallUpdated
from callclient.storage.app_lock import UnlockResult
from tests.desktop.calls import bob_calls_alice
from tests.fixtures.app_lock import AnsweredLock
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.notifications import NotificationServer, notification_server  # noqa: F401 - fixture
from tests.fixtures.sip_peer import SipPeer
from tests.fixtures.sipp import Sipp
from tests.services.conftest import (  # noqa: F401 - core_home is a fixture
    CoreHome,
    account_toml,
    core_home,
    registered,
    registered_core,
)


def test_answer_on_the_incoming_call_notification_connects_the_call(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer],  # noqa: F811
        notification_server: NotificationServer) -> None:  # noqa: F811
    core = registered_core(core_home, kamailio, "alice")
    bob = far_end("bob")
    bob_calls_alice(bob, kamailio)

    ringing = notification_server.wait_for(lambda n: n.summary == "Incoming call", "for bob's call")
    assert ringing.app_name == "CallClient" and "bob" in ringing.body
    assert ringing.actions == {"answer": "Answer", "decline": "Decline"}
    assert ringing.hints["urgency"] == 1, "normal urgency: the desktop's do-not-disturb applies"
    assert ringing.expire_timeout == 0, "stays while it rings"

    notification_server.click(ringing, "answer")
    bob.expect_state("CONFIRMED")
    wait_until(lambda: [c.state.value for c in core.services.calls.calls.answered().values()] == ["confirmed"],
               10, "the call-actions record to show the call up")
    notification_server.wait_closed(ringing.id)

    bob.send(op="hangup")
    bob.expect_state("DISCONNECTED")
    assert not [n for n in notification_server.shown if n.summary == "Missed call"]


def test_decline_refuses_the_call_and_a_missed_call_offers_call_back_that_dials_the_caller(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer],  # noqa: F811
        notification_server: NotificationServer) -> None:  # noqa: F811
    registered_core(core_home, kamailio, "alice")
    bob = far_end("bob")

    bob_calls_alice(bob, kamailio)
    first = notification_server.wait_for(lambda n: n.summary == "Incoming call", "for the first call")
    notification_server.click(first, "decline")
    assert bob.expect_state("DISCONNECTED")["code"] == 603

    # The second call rings out: bob gives up before anyone answers.
    bob_calls_alice(bob, kamailio)
    notification_server.wait_for(lambda n: n.summary == "Incoming call" and n.id != first.id, "for the second call")
    bob.send(op="hangup")
    bob.expect_state("DISCONNECTED")
    missed = notification_server.wait_for(lambda n: n.summary == "Missed call", "for the call bob gave up on")
    assert "bob" in missed.body and missed.actions == {"call-back": "Call back"}
    # Events are handled in order, so the declined call (earlier) was judged before this one: not "missed".
    assert [n.summary for n in notification_server.shown].count("Missed call") == 1

    notification_server.click(missed, "call-back")
    incoming = bob.expect(lambda e: e["ev"] == "incoming", what="alice calling bob back")
    assert "alice" in incoming["headers"].get("from", "")


def test_with_do_not_disturb_on_nothing_is_shown_for_refused_calls(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer],  # noqa: F811
        notification_server: NotificationServer) -> None:  # noqa: F811
    core = registered_core(core_home, kamailio, "alice")
    bob = far_end("bob")
    core.services.calls.set_dnd(True).result(5)
    bob.send(op="call", account="bob", uri=f"sip:alice@{kamailio.domain}")
    assert bob.expect_state("DISCONNECTED")["code"] in (486, 480)

    core.services.calls.set_dnd(False).result(5)
    bob_calls_alice(bob, kamailio)
    notification_server.wait_for(lambda n: n.summary == "Incoming call", "once do-not-disturb is off")
    bob.send(op="hangup")
    notification_server.wait_for(lambda n: n.summary == "Missed call", "for the call after do-not-disturb")
    # In order: the refused call was handled before the one after, and left no trace on the desktop.
    assert [n.summary for n in notification_server.shown] == ["Incoming call", "Missed call"]


def test_new_voicemail_is_shown_and_listen_dials_the_mailbox(
        core_home: CoreHome, kamailio: Kamailio, tmp_path: Path,  # noqa: F811
        notification_server: NotificationServer) -> None:  # noqa: F811
    core_home.config_file.write_text(account_toml(kamailio, "alice") + 'voicemail_number = "*97"\n')
    core_home.set_password("alice", "alice")
    core = core_home.start()
    registered(core, "alice")
    news = core.services.news.subscribe()

    # The PBX's voicemail server tells alice's phone of 2 new messages (RFC 3842 NOTIFY, through Kamailio).
    mailbox = Sipp("uac_mwi_notify", tmp_path / "sipp", remote=kamailio.address(), service="alice")
    try:
        mailbox.assert_passed()
        voicemail = notification_server.wait_for(lambda n: n.summary == "New voicemail", "for the 2 messages")
    finally:
        mailbox.stop()
    assert voicemail.body == "2 new messages" and voicemail.actions == {"listen": "Listen"}

    notification_server.click(voicemail, "listen")
    while True:
        item = news.get(timeout=20)
        if isinstance(item, CallUpdated) and item.direction is CallDirection.OUTGOING:
            break
    assert item.remote.number == "*97" and item.account_id == "alice"


def test_while_the_app_is_locked_the_desktop_is_told_of_calls_but_not_who(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer],  # noqa: F811
        notification_server: NotificationServer) -> None:  # noqa: F811
    """The app lock (issue 18): a ringing caller is hidden where policy.hide_caller_when_locked says so, a missed
    call never names the caller nor offers to call back, and both come back once unlocked."""
    core_home.config_file.write_text(account_toml(kamailio, "alice")
                                     + "\n[ui]\napp_lock = true\n[policy]\nhide_caller_when_locked = true\n")
    core_home.set_password("alice", "alice")
    core = Core(CoreOptions(config_file=core_home.config_file, demo=False, use_sound_devices=False,
                            keychain_service=core_home.keychain_service, app_lock=AnsweredLock))
    core_home.cores.append(core)
    core.start()
    registered(core, "alice")
    core.services.lock.lock_now("test")
    bob = far_end("bob")

    bob_calls_alice(bob, kamailio)
    ringing = notification_server.wait_for(lambda n: n.summary == "Incoming call", "for bob's call while locked")
    assert "bob" not in ringing.body and "Unlock" in ringing.body
    assert ringing.actions == {"answer": "Answer", "decline": "Decline"}, "a locked app still answers calls"
    bob.send(op="hangup")
    bob.expect_state("DISCONNECTED")
    missed = notification_server.wait_for(lambda n: n.summary == "Missed call", "for the call missed while locked")
    assert "bob" not in missed.body and missed.actions == {}

    core.services.lock.request_unlock()
    core.services.lock.platform.answer(UnlockResult.UNLOCKED)
    wait_until(lambda: not core.services.lock.locked, 10, "the app to unlock")
    bob_calls_alice(bob, kamailio)
    named = notification_server.wait_for(lambda n: n.summary == "Incoming call" and n.id != ringing.id,
                                         "for bob's call once unlocked")
    assert "bob" in named.body


def test_the_notification_names_the_caller_as_the_directory_does(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer],  # noqa: F811
        notification_server: NotificationServer) -> None:  # noqa: F811
    """Issue 13: the best name for the number (here the user's favorite) before the SIP display name."""
    core = registered_core(core_home, kamailio, "alice")
    core.services.favorites.add("alice", "Bob in Accounts", f"sip:bob@{kamailio.domain}")
    bob = far_end("bob")
    bob_calls_alice(bob, kamailio)
    ringing = notification_server.wait_for(lambda n: n.summary == "Incoming call", "for bob's call")
    assert ringing.body.startswith("Bob in Accounts (bob)"), ringing.body
