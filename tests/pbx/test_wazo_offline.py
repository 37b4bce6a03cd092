"""Offline mode: the PBX goes away, the service says so, cached views stay readable, and it comes back."""

from __future__ import annotations

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.errors import PbxUnreachable
from callclient.pbx.service import (
    HistoryQuery,
    ServiceState,
    StateChanged,
    UpdateMode,
    UpdateModeChanged,
    VoicemailChanged,
    VoicemailCounts,
)
from tests.pbx.conftest import EventLog


class DictRecordingCache:
    """Same shape as storage's encrypted VoicemailCache (which has its own tests), to break it on purpose."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], bytes] = {}

    def get(self, account_id: str, message_id: str) -> bytes | None:
        return self.entries.get((account_id, message_id))

    def put(self, account_id: str, message_id: str, audio: bytes) -> bool:
        self.entries[(account_id, message_id)] = audio
        return True

    def played(self, account_id: str, message_id: str) -> None:
        self.remove(account_id, message_id)

    def remove(self, account_id: str, message_id: str) -> None:
        self.entries.pop((account_id, message_id), None)


def test_pbx_going_away_turns_the_service_offline_with_cached_views(make_service, pbx: PbxServer,
                                                                    events: EventLog) -> None:
    cache = DictRecordingCache()
    service = make_service(recording_cache=cache, account_id="alice@pbx", max_attempts=2)
    service.sign_in("alice", "alice-pass-2024")
    page = service.history(HistoryQuery(limit=5))
    messages = service.voicemail_messages()
    audio = service.recording(messages[0].id)
    assert cache.get("alice@pbx", messages[0].id) == audio

    pbx.stop()
    with pytest.raises(PbxUnreachable, match="127.0.0.1 cannot be reached"):
        service.history(HistoryQuery(limit=5))
    assert service.state is ServiceState.OFFLINE
    events.wait_for(lambda e: isinstance(e, StateChanged) and e.state is ServiceState.OFFLINE)
    assert service.cached_history() == page
    assert service.cached_voicemail() == messages
    assert service.recording(messages[0].id) == audio  # played from the cache, no PBX needed
    with pytest.raises(PbxUnreachable):
        service.recording(messages[1].id)

    pbx.start()  # same port
    assert service.history(HistoryQuery(limit=5)).records == page.records
    assert service.state is ServiceState.ONLINE
    events.wait_for(lambda e: isinstance(e, StateChanged) and e.state is ServiceState.ONLINE)


def test_updates_fall_back_to_polling_while_offline_and_resume_the_websocket(make_service, pbx: PbxServer,
                                                                             events: EventLog) -> None:
    service = make_service(max_attempts=1)
    service.sign_in("alice", "alice-pass-2024")
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    pbx.stop()
    events.wait_for(lambda e: isinstance(e, StateChanged) and e.state is ServiceState.OFFLINE)
    pbx.start()
    events.wait_for(lambda e: isinstance(e, StateChanged) and e.state is ServiceState.ONLINE)
    events.seen.clear()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)


def test_a_failing_recording_cache_does_not_lose_the_audio(make_service) -> None:
    class BrokenCache(DictRecordingCache):
        def put(self, account_id: str, message_id: str, audio: bytes) -> bool:
            raise OSError("disk full")

    service = make_service(recording_cache=BrokenCache())
    service.sign_in("alice", "alice-pass-2024")
    message = service.voicemail_messages()[0]
    assert service.recording(message.id).startswith(b"RIFF")


def test_sip_mwi_counts_are_announced_even_while_the_api_is_offline(make_service, pbx: PbxServer,
                                                                     events: EventLog) -> None:
    service = make_service(max_attempts=1)
    service.sign_in("alice", "alice-pass-2024")
    pbx.stop()
    with pytest.raises(PbxUnreachable):
        service.voicemail_counts()
    service.update_mwi(new=3, old=1)
    service.update_mwi(new=3, old=1)
    changed = events.wait_for(lambda e: isinstance(e, VoicemailChanged))
    assert changed.counts == VoicemailCounts(new=3, old=1, urgent=0)
    assert [e for e in list(events.queue.queue) if isinstance(e, VoicemailChanged)] == []
    pbx.start()
