from __future__ import annotations

import pytest

from callclient.engine import AccountSettings, EngineSettings, SipEngine
from callclient.engine.events import RegistrationChanged, RegistrationState
from tests.engine.conftest import account_for
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki


@pytest.mark.parametrize("transport", ["udp", "tcp", "tls"])
def test_registers_with_digest_auth(engine: SipEngine, events: Events, kamailio: Kamailio, transport: str) -> None:
    settings = account_for(kamailio, "alice", transport)
    engine.add_account(settings).result(5)
    registered = events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
    assert registered.code == 200 and registered.expires_s > 0
    sent = [line for line in kamailio.registers("alice") if f"proto={transport}" in line]
    assert any("creds=digest" in line for line in sent), "the REGISTER that succeeded carried digest credentials"


def test_wrong_password_reports_401_without_retry_storm(engine: SipEngine, events: Events, kamailio: Kamailio) -> None:
    settings = account_for(kamailio, "bob", password="not-bobs-password", account_id="bob-wrong")
    before = len(kamailio.registers("bob"))
    engine.add_account(settings).result(5)
    failed = events.wait(RegistrationChanged, account_id="bob-wrong", state=RegistrationState.FAILED)
    assert failed.code == 401
    assert "wrong password" in failed.reason and "sip:bob@pbx.test" in failed.reason
    assert failed.retry_in_s is None, "a wrong password is not retried automatically"
    events.none_within(RegistrationChanged, 4, account_id="bob-wrong", state=RegistrationState.REGISTERING)
    attempts = kamailio.registers("bob")[before:]
    assert len(attempts) <= 2, f"one challenge and one answer, no more: {attempts}"


def test_forbidden_account_is_reported_in_plain_words(engine: SipEngine, events: Events, kamailio: Kamailio) -> None:
    engine.add_account(account_for(kamailio, "blocked", account_id="blocked")).result(5)
    failed = events.wait(RegistrationChanged, account_id="blocked", state=RegistrationState.FAILED)
    assert failed.code == 403
    assert "refused" in failed.reason and "403 Forbidden" in failed.reason


def test_unregister_removes_the_binding(engine: SipEngine, events: Events, kamailio: Kamailio, register) -> None:
    settings = register("carol")
    engine.unregister(settings.account_id).result(5)
    gone = events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.UNREGISTERED)
    assert gone.code == 200
    assert "expires=0" in kamailio.registers("carol")[-1]


def test_quitting_takes_the_binding_back_so_calls_are_not_sent_to_a_closed_app(
        engine: SipEngine, events: Events, kamailio: Kamailio, register, far_end) -> None:
    """The engine un-REGISTERs and waits for the registrar's answer itself before pjsua's destroy (which
    then waits for nothing): a caller right after the quit gets "not available", not a ring into the void."""
    register("erin")
    bob = far_end("bob")
    engine.stop()
    assert "expires=0" in kamailio.registers("erin")[-1]
    bob.send(op="call", account="bob", uri=f"sip:erin@{kamailio.domain}")
    assert bob.expect_state("DISCONNECTED")["code"] in (404, 480)


def test_unreachable_registrar_backs_off_exponentially(engine: SipEngine, events: Events, kamailio: Kamailio) -> None:
    from tests.fixtures.net import free_port

    # TCP, so a closed port is refused at once; over UDP each attempt would wait out Timer F (32 s).
    dead = f"127.0.0.1:{free_port('tcp')}"
    engine.add_account(account_for(kamailio, "dave", "tcp", registrar=dead, outbound_proxy=dead,
                                   account_id="dave-dead", registration_expiry_s=60)).result(5)
    delays = []
    for _ in range(3):
        failed = events.wait(RegistrationChanged, timeout=40, account_id="dave-dead", state=RegistrationState.FAILED)
        assert "unreachable" in failed.reason
        delays.append(failed.retry_in_s)
    # base 1 s doubling with 10 % jitter: roughly 1, 2, 4 seconds
    assert delays[0] < delays[1] < delays[2]
    assert delays[2] >= 3.2


