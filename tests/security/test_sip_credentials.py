"""Issue 12 item 1: the SIP password's digest goes only to the account's own realm, links outside the
account's domain are not dialled without confirmation, and a far end cannot steer us elsewhere."""

from __future__ import annotations

import pytest

from callclient.engine import AccountSettings, SipEngine
from callclient.engine.errors import ForeignDomain
from callclient.engine.events import (
    CallEnded,
    CallState,
    CallUpdated,
    MediaState,
    RegistrationChanged,
    RegistrationState,
    TransferRefused,
)
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from callclient.engine.settings import Transport
from tests.fixtures.raw_sip import SipMessage, digest_challenge, plain_sdp, reply


def test_a_link_outside_the_domain_is_not_dialled_without_confirmation(engine: SipEngine, events: Events, register,
                                                                      fake_sip_server) -> None:
    register("alice")
    phisher = fake_sip_server(digest_challenge("attacker.example"))
    link = f"sip:bob@{phisher.address}"
    with pytest.raises(ForeignDomain) as refused:
        engine.make_call(link).result(5)
    assert refused.value.uri == link, "the caller gets the full target to show the user"
    assert link in str(refused.value)
    assert not phisher.received.wait(1), "nothing was sent to the link's host"


@pytest.mark.parametrize("through", ["outbound proxy", "registrar"])
def test_a_confirmed_foreign_call_never_sends_the_password_digest(engine: SipEngine, events: Events, register,
                                                                  kamailio: Kamailio, fake_sip_server,
                                                                  through: str) -> None:
    register("alice", **({} if through == "outbound proxy" else {"outbound_proxy": ""}))
    phisher = fake_sip_server(digest_challenge("attacker.example"))
    call_id = engine.make_call(f"sip:bob@{phisher.address}", allow_foreign_domain=True).result(5)
    ended = events.wait(CallEnded, call_id=call_id)
    assert ended.code in (401, 407) and not ended.answered
    invites = phisher.requests_of("INVITE")
    assert invites, "the confirmed call reached the host"
    assert all(invite.source[1] == kamailio.udp_port for invite in invites), "it left through the registrar"
    leaked = [i.header("authorization") or i.header("proxy-authorization") for i in invites]
    assert not any(leaked), f"a digest for a foreign realm was sent: {leaked}"


def test_the_realm_is_learnt_from_the_registrars_first_challenge(engine: SipEngine, events: Events,
                                                                 fake_sip_server) -> None:
    def registrar(request: SipMessage) -> bytes:
        if 'realm="office-realm"' in request.header("authorization"):
            return reply(request, 200, "OK", f"Contact: {request.header('contact')};expires=60", "Expires: 60")
        return digest_challenge("office-realm")(request)

    office = fake_sip_server(registrar)
    settings = AccountSettings("office", "alice", "pbx.test", password="pw", registrar=office.address,
                               registration_expiry_s=60)
    engine.add_account(settings).result(5)
    events.wait(RegistrationChanged, account_id="office", state=RegistrationState.REGISTERED)
    answered = [r.header("authorization") for r in office.requests_of("REGISTER") if r.has("authorization")]
    assert answered and all('realm="office-realm"' in a for a in answered)
    assert len(office.requests_of("REGISTER")) <= 3, "one guess (the domain), one challenge, one answer"


def test_a_configured_realm_registers_and_calls(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice", realm="pbx.test")
    bob = far_end("bob", auto_answer=True)
    call_id = engine.make_call("bob").result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    bob.expect_state("CONFIRMED")
    engine.hangup(call_id).result(5)


def call_from_bob(engine: SipEngine, events: Events, bob) -> str:
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    ringing = events.wait(CallUpdated, state=CallState.INCOMING)
    engine.answer(ringing.call_id).result(5)
    events.wait(CallUpdated, call_id=ringing.call_id, media=MediaState.ACTIVE)
    bob.expect_state("CONFIRMED")
    return ringing.call_id


def test_a_refer_to_a_foreign_host_is_refused_and_reported(engine: SipEngine, events: Events, register, far_end,
                                                           fake_sip_server) -> None:
    register("alice")
    phisher = fake_sip_server(digest_challenge("attacker.example"))
    bob = far_end("bob")
    call_id = call_from_bob(engine, events, bob)
    target = f"sip:mallory@{phisher.address}"
    bob.send(op="xfer", to=target)
    refused = events.wait(TransferRefused, call_id=call_id)
    assert target in refused.target and "transfer" in refused.reason_text
    # The decision is taken inside the REFER's callback: had it been followed, the INVITE would be out.
    assert not phisher.requests, "the REFER target was contacted"
    assert engine.status().result(5).calls[0].state is CallState.CONFIRMED, "the call itself goes on"


def test_a_refer_inside_the_domain_is_still_followed(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    bob = far_end("bob")
    carol = far_end("carol", auto_answer=True)
    call_from_bob(engine, events, bob)
    bob.send(op="xfer", to="sip:carol@pbx.test")
    transferred = carol.expect(lambda e: e["ev"] == "incoming", what="the call the REFER asked for")
    assert "sip:alice@pbx.test" in transferred["remote"]
    events.wait(CallUpdated, state=CallState.CONFIRMED, where=lambda e: e.remote.number == "carol")


def test_an_invite_with_replaces_from_outside_is_refused(engine: SipEngine, events: Events, register,
                                                         fake_sip_server, attacker) -> None:
    """A host we called once (confirmed by the user) tries to take over the call from elsewhere."""
    register("alice")

    def answers_calls(request: SipMessage) -> bytes | None:
        if request.method != "INVITE":
            return reply(request, 200, "OK", to_tag="mallorytag")
        return reply(request, 200, "OK", f"Contact: <sip:mallory@{mallory.address}>", to_tag="mallorytag",
                     sdp=plain_sdp())

    mallory = fake_sip_server(answers_calls)
    call_id = engine.make_call(f"sip:mallory@{mallory.address}", allow_foreign_domain=True).result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    invite = mallory.requests_of("INVITE")[0]
    our_tag = invite.header("from").split("tag=", 1)[1].split(";", 1)[0]
    replaces = f"Replaces: {invite.header('call-id')};to-tag={our_tag};from-tag=mallorytag\r\n"
    takeover = attacker.request("INVITE", engine.ports[Transport.UDP], extra=replaces, body=plain_sdp(40010),
                                from_user="mallory")
    assert attacker.final_response(takeover).status == 403
    refused = events.wait(TransferRefused, call_id=call_id)
    assert "take over" in refused.reason_text
    assert engine.status().result(5).calls[0].call_id == call_id, "the call was not replaced"
