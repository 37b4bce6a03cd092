"""Issue 12 item 20: without an outbound proxy, in-domain requests follow the registrar's host:port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.engine import AccountSettings, SipEngine
from callclient.engine.events import CallState, CallUpdated, RegistrationChanged, RegistrationState
from tests.conftest import SIP_USERS
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer
from tests.fixtures.tls import Pki


@pytest.fixture
def ip_domain_registrar(tmp_path: Path, pki: Pki) -> Iterator[Kamailio]:
    """A registrar on a port other than 5060 for the domain "127.0.0.1", as a small office sets it up."""
    server = Kamailio(tmp_path / "kamailio", SIP_USERS, pki.cert_file, pki.key_file, aliases=("127.0.0.1",))
    server.start()
    assert server.udp_port != 5060
    yield server
    server.stop()


def test_calls_and_mwi_follow_the_registrars_port(engine: SipEngine, events: Events,
                                                  ip_domain_registrar: Kamailio) -> None:
    bob = SipPeer([dict(user="bob", password=SIP_USERS["bob"], domain="127.0.0.1",
                        registrar=ip_domain_registrar.address())], auto_answer=True)
    try:
        bob.expect(lambda e: e["ev"] == "registration" and e["code"] == 200, what="bob registered")
        settings = AccountSettings("alice-ip", "alice", "127.0.0.1", password=SIP_USERS["alice"],
                                   port=ip_domain_registrar.udp_port)  # no registrar, no outbound proxy
        engine.add_account(settings).result(5)
        events.wait(RegistrationChanged, account_id="alice-ip", state=RegistrationState.REGISTERED)
        wait_until(lambda: "MWI SUBSCRIBE user=alice" in ip_domain_registrar.log_text(), 10,
                   "the MWI SUBSCRIBE at the registrar's port")
        call_id = engine.make_call("bob").result(5)
        events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
        assert "sip:bob@127.0.0.1" in bob.expect(lambda e: e["ev"] == "incoming", what="the call")["headers"]["to"]
        engine.hangup(call_id).result(5)
    finally:
        bob.close()
