"""Issue 21: a TLS failure names its cause in the user's words, each cause proven against Kamailio over TLS
with a certificate made for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.engine import EngineSettings, SipEngine
from callclient.engine.events import CallEnded, RegistrationChanged, RegistrationState
from callclient.engine.settings import RegistrationBackoff
from tests.conftest import SIP_USERS
from tests.engine.conftest import account_for
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki, make_pki


def registration_failure(registrar: Kamailio, ca_file: Path) -> str:
    sip = SipEngine(EngineSettings(tls_ca_file=str(ca_file), log_level=2))
    sip.start()
    try:
        events = Events(sip.subscribe())
        # A long first retry: the status read below must still see the failure, not the next attempt.
        slow_retry = RegistrationBackoff(base_s=60, cap_s=120, jitter=0.1)
        sip.add_account(account_for(registrar, "erin", "tls", backoff=slow_retry)).result(5)
        failed = events.wait(RegistrationChanged, account_id="erin-tls", state=RegistrationState.FAILED)
        assert not any("user=erin proto=tls" in line for line in registrar.registers("erin")), \
            "nothing was sent over the unverified connection"
        shown = {a.account_id: a.reason for a in sip.status().result(5).accounts}
        assert shown["erin-tls"] == failed.reason, "`callclient status` and the window show the same reason"
        return failed.reason
    finally:
        sip.stop()


@pytest.fixture
def registrar_with(tmp_path: Path) -> Iterator:
    servers: list[Kamailio] = []

    def start(pki: Pki) -> Kamailio:
        server = Kamailio(tmp_path / f"kamailio{len(servers)}", SIP_USERS, pki.cert_file, pki.key_file)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_an_untrusted_issuer_says_so_and_what_to_do(kamailio: Kamailio, pki: Pki) -> None:
    reason = registration_failure(kamailio, pki.other_ca_file)
    assert reason.startswith(f"TLS failure talking to {kamailio.address('tls')}: certificate not trusted"), reason
    assert "sip.tls_ca_file" in reason and "PJSIP_TLS_ECERTVERIF" not in reason


def test_a_certificate_for_another_name_is_a_name_mismatch(registrar_with, tmp_path: Path) -> None:
    other = make_pki(tmp_path / "pki", names=("sip.elsewhere.example",))
    reason = registration_failure(registrar_with(other), other.ca_file)
    assert "certificate name mismatch" in reason and "server address" in reason, reason
    assert "not trusted" not in reason


def test_an_expired_certificate_says_expired(registrar_with, tmp_path: Path) -> None:
    stale = make_pki(tmp_path / "pki", expired=True)
    reason = registration_failure(registrar_with(stale), stale.ca_file)
    assert "has expired or is not valid yet" in reason and "date and time" in reason, reason


def test_a_call_over_an_untrusted_tls_proxy_names_the_cause(kamailio: Kamailio, pki: Pki) -> None:
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.other_ca_file), log_level=2))
    sip.start()
    try:
        events = Events(sip.subscribe())
        sip.add_account(account_for(kamailio, "erin", "tls", register=False)).result(5)
        call_id = sip.make_call("bob").result(5)
        ended = events.wait(CallEnded, call_id=call_id)
        assert ended.reason.startswith("secure connection failed: certificate not trusted"), ended.reason
    finally:
        sip.stop()
