"""Bob (a far end) calling alice (the app under test): the call the desktop tests answer, decline and end
with keys, headsets and notifications."""

from __future__ import annotations

from callclient.app import Core
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer


def bob_calls_alice(bob: SipPeer, kamailio: Kamailio) -> None:
    """Bob dials alice through Kamailio and hears it ring (180, early)."""
    bob.send(op="call", account="bob", uri=f"sip:alice@{kamailio.domain}")
    bob.expect_state("EARLY")


def ringing_at_alice(core: Core, bob: SipPeer, kamailio: Kamailio) -> None:
    """Bob calls alice until her calls service has the call ringing."""
    bob_calls_alice(bob, kamailio)
    wait_until(lambda: core.services.calls.calls.ringing(), 10, "alice's phone to ring")
