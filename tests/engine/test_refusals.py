"""Issue 21: calls refused by policy never ring but reach the user as CallRefused, with real far ends."""

from __future__ import annotations

from callclient.engine import SipEngine
from callclient.engine.events import CallRefused, CallState, CallUpdated, RefusalReason
from callclient.engine.settings import SrtpPolicy
from tests.fixtures.engine_events import Events


def rang(events: Events) -> bool:
    return any(isinstance(e, CallUpdated) and e.state is CallState.INCOMING for e in events.history)


def test_a_call_refused_for_do_not_disturb_is_reported(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    engine.set_dnd(True).result(5)
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    assert bob.expect_state("DISCONNECTED")["code"] == 486
    refused = events.wait(CallRefused, reason=RefusalReason.DO_NOT_DISTURB)
    assert (refused.account_id, refused.code, refused.party.number) == ("alice-udp", 486, "bob")
    assert refused.reason_text == "refused while do-not-disturb was on"
    assert not rang(events)


def test_a_caller_without_encryption_is_refused_and_reported(engine: SipEngine, events: Events, register,
                                                             far_end) -> None:
    register("alice", srtp=SrtpPolicy.MANDATORY)
    bob = far_end("bob", srtp="off")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    assert bob.expect_state("DISCONNECTED")["code"] in (488, 406)
    refused = events.wait(CallRefused, reason=RefusalReason.ENCRYPTION_REQUIRED)
    assert refused.account_id == "alice-udp" and refused.party.number == "bob"
    assert refused.reason_text == "refused: the caller's phone does not encrypt audio"
    assert not rang(events)
