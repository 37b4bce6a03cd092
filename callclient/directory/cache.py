"""The directory's offline cache in the encrypted store (SQLCipher): one row per account and source holding
that source's contacts, and when they were fetched.

A source's contacts are used offline while younger than the TTL (`directory.cache_ttl_hours`); older rows are
dropped on load. The rows belong to the account (storage's ACCOUNT_TABLES), so signing out and
`--erase-all-data` remove them with the rest of the account's data; `clear` does it at once on sign-out.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from callclient.directory.model import Contact
from callclient.storage.store import LocalStore, StoreError

log = logging.getLogger(__name__)


class DirectoryCache:
    def __init__(self, store: LocalStore, account_id: str, ttl_s: Callable[[], float],
                 clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._account_id = account_id
        self._ttl_s = ttl_s
        self._clock = clock

    def save(self, source: str, contacts: list[Contact]) -> None:
        """Replaces what is cached for `source`. A store that cannot be written is logged: the cache is a
        convenience, the search still works online."""
        payload = json.dumps([c.to_json() for c in contacts], ensure_ascii=False, separators=(",", ":"))
        try:
            with self._store.write() as cursor:
                cursor.execute("INSERT OR REPLACE INTO directory_cache (account_id, source, contacts, fetched_at) "
                               "VALUES (?, ?, ?, ?)", (self._account_id, source, payload, self._clock()))
        except StoreError as error:
            log.warning("the directory cache for %s was not saved: %s", source, error)

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
        for source, payload in rows:
            try:
                cached[source] = [Contact.from_json(item) for item in json.loads(payload)]
            except (ValueError, KeyError, TypeError, AssertionError) as error:
                log.warning("the directory cache of %s is unreadable and was skipped: %s", source, error)
        return cached

    def remove(self, source: str) -> None:
        try:
            with self._store.write() as cursor:
                cursor.execute("DELETE FROM directory_cache WHERE account_id = ? AND source = ?",
                               (self._account_id, source))
        except StoreError as error:
            log.warning("the directory cache of %s could not be removed: %s", source, error)

    def clear(self) -> None:
        try:
            with self._store.write() as cursor:
                cursor.execute("DELETE FROM directory_cache WHERE account_id = ?", (self._account_id,))
        except StoreError as error:
            log.warning("the directory cache could not be cleared: %s", error)
