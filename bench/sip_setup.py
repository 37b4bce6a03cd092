"""The SIP side a bench stands up around the app: a Kamailio on loopback with the app's account (alice)
configured for it, and a call from the app's engine (as dave) confirmed at a far end. The parts are the
test fixtures' (tests/fixtures/): the same real components the tests start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ALICE_CONFIG = """
[[accounts]]
id = "alice"
display_name = "Alice"
user = "alice"
domain = "{domain}"
registrar = "{udp}"
outbound_proxy = "{udp}"
transport = "udp"
"""


def kamailio_with_alice(root: Path, keychain_service: str) -> tuple[Any, Path]:
    """Starts a Kamailio (TLS keys under `root`), writes the app's config file with alice's account at it
    and puts alice's password in the keychain under `keychain_service`; returns the Kamailio (the caller
    stops it) and the config file."""
    from callclient.storage.keychain import Keychain, SecretKind, system_keyring
    from tests.conftest import SIP_USERS
    from tests.fixtures.kamailio import Kamailio
    from tests.fixtures.tls import make_pki

    pki = make_pki(root / "pki")
    kamailio = Kamailio(root / "kamailio", SIP_USERS, pki.cert_file, pki.key_file)
    kamailio.start()
    config = root / "callclient.toml"
    config.write_text(ALICE_CONFIG.format(domain=kamailio.domain, udp=kamailio.address("udp")))
    Keychain(system_keyring(), service=keychain_service).set("alice", SecretKind.SIP_PASSWORD, SIP_USERS["alice"])
    return kamailio, config


def confirmed_call(engine: Any, kamailio: Any, far_end: Any) -> tuple[int, int]:
    """Registers dave on `engine` (started) at `kamailio`, calls bob (`far_end`, a SipPeer answering on
    its own) and waits until both sides have the call confirmed; returns (our call id, the far end's)."""
    from callclient.engine.events import CallState, CallUpdated, RegistrationChanged, RegistrationState
    from tests.engine.conftest import account_for
    from tests.fixtures.engine_events import Events

    events = Events(engine.subscribe())
    settings = account_for(kamailio, "dave")
    engine.add_account(settings).result(5)
    events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
    call_id = engine.make_call("bob", settings.account_id).result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED, timeout=15)
    return call_id, far_end.expect_state("CONFIRMED")["call"]
