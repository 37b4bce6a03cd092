"""Presence (busy lamps, RFC 3856): the only subscriber set, for every account's favorites.

Each account's favorites are turned into SIP URIs in that account's domain; the union of all accounts'
URIs is handed to the engine in one request, because the engine replaces its whole watched set on each
request (so two requests, one per account, would leave only the second account's lamps). The set is
rebuilt when the accounts change or a favorite is added, removed or reordered.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

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
        self.watched: tuple[str, ...] = ()  # the URIs the engine subscribes to now

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
            wanted: list[str] = []
            first_account: str | None = None
            for account in self._accounts.accounts:
                uris = self._favorites.presence_uris(account.account_id, account.domain)
                if uris and first_account is None:
                    first_account = account.account_id
                wanted.extend(uri for uri in uris if uri not in wanted)
            if tuple(wanted) == self.watched:
                return
            self.watched = tuple(wanted)
            if wanted or first_account is None:
                self._engine.watch_presence(wanted, first_account).result(15)
            log.info("watching the presence of %d favorite(s)", len(wanted))


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
