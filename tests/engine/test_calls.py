from __future__ import annotations

import re

import pytest

from callclient.engine import SipEngine
from callclient.engine.errors import InvalidTarget
from callclient.engine.events import (
    CallDirection,
    CallEnded,
    CallState,
    CallUpdated,
    MediaState,
)
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio


@pytest.fixture
def alice(register):
    return register("alice")


def connected(events: Events, call_id: str) -> CallUpdated:
    return events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)


def test_outgoing_call_offers_configured_codecs_and_user_agent(engine: SipEngine, events: Events, alice, far_end) -> None:
    bob = far_end("bob", auto_answer=True)
    call_id = engine.make_call("bob").result(5)
    incoming = bob.expect(lambda e: e["ev"] == "incoming", what="the INVITE")
    assert incoming["headers"]["user-agent"].startswith("CallClient/")
    sdp = incoming["sdp"]
    media_line = re.search(r"m=audio \d+ RTP/AVP ([\d ]+)", sdp).group(1).split()
    opus_pt = re.search(r"a=rtpmap:(\d+) opus/48000/2", sdp).group(1)
    assert media_line[:4] == [opus_pt, "9", "8", "0"], "Opus, then G.722, PCMA, PCMU"
    fmtp = re.search(rf"a=fmtp:{opus_pt} (.*)", sdp).group(1)
    # Wideband mono with in-band FEC (RFC 7587 fmtp): what the bridge carries and the loss figures chose.
    assert {"useinbandfec=1", "maxplaybackrate=16000", "sprop-maxcapturerate=16000"} <= {
        p.strip() for p in fmtp.split(";")}
    assert not re.search(r"speex|iLBC|GSM", sdp, re.I), "other codecs are off by default"
    up = connected(events, call_id)
    assert up.remote.number == "bob" and up.direction is CallDirection.OUTGOING
    engine.hangup(call_id).result(5)
    ended = events.wait(CallEnded, call_id=call_id)
    assert ended.answered and ended.duration_s > 0 and ended.reason == "call ended"
    bob.expect_state("DISCONNECTED")


def test_incoming_call_rings_shows_caller_and_can_be_answered(engine: SipEngine, events: Events, alice, far_end) -> None:
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    ringing = events.wait(CallUpdated, state=CallState.INCOMING)
    assert ringing.remote.display_name == "Bob Example" and ringing.remote.number == "bob"
    assert not ringing.waiting
    bob.expect_state("EARLY")
    engine.answer().result(5)
    connected(events, ringing.call_id)
    bob.expect_state("CONFIRMED")
    bob.send(op="hangup")
    ended = events.wait(CallEnded, call_id=ringing.call_id)
    assert ended.direction is CallDirection.INCOMING and ended.answered


@pytest.mark.parametrize(("code", "reason"), [(486, "Busy Here"), (603, "Decline")])
def test_rejecting_an_incoming_call_sends_busy_or_decline(engine: SipEngine, events: Events, alice, far_end,
                                                         code: int, reason: str) -> None:
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    ringing = events.wait(CallUpdated, state=CallState.INCOMING)
    engine.reject(ringing.call_id, code=code).result(5)
    assert bob.expect_state("DISCONNECTED")["code"] == code
    assert events.wait(CallEnded, call_id=ringing.call_id).answered is False


def test_far_end_busy_ends_the_call_with_busy(engine: SipEngine, events: Events, alice, sipp) -> None:
    far = sipp("uas_busy")
    call_id = engine.make_call(far.uri, allow_foreign_domain=True).result(5)
    ended = events.wait(CallEnded, call_id=call_id)
    assert (ended.code, ended.reason, ended.answered) == (486, "busy", False)
    far.assert_passed()


def test_hanging_up_an_unanswered_call_cancels_it(engine: SipEngine, events: Events, alice, sipp) -> None:
    far = sipp("uas_never_answers")
    call_id = engine.make_call(far.uri, allow_foreign_domain=True).result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.EARLY)
    engine.hangup(call_id).result(5)
    ended = events.wait(CallEnded, call_id=call_id)
    assert ended.code == 487 and not ended.answered
    far.assert_passed()


def test_sipp_caller_reaches_us_and_hangs_up(engine: SipEngine, events: Events, kamailio: Kamailio, register, sipp) -> None:
    register("alice", auto_answer=True)
    caller = sipp("uac_call", remote=kamailio.address(), service="alice")
    ringing = events.wait(CallUpdated, state=CallState.INCOMING)
    assert ringing.remote.display_name == "Sipp Caller" and ringing.remote.number == "5550100"
    ended = events.wait(CallEnded, call_id=ringing.call_id)
    assert ended.answered
    caller.assert_passed()


def test_hold_and_resume_send_sendonly_then_sendrecv(engine: SipEngine, events: Events, alice, sipp) -> None:
    far = sipp("uas_hold_resume")
    call_id = engine.make_call(far.uri, allow_foreign_domain=True).result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED, media=MediaState.ACTIVE)
    engine.hold(call_id).result(5)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.LOCAL_HOLD)
    engine.resume(call_id).result(5)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE, only_new=True)
    engine.hangup(call_id).result(5)
    far.assert_passed()  # the scenario fails unless the re-INVITEs said a=sendonly, then a=sendrecv


def test_dtmf_reaches_the_far_end_as_rfc4733_events(engine: SipEngine, events: Events, alice, far_end) -> None:
    bob = far_end("bob", auto_answer=True)
    call_id = engine.make_call("bob").result(5)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE)
    assert engine.send_dtmf("1234#", call_id).result(5) == "rfc4733"
    digits = [bob.expect(lambda e: e["ev"] == "dtmf", what="a DTMF digit") for _ in range(5)]
    assert "".join(d["digit"] for d in digits) == "1234#"
    assert {d["method"] for d in digits} == {"rfc4733"}


