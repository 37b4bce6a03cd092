"""Preferences and small local state, as JSON values in the encrypted store.

Keys are app-wide unless given an account; an account's keys go when the account is erased.
"""

from __future__ import annotations

import json
from typing import Any

from callclient.storage.store import LocalStore

APP_WIDE = ""  # the account_id of keys that belong to no account


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

    def delete(self, key: str, *, account_id: str = APP_WIDE) -> None:
        with self._store.write() as cursor:
            cursor.execute("DELETE FROM preferences WHERE account_id = ? AND key = ?", (account_id, key))

    def all(self, *, account_id: str = APP_WIDE) -> dict[str, Any]:
        rows = self._store.read("SELECT key, value FROM preferences WHERE account_id = ?", (account_id,))
        return {key: json.loads(value) for key, value in rows}
