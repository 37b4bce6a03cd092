"""Issue 12 item 23: a stranger cannot follow the user's presence with an out-of-dialog SUBSCRIBE."""

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
