"""Voicemail audio cached on this device only for a while, encrypted at rest, decrypted only into memory.

Each cached message is one file of AES-256-GCM ciphertext (key in the keychain). Nothing but ciphertext
is ever written: the temporary file of an atomic write already holds the encrypted bytes. File names are
keyed hashes, so the cache directory does not reveal accounts or message ids either.

File layout: MAGIC (4) | format version (1) | cached_at, unix seconds (8, big-endian) | nonce (12) |
ciphertext + GCM tag. The header is authenticated (GCM associated data), together with the account and
message id, so a file cannot be swapped for another message's or have its age rewritten.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import os
import secrets
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from callclient.storage.files import describe_os_error, fsync_dir

log = logging.getLogger(__name__)

MAGIC = b"CCVM"
FORMAT_VERSION = 1
_HEADER = struct.Struct(">4sBQ12s")
ENTRY_SUFFIX = ".vm"
PARTIAL_SUFFIX = ".part"
SECONDS_PER_DAY = 86_400


class Retention(enum.StrEnum):
    AFTER_PLAYBACK = "after-playback"  # deleted as soon as it has been played (the privacy policy's default)
    AFTER_DAYS = "after-days"
    NEVER_CACHE = "never-cache"


@dataclass(frozen=True)
class VoicemailCachePolicy:
    retention: Retention = Retention.AFTER_PLAYBACK
    days: int = 7  # for AFTER_DAYS; also the longest an unplayed message stays under AFTER_PLAYBACK
    max_bytes: int = 100 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("voicemail must be kept at least one day when kept for days")
        if self.max_bytes < 1:
            raise ValueError("the voicemail cache size cap must be positive")


class VoicemailCacheWriteFailed(Exception):
    """Caching failed; the audio is still in memory and playable, only not kept."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"Could not cache voicemail in {path}: {reason}. It will be downloaded again when needed.")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class _Entry:
    path: Path
    cached_at: int
    size_bytes: int


