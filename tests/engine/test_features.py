"""Transfers, conferences, MWI, presence and SRTP against real far ends."""

from __future__ import annotations

from callclient.engine import SipEngine
from callclient.engine.events import (
    CallEnded,
    CallState,
    CallUpdated,
    MediaState,
    MessageSummary,
    PresenceChanged,
    PresenceState,
    TransferProgress,
)
from callclient.engine.settings import SrtpPolicy
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until


def call_up(engine: SipEngine, events: Events, target: str) -> str:
    call_id = engine.make_call(target).result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE)
    return call_id


def test_blind_transfer_refers_the_far_end_to_the_target(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    bob = far_end("bob", auto_answer=True)
    carol = far_end("carol", auto_answer=True)
    call_id = call_up(engine, events, "bob")
    engine.transfer("carol", call_id).result(5)
    refer = bob.expect(lambda e: e["ev"] == "transfer_request", what="the REFER")
    assert refer["to"].startswith("<sip:carol@pbx.test") or refer["to"].startswith("sip:carol@pbx.test")
    new_leg = carol.expect(lambda e: e["ev"] == "incoming", what="the transferred call")
    assert "sip:bob@pbx.test" in new_leg["remote"]
    assert "sip:alice@pbx.test" in new_leg["headers"].get("referred-by", ""), "REFER's Referred-By is carried"
    progress = events.wait(TransferProgress, call_id=call_id, final=True)
    assert progress.code == 200
    ended = events.wait(CallEnded, call_id=call_id)
    assert ended.answered
    carol.expect_state("CONFIRMED")


def test_attended_transfer_joins_the_two_far_ends(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    bob = far_end("bob", auto_answer=True)
    carol = far_end("carol", auto_answer=True)
    first = call_up(engine, events, "bob")
    engine.hold(first).result(5)
    events.wait(CallUpdated, call_id=first, media=MediaState.LOCAL_HOLD)
    consult = call_up(engine, events, "carol")
    engine.transfer_attended(first, consult).result(5)
    refer = bob.expect(lambda e: e["ev"] == "transfer_request", what="the REFER with Replaces")
    assert "Replaces=" in refer["to"] and "carol" in refer["to"]
    carol.expect(lambda e: e["ev"] == "replaced", what="carol's call replaced by bob's")
    assert events.wait(TransferProgress, call_id=first, final=True).code == 200
    ended = {events.wait(CallEnded).call_id for _ in range(2)}
    assert ended == {first, consult}
    assert engine.status().result(5).calls == ()


def test_merged_calls_hear_each_other(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    bob = far_end("bob", auto_answer=True)
    carol = far_end("carol", auto_answer=True)
    to_bob = call_up(engine, events, "bob")
    to_carol = call_up(engine, events, "carol")
    bob_call = bob.expect(lambda e: e["ev"] == "incoming")["call"]
    carol_call = carol.expect(lambda e: e["ev"] == "incoming")["call"]
    bob.send(op="tone", call=bob_call, freq=700)
    bob.expect(lambda e: e["ev"] == "tone_started")
    carol.level(carol_call)  # resets carol's meter
    before = carol.level(carol_call)
    engine.merge([to_bob, to_carol]).result(5)
    wait_until(lambda: carol.level(carol_call) > 500, 10, "bob's tone at carol through the local conference")
    assert before < 50, "carol heard nothing of bob before the merge"
    status = {c.call_id: c for c in engine.status().result(5).calls}
    assert status[to_bob].merged and status[to_carol].merged


def test_message_summary_notify_reaches_the_app_as_counts(engine: SipEngine, events: Events, register,
                                                          kamailio: Kamailio, sipp) -> None:
    register("alice")
    mailbox = sipp("uac_mwi_notify", remote=kamailio.address(), service="alice")
    summary = events.wait(MessageSummary, account_id="alice-udp")
    assert (summary.waiting, summary.new, summary.old, summary.urgent_new, summary.urgent_old) == (True, 2, 8, 1, 3)
    mailbox.assert_passed()


def test_presence_of_a_favorite_follows_its_calls(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    bob = far_end("bob")
    engine.watch_presence(["bob"]).result(5)
    events.wait(PresenceChanged, uri="bob", state=PresenceState.AVAILABLE)
    bob.send(op="presence", account="bob", busy=True)
    busy = events.wait(PresenceChanged, uri="bob", state=PresenceState.BUSY)
    assert "phone" in busy.note.lower()
    engine.watch_presence([]).result(5)


def test_each_account_keeps_its_own_watched_presence_set(engine: SipEngine, events: Events, register,
                                                        far_end) -> None:
    alice, erin = register("alice"), register("erin")
    bob = far_end("bob", "carol")
    engine.watch_presence(["bob"], alice.account_id).result(5)
    engine.watch_presence(["carol"], erin.account_id).result(5)  # must not drop alice's bob
    events.wait(PresenceChanged, uri="bob", account_id=alice.account_id, state=PresenceState.AVAILABLE)
    events.wait(PresenceChanged, uri="carol", account_id=erin.account_id, state=PresenceState.AVAILABLE)
    bob.send(op="presence", account="bob", busy=True)
    events.wait(PresenceChanged, uri="bob", account_id=alice.account_id, state=PresenceState.BUSY)
    engine.watch_presence([], erin.account_id).result(5)  # erin's set only
    bob.send(op="presence", account="carol", busy=True)
    bob.send(op="presence", account="bob", busy=False)
    events.wait(PresenceChanged, uri="bob", account_id=alice.account_id, state=PresenceState.AVAILABLE)
    events.none_within(PresenceChanged, 1, uri="carol", state=PresenceState.BUSY)
    engine.watch_presence([], alice.account_id).result(5)


def test_mandatory_srtp_call_carries_crypto_attributes(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice", srtp=SrtpPolicy.MANDATORY)
    bob = far_end("bob", auto_answer=True, srtp="optional")
    call_up(engine, events, "bob")
    offer = bob.expect(lambda e: e["ev"] == "incoming")["sdp"]
    assert "RTP/SAVP" in offer and "a=crypto:" in offer


def test_mandatory_srtp_refuses_a_far_end_without_it(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice", srtp=SrtpPolicy.MANDATORY)
    far_end("bob", auto_answer=True, srtp="off")
    call_id = engine.make_call("bob").result(5)
    ended = events.wait(CallEnded, call_id=call_id)
    assert not ended.answered and ended.code in (488, 406, 500)
