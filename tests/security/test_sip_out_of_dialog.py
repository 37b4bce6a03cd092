"""Issue 12 items 23 and 24: out-of-dialog requests from strangers. A stranger cannot follow the user's
presence (SUBSCRIBE) or reach them with MESSAGE; OPTIONS is answered with a Server header."""

from __future__ import annotations

from callclient.engine import SipEngine
from callclient.engine.events import MessageSummary, RequestRefused
from callclient.engine.settings import Transport
from tests.fixtures.engine_events import Events
from tests.fixtures.raw_sip import RawSipClient

PRESENCE = "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n"


def test_a_strangers_presence_subscribe_is_refused_without_a_notify(engine: SipEngine, events: Events, register,
                                                                    attacker: RawSipClient) -> None:
    register("alice")
    call_id = attacker.request("SUBSCRIBE", engine.ports[Transport.UDP], extra=PRESENCE)
    assert attacker.final_response(call_id).status == 403
    refused = events.wait(RequestRefused, method="SUBSCRIBE")
    assert refused.code == 403 and refused.source == f"127.0.0.1:{attacker.port}"
    # pjsua sends its NOTIFY right after a 2xx; after the 403 nothing may follow.
    notify = [m for m in attacker.seen if m.method == "NOTIFY"]
    try:
        notify.append(attacker.expect(lambda m: m.method == "NOTIFY", timeout=1))
    except AssertionError:
        pass
    assert not notify, "the user's status was sent to a stranger"


def test_an_out_of_dialog_message_is_refused(engine: SipEngine, events: Events, register,
                                             attacker: RawSipClient) -> None:
    register("alice")
    call_id = attacker.request("MESSAGE", engine.ports[Transport.UDP],
                               extra="Content-Type: text/plain\r\n", body="Your account is locked, call +1 555 0100")
    answer = attacker.final_response(call_id)
    assert answer.status == 403, answer.start_line


def test_options_replies_name_the_app_in_a_server_header(engine: SipEngine, attacker: RawSipClient) -> None:
    call_id = attacker.request("OPTIONS", engine.ports[Transport.UDP])
    answer = attacker.final_response(call_id)
    assert answer.status == 200
    assert answer.all("server") == [engine.settings.user_agent]


def test_every_response_carries_one_server_header(engine: SipEngine, events: Events, register,
                                                  attacker: RawSipClient) -> None:
    register("alice")
    call_id = attacker.request("SUBSCRIBE", engine.ports[Transport.UDP], extra=PRESENCE)
    refused = attacker.final_response(call_id)
    assert refused.status == 403 and refused.all("server") == [engine.settings.user_agent]


def test_a_strangers_message_summary_does_not_light_the_voicemail_lamp(engine: SipEngine, events: Events, register,
                                                                       kamailio, sipp,
                                                                       attacker: RawSipClient) -> None:
    register("alice")
    body = "Messages-Waiting: yes\r\nMessage-Account: sip:alice@pbx.test\r\nVoice-Message: 9/9 (9/9)\r\n"
    call_id = attacker.request("NOTIFY", engine.ports[Transport.UDP],
                               extra="Event: message-summary\r\nSubscription-State: active\r\n"
                                     "Content-Type: application/simple-message-summary\r\n", body=body)
    attacker.final_response(call_id)
    engine.status().result(5)  # the engine thread has run every callback of that NOTIFY by now
    assert not any(isinstance(e, MessageSummary) for e in _drain(events)), "a stranger set the voicemail counts"
    mailbox = sipp("uac_mwi_notify", remote=kamailio.address(), service="alice")
    assert events.wait(MessageSummary).new == 2, "the PBX's own NOTIFY still counts"
    mailbox.assert_passed()


def _drain(events: Events) -> list[object]:
    events.drain()
    return list(events.history)


def test_a_presence_subscribe_through_the_pbx_is_still_served(engine: SipEngine, events: Events, register, kamailio,
                                                              attacker: RawSipClient) -> None:
    register("alice")
    branch = "z9hG4bKcolleague1"
    subscribe = (
        "SUBSCRIBE sip:alice@pbx.test SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{attacker.port};branch={branch};rport\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:colleague@partner.example>;tag=colleague1\r\n"
        "To: <sip:alice@pbx.test>\r\n"
        "Call-ID: busy-lamp-1@partner\r\nCSeq: 1 SUBSCRIBE\r\n"
        f"Contact: <sip:colleague@127.0.0.1:{attacker.port}>\r\n"
        f"{PRESENCE}Content-Length: 0\r\n\r\n"
    )
    attacker.send(subscribe, kamailio.udp_port)
    answer = attacker.final_response("busy-lamp-1@partner")
    assert answer.status == 200, answer.start_line
