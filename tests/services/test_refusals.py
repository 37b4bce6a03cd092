"""The refusals service: what the engine refused by policy is kept for this run only, bounded, dismissable,
and not at all while the admin turned the notices off. The end-to-end path (a real far end refused while
do-not-disturb is on) is tests/ui/test_refused_calls.py."""

from __future__ import annotations

from callclient.engine.events import CallRefused, CallUpdated, Party, RefusalReason
from callclient.services.refusals import MAX_NOTICES, RefusedCalls
from callclient.services.settings import SettingsChanged

CALLER = Party("sip:1002@pbx.example.com", "Bob", "1002")


def refused(reason: RefusalReason = RefusalReason.DO_NOT_DISTURB) -> CallRefused:
    return CallRefused("alice", CALLER, reason, 486, "refused while do-not-disturb was on")


def test_refused_calls_are_kept_until_dismissed() -> None:
    service = RefusedCalls(lambda: True)
    service.on_engine_event(refused())
    service.on_engine_event(refused(RefusalReason.ENCRYPTION_REQUIRED))
    first, second = service.notices()
    assert (first.party, first.reason, second.reason) == (CALLER, RefusalReason.DO_NOT_DISTURB,
                                                          RefusalReason.ENCRYPTION_REQUIRED)
    service.dismiss(first.notice_id)
    assert service.notices() == (second,)
    service.dismiss_all()
    assert service.notices() == ()


def test_other_events_are_not_notices_and_a_flood_keeps_the_latest() -> None:
    service = RefusedCalls(lambda: True)
    service.on_engine_event(object())
    assert service.notices() == ()
    for _ in range(MAX_NOTICES + 10):
        service.on_engine_event(refused())
    kept = service.notices()
    assert len(kept) == MAX_NOTICES and kept[-1].notice_id == MAX_NOTICES + 10


def test_turning_the_notices_off_keeps_none_and_drops_those_kept() -> None:
    wanted = [True]
    service = RefusedCalls(lambda: wanted[0])
    service.on_engine_event(refused())
    wanted[0] = False
    service.on_settings_changed(SettingsChanged(frozenset({"policy.refused_call_notices"}), None, "config file"))
    assert service.notices() == ()
    service.on_engine_event(refused())
    assert service.notices() == ()


def test_the_admin_key_defaults_to_on() -> None:
    from callclient.config.schema import KEYS

    assert KEYS["policy.refused_call_notices"].default is True
