"""SIP-only mode: no PBX API, so history says it needs one, voicemail is a number to call, MWI gives counts."""

from __future__ import annotations

import pytest

from callclient.pbx.errors import PbxApiRequired
from callclient.pbx.service import HistoryQuery, ServiceState, VoicemailChanged, VoicemailCounts
from callclient.pbx.sip_only import SipOnlyService
from tests.pbx.conftest import EventLog


def test_history_says_it_needs_the_pbx_api() -> None:
    service = SipOnlyService(sip_domain="pbx.example.com", voicemail_access_number="*98")
    assert service.state is ServiceState.NO_API
    assert not service.capabilities.history
    with pytest.raises(PbxApiRequired, match="Call history needs the PBX API"):
        service.history(HistoryQuery())
    assert service.cached_history() is None


def test_voicemail_is_reached_by_calling_the_access_number() -> None:
    service = SipOnlyService(sip_domain="pbx.example.com", voicemail_access_number="*98")
    assert service.capabilities.voicemail_access_number == "*98"
    assert not service.capabilities.voicemail_list
    with pytest.raises(PbxApiRequired, match=r"call \*98 to listen"):
        service.voicemail_messages()


def test_mwi_counts_are_kept_and_announced_once_per_change(events: EventLog) -> None:
    service = SipOnlyService(sip_domain="pbx.example.com", voicemail_access_number="*98", on_event=events)
    assert service.voicemail_counts() == VoicemailCounts(0, 0, 0)
    service.update_mwi(new=2, old=5, urgent_new=1)
    service.update_mwi(new=2, old=5, urgent_new=1)
    service.update_mwi(new=1, old=6)
    assert service.voicemail_counts() == VoicemailCounts(new=1, old=6, urgent=0)
    changes = [e.counts for e in list(events.queue.queue) if isinstance(e, VoicemailChanged)]
    assert changes == [VoicemailCounts(2, 5, 1), VoicemailCounts(1, 6, 0)]


def test_negative_mwi_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        SipOnlyService(sip_domain="pbx", voicemail_access_number=None).update_mwi(new=-1, old=0)


def test_sign_in_without_an_api_explains_what_is_missing() -> None:
    service = SipOnlyService(sip_domain="pbx.example.com", voicemail_access_number=None)
    with pytest.raises(PbxApiRequired, match="set up a PBX API address"):
        service.sign_in("alice@example.com", "secret")
    assert service.conference_rooms() == ()
