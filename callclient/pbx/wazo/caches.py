"""What the service remembers between requests: the last views fetched (shown while offline), the voicemail
folder ids, the last MWI counts, and the offline copies of recordings.

Thread-safe: the PBX worker thread and the update thread both read and write these.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from callclient.pbx.service import HistoryPage, RecordingCache, VoicemailCounts, VoicemailFolder, VoicemailMessage

log = logging.getLogger(__name__)


class CachedViews:
    """The last history page and voicemail list fetched, kept in memory for offline views."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._history: HistoryPage | None = None
        self._voicemail: tuple[VoicemailMessage, ...] | None = None
        self._folder_ids: dict[VoicemailFolder, int] = {}
        self._mwi: VoicemailCounts | None = None

    def clear(self) -> None:
        with self._lock:
            self._history, self._voicemail = None, None

    @property
    def history(self) -> HistoryPage | None:
        with self._lock:
            return self._history

    def keep_history(self, page: HistoryPage) -> None:
        with self._lock:
            self._history = page

    @property
    def voicemail(self) -> tuple[VoicemailMessage, ...] | None:
        with self._lock:
            return self._voicemail

    def keep_voicemail(self, messages: tuple[VoicemailMessage, ...]) -> None:
        with self._lock:
            self._voicemail = messages

    def message_moved(self, message_id: str, folder: VoicemailFolder) -> None:
        with self._lock:
            if self._voicemail is not None:
                self._voicemail = tuple(replace(m, folder=folder) if m.id == message_id else m
                                        for m in self._voicemail)

    def message_deleted(self, message_id: str) -> None:
        with self._lock:
            if self._voicemail is not None:
                self._voicemail = tuple(m for m in self._voicemail if m.id != message_id)

    def folder_id(self, folder: VoicemailFolder) -> int | None:
        with self._lock:
            return self._folder_ids.get(folder)

    def keep_folder_ids(self, ids: dict[VoicemailFolder, int]) -> None:
        with self._lock:
            self._folder_ids = dict(ids)

    def learn_folder_id(self, folder: VoicemailFolder, folder_id: int) -> None:
        with self._lock:
            self._folder_ids.setdefault(folder, folder_id)

    def mwi_changed(self, counts: VoicemailCounts) -> bool:
        """Keeps the counts; whether they differ from the last ones."""
        with self._lock:
            changed, self._mwi = counts != self._mwi, counts
        return changed


class OfflineRecordings:
    """One account's voicemail audio in the app's recording cache (encrypted on disk by storage), or nowhere
    when the app gives no cache."""

    def __init__(self, cache: RecordingCache | None, account_id: str) -> None:
        self._cache = cache
        self._account_id = account_id

    def get(self, message_id: str) -> bytes | None:
        return self._cache.get(self._account_id, message_id) if self._cache is not None else None

    def put(self, message_id: str, audio: bytes) -> None:
        if self._cache is None:
            return
        try:
            self._cache.put(self._account_id, message_id, audio)
        except Exception as error:  # the audio is in hand: a cache failure only costs a later download
            log.warning("Could not cache voicemail %s: %s", message_id, error)

    def played(self, message_id: str) -> None:
        """Heard to the end: the cache's policy decides (after-playback deletes the copy now)."""
        if self._cache is not None:
            self._cache.played(self._account_id, message_id)

    def remove(self, message_id: str) -> None:
        """The message is gone from the PBX: so is its copy, whatever the policy."""
        if self._cache is not None:
            self._cache.remove(self._account_id, message_id)
