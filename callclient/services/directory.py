"""The directory: contacts search across sources, caller names, the offline cache — composed here.

`DirectoryService` is what the windows, the CLI and Core hold. It owns the remote sources in force (they
change with the settings: PBX directory on or off, an LDAP server added, an address book allowed), the
worker threads remote lookups run on, the directory's passwords and the reactions to settings and PBX
news; it hands each job to the module that owns it:

    search            who matches what I typed, streamed as sources answer     (directory_search.py)
    caller ID         who is this number: local at once, remote when it comes  (caller_id.py)
    offline copy      what remote sources told us, and the index on it         (directory_contacts.py)
    personal contacts the user's contacts kept on the PBX                      (personal_contacts.py)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from callclient.directory.cache import DirectoryCache
from callclient.directory.model import Contact, PhoneNumber, Source, SourceFailed, SourceKind
from callclient.directory.numbers import NumberKeys
from callclient.pbx.service import ImportResult, PbxEvent, PersonalContactFields, ServiceState, StateChanged
from callclient.services.caller_id import CallerId, CallerIdLookup
from callclient.services.dialplan import DialPlan
from callclient.services.directory_contacts import CachedContacts, listed_only
from callclient.services.directory_search import ContactSearch, SearchUpdate
from callclient.services.personal_contacts import PersonalContacts
from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, CALLER, PBX_UPDATES, WORKER, runs_on

log = logging.getLogger(__name__)

# The values the windows read, from this service module (ui/ never imports callclient.directory or .pbx).
__all__ = ["Contact", "DirectoryService", "ImportResult", "PersonalContactFields", "PhoneNumber", "SourceKind",
           "PASSWORD_KINDS"]

# The directory's passwords, kept in the keychain under the account "directory" (callclient/storage/keychain.py).
PASSWORD_KINDS = ("ldap-bind-password", "carddav-password")

DIRECTORY_WORKERS = 2  # the two cores are shared with the engine and audio: remote lookups are I/O bound anyway


class DirectoryService:
    """`local_sources` answer at once (favorites, history); `remote_sources()` gives the remote ones in force
    (they change with the settings: PBX directory on or off, an LDAP server added)."""

    def __init__(self, settings: Any, local_sources: Sequence[Source],
                 remote_sources: Callable[[Any], list[Source]], cache: DirectoryCache | None,
                 pbx: Callable[[], Any] = lambda: None, keychain: Any = None) -> None:
        self._settings = settings
        self._keychain = keychain  # for the LDAP and CardDAV passwords the Settings window saves
        self._make_remote = remote_sources
        self._lock = threading.Lock()
        self._remote: list[Source] = remote_sources(self._config())
        self._workers: ThreadPoolExecutor | None = None
        self._contacts = CachedContacts(cache, NumberKeys(DialPlan.from_config(self._config().dialplan)))
        self._search = ContactSearch(self._contacts, local_sources, self._asked, lambda: self._workers,
                                     self._config)
        self._caller_ids = CallerIdLookup(self._contacts, local_sources, self._asked, lambda: self._workers)
        self._personal = PersonalContacts(self._contacts, pbx)  # pbx: the PbxService in use
        self.loaded = self._contacts.loaded  # set once the offline cache is in the index (or could not be read)
        self.problems: tuple[str, ...] = ()  # what the last refresh could not read, for the settings page

    def _config(self) -> Any:
        return self._settings.config.config

    @property
    def keys(self) -> NumberKeys:
        return self._contacts.keys

    # ---------------------------------------------------------------- life

    @runs_on(CALLER)
    def start(self) -> None:
        self._workers = ThreadPoolExecutor(DIRECTORY_WORKERS, thread_name_prefix="directory")
        # Decrypting and indexing 20,000 contacts takes seconds on a slow machine (bench/directory_search.py):
        # on a worker, so Core's start never waits for it. Until then searches and caller ID use the local
        # sources; `loaded` says when the cache is in.
        self._workers.submit(self._load_cache)

    @runs_on(WORKER)
    def _load_cache(self) -> None:
        self._contacts.load()
        if any(listed_only(s) for s in self._remote):
            self.refresh()  # the address book, re-read at every start (cards change outside the app)

    @runs_on(CALLER)
    def stop(self) -> None:
        self._search.cancel()
        with self._lock:
            workers, self._workers = self._workers, None
        if workers is not None:
            workers.shutdown(wait=False, cancel_futures=True)

    @runs_on(WORKER)
    def refresh(self) -> list[str]:
        """Lists every remote source that can list (personal contacts) into the cache; returns the problems."""
        problems = []
        replaced = False
        for source in list(self._remote):
            try:
                contacts = source.list()
            except SourceFailed as error:
                problems.append(str(error))
                continue
            except Exception as error:
                log.exception("directory source %s failed to list", source.name)
                problems.append(f"{source.name}: {error}")
                continue
            problems.extend(getattr(source, "problems", ()))
            if listed_only(source) or contacts:
                # A listing is the whole of what it lists (the address book, the personal contacts): it
                # replaces the cached copy, so cards and contacts deleted there go here too.
                buckets: dict[str, list[Contact]] = {source.name: []} if listed_only(source) else {}
                for contact in contacts:
                    buckets.setdefault(contact.source or source.name, []).append(contact)
                for bucket, listed in buckets.items():
                    self._contacts.replace(bucket, listed)
                replaced = True
        if replaced:
            self._contacts.rebuild_index()
        else:
            self._contacts.index_fresh()
        with self._lock:
            self.problems = tuple(problems)
        return problems

    def _refresh_soon(self) -> None:
        """`refresh` on a directory worker; nothing once the directory has stopped."""
        workers = self._workers
        if workers is not None:
            try:
                workers.submit(self.refresh)
            except RuntimeError:
                pass  # shutting down

    def _asked(self) -> list[Source]:
        """The remote sources asked per search or caller ID (address books are answered by the index)."""
        return [s for s in self._remote if not listed_only(s)]

    # ---------------------------------------------------------------- search

    @runs_on(ANY_THREAD)
    def search(self, term: str, on_update: Callable[[SearchUpdate], None]) -> int:
        """Starts a search and returns its generation. `on_update` is called at once on this thread with the
        local results, then from a directory worker thread each time a remote source answers (cross to your
        own thread there). A newer `search` supersedes this one: no more updates come for it."""
        return self._search.start(term, on_update, supersede=True)

    @runs_on(WORKER)
    def search_now(self, term: str, timeout_s: float = 10.0) -> SearchUpdate:
        """A search that waits for every source (or the timeout): for the CLI and the control socket."""
        return self._search.search_now(term, timeout_s)

    # ---------------------------------------------------------------- caller ID

    @runs_on(ANY_THREAD)
    def caller_id(self, number: str) -> CallerId | None:
        """The best name known locally for `number` (cache, favorites, history), without any network: safe to
        call as a call comes in."""
        return self._caller_ids.caller_id(number)

    @runs_on(ANY_THREAD)
    def identify(self, number: str, on_found: Callable[[CallerId], None],
                 on_unanswered: Callable[[str], None] | None = None) -> CallerId | None:
        """The local name now, better ones later on a directory worker (caller_id.CallerIds.identify)."""
        return self._caller_ids.identify(number, on_found, on_unanswered)

    @runs_on(WORKER)
    def whois(self, number: str) -> CallerId | None:
        """Local and remote sources, waited for: for the CLI and the control socket."""
        return self._caller_ids.whois(number)

    @runs_on(ANY_THREAD)
    def names_for(self, numbers: Sequence[str]) -> dict[str, CallerId]:
        """The best local name for each number (history and voicemail rows), without any network."""
        return self._caller_ids.names_for(numbers)

    # ---------------------------------------------------------------- personal contacts on the PBX

    @runs_on(WORKER)
    def add_personal_contact(self, fields: PersonalContactFields) -> Contact:
        """"Add to contacts" (from history, voicemail or a number typed): kept on the PBX, cached here."""
        return self._personal.add(fields)

    @runs_on(WORKER)
    def edit_personal_contact(self, entry_id: str, fields: PersonalContactFields) -> Contact:
        return self._personal.edit(entry_id, fields)

    @runs_on(WORKER)
    def delete_personal_contact(self, entry_id: str) -> None:
        self._personal.delete(entry_id)

    @runs_on(WORKER)
    def import_personal_contacts(self, csv_text: str) -> ImportResult:
        return self._personal.import_csv(csv_text)

    # ---------------------------------------------------------------- passwords

    @property
    def can_store_passwords(self) -> bool:
        return self._keychain is not None

    @runs_on(WORKER)
    def save_password(self, kind: str, password: str) -> None:
        """The LDAP bind or CardDAV password (`PASSWORD_KINDS`) into the keychain; "" removes it. Never on
        disk or in the settings: the sources read it from the keychain when they connect."""
        from callclient.storage.keychain import SecretKind

        if kind not in PASSWORD_KINDS:
            raise ValueError(f"unknown directory password {kind!r}")
        if self._keychain is None:
            raise RuntimeError("no keychain is available to keep the password")
        secret = SecretKind(kind)
        if password:
            self._keychain.set("directory", secret, password)
        else:
            self._keychain.delete("directory", secret)

    @runs_on(ANY_THREAD)
    def has_password(self, kind: str) -> bool:
        from callclient.storage.keychain import SecretKind

        return self._keychain is not None and bool(self._keychain.get("directory", SecretKind(kind)))

    # ---------------------------------------------------------------- the control socket's verbs

    @runs_on(WORKER)
    def lookup_verb(self, term: str) -> dict[str, Any]:
        """`callclient lookup TERM` (control verb "lookup"): {"term", "results": [...], "complete", "problems"}.
        ValueError (the control server's "bad request") for an empty term."""
        term = term.strip()
        if not term:
            raise ValueError("lookup needs a name or number to look for")
        return self.search_now(term).to_json()

    @runs_on(WORKER)
    def whois_verb(self, number: str) -> dict[str, Any]:
        """`callclient whois NUMBER` (control verb "whois"): {"number", "found", and when found "name", "kind",
        "source", "company", "title", "other_numbers"}."""
        number = number.strip()
        if not number:
            raise ValueError("whois needs a number")
        found = self.whois(number)
        if found is None:
            return {"number": number, "found": False}
        return {"found": True, **found.to_json()}

    # ---------------------------------------------------------------- the offline copy

    @property
    def cached_count(self) -> int:
        return len(self._contacts)

    @runs_on(ANY_THREAD)
    def forget(self) -> None:
        """Drops every cached contact, in memory and in the store (sign-out)."""
        self._contacts.forget()

    # ---------------------------------------------------------------- news it follows

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("dialplan."):
            self._contacts.use_keys(NumberKeys(DialPlan.from_config(change.config.config.dialplan)))
        if change.touches("directory."):
            remote = self._make_remote(change.config.config)
            with self._lock:
                old_names = {s.name for s in self._remote}
                self._remote = remote
                listed = [s for s in remote if listed_only(s)]
            cached_book = self._contacts.address_book_buckets()
            # Consent revoked or a source removed: its copy goes now, not at the TTL.
            self._contacts.drop((old_names | cached_book) - {s.name for s in remote})
            if listed:
                self._refresh_soon()

    @runs_on(PBX_UPDATES)
    def on_pbx_event(self, event: PbxEvent) -> None:
        """Signing out of the PBX (or losing the session for good) removes what its directory told us."""
        if isinstance(event, StateChanged) and event.state in (ServiceState.SIGNED_OUT,
                                                               ServiceState.SIGN_IN_REQUIRED):
            self.forget()
        elif isinstance(event, StateChanged) and event.state is ServiceState.ONLINE:
            self._refresh_soon()  # signed in or back online: the personal contacts into the offline cache
