"""Issue 12 items 23 and 24: out-of-dialog requests from strangers. A stranger cannot follow the user's
presence (SUBSCRIBE) or reach them with MESSAGE; OPTIONS is answered with a Server header."""

from __future__ import annotations

from callclient.engine import SipEngine
from callclient.engine.events import RequestRefused
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
