"""Presence on Wazo against the spec-checked test PBX: colleagues' presences (chatd), the user's own status and
do-not-disturb (chatd + confd), and the websocket events that carry changes made elsewhere."""

from __future__ import annotations

import logging

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.presence import DndUpdated, LineState, PresencesStale, PresenceUpdated, UserState
from callclient.pbx.service import UpdateMode, UpdateModeChanged
from callclient.pbx.wazo.presence import StatusRefused
from tests.fixtures.net import wait_until
from tests.pbx.conftest import EventLog

BOB = "b2e1f6c3-8d2e-4f1b-8e48-1d5f6a7b8c02"
CAROL = "c3f2a7d4-9e3f-4a2c-9f59-2e6a7b8c9d03"


def _live(service, pbx: PbxServer, events: EventLog) -> None:
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    # subscribe and start are sent before the first frame is awaited; wait until the server has them.
    wait_until(lambda: pbx.push_event("chatd_presence_updated", pbx.presence.get(CAROL)) == 1, 5,
               "the presence subscription to be started")


def test_colleagues_presences_are_read_from_chatd(service, pbx: PbxServer) -> None:
    pbx.presence.set(BOB, line_state="talking")
    pbx.presence.set(CAROL, state="away")
    found = {p.user_uuid: p for p in service.presence.presences([BOB, CAROL])}
    assert found[BOB].line_state is LineState.TALKING and found[BOB].state is UserState.AVAILABLE
    assert found[CAROL].state is UserState.AWAY and found[CAROL].line_state is LineState.AVAILABLE


def test_a_colleague_line_change_arrives_over_the_websocket(service, pbx: PbxServer, events: EventLog) -> None:
    _live(service, pbx, events)
    pbx.presence.set(BOB, line_state="ringing")
    event = events.wait_for(lambda e: isinstance(e, PresenceUpdated) and e.presence.user_uuid == BOB)
    assert event.presence.line_state is LineState.RINGING


def test_my_status_and_dnd_set_in_the_app_land_on_the_pbx(service, pbx: PbxServer) -> None:
    me = service.session.user_uuid
    service.presence.set_my_state(UserState.AWAY)
    service.presence.set_dnd(True)
    on_pbx = pbx.presence.get(me)
    assert (on_pbx["state"], on_pbx["do_not_disturb"]) == ("away", True)
    assert service.presence.dnd() is True
    assert service.presence.my_presence().state is UserState.AWAY


def test_dnd_turned_on_at_the_desk_phone_arrives_as_an_event(service, pbx: PbxServer, events: EventLog) -> None:
    _live(service, pbx, events)
    me = service.session.user_uuid
    pbx.presence.set(me, dnd=True)
    event = events.wait_for(lambda e: isinstance(e, DndUpdated))
    assert (event.user_uuid, event.enabled) == (me, True)


@pytest.mark.parametrize("status", [400, 403])
def test_a_refused_status_change_says_so(service, pbx: PbxServer, status: int) -> None:
    pbx.fail_next(status, "presences")
    with pytest.raises(StatusRefused) as refused:
        service.presence.set_my_state(UserState.INVISIBLE)
    assert "invisible" in str(refused.value) and pbx.host in str(refused.value)
    assert pbx.presence.get(service.session.user_uuid)["state"] == "available"


def test_junk_presence_events_are_ignored_with_one_log_line(service, pbx: PbxServer, events: EventLog,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    _live(service, pbx, events)
    with caplog.at_level(logging.WARNING, logger="callclient.pbx.wazo.presence"):
        for _ in range(3):
            pbx.push_event("chatd_presence_updated", {"uuid": BOB, "state": "on the moon"})
        pbx.presence.set(BOB, line_state="holding")  # the stream goes on after the junk
        events.wait_for(lambda e: isinstance(e, PresenceUpdated) and e.presence.line_state is LineState.HOLDING)
    assert len([r for r in caplog.records if "unreadable chatd_presence_updated" in r.getMessage()]) == 1


def test_after_a_lost_websocket_presences_are_marked_stale(service, pbx: PbxServer, events: EventLog) -> None:
    _live(service, pbx, events)
    before = len(events.seen)
    pbx.drop_websockets()
    events.wait_for(lambda _e: any(isinstance(e, PresencesStale) for e in events.seen[before:]))


def test_demo_colleagues_lines_move_on_their_own_when_asked(service, pbx: PbxServer, events: EventLog) -> None:
    _live(service, pbx, events)
    before = len(events.seen)
    pbx.presence.start_demo_activity(interval_s=0.05, seed=7)  # demo mode's timer (2.5 s there), off by default
    events.wait_for(lambda _e: sum(isinstance(e, PresenceUpdated) for e in events.seen[before:]) >= 5)
    pbx.presence.stop()
    moved = {e.presence.line_state for e in events.seen[before:] if isinstance(e, PresenceUpdated)}
    assert len(moved) >= 2, f"the lines went through several states, not only {moved}"
