"""Call forwarding through the forwarding service (what Settings > Forwarding and the tray call) on the
spec-checked test PBX: stored on the PBX, read back, followed when changed elsewhere, refusals named and
the PBX's state kept."""

from __future__ import annotations

import queue
from collections.abc import Iterator

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.demo.pbx_server.forwards import change_forward
from callclient.pbx.forwards import Forward, ForwardKind, Forwards, ForwardsChanged
from callclient.pbx.service import UpdateMode, UpdateModeChanged
from callclient.pbx.wazo import WazoService
from callclient.services.dialplan import DialPlan
from callclient.services.forwarding import Forwarding, ForwardingChanged, ForwardingRefused
from tests.fixtures.net import wait_until
from tests.pbx.conftest import EventLog

ALICE = "a1f0e5b2-7c1d-4e0a-9d37-0c4f5e6a7b01"


class _Pbx:
    """What Core hands the service (PbxEvents): the service in use."""

    def __init__(self, service: WazoService) -> None:
        self.service = service


@pytest.fixture
def news() -> queue.Queue[object]:
    return queue.Queue()


@pytest.fixture
def forwarding(service: WazoService, news: queue.Queue[object]) -> Iterator[Forwarding]:
    forwarding = Forwarding(_Pbx(service), lambda: DialPlan("0", ("112",), "FR"), news.put)
    forwarding.start()  # reads the forwards at once, as at sign-in
    wait_until(lambda: forwarding.current is not None, 5, "the first read of the forwards")
    yield forwarding
    forwarding.stop()


def _stored(pbx: PbxServer) -> dict:
    with pbx._lock:
        return {name: dict(f) for name, f in pbx.data.forwards.get(ALICE, {}).items()}


def test_forwards_set_in_the_app_are_stored_on_the_pbx_with_the_dial_plan_applied(
        forwarding: Forwarding, pbx: PbxServer) -> None:
    shown = forwarding.apply(Forwards(unconditional=Forward(False, ""), busy=Forward(True, "1002"),
                                      no_answer=Forward(True, "06 12 34 56 78"), ring_seconds=20))
    assert _stored(pbx) == {"busy": {"enabled": True, "destination": "1002"},
                            "noanswer": {"enabled": True, "destination": "00612345678"},  # prefix 0 + national
                            "unconditional": {"enabled": False, "destination": ""}}
    assert pbx.data.ring_seconds[ALICE] == 20
    assert shown == forwarding.current
    assert shown.no_answer == Forward(True, "00612345678") and shown.ring_seconds == 20


def test_forward_all_from_the_tray_then_off_keeps_the_destination(forwarding: Forwarding, pbx: PbxServer) -> None:
    assert forwarding.forward_all_to("+33 6 12 34 56 78").unconditional == Forward(True, "00612345678")
    assert _stored(pbx)["unconditional"] == {"enabled": True, "destination": "00612345678"}
    assert forwarding.stop_forwarding_all().unconditional == Forward(False, "00612345678")
    assert _stored(pbx)["unconditional"]["enabled"] is False
    assert ("PUT", f"/api/confd/1.1/users/{ALICE}/forwards/unconditional", {}) in pbx.requests


@pytest.mark.parametrize(("typed", "named"), [
    ("call me maybe", "“call me maybe” is not a phone number"),
    ("112", "emergency number 112"),
    ("+33 12", r"“\+33 12” is not a possible phone number"),
    ("", "Enter the number"),
])
def test_junk_destinations_are_refused_before_any_request(forwarding: Forwarding, pbx: PbxServer, typed: str,
                                                          named: str) -> None:
    before = len(pbx.requests)
    with pytest.raises(ForwardingRefused, match=named):
        forwarding.apply(Forwards(unconditional=Forward(True, typed)))
    assert [r for r in pbx.requests[before:] if r[0] == "PUT"] == []


