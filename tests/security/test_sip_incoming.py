"""Issue 12 items 9 and 19: only the PBX may ring the phone, unanswered calls stop ringing, and callers
can never take the last call slot the user needs to place a call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from callclient.engine import EngineSettings, SipEngine
from callclient.engine.events import (
    CallDirection,
    CallEnded,
    CallRefused,
    CallState,
    CallUpdated,
    RefusalReason,
    RegistrationChanged,
    RegistrationState,
)
from callclient.engine.settings import Transport
from tests.engine.conftest import account_for
from tests.fixtures.engine_events import Events
from tests.fixtures.raw_sip import RawSipClient, plain_sdp
from tests.fixtures.tls import Pki


def test_an_invite_straight_to_the_sip_port_is_refused(engine: SipEngine, events: Events, register,
                                                       attacker: RawSipClient) -> None:
    register("alice", auto_answer=True)  # auto-answer: a direct INVITE would open the microphone
    call_id = attacker.request("INVITE", engine.ports[Transport.UDP], body=plain_sdp())
    assert attacker.final_response(call_id).status == 403
    refused = events.wait(CallRefused, reason=RefusalReason.NOT_FROM_PBX)
    assert refused.account_id == "alice-udp" and refused.code == 403
    assert refused.party.number == "scanner"
    assert not any(isinstance(e, CallUpdated) and e.state is not CallState.DISCONNECTED for e in events.history), \
        "the ghost call never rang or connected"


def test_scanner_invites_that_never_cancel_do_not_lock_the_phone_out(engine: SipEngine, events: Events, register,
                                                                     far_end, attacker: RawSipClient) -> None:
    register("alice")
    far_end("bob", auto_answer=True)
    carol = far_end("carol")
    ghosts = [attacker.request("INVITE", engine.ports[Transport.UDP], body=plain_sdp(40000 + 2 * i))
              for i in range(4)]
    for ghost in ghosts:
        attacker.final_response(ghost)
    carol.send(op="call", account="carol", uri="sip:alice@pbx.test")
    ringing = events.wait(CallUpdated, state=CallState.INCOMING)
    assert ringing.remote.number == "carol", "a real call through the PBX still rings"
    refusals = [e for e in events.history if isinstance(e, CallRefused)]
    assert len(refusals) == 1, f"one notice for one scanner, not one per INVITE: {refusals}"
    own = engine.make_call("bob").result(5)
    events.wait(CallUpdated, call_id=own, state=CallState.CONFIRMED)


def test_one_call_slot_stays_free_for_the_users_own_call(engine: SipEngine, events: Events, register,
                                                          far_end) -> None:
    register("alice")
    callers = far_end("bob", "carol", "dave")
    far_end("erin", auto_answer=True)
    for user in ("bob", "carol", "dave"):
        callers.send(op="call", account=user, uri="sip:alice@pbx.test")
    ringing: set[str] = set()
    for _ in range(3):
        ringing.add(events.wait(CallUpdated, state=CallState.INCOMING,
                                where=lambda e: e.remote.number not in ringing).remote.number)
    assert ringing == {"bob", "carol", "dave"}
    callers.send(op="call", account="bob", uri="sip:alice@pbx.test")
    refused = events.wait(CallRefused, reason=RefusalReason.TOO_MANY_CALLS)
    assert refused.code == 486 and refused.party.number == "bob"
    own = engine.make_call("erin").result(5)
    events.wait(CallUpdated, call_id=own, state=CallState.CONFIRMED)
    status = engine.status().result(5)
    assert (status.max_calls, status.max_incoming_calls) == (4, 3)
    assert len(status.calls) == 4


@pytest.fixture
def impatient_engine(pki: Pki) -> Iterator[SipEngine]:
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2, incoming_ring_timeout_s=2.0))
    sip.start()
    yield sip
    sip.stop()


def test_an_unanswered_call_stops_ringing_after_the_ring_timeout(impatient_engine: SipEngine, kamailio,
                                                                 far_end) -> None:
    events = Events(impatient_engine.subscribe())
    impatient_engine.add_account(account_for(kamailio, "alice")).result(5)
    events.wait(RegistrationChanged, state=RegistrationState.REGISTERED)
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    ringing = events.wait(CallUpdated, state=CallState.INCOMING)
    ended = events.wait(CallEnded, call_id=ringing.call_id, timeout=10)
    assert (ended.code, ended.answered, ended.direction) == (480, False, CallDirection.INCOMING)
    assert bob.expect_state("DISCONNECTED")["code"] == 480
    assert impatient_engine.status().result(5).calls == ()
