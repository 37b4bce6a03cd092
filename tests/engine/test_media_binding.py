"""Issue 12 item 21: sip.bind_address binds RTP/RTCP too, and a public address is what the SDP offers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import psutil
import pytest

from callclient.engine import EngineSettings, SipEngine
from callclient.engine.events import CallState, CallUpdated, MediaState, RegistrationChanged, RegistrationState
from tests.engine.conftest import account_for
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki

BOUND = "127.0.0.2"  # a loopback address of its own: nothing else on the machine listens there


def engine_with(pki: Pki, **settings: object) -> SipEngine:
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2, **settings))
    sip.start()
    return sip


@pytest.fixture
def bound_engine(pki: Pki) -> Iterator[SipEngine]:
    sip = engine_with(pki, bind_address=BOUND)
    yield sip
    sip.stop()


def udp_sockets_of_this_process() -> set[tuple[str, int]]:
    return {(c.laddr.ip, c.laddr.port) for c in psutil.Process().net_connections(kind="udp")}


def test_rtp_listens_on_the_bound_address_and_the_sdp_says_so(bound_engine: SipEngine, kamailio: Kamailio,
                                                              far_end) -> None:
    events = Events(bound_engine.subscribe())
    bound_engine.add_account(account_for(kamailio, "alice")).result(5)
    events.wait(RegistrationChanged, state=RegistrationState.REGISTERED)
    bob = far_end("bob", auto_answer=True)
    before = udp_sockets_of_this_process()
    call_id = bound_engine.make_call("bob").result(5)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE)
    sdp = bob.expect(lambda e: e["ev"] == "incoming", what="the INVITE")["sdp"]
    assert re.search(rf"^c=IN IP4 {re.escape(BOUND)}\s*$", sdp, re.M), sdp
    rtp_port = int(re.search(r"^m=audio (\d+) ", sdp, re.M).group(1))
    media = udp_sockets_of_this_process() - before
    assert (BOUND, rtp_port) in media and (BOUND, rtp_port + 1) in media, f"RTP/RTCP sockets: {media}"
    assert not any(ip == "0.0.0.0" for ip, _ in udp_sockets_of_this_process()), "nothing listens on every interface"
    bound_engine.hangup(call_id).result(5)


def test_a_configured_public_address_is_what_the_sdp_offers(pki: Pki, kamailio: Kamailio, far_end) -> None:
    sip = engine_with(pki, bind_address="127.0.0.1", public_address="192.0.2.10")
    try:
        events = Events(sip.subscribe())
        sip.add_account(account_for(kamailio, "alice", register=False, outbound_proxy=kamailio.address())).result(5)
        bob = far_end("bob")
        call_id = sip.make_call("bob").result(5)
        sdp = bob.expect(lambda e: e["ev"] == "incoming", what="the INVITE")["sdp"]
        assert re.search(r"^c=IN IP4 192\.0\.2\.10\s*$", sdp, re.M), sdp
        sip.hangup(call_id).result(5)
        events.wait(CallUpdated, call_id=call_id, state=CallState.DISCONNECTED)
    finally:
        sip.stop()
