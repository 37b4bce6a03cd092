"""The directory's offline cache in the encrypted store (SQLCipher): one row per account and source holding
that source's contacts, and when they were fetched.

A source's contacts are used offline while younger than the TTL (`directory.cache_ttl_hours`); older rows are
dropped on load. The rows belong to the account (storage's ACCOUNT_TABLES), so signing out and
`--erase-all-data` remove them with the rest of the account's data; `clear` does it at once on sign-out.

A remote answer adds a few contacts to a source that may hold 20,000: rewriting the whole row each time
(JSON-encoding it holds the GIL for ~80 ms on this machine) stalled the GUI while the user typed
(bench/directory_search.py). So `add` writes the newcomers to a second, small row per source (the source's
name + ADDED_SUFFIX), folded into the main row once it grows past COMPACT_AT contacts.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable

from callclient.directory.model import Contact
from callclient.storage.store import LocalStore
from callclient.storage.store_errors import StoreError

log = logging.getLogger(__name__)

ADDED_SUFFIX = "\x1fadded"  # never in a source's name as the user sees it
COMPACT_AT = 500  # contacts in the added row before the source's row is rewritten whole


class DirectoryCache:
    def __init__(self, store: LocalStore, account_id: str, ttl_s: Callable[[], float],
                 clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._account_id = account_id
        self._ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()  # directory workers add concurrently
        self._added: dict[str, list[Contact]] = {}  # what each source's added row holds now

    def save(self, source: str, contacts: list[Contact]) -> None:
        """Replaces what is cached for `source`. A store that cannot be written is logged: the cache is a
        convenience, the search still works online."""
        with self._lock:
            self._write(source, contacts)
            if self._added.pop(source, None) is not None:
                self._delete(source + ADDED_SUFFIX)

    def add(self, source: str, added: list[Contact], everything: Callable[[], list[Contact]]) -> None:
        """Remembers `added` (new to `source`); `everything()` is all of the source's contacts now, written
        whole when the source is small or the added row has grown."""
        with self._lock:
            pending = [*self._added.get(source, ()), *added]
            if len(pending) <= COMPACT_AT and (source in self._added or self._has_row(source)):
                self._write(source + ADDED_SUFFIX, pending)
                self._added[source] = pending
                return
        self.save(source, everything())

    def _has_row(self, source: str) -> bool:
        try:
            return bool(self._store.read("SELECT 1 FROM directory_cache WHERE account_id = ? AND source = ?",
                                         (self._account_id, source)))
        except StoreError:
            return False

    def _write(self, source: str, contacts: list[Contact]) -> None:
        payload = json.dumps([c.to_json() for c in contacts], ensure_ascii=False, separators=(",", ":"))
        try:
            with self._store.write() as cursor:
                cursor.execute("INSERT OR REPLACE INTO directory_cache (account_id, source, contacts, fetched_at) "
                               "VALUES (?, ?, ?, ?)", (self._account_id, source, payload, self._clock()))
        except StoreError as error:
            log.warning("the directory cache for %s was not saved: %s", source, error)

    def _delete(self, source: str) -> None:
        try:
            with self._store.write() as cursor:
                cursor.execute("DELETE FROM directory_cache WHERE account_id = ? AND source = ?",
                               (self._account_id, source))
        except StoreError as error:
            log.warning("the directory cache of %s could not be removed: %s", source, error)

    def load(self) -> dict[str, list[Contact]]:
        """Every source's contacts still within the TTL; expired rows are deleted."""
        oldest = self._clock() - self._ttl_s()
        try:
            with self._store.write() as cursor:
                cursor.execute("DELETE FROM directory_cache WHERE account_id = ? AND fetched_at < ?",
                               (self._account_id, oldest))
            rows = self._store.read("SELECT source, contacts FROM directory_cache WHERE account_id = ?",
                                    (self._account_id,))
        except StoreError as error:
            log.warning("the directory cache could not be read: %s", error)
            return {}
        cached: dict[str, list[Contact]] = {}
        added: dict[str, list[Contact]] = {}
        for row_name, payload in rows:
            source, is_added = (row_name[:-len(ADDED_SUFFIX)], True) if row_name.endswith(ADDED_SUFFIX) \
                else (row_name, False)
            try:
                contacts = [Contact.from_json(item) for item in json.loads(payload)]
            except (ValueError, KeyError, TypeError, AssertionError) as error:
                log.warning("the directory cache of %s is unreadable and was skipped: %s", source, error)
                continue
            if is_added:
                added[source] = contacts
            cached.setdefault(source, []).extend(contacts)
        with self._lock:
            self._added = added
        return cached

    def remove(self, source: str) -> None:
        with self._lock:
            self._added.pop(source, None)
            self._delete(source)
            self._delete(source + ADDED_SUFFIX)

    def clear(self) -> None:
        with self._lock:
            self._added = {}
        try:
            with self._store.write() as cursor:
                cursor.execute("DELETE FROM directory_cache WHERE account_id = ?", (self._account_id,))
        except StoreError as error:
            log.warning("the directory cache could not be cleared: %s", error)
