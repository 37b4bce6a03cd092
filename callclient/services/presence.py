"""Presence (busy lamps, RFC 3856): the only subscriber set, for every account's favorites.

Each account's favorites are turned into SIP URIs in that account's domain and handed to the engine as
that account's watched set (the engine replaces only that account's set). The sets are rebuilt when the
accounts change or a favorite is added, removed or reordered.

A lamp is state, not news: its NOTIFY often arrives while Core is still starting, before any front end
follows the news, so the latest `PresenceChanged` per (account, URI) is kept by the news stream
(`lamp_key`) and handed to every new subscriber first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable
from typing import Any

from callclient.engine.events import PresenceChanged

from callclient.services.accounts import AccountsChanged
from callclient.services.threads import ANY_THREAD, CALLER, WORKER, runs_on
from callclient.storage.favorites import Favorite

log = logging.getLogger(__name__)


class Presence:
    def __init__(self, engine: Any, favorites: Any, accounts: Any) -> None:
        self._engine = engine
        self._favorites = favorites  # callclient.storage.favorites.Favorites
        self._accounts = accounts  # AccountsService
        self._lock = threading.Lock()
        self._watched_by_account: dict[str, tuple[str, ...]] = {}  # what the engine subscribes to now

    @property
    def watched(self) -> tuple[str, ...]:
        """Every URI some account watches now."""
        with self._lock:
            return tuple(dict.fromkeys(uri for uris in self._watched_by_account.values() for uri in uris))

    @runs_on(CALLER)
    def start(self) -> None:
        self.refresh()

    def stop(self) -> None:
        pass

    @runs_on(ANY_THREAD)
    def on_accounts_changed(self, _change: AccountsChanged) -> None:
        self.refresh()

    @runs_on(ANY_THREAD)
    def refresh(self) -> None:
        """Subscribes to every favorite of every account; drops subscriptions no favorite needs any more."""
        with self._lock:
            wanted = {
                account.account_id: tuple(self._favorites.presence_uris(account.account_id, account.domain))
                for account in self._accounts.accounts
            }
            changed = False
            for account_id, uris in wanted.items():
                if uris != self._watched_by_account.get(account_id, ()):
                    self._engine.watch_presence(uris, account_id).result(15)
                    changed = True
            # A removed account's subscriptions went with it in the engine.
            changed |= any(account_id not in wanted for account_id in self._watched_by_account)
            self._watched_by_account = {account_id: uris for account_id, uris in wanted.items() if uris}
            if changed:
                count = sum(len(uris) for uris in self._watched_by_account.values())
                log.info("watching the presence of %d favorite(s)", count)


@runs_on(ANY_THREAD)
def lamp_key(item: object) -> Hashable | None:
    """What the news stream keeps the latest of for late subscribers: one busy lamp per account and URI."""
    if isinstance(item, PresenceChanged):
        return ("presence", item.account_id, item.uri)
    return None


class FavoritesService:
    """The user's favorites per account (in the encrypted store); each change re-subscribes the lamps."""

    def __init__(self, favorites: Any, presence: Presence, allowed: Any) -> None:
        self._favorites = favorites
        self._presence = presence
        self._allowed = allowed  # () -> bool: policy.favorites_allowed in force

    @property
    def allowed(self) -> bool:
        return bool(self._allowed())

    @runs_on(WORKER)
    def list(self, account_id: str) -> list[Favorite]:
        return self._favorites.list(account_id)

    @runs_on(WORKER)
    def add(self, account_id: str, label: str, target: str) -> Favorite:
        if not self.allowed:
            raise PermissionError("your administrator does not allow favorites")
        favorite = self._favorites.add(account_id, label, target)
        self._presence.refresh()
        return favorite

    @runs_on(WORKER)
    def remove(self, favorite_id: int) -> None:
        self._favorites.remove(favorite_id)
        self._presence.refresh()

    @runs_on(WORKER)
    def reorder(self, account_id: str, ids: list[int]) -> None:
        self._favorites.reorder(account_id, ids)