def test_dtmf_falls_back_to_sip_info_without_telephone_event(engine: SipEngine, events: Events, alice, sipp) -> None:
    far = sipp("uas_info_dtmf")
    call_id = engine.make_call(far.uri, allow_foreign_domain=True).result(5)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE)
    assert engine.send_dtmf("5#", call_id).result(5) == "sip-info"
    # the scenario checks each INFO's Signal= body; wait for sipp to have seen both before hanging up
    from tests.fixtures.net import wait_until

    wait_until(lambda: far.messages_text().count("Signal=") >= 2, 10, "both INFO requests at the far end")
    engine.hangup(call_id).result(5)
    far.assert_passed()


def test_do_not_disturb_refuses_calls_with_486(engine: SipEngine, events: Events, alice, far_end) -> None:
    engine.set_dnd(True).result(5)
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    assert bob.expect_state("DISCONNECTED")["code"] == 486
    refused = events.wait(CallEnded, code=486)
    assert refused.remote.number == "bob" and not refused.answered  # kept for the missed-call list
    assert not [e for e in events.history if isinstance(e, CallUpdated) and e.call_id == refused.call_id]


def test_do_not_disturb_can_answer_480(engine: SipEngine, events: Events, register, far_end) -> None:
    from callclient.engine.settings import DndResponse

    register("alice", dnd_response=DndResponse.TEMPORARILY_UNAVAILABLE)
    engine.set_dnd(True).result(5)
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    assert bob.expect_state("DISCONNECTED")["code"] == 480


def test_auto_answer_picks_up_by_itself(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice", auto_answer=True)
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    bob.expect_state("CONFIRMED")
    ringing = events.wait(CallUpdated, state=CallState.CONFIRMED)
    assert ringing.direction is CallDirection.INCOMING


def test_call_waiting_second_call_rings_while_first_is_up(engine: SipEngine, events: Events, alice, far_end) -> None:
    bob = far_end("bob", auto_answer=True)
    carol = far_end("carol")
    first = engine.make_call("bob").result(5)
    connected(events, first)
    carol.send(op="call", account="carol", uri="sip:alice@pbx.test")
    waiting = events.wait(CallUpdated, state=CallState.INCOMING)
    assert waiting.waiting and waiting.remote.number == "carol"
    engine.hold(first).result(5)
    events.wait(CallUpdated, call_id=first, media=MediaState.LOCAL_HOLD)
    engine.answer(waiting.call_id).result(5)
    connected(events, waiting.call_id)
    status = engine.status().result(5)
    assert {c.call_id: c.media for c in status.calls} == {first: MediaState.LOCAL_HOLD, waiting.call_id: MediaState.ACTIVE}
    bob.expect(lambda e: e["ev"] == "media" and e["status"] == 3, what="bob put on hold (remote hold)")


def test_mute_is_reported_and_reversible(engine: SipEngine, events: Events, alice, far_end) -> None:
    far_end("bob", auto_answer=True)
    call_id = engine.make_call("bob").result(5)
    connected(events, call_id)
    engine.set_mute(True, call_id).result(5)
    assert events.wait(CallUpdated, call_id=call_id, muted=True).muted
    engine.set_mute(False, call_id).result(5)
    events.wait(CallUpdated, call_id=call_id, muted=False, only_new=True)


def test_invalid_targets_are_refused_before_any_signalling(engine: SipEngine, alice) -> None:
    with pytest.raises(InvalidTarget, match="not a number"):
        engine.make_call("call my mum").result(5)
    with pytest.raises(InvalidTarget, match="empty"):
        engine.make_call("  ").result(5)


def test_codec_order_is_configurable(pki, kamailio: Kamailio, far_end) -> None:
    from callclient.engine import EngineSettings
    from tests.engine.conftest import account_for

    sip = SipEngine(EngineSettings(codecs=("PCMU/8000", "G722/16000"), log_level=1))
    sip.start()
    try:
        events = Events(sip.subscribe())
        sip.add_account(account_for(kamailio, "alice")).result(5)
        bob = far_end("bob", auto_answer=True, codecs="PCMU/8000,G722/16000")
        sip.make_call("bob").result(5)
        offer = bob.expect(lambda e: e["ev"] == "incoming")["sdp"]
        assert re.search(r"m=audio \d+ RTP/AVP 0 9 \d+\r?\n", offer), offer
        assert "PCMA" not in offer
    finally:
        sip.stop()


def test_call_quality_and_status_describe_a_live_call(engine: SipEngine, events: Events, alice, far_end) -> None:
    from tests.fixtures.net import wait_until

    far_end("bob", auto_answer=True)
    call_id = engine.make_call("bob").result(5)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE)
    quality = engine.call_quality(call_id).result(5)
    assert quality.codec == "PCMU" and 1.0 <= quality.mos <= 4.5 and quality.loss_percent == 0
    wait_until(lambda: engine.status().result(5).calls[0].duration_s > 0, 5, "the call's duration to grow")
    (live,) = engine.status().result(5).calls
    assert (live.call_id, live.state, live.remote.number) == (call_id, CallState.CONFIRMED, "bob")
    as_json = engine.status().result(5).to_json()
    assert as_json["calls"][0]["remote"]["number"] == "bob"
    assert as_json["accounts"][0]["state"] == "registered"
