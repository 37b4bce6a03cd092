"""Presence (busy lamps): the only owner of every account's lamps, from SIP presence or from the PBX.

SIP-only accounts: each account's favorites are turned into SIP URIs in that account's domain and handed to
the engine as that account's watched set (RFC 3856 SUBSCRIBE; the engine replaces only that account's set).

Accounts on a PBX with its own presence (Wazo chatd: the signed-in "pbx" account, and the demo's): Wazo does
not serve PIDF for colleagues' lines, so no SIP subscriptions are made; each favorite's number is named by the
PBX's directory (dird reverse -> user uuid), the presences are fetched (`GET /users/presences`) and then
follow `chatd_presence_updated` events. After the websocket was lost, or comes up, they are fetched again.
Colleagues shown in the Contacts search results (the PBX's users, named by their user uuid) are followed the
same way while they are on screen (`follow_search_results`): the view hands over the rows it shows, each new
set replaces the last, so what is followed stays bounded by the rows on screen. A colleague who is both a
favorite and a search result has one lamp: the same URI, the same event.

Both end as `PresenceChanged(uri, state, note, account_id)` on the news stream, so the windows have one
source of lamp events. A lamp is state, not news: its NOTIFY often arrives while Core is still starting,
before any front end follows the news, so the latest `PresenceChanged` per (account, URI) is kept by the news
stream (`lamp_key`) and handed to every new subscriber first.

Threads: the SIP sets are rebuilt on whichever thread reports the change; PBX requests run on this service's
own "presence" worker; PBX events arrive on the PBX update thread and only look up and publish.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from callclient.engine.events import PresenceChanged, PresenceState
from callclient.pbx.presence import (
    LineState,
    PbxPresence,
    PresencesStale,
    PresenceUpdated,
    UserState,
)
from callclient.pbx.errors import PbxNotFound
from callclient.pbx.service import ServiceState, StateChanged, UpdateMode, UpdateModeChanged
from callclient.services.my_status import MyStatusChanged
from callclient.services.accounts import DEMO_ACCOUNT_ID, PBX_ACCOUNT_ID, AccountsChanged
from callclient.services.threads import ANY_THREAD, CALLER, PBX_UPDATES, WORKER, runs_on
from callclient.storage.favorites import Favorite

log = logging.getLogger(__name__)

# The accounts whose line is the PBX's own (signed in through its API, or the demo's): their lamps come from
# the PBX when it offers presence.
PBX_ACCOUNTS = (PBX_ACCOUNT_ID, DEMO_ACCOUNT_ID)
POLL_S = 30.0  # how often PBX lamps are fetched while the websocket is down (the PBX pushes nothing then)
MAX_FOLLOWED = 500  # search-result colleagues followed at once: directory.max_results' ceiling


def lamp_state(presence: PbxPresence) -> PresenceState:
    """A chatd presence as one lamp: what the line does first (it is what a caller meets), then what the
    user said about themselves."""
    line = presence.line_state
    if line is LineState.RINGING:
        return PresenceState.RINGING
    if line in (LineState.TALKING, LineState.PROGRESSING):
        return PresenceState.BUSY
    if line is LineState.HOLDING:
        return PresenceState.ON_HOLD
    if line is LineState.UNAVAILABLE or presence.state is UserState.INVISIBLE:
        return PresenceState.OFFLINE
    if presence.dnd or presence.state is UserState.UNAVAILABLE:
        return PresenceState.DND
    if presence.state is UserState.AWAY:
        return PresenceState.AWAY
    return PresenceState.AVAILABLE


def _number_of(uri: str) -> str:
    """The user part of a favorite's SIP URI: the number the PBX's directory knows."""
    user = uri.split(":", 1)[-1]
    return user.split("@", 1)[0]


class Presence:
    def __init__(self, engine: Any, favorites: Any, accounts: Any, pbx: Any = None,
                 publish: Callable[[object], None] | None = None, calls: Any = None,
                 pickup_prefix: Callable[[], str] = lambda: "*8") -> None:
        self._engine = engine
        self._favorites = favorites  # callclient.storage.favorites.Favorites
        self._accounts = accounts  # AccountsService
        self._pbx = pbx  # PbxEvents: the PBX in use
        self._publish = publish or (lambda _item: None)  # the news stream
        self._calls = calls  # CallActions: pickup is a call
        self._pickup_prefix = pickup_prefix  # dialplan.pickup_prefix in force
        self._lock = threading.Lock()
        self._watched_by_account: dict[str, tuple[str, ...]] = {}  # what the engine subscribes to now
        # PBX lamps: which (account, URI) lamps each PBX user lights, and what each shows now.
        self._pbx_uris: dict[str, tuple[str, ...]] = {}  # account -> favorite URIs on the PBX
        self._lamps_of_user: dict[str, list[tuple[str, str]]] = {}  # favorites' and search results' together
        self._favorite_lamps: dict[str, list[tuple[str, str]]] = {}
        self._search_lamps: dict[str, list[tuple[str, str]]] = {}  # the colleagues on screen in Contacts
        self._search_unfetched: set[str] = set()  # followed, presence not fetched yet
        self._shown: dict[tuple[str, str], tuple[PresenceState, str]] = {}
        self._user_of_number: dict[str, str] = {}  # "" when the directory names no PBX user
        self._unknown_logged: set[str] = set()
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="presence")
        self._fetch_pending = threading.Event()
        self._polling = threading.Event()  # set while the PBX's websocket is down
        self._stopped = threading.Event()

    @property
    def watched(self) -> tuple[str, ...]:
        """Every URI some account watches now by SIP presence."""
        with self._lock:
            return tuple(dict.fromkeys(uri for uris in self._watched_by_account.values() for uri in uris))

    @runs_on(CALLER)
    def start(self) -> None:
        self.refresh()

    def stop(self) -> None:
        self._stopped.set()
        self._worker.shutdown(wait=False, cancel_futures=True)

    @runs_on(ANY_THREAD)
    def on_accounts_changed(self, _change: AccountsChanged) -> None:
        self.refresh()

    def _pbx_presence(self) -> Any:
        """The PBX's presence API (WazoPresence), or None when the PBX in use has none."""
        service = self._pbx.service if self._pbx is not None else None
        return getattr(service, "presence", None)

    @runs_on(ANY_THREAD)
    def refresh(self) -> None:
        """Subscribes to every favorite of every SIP account; drops subscriptions no favorite needs any more;
        fetches the PBX accounts' lamps from the PBX."""
        on_pbx = self._pbx_presence() is not None
        with self._lock:
            wanted: dict[str, tuple[str, ...]] = {}
            pbx_uris: dict[str, tuple[str, ...]] = {}
            for account in self._accounts.accounts:
                uris = tuple(self._favorites.presence_uris(account.account_id, account.domain))
                if on_pbx and account.account_id in PBX_ACCOUNTS:
                    pbx_uris[account.account_id] = uris
                    uris = ()  # the PBX's presence lights these: no SIP subscription Wazo would not answer
                wanted[account.account_id] = uris
            changed = False
            for account_id, uris in wanted.items():
                if uris != self._watched_by_account.get(account_id, ()):
                    self._engine.watch_presence(uris, account_id).result(15)
                    changed = True
            # A removed account's subscriptions went with it in the engine.
            changed |= any(account_id not in wanted for account_id in self._watched_by_account)
            self._watched_by_account = {account_id: uris for account_id, uris in wanted.items() if uris}
            self._pbx_uris = pbx_uris
            if changed:
                count = sum(len(uris) for uris in self._watched_by_account.values())
                log.info("watching the SIP presence of %d favorite(s)", count)
        if pbx_uris:
            self.fetch_from_pbx()

    # ------------------------------------------------------------------ PBX presence

    @runs_on(ANY_THREAD)
    def fetch_from_pbx(self) -> None:
        """Fetches every PBX lamp again, on the presence worker (requests made while one waits merge)."""
        if self._fetch_pending.is_set():
            return
        self._fetch_pending.set()
        try:
            self._worker.submit(self._fetch)
        except RuntimeError:  # stopped
            self._fetch_pending.clear()

    @runs_on(WORKER)
    def _fetch(self) -> None:
        self._fetch_pending.clear()
        api = self._pbx_presence()
        if api is None:
            return
        try:
            with self._lock:
                pbx_uris = dict(self._pbx_uris)
            lamps: dict[str, list[tuple[str, str]]] = {}
            service = self._pbx.service
            for account_id, uris in pbx_uris.items():
                for uri in uris:
                    number = _number_of(uri)
                    user = self._user_of_number.get(number)
                    if user is None:
                        try:
                            entry = service.directory_reverse(number)
                        except PbxNotFound:  # a number the directory cannot look up: no lamp, no retry
                            entry = None
                        user = entry.user_uuid if entry is not None else ""
                        self._user_of_number[number] = user
                    if user:
                        lamps.setdefault(user, []).append((account_id, uri))
            with self._lock:
                self._favorite_lamps = lamps
                self._merge_lamps()
                users = list(self._lamps_of_user)
                self._search_unfetched.clear()  # this fetch covers the search results' colleagues too
            presences = api.presences(users) if users else ()
        except Exception as error:  # offline, signed out, refused: lamps stay as they are; the next event retries
            log.info("busy lamps could not be fetched from the PBX: %s", error)
            return
        log.info("busy lamps of %d favorite(s) and %d search result(s) from the PBX",
                 sum(len(v) for v in lamps.values()), len(set(users) - lamps.keys()))
        for presence in presences:
            self._show(presence, again=True)

    def _merge_lamps(self) -> None:
        """Favorites' and search results' lamps as one map; a lamp nobody shows any more is forgotten, so it
        is published again when it comes back. Called with the lock held."""
        merged: dict[str, list[tuple[str, str]]] = {user: list(lamps) for user, lamps in self._favorite_lamps.items()}
        for user, lamps in self._search_lamps.items():
            mine = merged.setdefault(user, [])
            mine.extend(lamp for lamp in lamps if lamp not in mine)
        self._lamps_of_user = merged
        lit = {lamp for lamps in merged.values() for lamp in lamps}
        self._shown = {lamp: shown for lamp, shown in self._shown.items() if lamp in lit}

    # ------------------------------------------------------------------ colleagues in the search results

    @property
    def search_users_followed(self) -> tuple[str, ...]:
        """The user uuids followed for the Contacts search results now."""
        with self._lock:
            return tuple(self._search_lamps)

    @runs_on(ANY_THREAD)
    def follow_search_results(self, account_id: str, extension_of_user: Mapping[str, str]) -> dict[str, str]:
        """The PBX users now shown in the Contacts search results (user uuid -> extension) replace the ones
        followed before; an empty mapping stops following. Returns each followed user's lamp URI (what
        `PresenceChanged` names: the URI a favorite with that extension has). Their presences are fetched on
        the presence worker and then follow the PBX's events. Only accounts on a PBX with presence: {}
        otherwise (SIP presence is for favorites)."""
        domain = None
        if self._pbx_presence() is not None and account_id in PBX_ACCOUNTS:
            domain = next((a.domain for a in self._accounts.accounts if a.account_id == account_id), None)
        uris: dict[str, str] = {}
        if domain is not None:
            for user, extension in list(extension_of_user.items())[:MAX_FOLLOWED]:
                uri = Favorite(0, account_id, "", extension, 0).sip_uri(domain) if user and extension else None
                if uri is not None:
                    uris[user] = uri
        wanted = {user: [(account_id, uri)] for user, uri in uris.items()}
        with self._lock:
            if wanted == self._search_lamps:
                return uris
            new = [user for user in wanted if wanted[user] != self._search_lamps.get(user)]
            self._search_lamps = wanted
            self._search_unfetched = {u for u in self._search_unfetched if u in wanted} | set(new)
            self._merge_lamps()
            fetch = bool(new)
        if fetch:
            try:
                self._worker.submit(self._fetch_followed)
            except RuntimeError:  # stopped
                pass
        return uris

    @runs_on(WORKER)
    def _fetch_followed(self) -> None:
        """The presences of search-result colleagues not fetched yet (a burst of keystrokes merges here)."""
        api = self._pbx_presence()
        with self._lock:
            users = [u for u in self._search_unfetched if u in self._search_lamps]
            self._search_unfetched.clear()
        if api is None or not users:
            return
        try:
            presences = api.presences(users)
        except Exception as error:  # offline, refused: the lamps stay unknown; the next full fetch retries
            log.info("busy lamps of search results could not be fetched from the PBX: %s", error)
            return
        for presence in presences:
            self._show(presence, again=True)

    def _show(self, presence: PbxPresence, again: bool = False) -> None:
        """Publishes the lamps of this user that changed (`again`: all of them, after a full fetch)."""
        state, note = lamp_state(presence), presence.status
        with self._lock:
            lamps = list(self._lamps_of_user.get(presence.user_uuid, ()))
            fresh = [lamp for lamp in lamps if again or self._shown.get(lamp) != (state, note)]
            for lamp in fresh:
                self._shown[lamp] = (state, note)
        for account_id, uri in fresh:
            self._publish(PresenceChanged(uri, state, note, account_id))

    @runs_on(PBX_UPDATES)
    def on_pbx_event(self, event: object) -> None:
        if isinstance(event, PresenceUpdated):
            user = event.presence.user_uuid
            with self._lock:
                known = user in self._lamps_of_user
            if known:
                self._show(event.presence)
            elif user not in self._unknown_logged and len(self._unknown_logged) < 1000:
                # Colleagues who are not favorites are news too; a presence for a user no directory names
                # is the PBX's business. One line each, so a flood does not fill the log.
                self._unknown_logged.add(user)
                log.info("presence for user %s ignored: not among the favorites' or search results' lamps", user)
        elif isinstance(event, PresencesStale):
            self.fetch_from_pbx()
        elif isinstance(event, UpdateModeChanged):
            if event.mode is UpdateMode.WEBSOCKET:
                self._polling.clear()
                self.fetch_from_pbx()  # the first time after sign-in or resume, and after every fallback
            elif event.mode is UpdateMode.POLLING and not self._polling.is_set():
                # No pushes without the websocket: the lamps are fetched every POLL_S until it is back.
                self._polling.set()
                threading.Thread(target=self._poll, name="presence-poll", daemon=True).start()
        elif isinstance(event, StateChanged) and event.state is ServiceState.SIGNED_OUT:
            with self._lock:
                self._user_of_number.clear()

    def _poll(self) -> None:
        while self._polling.is_set() and not self._stopped.wait(POLL_S):
            if self._polling.is_set():
                self.fetch_from_pbx()

    @runs_on(ANY_THREAD)
    def pickup(self, account_id: str, uri: str) -> Any:
        """Picks up the call ringing for the colleague at `uri` (their lamp shows ringing): dials the pickup
        feature code before their number, as a SIP address of their domain so no dial-plan rule (an
        outside-line prefix for a long code) rewrites it. Returns the call's Future; ValueError without a
        configured code."""
        prefix = str(self._pickup_prefix() or "")
        if not prefix:
            raise ValueError("no pickup code is set up (dialplan.pickup_prefix)")
        number = _number_of(uri)
        domain = uri.split("@", 1)[1] if "@" in uri else ""
        target = f"sip:{prefix}{number}@{domain}" if domain else f"{prefix}{number}"
        log.info("picking up %s's call with %s", number, prefix)
        return self._calls.place_call(target, account_id or None)

    @runs_on(ANY_THREAD)
    def lamp(self, account_id: str, uri: str) -> PresenceState | None:
        """What the PBX lamp of this favorite or search result shows now (None: not a PBX lamp, or not known
        yet)."""
        with self._lock:
            shown = self._shown.get((account_id, uri))
        return shown[0] if shown else None


@runs_on(ANY_THREAD)
def lamp_key(item: object) -> Hashable | None:
    """What the news stream keeps the latest of for late subscribers: one busy lamp per account and URI."""
    if isinstance(item, PresenceChanged):
        return ("presence", item.account_id, item.uri)
    if isinstance(item, MyStatusChanged):
        return ("my-status",)  # the user's own lamp: state too
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
