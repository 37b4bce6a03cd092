"""What the engine reports around sleep and network changes: an un-REGISTER before sleep, and after wake or
a network change "reconnecting" first, never the old "registered", until the registrar answers again."""

from __future__ import annotations

import queue

from callclient.engine import SipEngine
from callclient.engine.events import CallState, CallUpdated, RegistrationChanged, RegistrationState
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until


def next_state(events: Events, account_id: str) -> RegistrationState:
    return events.wait(RegistrationChanged, account_id=account_id, only_new=True).state


def test_sleep_unregisters_and_wake_reconnects_before_it_says_registered(
    engine: SipEngine, events: Events, kamailio: Kamailio, register  # noqa: ANN001
) -> None:
    settings = register("erin")
    before = len(kamailio.registers("erin"))
    engine.prepare_for_sleep().result(5)
    assert next_state(events, settings.account_id) is RegistrationState.UNREGISTERED
    assert kamailio.registers("erin")[before:][-1].rstrip().endswith("expires=0")

    engine.woke_up().result(5)
    assert next_state(events, settings.account_id) is RegistrationState.RECONNECTING
    assert next_state(events, settings.account_id) is RegistrationState.REGISTERED
    assert not kamailio.registers("erin")[-1].rstrip().endswith("expires=0")


def test_a_network_change_while_asleep_waits_for_the_wake_up(
    engine: SipEngine, events: Events, kamailio: Kamailio, register  # noqa: ANN001
) -> None:
    settings = register("erin")
    engine.prepare_for_sleep().result(5)
    assert next_state(events, settings.account_id) is RegistrationState.UNREGISTERED
    asleep = len(kamailio.registers("erin"))
    engine.network_changed().result(5)  # the Wi-Fi going down as the lid closes
    engine.woke_up().result(5)
    assert next_state(events, settings.account_id) is RegistrationState.RECONNECTING
    assert next_state(events, settings.account_id) is RegistrationState.REGISTERED
    sent = kamailio.registers("erin")[asleep:]
    # One REGISTER on wake (challenged once: two lines), none while asleep.
    assert [line.split()[-2:] for line in sent] == [["creds=none", "expires=120"],
                                                    ["creds=digest", "expires=120"]], sent


def test_a_network_change_shows_reconnecting_until_the_registrar_answers(
    engine: SipEngine, events: Events, kamailio: Kamailio, register  # noqa: ANN001
) -> None:
    settings = register("erin")
    engine.network_changed().result(5)
    assert next_state(events, settings.account_id) is RegistrationState.RECONNECTING
    assert next_state(events, settings.account_id) is RegistrationState.REGISTERED


def test_a_network_change_leaves_an_account_the_user_unregistered_alone(
    engine: SipEngine, events: Events, kamailio: Kamailio, register  # noqa: ANN001
) -> None:
    settings = register("erin")
    engine.unregister(settings.account_id).result(5)
    assert next_state(events, settings.account_id) is RegistrationState.UNREGISTERED
    stopped = len(kamailio.registers("erin"))
    engine.network_changed().result(5)
    # pjsua's IP-change handling re-registers every account with a registrar; the engine takes the binding
    # back at once, and the account never reports itself registered.
    wait_until(lambda: any(line.endswith("expires=120") for line in kamailio.registers("erin")[stopped:])
               and kamailio.registers("erin")[-1].endswith("expires=0"), 10, "erin unregistered again")
    wait_until(lambda: engine.status().result(5).accounts[0].state is RegistrationState.UNREGISTERED, 10,
               "erin's state unregistered")
    told = list(events.backlog)
    while True:
        try:
            told.append(events.stream.get_nowait())
        except queue.Empty:
            break
    assert [e for e in told if isinstance(e, RegistrationChanged) and e.account_id == settings.account_id
            and e.state is RegistrationState.REGISTERED] == [], "the stopped account was reported registered"


def test_a_call_survives_a_network_change_through_a_re_invite(
    engine: SipEngine, events: Events, kamailio: Kamailio, register, far_end  # noqa: ANN001
) -> None:
    settings = register("dave")
    bob = far_end("bob", auto_answer=True)
    call_id = engine.make_call("bob", settings.account_id).result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED, timeout=15)
    peer_call = bob.expect_state("CONFIRMED")["call"]
    bob.expect(lambda e: e["ev"] == "media" and e["call"] == peer_call, what="the call's media")
    assert not [e for e in bob.seen if e["ev"] == "media"], "one media update per offer/answer so far"

    engine.network_changed().result(5)
    assert next_state(events, settings.account_id) is RegistrationState.RECONNECTING
    events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
    # The far end gets a re-INVITE with our (new) Contact and media address, and the call goes on.
    bob.expect(lambda e: e["ev"] == "media" and e["call"] == peer_call and e["status"] == 1, timeout=10,
               what="the re-INVITE's media update at the far end")
    assert engine.status().result(5).calls[0].state is CallState.CONFIRMED
    assert not [e for e in bob.seen if e["ev"] == "state" and e["state"] == "DISCONNECTED"]
    engine.hangup(call_id).result(5)
    bob.expect_state("DISCONNECTED", call=peer_call)
