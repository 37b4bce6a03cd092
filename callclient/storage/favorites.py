"""Favorites: labelled extensions, numbers or SIP URIs per account, in the user's order, in the encrypted store.

The engine subscribes to the presence of every favorite; `presence_uris` gives it the plain URIs to watch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from callclient.storage.store import LocalStore

# What people type between digits of a phone number; dropped before dialing or subscribing.
_VISUAL_SEPARATORS = re.compile(r"[\s\-().]")
_DIALABLE = re.compile(r"^\+?[0-9*#]+$")
_USER_AT_HOST = re.compile(r"^[^@\s:]+@[^@\s]+$")


class InvalidFavorite(ValueError):
    pass


class FavoriteNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Favorite:
    id: int
    account_id: str
    label: str
    target: str  # as the user entered it: an extension, a phone number or a SIP URI
    position: int

    def sip_uri(self, domain: str) -> str | None:
        """The SIP URI to call or watch on `domain`; None for targets that have no SIP presence (tel:)."""
        target = self.target.strip()
        lowered = target.lower()
        if lowered.startswith(("sip:", "sips:")):
            return target
        if lowered.startswith("tel:"):
            return None
        if _USER_AT_HOST.match(target):
            return f"sip:{target}"
        return f"sip:{_VISUAL_SEPARATORS.sub('', target)}@{domain}"


def _check_label(label: str) -> str:
    label = label.strip()
    if not label:
        raise InvalidFavorite("a favorite needs a name")
    return label


def _check_target(target: str) -> str:
    target = target.strip()
    lowered = target.lower()
    if lowered.startswith(("sip:", "sips:", "tel:")):
        if len(target.split(":", 1)[1]) == 0:
            raise InvalidFavorite(f"'{target}' has no address after the scheme")
        return target
    if _USER_AT_HOST.match(target) or _DIALABLE.match(_VISUAL_SEPARATORS.sub("", target)):
        return target
    raise InvalidFavorite(f"'{target}' is not an extension, a phone number or a SIP address")


class Favorites:
    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def list(self, account_id: str) -> list[Favorite]:
        rows = self._store.read(
            "SELECT id, account_id, label, target, position FROM favorites WHERE account_id = ? ORDER BY position, id",
            (account_id,),
        )
        return [Favorite(*row) for row in rows]

    def add(self, account_id: str, label: str, target: str) -> Favorite:
        """Adds at the end of the account's list."""
        label, target = _check_label(label), _check_target(target)
        with self._store.write() as cursor:
            (position,) = cursor.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM favorites WHERE account_id = ?", (account_id,)
            ).fetchone()
            cursor.execute(
                "INSERT INTO favorites (account_id, label, target, position) VALUES (?, ?, ?, ?)",
                (account_id, label, target, position),
            )
            favorite_id = cursor.lastrowid
        return Favorite(favorite_id, account_id, label, target, position)

    def rename(self, favorite_id: int, label: str) -> None:
        self._update(favorite_id, "label", _check_label(label))

    def change_target(self, favorite_id: int, target: str) -> None:
        self._update(favorite_id, "target", _check_target(target))

    def remove(self, favorite_id: int) -> None:
        with self._store.write() as cursor:
            cursor.execute("DELETE FROM favorites WHERE id = ?", (favorite_id,))
            if cursor.rowcount == 0:
                raise FavoriteNotFound(f"there is no favorite {favorite_id}")

    def reorder(self, account_id: str, favorite_ids: Sequence[int]) -> None:
        """Puts the account's favorites in exactly this order; every one of them must be listed once."""
        current = {favorite.id for favorite in self.list(account_id)}
        if sorted(favorite_ids) != sorted(current):
            raise InvalidFavorite("the new order must list each of the account's favorites exactly once")
        with self._store.write() as cursor:
            cursor.executemany(
                "UPDATE favorites SET position = ? WHERE id = ?",
                [(position, favorite_id) for position, favorite_id in enumerate(favorite_ids)],
            )

    def move(self, favorite_id: int, new_index: int) -> None:
        favorite = self._get(favorite_id)
        order = [f.id for f in self.list(favorite.account_id) if f.id != favorite_id]
        order.insert(max(0, min(new_index, len(order))), favorite_id)
        self.reorder(favorite.account_id, order)

    def presence_uris(self, account_id: str, domain: str) -> list[str]:
        """The distinct SIP URIs of the account's favorites, in list order, for presence subscriptions."""
        uris: list[str] = []
        for favorite in self.list(account_id):
            uri = favorite.sip_uri(domain)
            if uri is not None and uri not in uris:
                uris.append(uri)
        return uris

    def _get(self, favorite_id: int) -> Favorite:
        rows = self._store.read(
            "SELECT id, account_id, label, target, position FROM favorites WHERE id = ?", (favorite_id,)
        )
        if not rows:
            raise FavoriteNotFound(f"there is no favorite {favorite_id}")
        return Favorite(*rows[0])

    def _update(self, favorite_id: int, column: str, value: str) -> None:
        with self._store.write() as cursor:
            cursor.execute(f"UPDATE favorites SET {column} = ? WHERE id = ?", (value, favorite_id))
            if cursor.rowcount == 0:
                raise FavoriteNotFound(f"there is no favorite {favorite_id}")
