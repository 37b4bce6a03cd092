"""Tokens: renewed before they expire, renewed once when revoked, and a clean SignInRequired when they cannot be."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.logs import RedactionFilter
from callclient.pbx.errors import SignInRequired
from callclient.pbx.service import (
    HistoryQuery,
    MemoryTokenStore,
    ServiceState,
    SessionRenewed,
    StateChanged,
    UpdateMode,
    UpdateModeChanged,
)
from tests.fixtures.net import wait_until
from tests.pbx.conftest import ALICE_LOGIN, ALICE_PASSWORD, EventLog


class Clock:
    """A clock the test moves forward, so renewal is driven without waiting for real expiry."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_token_is_renewed_with_the_refresh_token_before_it_expires(make_service, pbx: PbxServer,
                                                                   events: EventLog) -> None:
    clock, store = Clock(), MemoryTokenStore()
    service = make_service(clock=clock, token_store=store, token_lifetime_s=600, renew_margin_s=60)
    first = service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    service.history(HistoryQuery(limit=1))
    assert pbx.token_grants == ["password"]
    clock.now += timedelta(seconds=541)  # inside the renewal margin, still valid on the PBX
    service.history(HistoryQuery(limit=1))
    assert pbx.token_grants == ["password", "refresh_token"]
    renewed = store.load_session()
    assert renewed is not None and renewed.access_token != first.access_token
    assert renewed.refresh_token == first.refresh_token
    assert renewed.expires_at == clock.now + timedelta(seconds=600)
    events.wait_for(lambda e: isinstance(e, SessionRenewed))
    _, path, _ = pbx.requests[-1]
    assert path.endswith("/users/me/cdr")


def test_revoked_access_token_is_renewed_once_and_the_request_succeeds(service, pbx: PbxServer) -> None:
    pbx.revoke_token(service.session.access_token)
    assert service.voicemail_counts().new == 2
    assert pbx.token_grants == ["password", "refresh_token"]


def test_revoked_sessions_raise_sign_in_required_and_say_so(make_service, pbx: PbxServer, events: EventLog) -> None:
    store = MemoryTokenStore()
    service = make_service(token_store=store)
    session = service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    pbx.revoke_sessions(session.user_uuid)
    with pytest.raises(SignInRequired, match="Your session on 127.0.0.1 has ended; please sign in again"):
        service.history()
    assert service.state is ServiceState.SIGN_IN_REQUIRED
    assert store.load_session() is None
    events.wait_for(lambda e: isinstance(e, StateChanged) and e.state is ServiceState.SIGN_IN_REQUIRED)
    with pytest.raises(SignInRequired):
        service.voicemail_counts()  # no request storm: it fails at once without a session
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    assert service.state is ServiceState.ONLINE


def test_websocket_gets_the_renewed_token_without_reconnecting(make_service, pbx: PbxServer,
                                                               events: EventLog) -> None:
    clock = Clock()
    service = make_service(clock=clock, token_lifetime_s=600, renew_margin_s=60)
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    wait_until(lambda: pbx.open_websockets() == 1, 5, "the websocket to be open")
    clock.now += timedelta(seconds=541)
    pbx.add_call(service.session.user_uuid, "Bob Durand", "1002")  # wakes the update thread
    wait_until(lambda: pbx.token_swaps == 1, 5, "the renewed token on the websocket")
    assert pbx.token_grants == ["password", "refresh_token"]
    assert pbx.open_websockets() == 1


def test_tokens_and_passwords_never_reach_the_log(make_service, pbx: PbxServer) -> None:
    redaction = RedactionFilter()
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    handler.addFilter(redaction)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        service = make_service(on_secret=redaction.add_secret)
        session = service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
        profile = service.profile()
        pbx.revoke_token(session.access_token)
        service.history(HistoryQuery(limit=1))
        service.sign_out()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    text = "\n".join(records)
    assert records, "the client logged nothing at all"
    for secret in (ALICE_PASSWORD, session.access_token, session.refresh_token, profile.lines[0].password):
        assert secret not in text
    assert "WazoService(" in repr(service) and session.access_token not in repr(service)
