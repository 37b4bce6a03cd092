"""The offline voicemail copies follow the messages (issue 12, item 3, service side): a message deleted on the
PBX loses its cached copy, and one heard to the end loses it under the "after playback" policy.

Driven through WazoService with storage's real encrypted VoicemailCache and the test PBX.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.errors import PbxNotFound
from callclient.pbx.service import UpdateMode, UpdateModeChanged, VoicemailChanged
from callclient.pbx.wazo import WazoService
from callclient.storage.voicemail_cache import Retention, VoicemailCache, VoicemailCachePolicy
from tests.fixtures.net import wait_until
from tests.pbx.conftest import ALICE_LOGIN, ALICE_PASSWORD, EventLog

ACCOUNT = "alice@pbx"


def _cache(directory: Path, retention: Retention = Retention.AFTER_PLAYBACK) -> VoicemailCache:
    return VoicemailCache(directory, os.urandom(32), VoicemailCachePolicy(retention=retention))


def _cached_files(cache: VoicemailCache) -> list[Path]:
    return [path for path in cache.directory.rglob("*") if path.is_file()]


def _signed_in(make_service: Callable[..., WazoService], cache: VoicemailCache | None) -> WazoService:
    service = make_service(recording_cache=cache, account_id=ACCOUNT)
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    return service


def test_deleting_a_message_deletes_its_cached_copy(make_service, pbx: PbxServer, tmp_path: Path) -> None:
    cache = _cache(tmp_path / "voicemail")
    service = _signed_in(make_service, cache)
    kept, deleted = service.voicemail_messages()[:2]
    service.recording(kept.id)
    audio = service.recording(deleted.id)
    assert cache.get(ACCOUNT, deleted.id) == audio and len(_cached_files(cache)) == 2

    service.delete(deleted.id)
    assert cache.get(ACCOUNT, deleted.id) is None
    assert len(_cached_files(cache)) == 1, "only the deleted message's copy went"
    assert cache.get(ACCOUNT, kept.id) is not None
    assert deleted.id not in {m.id for m in service.voicemail_messages()}


def test_a_message_another_phone_already_deleted_still_leaves_the_cache(make_service, pbx: PbxServer,
                                                                         tmp_path: Path) -> None:
    cache = _cache(tmp_path / "voicemail")
    service = _signed_in(make_service, cache)
    message = service.voicemail_messages()[0]
    service.recording(message.id)
    _signed_in(make_service, None).delete(message.id)  # the user's desk phone, say

    with pytest.raises(PbxNotFound):
        service.delete(message.id)
    assert cache.get(ACCOUNT, message.id) is None and _cached_files(cache) == []


def test_a_message_deleted_elsewhere_leaves_the_cache_when_the_list_is_fetched(make_service, pbx: PbxServer,
                                                                                tmp_path: Path) -> None:
    cache = _cache(tmp_path / "voicemail")
    service = _signed_in(make_service, cache)
    message = service.voicemail_messages()[0]
    service.recording(message.id)
    _signed_in(make_service, None).delete(message.id)

    assert message.id not in {m.id for m in service.voicemail_messages()}
    assert cache.get(ACCOUNT, message.id) is None and _cached_files(cache) == []


def test_a_deletion_announced_over_the_websocket_removes_the_copy_at_once(make_service, pbx: PbxServer,
                                                                           events: EventLog, tmp_path: Path) -> None:
    cache = _cache(tmp_path / "voicemail")
    service = _signed_in(make_service, cache)
    message = service.voicemail_messages()[0]
    service.recording(message.id)
    service.start_updates()
    events.wait_for(lambda e: isinstance(e, UpdateModeChanged) and e.mode is UpdateMode.WEBSOCKET)
    me = service.session.user_uuid
    wait_until(lambda: pbx.push_event("user_voicemail_message_updated", {"message_id": "probe"}, me) == 1, 5,
               "the websocket subscriptions to be started")

    _signed_in(make_service, None).delete(message.id)
    events.wait_for(lambda e: isinstance(e, VoicemailChanged) and e.message_id == message.id)
    assert cache.get(ACCOUNT, message.id) is None and _cached_files(cache) == []


def test_a_message_heard_to_the_end_loses_its_copy_at_once_without_asking_the_pbx(
        make_service, pbx: PbxServer, tmp_path: Path) -> None:
    cache = _cache(tmp_path / "voicemail")  # the default policy: deleted after playback
    service = _signed_in(make_service, cache)
    first, second = service.voicemail_messages()[:2]
    service.recording(first.id)
    service.recording(second.id)
    requests_before = len(pbx.requests)

    service.voicemail_played(first.id)
    assert cache.get(ACCOUNT, first.id) is None
    assert cache.get(ACCOUNT, second.id) is not None, "an unplayed message stays for offline playback"
    assert len(_cached_files(cache)) == 1
    assert len(pbx.requests) == requests_before, "playing to the end works offline"


def test_a_message_heard_to_the_end_keeps_its_copy_when_kept_for_days(make_service, pbx: PbxServer,
                                                                      tmp_path: Path) -> None:
    cache = _cache(tmp_path / "voicemail", Retention.AFTER_DAYS)
    service = _signed_in(make_service, cache)
    message = service.voicemail_messages()[0]
    audio = service.recording(message.id)

    service.voicemail_played(message.id)
    assert cache.get(ACCOUNT, message.id) == audio