def test_the_pbx_refusing_403_gives_a_clear_message_and_the_shown_state_stays_the_pbxs(
        forwarding: Forwarding, pbx: PbxServer, news: queue.Queue[object]) -> None:
    change_forward(pbx, ALICE, "busy", True, "1003")
    forwarding.refresh()
    pbx.fail_next(403, path_contains="/forwards")
    with pytest.raises(ForwardingRefused, match=r"does not allow this account to change your call forwarding "
                                                r"\(403 Forbidden\)"):
        forwarding.apply(Forwards(unconditional=Forward(True, "1004"), busy=Forward(False, "1003")))
    assert forwarding.current is not None
    assert forwarding.current.unconditional.enabled is False, "the refused change is not shown as made"
    assert forwarding.current.busy == Forward(True, "1003"), "what the PBX kept is what is shown"
    problems = []
    while not news.empty():
        item = news.get()
        if isinstance(item, ForwardingChanged) and item.problem:
            problems.append(item.problem)
    assert problems and "403" in problems[-1]


def test_the_pbx_refusing_400_names_its_reason(forwarding: Forwarding, pbx: PbxServer) -> None:
    pbx.fail_next(400, path_contains="/forwards")
    with pytest.raises(ForwardingRefused, match=r"refused this forwarding: injected fault \(400 Bad Request\)"):
        forwarding.forward_all_to("1002")
    assert forwarding.current is not None and forwarding.current.unconditional.enabled is False


def test_a_forward_changed_elsewhere_arrives_over_the_websocket_and_is_read_again(
        service: WazoService, forwarding: Forwarding, pbx: PbxServer, events: EventLog,
        news: queue.Queue[object]) -> None:
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    wait_until(lambda: pbx.push_event("users_forwards_unconditional_updated", {"probe": True}, ALICE) == 1, 5,
               "the websocket to carry forward events")
    events.wait_for(lambda e: isinstance(e, ForwardsChanged))
    change_forward(pbx, ALICE, "unconditional", True, "0611223344")
    event = events.wait_for(lambda e: isinstance(e, ForwardsChanged) and e.kind is ForwardKind.UNCONDITIONAL
                            and e not in events.seen[:-1])
    assert event.kind is ForwardKind.UNCONDITIONAL
    forwarding.on_pbx_event(event)  # what Core's subscription does on the update thread
    wait_until(lambda: forwarding.current is not None and forwarding.current.unconditional.enabled, 5,
               "the forward changed on the PBX to be read again")
    assert forwarding.current.unconditional.destination == "0611223344"


def test_without_a_pbx_sign_in_forwarding_says_it_lives_on_the_phone_system(news: queue.Queue[object]) -> None:
    class _SipOnly:
        service = None

    forwarding = Forwarding(_SipOnly(), DialPlan, news.put)
    assert forwarding.available is False
    with pytest.raises(ForwardingRefused, match="SIP only"):
        forwarding.forward_all_to("1002")


def test_a_change_whose_event_was_lost_while_the_websocket_was_down_is_read_when_it_comes_back(
        service: WazoService, forwarding: Forwarding, pbx: PbxServer, events: EventLog) -> None:
    from callclient.demo.pbx_server.forwards import forwards_of

    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    wait_until(lambda: pbx.open_websockets() == 1, 5, "the websocket to be open")
    pbx.websocket_enabled = False
    pbx.drop_websockets()
    with pbx._lock:  # changed on the PBX while nobody listened: its event went nowhere
        forwards_of(pbx, ALICE)["unconditional"] = {"enabled": True, "destination": "1005"}
    pbx.websocket_enabled = True
    gap = events.wait_for(lambda e: isinstance(e, ForwardsChanged) and e.kind is None, timeout=15)
    forwarding.on_pbx_event(gap)
    wait_until(lambda: forwarding.current is not None and forwarding.current.unconditional == Forward(True, "1005"),
               5, "the forwards read again after the gap")


def test_junk_from_the_pbx_is_named_and_the_last_known_forwards_stay(forwarding: Forwarding, pbx: PbxServer) -> None:
    known = forwarding.current
    pbx.junk_next(path_contains="/forwards")
    with pytest.raises(ForwardingRefused, match=r"Could not read your call forwarding: .*unreadable answer"):
        forwarding.refresh()
    assert forwarding.current == known
