"""The Wazo backend against the test PBX: sign-in, profile, history, voicemail, conference rooms."""

from __future__ import annotations

import io
import wave
from datetime import UTC, datetime, timedelta

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.errors import PbxUnauthorized
from callclient.pbx.service import (
    CallDirection,
    HistoryQuery,
    MemoryTokenStore,
    ServiceState,
    VoicemailCounts,
    VoicemailFolder,
)
from callclient.pbx.wazo import WazoService
from tests.pbx.conftest import ALICE_LOGIN, ALICE_PASSWORD, ALICE_SIP_PASSWORD


def test_sign_in_with_email_returns_a_session_with_refresh_token_and_user(make_service, pbx: PbxServer) -> None:
    store = MemoryTokenStore()
    service = make_service(token_store=store)
    session = service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    assert session.user_uuid == next(iter(pbx.data.users))
    assert session.refresh_token
    assert session.expires_at > datetime.now(UTC) + timedelta(minutes=30)
    assert store.load_session() == session
    assert service.state is ServiceState.ONLINE
    assert session.access_token not in repr(session) and session.refresh_token not in repr(session)


def test_sign_in_with_username_works_too(make_service) -> None:
    assert make_service().sign_in("alice", ALICE_PASSWORD).user_uuid


def test_wrong_password_is_refused_with_a_message_naming_the_host(make_service, pbx: PbxServer) -> None:
    service = make_service()
    with pytest.raises(PbxUnauthorized, match="127.0.0.1 refused the sign-in: wrong email/username or password"):
        service.sign_in(ALICE_LOGIN, "not-the-password")
    assert pbx.token_grants == []
    assert service.state is ServiceState.SIGNED_OUT


def test_profile_gives_names_extension_and_sip_credentials(service: WazoService) -> None:
    profile = service.profile()
    assert (profile.first_name, profile.last_name, profile.email) == ("Alice", "Martin", "alice@example.com")
    assert profile.extensions == ("1001",)
    (line,) = profile.lines
    assert (line.username, line.password, line.domain, line.transport, line.extension) == (
        "alice", ALICE_SIP_PASSWORD, "127.0.0.1", "udp", "1001")
    assert ALICE_SIP_PASSWORD not in repr(profile)


def test_history_is_paged_newest_first_from_the_users_point_of_view(service: WazoService) -> None:
    first = service.history(HistoryQuery(limit=10))
    second = service.history(HistoryQuery(offset=first.next_offset, limit=10))
    assert len(first.records) == 10 and first.total == 31 and first.next_offset == 10
    starts = [r.started_at for r in first.records + second.records]
    assert starts == sorted(starts, reverse=True)
    assert not set(r.id for r in first.records) & set(r.id for r in second.records)
    newest = first.records[0]
    assert newest.conference and newest.direction is CallDirection.OUTGOING
    assert (newest.other_name, newest.other_number, newest.duration_s) == ("Weekly team", "4000", 1800)
    incoming = next(r for r in first.records if r.direction is CallDirection.INCOMING)
    assert incoming.other_number in ("1002", "1003", "+33123456789")
    last = service.history(HistoryQuery(offset=30, limit=10))
    assert len(last.records) == 1 and last.next_offset is None


def test_history_search_finds_the_other_party(service: WazoService) -> None:
    page = service.history(HistoryQuery(search="Carol"))
    assert page.records and all(r.other_name == "Carol Petit" for r in page.records)


def test_missed_only_filter_and_missed_count_agree(service: WazoService, pbx: PbxServer) -> None:
    page = service.history(HistoryQuery(limit=3, missed_only=True))
    assert len(page.records) == 3 and all(r.missed for r in page.records)
    everything = service.history(HistoryQuery(limit=100))
    expected = sum(1 for r in everything.records if r.missed)
    assert expected > 3
    assert service.missed_count() == expected
    assert service.missed_count(since=datetime.now(UTC) + timedelta(minutes=1)) == 0


def test_voicemail_lists_folders_with_caller_time_and_duration(service: WazoService) -> None:
    assert service.voicemail_counts() == VoicemailCounts(new=2, old=1, urgent=1)
    messages = service.voicemail_messages()
    assert len(messages) == 4
    assert [m.received_at for m in messages] == sorted((m.received_at for m in messages), reverse=True)
    urgent = service.voicemail_messages(VoicemailFolder.URGENT)
    assert [(m.caller_name, m.caller_number) for m in urgent] == [("Reception", "+33123456789")]
    assert all(m.duration_s >= 1 for m in messages)


def test_recording_downloads_a_playable_wav(service: WazoService) -> None:
    message = service.voicemail_messages()[0]
    audio = service.recording(message.id)
    with wave.open(io.BytesIO(audio)) as wav:
        assert wav.getnframes() > 1000 and wav.getframerate() == 8000


def test_mark_read_move_and_delete_change_the_box_on_the_pbx(service: WazoService, pbx: PbxServer) -> None:
    new = service.voicemail_messages(VoicemailFolder.NEW)
    service.mark_read(new[0].id)
    assert pbx.data.messages[new[0].id].folder == "old"
    service.move(new[1].id, VoicemailFolder.URGENT)
    assert pbx.data.messages[new[1].id].folder == "urgent"
    service.delete(new[0].id)
    assert new[0].id not in pbx.data.messages
    assert service.voicemail_counts() == VoicemailCounts(new=0, old=1, urgent=2)
    assert [m.id for m in service.cached_voicemail() or ()].count(new[0].id) == 0


def test_conference_rooms_list_the_number_to_call(service: WazoService) -> None:
    rooms = service.conference_rooms()
    assert [(r.name, r.number) for r in rooms] == [("Sales", "4001"), ("Weekly team", "4000")]


def test_sign_out_revokes_the_session_on_the_pbx(make_service, pbx: PbxServer) -> None:
    store = MemoryTokenStore()
    service = make_service(token_store=store)
    session = service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    service.sign_out()
    assert session.access_token not in pbx.issued_tokens()
    assert store.load_session() is None
    assert service.state is ServiceState.SIGNED_OUT


def test_resume_uses_the_stored_session_without_the_password(make_service, pbx: PbxServer) -> None:
    store = MemoryTokenStore()
    make_service(token_store=store).sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    resumed = make_service(token_store=store)
    assert resumed.resume()
    assert resumed.profile().first_name == "Alice"
    assert pbx.token_grants == ["password"]
