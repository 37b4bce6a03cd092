"""A PBX that hands out short-lived or malformed tokens (issue 12, items 4 and 13).

Short lifetimes once made the client renew ~700 times a second; junk token JSON escaped as AttributeError or
OverflowError and killed the update thread. Both are driven here through the real client against the
spec-checked test PBX, which counts the grants it makes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.service import HistoryChanged, HistoryQuery, UpdateMode, UpdateModeChanged
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
    for probe in range(3):
        _delivered_and_seen(service, pbx, events)
    assert pbx.refresh_grant_times() == [], "a fresh token was renewed before half its lifetime had passed"

    for renewal in (1, 2):
        clock.now += timedelta(seconds=lifetime_s / 2 + 1)
        _delivered_and_seen(service, pbx, events)  # wakes the update loop, which renews before it reads on
        wait_until(lambda: len(pbx.refresh_grant_times()) >= renewal, 5, f"renewal {renewal}")
        for probe in range(3):
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
    for probe in range(3):
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
