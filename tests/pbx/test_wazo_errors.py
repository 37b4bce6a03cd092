"""Every failure a PBX can hand the client becomes one domain error naming the host."""

from __future__ import annotations

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.errors import (
    PbxBadResponse,
    PbxForbidden,
    PbxNotFound,
    PbxServerError,
    PbxTimeout,
    PbxTlsError,
    PbxUnreachable,
)
from callclient.pbx.service import HistoryQuery, ServiceState
from callclient.pbx.wazo import WazoConfig, WazoService, backoff_delay_s
from tests.fixtures.net import free_port
from tests.fixtures.tls import Pki
from tests.pbx.conftest import ALICE_LOGIN, ALICE_PASSWORD


def test_403_becomes_forbidden_naming_the_host_and_the_action(service: WazoService, pbx: PbxServer) -> None:
    pbx.fail_next(403, "/conferences")
    with pytest.raises(PbxForbidden, match=r"127\.0\.0\.1 does not allow this account to list conference rooms"):
        service.conference_rooms()


def test_404_becomes_not_found(service: WazoService) -> None:
    with pytest.raises(PbxNotFound, match=r"Could not delete the voicemail message: 127\.0\.0\.1 does not have it"):
        service.delete("1699999999-deadbeef")


def test_500_is_a_server_error_without_retry(service: WazoService, pbx: PbxServer) -> None:
    pbx.fail_next(500, "/cdr", count=5)
    before = len(pbx.requests)
    with pytest.raises(PbxServerError, match=r"failed to fetch your call history \(500 server error\)"):
        service.history()
    assert len(pbx.requests) - before == 1


def test_503_is_retried_with_backoff_and_then_succeeds(service: WazoService, pbx: PbxServer) -> None:
    pbx.fail_next(503, "/cdr", count=2)
    assert service.history(HistoryQuery(limit=5)).records


def test_503_on_every_attempt_gives_up_after_the_configured_attempts(service: WazoService, pbx: PbxServer) -> None:
    pbx.fail_next(503, "/cdr", count=10)
    before = len(pbx.requests)
    with pytest.raises(PbxServerError) as raised:
        service.history()
    assert raised.value.status == 503 and len(pbx.requests) - before == 3


def test_a_post_is_never_retried(make_service, pbx: PbxServer) -> None:
    pbx.fail_next(503, "/token", count=5)
    with pytest.raises(PbxServerError):
        make_service().sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    assert [r for r in pbx.requests if r[0] == "POST"].__len__() == 1


def test_junk_body_is_a_bad_response(service: WazoService, pbx: PbxServer) -> None:
    pbx.junk_next("/voicemails")
    with pytest.raises(PbxBadResponse, match="127.0.0.1 sent an unreadable answer to fetch your voicemail box"):
        service.voicemail_counts()


def test_slow_answer_is_retried_then_times_out_when_it_stays_slow(make_service, pbx: PbxServer) -> None:
    service = make_service(timeout_s=0.3)
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    pbx.delay_next(0.8, "/cdr", count=1)
    assert service.history(HistoryQuery(limit=2)).records  # the retry got through
    pbx.delay_next(0.8, "/cdr", count=3)
    with pytest.raises(PbxTimeout, match=r"did not answer within 0\.3 s"):
        service.history()
    assert service.state is ServiceState.OFFLINE


def test_unreachable_pbx_is_reported_as_such(pki: Pki) -> None:
    config = WazoConfig(base_url=f"https://127.0.0.1:{free_port('tcp')}", ca_file=str(pki.ca_file),
                        backoff_base_s=0.01, max_attempts=2)
    with WazoServiceClosing(config) as service:
        with pytest.raises(PbxUnreachable, match=r"127\.0\.0\.1 cannot be reached \(connection refused\)"):
            service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)


def test_certificate_from_an_unknown_ca_is_a_tls_error(pbx: PbxServer, pki: Pki) -> None:
    config = WazoConfig(base_url=pbx.base_url, ca_file=str(pki.other_ca_file))
    with WazoServiceClosing(config) as service:
        with pytest.raises(PbxTlsError, match="certificate of 127.0.0.1 could not be verified"):
            service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    assert pbx.token_grants == []


def test_system_trust_store_rejects_the_test_ca_by_default(pbx: PbxServer) -> None:
    with WazoServiceClosing(WazoConfig(base_url=pbx.base_url)) as service:
        with pytest.raises(PbxTlsError):
            service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)


def test_backoff_grows_exponentially_and_is_capped_with_jitter() -> None:
    delays = [[backoff_delay_s(attempt, 0.1, 1.0) for _ in range(200)] for attempt in range(6)]
    assert all(0 <= d <= 0.1 for d in delays[0])
    assert max(delays[2]) > 0.2 and all(d <= 0.4 for d in delays[2])
    assert all(d <= 1.0 for d in delays[5]) and len(set(delays[5])) > 100


class WazoServiceClosing:
    def __init__(self, config: WazoConfig) -> None:
        self.service = WazoService(config, account_id="acct")

    def __enter__(self) -> WazoService:
        return self.service

    def __exit__(self, *exc: object) -> None:
        self.service.close()
