"""Real-time updates: wazo-websocketd events, and polling with backoff where the websocket is not there."""

from __future__ import annotations

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.service import (
    CallDirection,
    HistoryChanged,
    ServiceState,
    StateChanged,
    UpdateMode,
    UpdateModeChanged,
    VoicemailChanged,
)
from tests.fixtures.net import wait_until
from tests.pbx.conftest import EventLog


def _websocket_ready(service, pbx: PbxServer, events: EventLog) -> None:
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    # subscribe and start are sent before the first frame is awaited; wait until the server has them.
    wait_until(lambda: pbx.push_event("ping_probe_never_subscribed", {}) == 0 and pbx.open_websockets() == 1,
               5, "the websocket to be open")


def _delivered(pbx: PbxServer, name: str, payload: dict, user: str) -> bool:
    return pbx.push_event(name, payload, user) == 1


def test_new_call_arrives_over_the_websocket_as_a_history_record(service, pbx: PbxServer, events: EventLog) -> None:
    _websocket_ready(service, pbx, events)
    me = service.session.user_uuid
    wait_until(lambda: _delivered(pbx, "user_voicemail_message_updated", {"message_id": "x"}, me), 5,
               "the subscriptions to be started")
    pbx.add_call(me, "Dan Leroy", "1009", answered=False)
    event = events.wait_for(lambda e: isinstance(e, HistoryChanged) and e.record is not None)
    record = event.record
    assert (record.other_name, record.other_number, record.direction, record.missed) == (
        "Dan Leroy", "1009", CallDirection.INCOMING, True)


def test_voicemail_changes_arrive_over_the_websocket(service, pbx: PbxServer, events: EventLog) -> None:
    _websocket_ready(service, pbx, events)
    me = service.session.user_uuid
    wait_until(lambda: _delivered(pbx, "user_voicemail_message_updated", {"message_id": "probe"}, me), 5,
               "the subscriptions to be started")
    message_id = pbx.add_voicemail(me, "Erin Blanc", "1010")
    events.wait_for(lambda e: isinstance(e, VoicemailChanged) and e.message_id == message_id)
    assert service.voicemail_counts().new == 3


def test_without_websocket_the_client_polls_and_still_sees_changes(make_service, pbx: PbxServer,
                                                                    events: EventLog) -> None:
    pbx.websocket_enabled = False
    service = make_service()
    service.sign_in("alice", "alice-pass-2024")
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.POLLING)
    me = service.session.user_uuid
    cdr_polls = lambda: sum(1 for _, path, _ in pbx.requests if path.endswith("/users/me/cdr"))  # noqa: E731
    wait_until(lambda: cdr_polls() >= 2, 5, "a baseline poll")
    pbx.add_call(me, "Dan Leroy", "1009")
    events.wait_for(lambda e: isinstance(e, HistoryChanged))
    pbx.add_voicemail(me, "Erin Blanc", "1010")
    changed = events.wait_for(lambda e: isinstance(e, VoicemailChanged) and e.counts is not None)
    assert changed.counts.new == 3


def test_polling_backs_off_while_the_pbx_fails(make_service, pbx: PbxServer, events: EventLog) -> None:
    pbx.websocket_enabled = False
    service = make_service(poll_interval_s=0.05, poll_max_interval_s=0.4)
    service.sign_in("alice", "alice-pass-2024")
    pbx.fail_next(500, "/users/me/cdr", count=6)
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.POLLING)
    wait_until(lambda: sum(1 for _, p, _ in pbx.requests if p.endswith("/users/me/cdr")) >= 7, 10,
               "polling to recover after the failures")
    assert service.state is ServiceState.ONLINE
    polls = [t for (_, path, _), t in zip(pbx.requests, pbx.request_times, strict=True)
             if path.endswith("/users/me/cdr")]
    gaps = [later - earlier for earlier, later in zip(polls, polls[1:], strict=False)]
    # Each failure doubles the pause (0.1, 0.2, 0.4, capped at 0.4); a pause is never shorter than asked.
    assert gaps[0] >= 0.095 and gaps[1] >= 0.19 and gaps[2] >= 0.38 and gaps[3] >= 0.38


def test_revoked_session_closes_the_websocket_and_asks_for_sign_in(service, pbx: PbxServer,
                                                                    events: EventLog) -> None:
    _websocket_ready(service, pbx, events)
    pbx.revoke_sessions(service.session.user_uuid)
    events.wait_for(lambda e: isinstance(e, StateChanged) and e.state is ServiceState.SIGN_IN_REQUIRED)


def test_revoked_access_token_reconnects_the_websocket_with_a_renewed_one(service, pbx: PbxServer,
                                                                          events: EventLog) -> None:
    _websocket_ready(service, pbx, events)
    me = service.session.user_uuid
    old_token = service.session.access_token
    pbx.revoke_token(old_token)  # websocketd closes the socket with 4003
    wait_until(lambda: pbx.token_grants == ["password", "refresh_token"], 5, "the session to be renewed")
    wait_until(lambda: _delivered(pbx, "user_voicemail_message_updated", {"message_id": "probe"}, me), 5,
               "the websocket to be back with the new token")
    assert service.session.access_token != old_token
    assert service.update_mode is UpdateMode.WEBSOCKET
    everything = events.seen + list(events.queue.queue)
    assert not any(isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.POLLING for e in everything)


def test_a_cut_websocket_whose_token_was_revoked_reconnects_with_a_renewed_one_not_by_polling(
        service, pbx: PbxServer, events: EventLog) -> None:
    # The 4003 close can be lost when the connection drops first: the reconnect then meets the refusal.
    _websocket_ready(service, pbx, events)
    me = service.session.user_uuid
    old_token = service.session.access_token
    pbx.revoke_token(old_token, close_websockets=False)
    pbx.drop_websockets()
    wait_until(lambda: pbx.token_grants == ["password", "refresh_token"], 5, "the session to be renewed")
    wait_until(lambda: _delivered(pbx, "user_voicemail_message_updated", {"message_id": "probe"}, me), 5,
               "the websocket to be back with the new token")
    assert service.session.access_token != old_token
    everything = events.seen + list(events.queue.queue)
    assert not any(isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.POLLING for e in everything)


def test_after_a_lost_websocket_comes_back_the_views_refetch_what_they_may_have_missed(
        service, pbx: PbxServer, events: EventLog) -> None:
    # websocketd pushes to the socket it has; whatever went to the lost one (or came while none was open)
    # is gone, so the reconnect must tell history and voicemail to refetch.
    _websocket_ready(service, pbx, events)
    before = len(events.seen)
    pbx.drop_websockets()
    events.wait_for(lambda _e: HistoryChanged() in events.seen[before:])
    events.wait_for(lambda _e: VoicemailChanged() in events.seen[before:])
    assert service.update_mode is UpdateMode.WEBSOCKET
