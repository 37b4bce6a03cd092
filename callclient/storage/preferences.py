"""Preferences and small local state, as JSON values in the encrypted store.

Keys are app-wide unless given an account; an account's keys go when the account is erased.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from callclient.storage.store import LocalStore

APP_WIDE = ""  # the account_id of keys that belong to no account


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # in `merge`: remove this entry (what `merge` returns for an entry that was absent)


class Preferences:
    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def get(self, key: str, default: Any = None, *, account_id: str = APP_WIDE) -> Any:
        rows = self._store.read("SELECT value FROM preferences WHERE account_id = ? AND key = ?", (account_id, key))
        return json.loads(rows[0][0]) if rows else default

    def set(self, key: str, value: Any, *, account_id: str = APP_WIDE) -> None:
        encoded = json.dumps(value)  # raises TypeError for values that would not survive a round trip
        with self._store.write() as cursor:
            cursor.execute(
                "INSERT INTO preferences (account_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (account_id, key) DO UPDATE SET value = excluded.value",
                (account_id, key, encoded),
            )

    def update(self, key: str, change: Callable[[Any], Any], *, default: Any = None,
               account_id: str = APP_WIDE) -> Any:
        """Reads the value, applies `change` to it and saves the result as one transaction; returns the result.

        `get` then `set` lets a second writer (the config watcher, the tray, a settings page on another
        thread) slip in between, and its change is lost when the first one saves. Here the store's lock and
        an immediate transaction hold everyone else off from the read to the write. `change` must be quick
        and must not use the store itself."""
        with self._store.write() as cursor:
            rows = cursor.execute("SELECT value FROM preferences WHERE account_id = ? AND key = ?",
                                  (account_id, key)).fetchall()
            changed = change(json.loads(rows[0][0]) if rows else default)
            cursor.execute(
                "INSERT INTO preferences (account_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (account_id, key) DO UPDATE SET value = excluded.value",
                (account_id, key, json.dumps(changed)),
            )
        return changed

    def merge(self, key: str, entries: Mapping[str, Any], *, account_id: str = APP_WIDE) -> dict[str, Any]:
        """Sets `entries` inside the dict stored under `key` (UNSET removes one), atomically, keeping every
        other entry as it is now. Returns what those entries were before (UNSET where absent): merging it
        back undoes this change alone, without undoing anyone else's."""
        before: dict[str, Any] = {}

        def apply(current: Any) -> dict[str, Any]:
            merged = dict(current) if isinstance(current, dict) else {}
            before.clear()
            for name, value in entries.items():
                before[name] = merged.get(name, UNSET)
                if value is UNSET:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            return merged

        self.update(key, apply, default={}, account_id=account_id)
        return before

    def delete(self, key: str, *, account_id: str = APP_WIDE) -> None:
        with self._store.write() as cursor:
            cursor.execute("DELETE FROM preferences WHERE account_id = ? AND key = ?", (account_id, key))

    def all(self, *, account_id: str = APP_WIDE) -> dict[str, Any]:
        rows = self._store.read("SELECT key, value FROM preferences WHERE account_id = ?", (account_id,))
        return {key: json.loads(value) for key, value in rows}
