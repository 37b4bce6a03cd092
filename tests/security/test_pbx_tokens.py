"""A PBX that hands out short-lived or malformed tokens (issue 12, items 4 and 13).

Short lifetimes once made the client renew ~700 times a second; junk token JSON escaped as AttributeError or
OverflowError and killed the update thread. Both are driven here through the real client against the
spec-checked test PBX, which counts the grants it makes.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.errors import PbxBadResponse
from callclient.pbx.service import (
    HistoryChanged,
    HistoryQuery,
    MemoryTokenStore,
    ServiceState,
    UpdateMode,
    UpdateModeChanged,
)
from callclient.pbx.wazo import WazoService
from tests.fixtures.net import wait_until
from tests.pbx.conftest import (  # noqa: F401 - pytest fixtures, shared with tests/pbx
    ALICE_LOGIN,
    ALICE_PASSWORD,
    EventLog,
    events,
    make_service,
    pbx,
    wazo_contract,
)


class Clock:
    """A clock only the test moves: the client's view of token age, frozen between the test's steps."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _token_posts(pbx: PbxServer) -> int:
    return sum(1 for method, path, _ in pbx.requests if method == "POST" and path.endswith("/token"))


def _updates_by_websocket(service: WazoService, pbx: PbxServer, events: EventLog) -> None:
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    wait_until(lambda: pbx.open_websockets() == 1, 5, "the websocket to be open")


@pytest.mark.parametrize("lifetime_s", [60, 120])
def test_short_lived_tokens_are_renewed_once_per_half_lifetime_not_in_a_storm(
        make_service: Callable[..., WazoService], pbx: PbxServer, events: EventLog, lifetime_s: int) -> None:
    pbx.max_token_lifetime_s = lifetime_s
    clock = Clock()
    service = make_service(clock=clock)  # the shipped defaults: one-hour tokens asked, 120 s renewal margin
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    _updates_by_websocket(service, pbx, events)
    for _ in range(3):
        _delivered_and_seen(service, pbx, events)
    assert pbx.refresh_grant_times() == [], "a fresh token was renewed before half its lifetime had passed"

    for renewal in (1, 2):
        clock.now += timedelta(seconds=lifetime_s / 2 + 1)
        _delivered_and_seen(service, pbx, events)  # wakes the update loop, which renews before it reads on
        wait_until(lambda: len(pbx.refresh_grant_times()) >= renewal, 5, f"renewal {renewal}")
        for _ in range(3):
            _delivered_and_seen(service, pbx, events)
        assert len(pbx.refresh_grant_times()) == renewal
    assert pbx.token_swaps == 2 and pbx.open_websockets() == 1


def test_two_second_tokens_are_renewed_no_more_often_than_the_floor(
        make_service: Callable[..., WazoService], pbx: PbxServer, events: EventLog) -> None:
    pbx.max_token_lifetime_s = 2
    service = make_service(min_renew_interval_s=1.5)  # the real clock: the floor is what paces renewal here
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    _updates_by_websocket(service, pbx, events)
    wait_until(lambda: len(pbx.refresh_grant_times()) >= 3, 15, "three renewals")
    grants = pbx.refresh_grant_times()
    gaps_s = [later - earlier for earlier, later in zip(grants, grants[1:], strict=False)]
    # The old client renewed on every turn of its loop: thousands of grants a second, gaps of microseconds.
    assert min(gaps_s) >= 1.4, f"renewals closer than the 1.5 s floor: {gaps_s}"
    assert service.history(HistoryQuery(limit=1)).records, "the renewed tokens work"


def test_a_failed_renewal_backs_off_and_the_valid_token_keeps_working(
        make_service: Callable[..., WazoService], pbx: PbxServer, events: EventLog) -> None:
    pbx.max_token_lifetime_s = 120
    clock = Clock()
    service = make_service(clock=clock, min_renew_interval_s=10)
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    _updates_by_websocket(service, pbx, events)
    pbx.fail_next(503, "/token")
    clock.now += timedelta(seconds=61)  # renewal due; the token itself is valid for another 59 s
    _delivered_and_seen(service, pbx, events)
    wait_until(lambda: _token_posts(pbx) == 2, 5, "the renewal attempt")
    for _ in range(3):
        _delivered_and_seen(service, pbx, events)
    assert service.history(HistoryQuery(limit=1)).records, "the still-valid token is used meanwhile"
    assert _token_posts(pbx) == 2, "a failed renewal was retried at once"
    assert pbx.open_websockets() == 1 and service.update_mode is UpdateMode.WEBSOCKET

    clock.now += timedelta(seconds=20)  # past the doubled floor (2 x 10 s) after one failure
    _delivered_and_seen(service, pbx, events)
    wait_until(lambda: len(pbx.refresh_grant_times()) == 1, 5, "the retried renewal")
    assert _token_posts(pbx) == 3


def _delivered_and_seen(service: WazoService, pbx: PbxServer, events: EventLog) -> None:
    """Pushes a new call and waits until the client has reported it: the update loop went round once more
    (it checks the renewal schedule before it reads each frame)."""
    before = sum(1 for e in events.seen if isinstance(e, HistoryChanged))
    me = service.session.user_uuid
    wait_until(lambda: pbx.push_event("call_log_user_created", {"id": "not a record"}, me) == 1, 5,
               "the websocket subscriptions to be started")
    events.wait_for(lambda e: isinstance(e, HistoryChanged)
                    and sum(1 for seen in events.seen if isinstance(seen, HistoryChanged)) > before)


