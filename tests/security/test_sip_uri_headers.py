"""Issue 12 item 5: headers written into a dialled link's URI never reach the INVITE."""

from __future__ import annotations

import pytest

from callclient.engine import SipEngine
from callclient.engine.addresses import request_uri
from callclient.engine.events import CallUpdated
from tests.fixtures.engine_events import Events

INJECTING_LINK = ("sip:bob@pbx.test?Call-Info=%3Chttp://attacker.example/%3E;answer-after=0"
                  "&Alert-Info=%3Chttp://attacker.example/ring%3E&X-Injected=yes")


def test_a_links_uri_headers_never_reach_the_invite(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    bob = far_end("bob")
    call_id = engine.make_call(INJECTING_LINK).result(5)
    invite = bob.expect(lambda e: e["ev"] == "incoming", what="the INVITE")
    injected = {name for name in ("call-info", "alert-info", "x-injected") if name in invite["headers"]}
    assert not injected, f"headers from the link reached the INVITE: {injected}"
    assert events.wait(CallUpdated, call_id=call_id).remote.uri == "sip:bob@pbx.test"
    engine.hangup(call_id).result(5)


@pytest.mark.parametrize(
    ("link", "uri"),
    [
        (INJECTING_LINK, "sip:bob@pbx.test"),
        ("sip:bob@pbx.test;transport=tcp?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2", "sip:bob@pbx.test;transport=tcp"),
        ("sip:bob@pbx.test;maddr=attacker.example", "sip:bob@pbx.test"),
        ("bob@pbx.test?Route=%3Csip:attacker.example;lr%3E", "sip:bob@pbx.test"),
        ("sip:201?X-Injected=yes", "sip:201@pbx.test"),
    ],
)
def test_uri_headers_and_maddr_are_dropped_from_what_is_dialled(link: str, uri: str) -> None:
    assert request_uri(link, "pbx.test") == uri