class VoicemailCache:
    def __init__(
        self,
        directory: Path,
        key: bytes,
        policy: VoicemailCachePolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if len(key) != 32:
            raise ValueError("the voicemail cache key must be 32 bytes (AES-256)")
        self._directory = directory
        self._aead = AESGCM(key)
        self._name_key = hashlib.sha256(b"callclient voicemail file names\0" + key).digest()
        self._policy = policy
        self._clock = clock

    @property
    def directory(self) -> Path:
        return self._directory

    @property
    def policy(self) -> VoicemailCachePolicy:
        return self._policy

    def set_policy(self, policy: VoicemailCachePolicy) -> None:
        """Applies a new policy at once: switching to never-cache empties the cache, a smaller cap evicts."""
        self._policy = policy
        self.expire()

    def put(self, account_id: str, message_id: str, audio: bytes) -> bool:
        """Caches the audio encrypted; returns whether it was kept (never-cache and oversize are not)."""
        if self._policy.retention is Retention.NEVER_CACHE or len(audio) > self._policy.max_bytes:
            return False
        path = self._entry_path(account_id, message_id)
        cached_at = int(self._clock())
        nonce = secrets.token_bytes(12)
        header = _HEADER.pack(MAGIC, FORMAT_VERSION, cached_at, nonce)
        sealed = header + self._aead.encrypt(nonce, audio, _associated_data(header, account_id, message_id))
        self._write_atomically(path, sealed)
        self._evict_to_cap(keep=path)
        return True

    def get(self, account_id: str, message_id: str) -> bytes | None:
        """The decrypted audio, or None when it is not cached (or expired, or damaged: download it again)."""
        path = self._entry_path(account_id, message_id)
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("cannot read cached voicemail %s: %s", path.name, error)
            return None
        try:
            header = sealed[: _HEADER.size]
            magic, version, cached_at, nonce = _HEADER.unpack(header)
            if magic != MAGIC or version != FORMAT_VERSION:
                raise ValueError("unknown file format")
            audio = self._aead.decrypt(nonce, sealed[_HEADER.size :], _associated_data(header, account_id, message_id))
        except (struct.error, ValueError, InvalidTag) as error:
            log.warning("cached voicemail %s is damaged (%s); removing it", path.name, error or type(error).__name__)
            _remove(path)
            return None
        if self._is_expired(cached_at):
            _remove(path)
            return None
        return audio

    def played(self, account_id: str, message_id: str) -> None:
        if self._policy.retention is Retention.AFTER_PLAYBACK:
            self.remove(account_id, message_id)

    def remove(self, account_id: str, message_id: str) -> None:
        _remove(self._entry_path(account_id, message_id))

    def expire(self) -> None:
        """Removes what the policy no longer allows, and leftovers of interrupted writes. Run at start-up."""
        for partial in self._directory.glob(f"*/*{PARTIAL_SUFFIX}"):
            _remove(partial)
        for entry in self._entries():
            if self._policy.retention is Retention.NEVER_CACHE or self._is_expired(entry.cached_at):
                _remove(entry.path)
        self._evict_to_cap(keep=None)

    def erase_account(self, account_id: str) -> None:
        account_dir = self._account_dir(account_id)
        if account_dir.exists():
            for path in account_dir.iterdir():
                _remove(path)
            account_dir.rmdir()

    def erase_all(self) -> None:
        if not self._directory.exists():
            return
        for account_dir in self._directory.iterdir():
            if account_dir.is_dir():
                for path in account_dir.iterdir():
                    _remove(path)
                account_dir.rmdir()
            else:
                _remove(account_dir)
        self._directory.rmdir()

    def size_bytes(self) -> int:
        return sum(entry.size_bytes for entry in self._entries())

    def _is_expired(self, cached_at: int) -> bool:
        # Unplayed messages under after-playback also go after `days`: "only for a while" holds either way.
        if self._policy.retention is Retention.NEVER_CACHE:
            return True
        return self._clock() - cached_at >= self._policy.days * SECONDS_PER_DAY

    def _evict_to_cap(self, keep: Path | None) -> None:
        entries = sorted(self._entries(), key=lambda entry: (entry.cached_at, entry.path.name))
        total = sum(entry.size_bytes for entry in entries)
        for entry in entries:
            if total <= self._policy.max_bytes:
                break
            if entry.path == keep:
                continue
            _remove(entry.path)
            total -= entry.size_bytes

    def _entries(self) -> list[_Entry]:
        entries = []
        for path in self._directory.glob(f"*/*{ENTRY_SUFFIX}"):
            try:
                with path.open("rb") as file:
                    header = file.read(_HEADER.size)
                size = path.stat().st_size
                magic, _version, cached_at, _nonce = _HEADER.unpack(header)
            except (OSError, struct.error):
                # Too short to hold a header: oldest of all, so it goes first.
                entries.append(_Entry(path, 0, path.stat().st_size if path.exists() else 0))
                continue
            entries.append(_Entry(path, cached_at if magic == MAGIC else 0, size))
        return entries

    def _tag(self, purpose: bytes, value: str) -> str:
        return hmac.new(self._name_key, purpose + b"\0" + value.encode(), hashlib.sha256).hexdigest()[:32]

    def _account_dir(self, account_id: str) -> Path:
        return self._directory / self._tag(b"account", account_id)

    def _entry_path(self, account_id: str, message_id: str) -> Path:
        return self._account_dir(account_id) / (self._tag(b"message", f"{account_id}\0{message_id}") + ENTRY_SUFFIX)

    def _write_atomically(self, path: Path, sealed: bytes) -> None:
        partial = path.with_name(path.name + PARTIAL_SUFFIX)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                view = memoryview(sealed)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(partial, path)
            fsync_dir(path.parent)
        except OSError as error:
            _remove(partial)
            raise VoicemailCacheWriteFailed(self._directory, describe_os_error(error)) from error


def _associated_data(header: bytes, account_id: str, message_id: str) -> bytes:
    return header + account_id.encode() + b"\0" + message_id.encode()


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("cannot remove %s: %s", path, error)