# -- junk token answers (item 13) ----------------------------------------------------------------------------


def _in_data(**changes: object) -> Callable[[dict], dict]:
    """A tamper for POST /token: sets (or, with None, removes) fields of the granted token's `data`."""

    def tamper(body: dict) -> dict:
        for key, value in changes.items():
            if value is None:
                body["data"].pop(key, None)
            else:
                body["data"][key] = value
        return body

    return tamper


def _lifetime_s(seconds: float) -> Callable[[dict], dict]:
    """Keeps `utc_issued_at`, moves `utc_expires_at` to `seconds` after it."""

    def tamper(body: dict) -> dict:
        issued = datetime.fromisoformat(body["data"]["utc_issued_at"])
        body["data"]["utc_expires_at"] = (issued + timedelta(seconds=seconds)).isoformat()
        return body

    return tamper


JUNK_TOKENS = {
    "no token": (_in_data(token=None), r"the token has no 'token' string"),
    "token is a number": (_in_data(token=12345), r"the token has no 'token' string"),
    "data is a list": (lambda body: {"data": [body["data"]]}, r"the token answer has no 'data' object"),
    "answer is a list": (lambda body: [body], r"the token answer has no 'data' object"),
    "metadata is a string": (_in_data(metadata="alice"), r"the token 'metadata' is not an object"),
    "no user": (_in_data(metadata={}, xivo_user_uuid=None), r"the token names no user"),
    "refresh token is a number": (_in_data(refresh_token=42), r"the token 'refresh_token' is not a string"),
    "expiry is not a date": (_in_data(utc_expires_at="soon"), r"the token 'utc_expires_at' is not a date-time"),
    "expiry is a huge number": (_in_data(utc_expires_at=10**400),
                                r"the token 'utc_expires_at' is not a date-time string"),
    "expiry is an infinite number": (lambda body: json_with_infinity(body),
                                     r"the token 'utc_expires_at' is not a date-time string"),
    "lifetime overflows": (_in_data(utc_issued_at="0001-01-01T00:00:00", utc_expires_at="9999-12-31T23:59:59"),
                           r"the token lifetime is out of range"),
    "negative lifetime": (_lifetime_s(-3600), r"the token lifetime is not positive \(-3600 s"),
    "zero lifetime": (_lifetime_s(0), r"the token lifetime is not positive \(0 s"),
}


def json_with_infinity(body: dict) -> bytes:
    """1e999 is what a JSON number too big for a double reads as: Infinity."""
    text = json.dumps(body)
    return text.replace(json.dumps(body["data"]["utc_expires_at"]), "1e999").encode()


@pytest.mark.parametrize("junk", JUNK_TOKENS.values(), ids=JUNK_TOKENS.keys())
def test_a_junk_token_at_sign_in_is_a_clear_bad_response_and_nothing_is_kept(
        make_service: Callable[..., WazoService], pbx: PbxServer, junk: tuple[Callable, str]) -> None:
    tamper, problem = junk
    store = MemoryTokenStore()
    service = make_service(token_store=store)
    pbx.tamper_next(tamper, "/token")
    with pytest.raises(PbxBadResponse, match=rf"127\.0\.0\.1 sent an unreadable answer to sign in \({problem}"):
        service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    assert service.session is None and store.load_session() is None
    assert service.state is ServiceState.SIGNED_OUT
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)  # the next, sound answer is taken
    assert service.state is ServiceState.ONLINE


def test_junk_tokens_on_renewal_are_logged_by_name_and_the_update_thread_lives_on(
        make_service: Callable[..., WazoService], pbx: PbxServer, events: EventLog,
        caplog: pytest.LogCaptureFixture) -> None:
    pbx.max_token_lifetime_s = 120
    clock = Clock()
    service = make_service(clock=clock, min_renew_interval_s=10)
    first = service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    _updates_by_websocket(service, pbx, events)
    caplog.set_level(logging.INFO, logger="callclient.pbx")
    junk = [JUNK_TOKENS["metadata is a string"], JUNK_TOKENS["lifetime overflows"],
            JUNK_TOKENS["negative lifetime"]]  # AttributeError, OverflowError, accepted: each once ended it
    clock.now += timedelta(seconds=61)
    for attempt, (tamper, problem) in enumerate(junk, start=1):
        pbx.tamper_next(tamper, "/token")
        _delivered_and_seen(service, pbx, events)  # the loop tries to renew, gets junk, carries on
        wait_until(lambda: _token_posts(pbx) == 1 + attempt, 5, f"renewal attempt {attempt}")
        _delivered_and_seen(service, pbx, events)
        assert re.search(problem, caplog.text), f"the log does not name the problem: {problem}"
        assert service.session == first, "a junk token replaced the session"
        clock.now += timedelta(seconds=10 * 2**attempt)  # past the backoff after `attempt` failures
    _delivered_and_seen(service, pbx, events)
    wait_until(lambda: pbx.token_swaps == 1, 5, "a sound renewal swapped in on the websocket")
    assert service.session != first and service.update_mode is UpdateMode.WEBSOCKET