def test_untrusted_certificate_is_a_tls_failure(kamailio: Kamailio, pki: Pki) -> None:
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.other_ca_file), log_level=2))
    sip.start()
    try:
        events = Events(sip.subscribe())
        sip.add_account(account_for(kamailio, "erin", "tls")).result(5)
        failed = events.wait(RegistrationChanged, account_id="erin-tls", state=RegistrationState.FAILED)
        assert failed.reason.startswith("TLS failure"), failed.reason
        assert not any("user=erin proto=tls" in line for line in kamailio.registers("erin"))
    finally:
        sip.stop()


def test_host_name_must_match_the_certificate(kamailio: Kamailio, pki: Pki, tmp_path) -> None:
    from tests.fixtures.tls import make_pki

    # A registrar whose certificate names another host: trusted CA, wrong identity.
    other = make_pki(tmp_path / "pki", names=("sip.elsewhere.example",))
    server = Kamailio(tmp_path / "kam", {"erin": "pw"}, other.cert_file, other.key_file)
    server.start()
    sip = SipEngine(EngineSettings(tls_ca_file=str(other.ca_file), log_level=2))
    sip.start()
    try:
        events = Events(sip.subscribe())
        sip.add_account(account_for(server, "erin", "tls", password="pw")).result(5)
        failed = events.wait(RegistrationChanged, account_id="erin-tls", state=RegistrationState.FAILED)
        assert failed.reason.startswith("TLS failure"), failed.reason
    finally:
        sip.stop()
        server.stop()


def test_reregisters_by_itself_after_the_registrar_restarts(engine: SipEngine, events: Events,
                                                             private_kamailio: Kamailio) -> None:
    # A 6 s binding is refreshed every 5 s; the restarted registrar has lost every binding until then.
    settings = account_for(private_kamailio, "alice", registration_expiry_s=6)
    engine.add_account(settings).result(5)
    events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
    private_kamailio.restart()
    seen_before_restart = private_kamailio.log_text().count("REGISTER user=alice")
    events.wait(RegistrationChanged, timeout=15, only_new=True, account_id=settings.account_id,
                state=RegistrationState.REGISTERED,
                where=lambda e: private_kamailio.log_text().count("REGISTER user=alice") > seen_before_restart)


def test_registers_again_after_a_tcp_registrar_comes_back(engine: SipEngine, events: Events,
                                                          private_kamailio: Kamailio) -> None:
    settings = account_for(private_kamailio, "bob", "tcp")
    engine.add_account(settings).result(5)
    events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
    private_kamailio.stop()
    failed = events.wait(RegistrationChanged, timeout=20, account_id=settings.account_id,
                         state=RegistrationState.FAILED)
    assert failed.retry_in_s is not None and failed.retry_in_s <= 2
    private_kamailio.start()
    events.wait(RegistrationChanged, timeout=30, account_id=settings.account_id, state=RegistrationState.REGISTERED)


def test_network_change_registers_again(engine: SipEngine, events: Events, kamailio: Kamailio, register) -> None:
    settings = register("dave")
    count = len(kamailio.registers("dave"))
    engine.network_changed().result(5)
    events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED,
                where=lambda e: len(kamailio.registers("dave")) > count)


def test_several_accounts_register_at_once(engine: SipEngine, events: Events, kamailio: Kamailio) -> None:
    accounts = [account_for(kamailio, "alice", "udp"), account_for(kamailio, "bob", "tcp")]
    for settings in accounts:
        engine.add_account(settings).result(5)
    for settings in accounts:
        events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
    status = engine.status().result(5)
    assert {a.account_id: a.state for a in status.accounts} == {
        "alice-udp": RegistrationState.REGISTERED,
        "bob-tcp": RegistrationState.REGISTERED,
    }


def test_user_agent_names_the_app(kamailio: Kamailio) -> None:
    settings = EngineSettings()
    assert settings.user_agent.startswith("CallClient/")
    assert isinstance(AccountSettings("x", "u", "d").aor, str)
