"""Voicemail cache: encrypted at rest, decrypted only in memory, kept only as long as the policy says."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from callclient.storage.keychain import AppSecret, Keychain
from callclient.storage.voicemail_cache import (
    SECONDS_PER_DAY,
    Retention,
    VoicemailCache,
    VoicemailCachePolicy,
    VoicemailCacheWriteFailed,
)
from tests.storage.disk_conditions import FullDisk

ALICE = "alice@pbx.example.com"
# Recognisable "audio": if these bytes show up in any file, plaintext reached the disk.
AUDIO = b"RIFF-plaintext-voicemail-" + bytes(range(256)) * 64


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache_key(keychain: Keychain) -> bytes:
    return keychain.get_or_create_key(AppSecret.VOICEMAIL_CACHE_KEY)


def _cache(directory: Path, key: bytes, clock: Clock, **policy: object) -> VoicemailCache:
    return VoicemailCache(directory, key, VoicemailCachePolicy(**policy), clock=clock)  # type: ignore[arg-type]


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


def test_cached_audio_comes_back_decrypted_and_is_only_ciphertext_on_disk(
    tmp_path: Path, cache_key: bytes, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any temporary file anybody makes during caching lands where this test can see it.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    cache = _cache(tmp_path / "voicemail", cache_key, clock)

    assert cache.put(ALICE, "msg-1", AUDIO) is True
    assert cache.get(ALICE, "msg-1") == AUDIO

    everything = _files(tmp_path)
    assert len(everything) == 1
    (entry,) = everything
    raw = entry.read_bytes()
    assert AUDIO[:40] not in raw and AUDIO[-64:] not in raw
    assert ALICE.encode() not in raw and b"msg-1" not in raw
    assert ALICE not in str(entry) and "msg-1" not in str(entry)
    assert entry.stat().st_mode & 0o777 == 0o600


def test_the_key_from_the_keychain_opens_the_cache_in_a_later_session(
    tmp_path: Path, keychain: Keychain, clock: Clock
) -> None:
    _cache(tmp_path, keychain.get_or_create_key(AppSecret.VOICEMAIL_CACHE_KEY), clock).put(ALICE, "m", AUDIO)
    later = _cache(tmp_path, keychain.get_or_create_key(AppSecret.VOICEMAIL_CACHE_KEY), clock)
    assert later.get(ALICE, "m") == AUDIO


def test_by_default_a_message_is_deleted_after_playback(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    cache = _cache(tmp_path, cache_key, clock)
    assert cache.policy.retention is Retention.AFTER_PLAYBACK
    cache.put(ALICE, "played", AUDIO)
    cache.put(ALICE, "unplayed", AUDIO)

    cache.played(ALICE, "played")

    assert cache.get(ALICE, "played") is None
    assert cache.get(ALICE, "unplayed") == AUDIO
    assert len(_files(tmp_path)) == 1


def test_after_days_keeps_played_messages_until_they_are_n_days_old(
    tmp_path: Path, cache_key: bytes, clock: Clock
) -> None:
    cache = _cache(tmp_path, cache_key, clock, retention=Retention.AFTER_DAYS, days=3)
    cache.put(ALICE, "m", AUDIO)
    cache.played(ALICE, "m")

    clock.now += 3 * SECONDS_PER_DAY - 1
    assert cache.get(ALICE, "m") == AUDIO
    clock.now += 1
    cache.expire()
    assert cache.get(ALICE, "m") is None
    assert _files(tmp_path) == []


def test_unplayed_messages_also_leave_after_n_days(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    cache = _cache(tmp_path, cache_key, clock, days=2)
    cache.put(ALICE, "m", AUDIO)
    clock.now += 2 * SECONDS_PER_DAY
    assert cache.get(ALICE, "m") is None
    assert _files(tmp_path) == []


def test_never_cache_writes_nothing_and_switching_to_it_empties_the_cache(
    tmp_path: Path, cache_key: bytes, clock: Clock
) -> None:
    cache = _cache(tmp_path, cache_key, clock)
    cache.put(ALICE, "before", AUDIO)

    cache.set_policy(VoicemailCachePolicy(retention=Retention.NEVER_CACHE))

    assert _files(tmp_path) == []
    assert cache.put(ALICE, "after", AUDIO) is False
    assert cache.get(ALICE, "after") is None
    assert _files(tmp_path) == []


def test_the_size_cap_evicts_the_oldest_messages_first(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    entry_bytes = len(AUDIO) + 100  # audio + header + GCM tag, with room to spare
    cache = _cache(tmp_path, cache_key, clock, max_bytes=3 * entry_bytes)
    for n in range(5):
        clock.now += 60
        cache.put(ALICE, f"m{n}", AUDIO)

    assert [cache.get(ALICE, f"m{n}") is not None for n in range(5)] == [False, False, True, True, True]
    assert cache.size_bytes() <= 3 * entry_bytes


def test_a_message_larger_than_the_cap_is_not_cached(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    cache = _cache(tmp_path, cache_key, clock, max_bytes=1000)
    assert cache.put(ALICE, "big", AUDIO) is False
    assert _files(tmp_path) == []


def test_a_tampered_file_is_not_played_and_is_removed(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    cache = _cache(tmp_path, cache_key, clock)
    cache.put(ALICE, "m", AUDIO)
    (entry,) = _files(tmp_path)
    raw = bytearray(entry.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    entry.write_bytes(bytes(raw))

    assert cache.get(ALICE, "m") is None
    assert not entry.exists()


def test_a_file_swapped_for_another_message_is_rejected(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    cache = _cache(tmp_path, cache_key, clock)
    cache.put(ALICE, "first", b"the first message")
    (first_file,) = _files(tmp_path)
    cache.put(ALICE, "second", AUDIO)
    (second_file,) = set(_files(tmp_path)) - {first_file}

    second_file.write_bytes(first_file.read_bytes())  # the first message's ciphertext under the second's name

    assert cache.get(ALICE, "second") is None
    assert cache.get(ALICE, "first") == b"the first message"


def test_another_key_cannot_read_the_cache(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    _cache(tmp_path, cache_key, clock).put(ALICE, "m", AUDIO)
    assert _cache(tmp_path, os.urandom(32), clock).get(ALICE, "m") is None


def test_a_full_disk_reports_the_failure_leaves_no_partial_file_and_keeps_earlier_messages(
    tmp_path: Path, cache_key: bytes, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = _cache(tmp_path, cache_key, clock)
    cache.put(ALICE, "earlier", AUDIO)
    real_write = os.write
    writes = []

    def write_until_full(fd: int, data: bytes) -> int:
        writes.append(len(data))
        if len(writes) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, bytes(data)[:1000])  # a short write first, like a nearly full disk

    monkeypatch.setattr(os, "write", write_until_full)
    with pytest.raises(VoicemailCacheWriteFailed, match="the disk is full"):
        cache.put(ALICE, "new", AUDIO)
    monkeypatch.undo()

    assert len(_files(tmp_path)) == 1
    assert cache.get(ALICE, "earlier") == AUDIO
    assert cache.get(ALICE, "new") is None


def test_a_really_full_disk_reports_the_failure_and_keeps_earlier_messages(
    cache_key: bytes, clock: Clock, full_disk: FullDisk
) -> None:
    cache = _cache(full_disk.directory / "voicemail", cache_key, clock)
    cache.put(ALICE, "earlier", AUDIO)
    full_disk.fill()

    with pytest.raises(VoicemailCacheWriteFailed, match="disk"):
        cache.put(ALICE, "new", AUDIO * 4)

    full_disk.free()
    assert cache.get(ALICE, "earlier") == AUDIO
    assert not list((full_disk.directory / "voicemail").rglob("*.part"))


def test_expire_removes_leftovers_of_an_interrupted_write(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    cache = _cache(tmp_path, cache_key, clock)
    cache.put(ALICE, "m", AUDIO)
    (entry,) = _files(tmp_path)
    leftover = entry.with_name(entry.name + ".part")
    leftover.write_bytes(b"ciphertext of an interrupted write")

    cache.expire()

    assert _files(tmp_path) == [entry]


def test_erase_account_removes_only_that_accounts_messages(tmp_path: Path, cache_key: bytes, clock: Clock) -> None:
    cache = _cache(tmp_path / "voicemail", cache_key, clock)
    cache.put(ALICE, "m", AUDIO)
    cache.put("bob@pbx.example.com", "m", AUDIO)

    cache.erase_account(ALICE)

    assert cache.get(ALICE, "m") is None
    assert cache.get("bob@pbx.example.com", "m") == AUDIO
    cache.erase_all()
    assert not (tmp_path / "voicemail").exists()
