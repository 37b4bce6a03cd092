"""The directory: the only owner of "who is this number" and "who matches what I typed".

Search (`search`): local answers — favorites, recent calls and everything cached from remote sources — are
merged, ranked and handed to `on_update` at once, on the caller's thread. Remote sources (the PBX's
directory, LDAP) are asked on the directory's worker threads after `directory.debounce_ms` without a newer
keystroke; each answer is merged in and streamed through `on_update` as it arrives. A newer search
supersedes the older one: its waiting lookups are cancelled, and answers still in flight are dropped
(a generation counter), so a slow server never paints stale results over fresh ones.

Caller ID (`caller_id`): the cached index, favorites and history answer in microseconds, so the incoming-call
window has a name before it is drawn; `identify` then asks the remote sources off the caller's thread and
reports a better name (PBX user > directory > personal > address book) when one comes.

Cache: remote answers (searches, reverse lookups, personal contacts) go into the encrypted store
(callclient/directory/cache.py) with `directory.cache_ttl_hours`, and are what offline searches find. Sign-out
clears them; `--erase-all-data` removes the store itself.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from callclient.directory.cache import DirectoryCache
from callclient.directory.index import ContactIndex
from callclient.directory.model import CALLER_ID_PRIORITY, Contact, PhoneNumber, Source, SourceFailed, SourceKind
from callclient.directory.numbers import NumberKeys
from callclient.directory.ranking import SearchResult, merge
from callclient.directory.sources.pbx import PERSONAL_SOURCE, contact_from_entry
from callclient.pbx.service import ImportResult, PbxEvent, PersonalContactFields, ServiceState, StateChanged
from callclient.services.dialplan import DialPlan
from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, CALLER, PBX_UPDATES, WORKER, runs_on

log = logging.getLogger(__name__)

# The values the windows read, from this service module (ui/ never imports callclient.directory or .pbx).
__all__ = ["CallerId", "Contact", "DirectoryService", "ImportResult", "PersonalContactFields", "PhoneNumber",
           "SearchResult", "SearchUpdate", "SourceKind", "PASSWORD_KINDS"]

# The directory's passwords, kept in the keychain under the account "directory" (callclient/storage/keychain.py).
PASSWORD_KINDS = ("ldap-bind-password", "carddav-password")

MAX_CACHED_PER_SOURCE = 50_000  # a directory bigger than this is searched online; the cache keeps what was seen
DIRECTORY_WORKERS = 2  # the two cores are shared with the engine and audio: remote lookups are I/O bound anyway


@dataclass(frozen=True)
class SearchUpdate:
    """What the search box shows now for `term`. `pending` names sources still being asked; `problems` says
    which sources could not answer and why (the others' results are still there)."""

    generation: int
    term: str
    results: tuple[SearchResult, ...]
    pending: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.pending

    def to_json(self) -> dict[str, object]:
        return {"term": self.term, "results": [r.to_json() for r in self.results], "complete": self.complete,
                "problems": list(self.problems)}


@dataclass(frozen=True)
class CallerId:
    """The best name for a number, with the company and title where known; `number` as it came in."""

    number: str
    name: str
    kind: SourceKind
    source: str
    company: str = ""
    title: str = ""
    other_numbers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"number": self.number, "name": self.name, "kind": self.kind.value, "source": self.source,
                "company": self.company, "title": self.title, "other_numbers": list(self.other_numbers)}


def _caller_id(number: str, contact: Contact) -> CallerId:
    return CallerId(number=number, name=contact.name, kind=contact.kind, source=contact.source,
                    company=contact.company, title=contact.title,
                    other_numbers=tuple(n.number for n in contact.numbers if n.number != number))


def _better(first: Contact | None, second: Contact | None) -> Contact | None:
    if first is None or second is None:
        return first or second
    return min(first, second, key=lambda c: CALLER_ID_PRIORITY.index(c.kind))


def _settle_collector() -> None:
    """The cached contacts and their index (about 20 objects per contact) live until the next rebuild. Left in
    the collector's oldest generation, every full collection walks all of them — 0.3 to 1.2 s with 20,000
    contacts on a loaded 2-core machine, on whichever thread allocated last: the GUI's, while the user types
    (bench/directory_search.py). Frozen, collections skip them. Refcounting still frees them when a rebuild
    replaces them (contacts and indexes hold no reference cycles), so nothing is kept alive by this."""
    gc.freeze()


def _listed_only(source: Source) -> bool:
    return bool(getattr(source, "listed_only", False))


def _identity(contact: Contact) -> tuple[str, str, tuple[str, ...], str]:
    return (contact.kind.value, contact.name, tuple(n.number for n in contact.numbers), contact.entry_id)


@dataclass
class _Search:
    generation: int
    term: str
    cancelled: threading.Event = field(default_factory=threading.Event)
    futures: list[Future[None]] = field(default_factory=list)
    local: list[Contact] = field(default_factory=list)
    remote: dict[str, list[Contact]] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    tracked: bool = True  # the search box's search: superseded by the next one


class DirectoryService:
    """`local_sources` answer at once (favorites, history); `remote_sources()` gives the remote ones in force
    (they change with the settings: PBX directory on or off, an LDAP server added)."""

    def __init__(self, settings: Any, local_sources: Sequence[Source],
                 remote_sources: Callable[[Any], list[Source]], cache: DirectoryCache | None,
                 pbx: Callable[[], Any] = lambda: None, keychain: Any = None) -> None:
        self._settings = settings
        self._keychain = keychain  # for the LDAP and CardDAV passwords the Settings window saves
        self._pbx = pbx  # the PbxService in use, for the personal contacts kept on the PBX
        self._local_sources = list(local_sources)
        self._make_remote = remote_sources
        self._cache = cache
        self._lock = threading.Lock()
        self._generation = 0
        self._current: _Search | None = None
        self._keys = NumberKeys(DialPlan.from_config(self._config().dialplan))
        self._remote: list[Source] = remote_sources(self._config())
        self._cached: dict[str, dict[tuple[str, str, tuple[str, ...], str], Contact]] = {}
        self._index = ContactIndex((), self._keys)
        self._fresh: list[Contact] = []  # remembered but not yet in the index
        self._index_lock = threading.Lock()  # held by whoever builds a new index (never by searches)
        self._epoch = 0  # bumped by forget(): a cache load that started before it is dropped
        self.loaded = threading.Event()  # set once the offline cache is in the index (or could not be read)
        self.problems: tuple[str, ...] = ()  # what the last refresh could not read, for the settings page
        self._workers: ThreadPoolExecutor | None = None

    def _config(self) -> Any:
        return self._settings.config.config

    @property
    def keys(self) -> NumberKeys:
        return self._keys

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
        try:
            with self._lock:
                epoch = self._epoch
            loaded = self._cache.load() if self._cache is not None else {}
            with self._lock:
                if epoch != self._epoch:
                    return  # forgotten (signed out) while loading
                for source, contacts in loaded.items():
                    known = self._cached.setdefault(source, {})
                    for contact in contacts:
                        known.setdefault(_identity(contact), contact)
            self._rebuild_index()
        except Exception:
            log.exception("the directory cache could not be loaded; searches go to the sources")
        finally:
            self.loaded.set()
        if any(_listed_only(s) for s in self._remote):
            self.refresh()  # the address book, re-read at every start (cards change outside the app)

    @runs_on(CALLER)
    def stop(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.cancelled.set()
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
            if _listed_only(source) or contacts:
                # A listing is the whole of what it lists (the address book, the personal contacts): it
                # replaces the cached copy, so cards and contacts deleted there go here too.
                buckets: dict[str, list[Contact]] = {source.name: []} if _listed_only(source) else {}
                for contact in contacts:
                    buckets.setdefault(contact.source or source.name, []).append(contact)
                for bucket, listed in buckets.items():
                    self._replace(bucket, listed)
                replaced = True
        if replaced:
            self._rebuild_index()
        else:
            self._index_fresh()
        with self._lock:
            self.problems = tuple(problems)
        return problems

    def _asked(self) -> list[Source]:
        """The remote sources asked per search or caller ID (address books are answered by the index)."""
        return [s for s in self._remote if not _listed_only(s)]

    def _replace(self, source: str, contacts: list[Contact]) -> None:
        with self._lock:
            self._cached[source] = {_identity(c): c for c in contacts[:MAX_CACHED_PER_SOURCE]}
            snapshot = list(self._cached[source].values())
        if self._cache is not None:
            self._cache.save(source, snapshot)

    def _drop_sources(self, names: set[str]) -> None:
        """Forgets what these sources told us, in memory and in the store (consent revoked, source removed)."""
        with self._lock:
            gone = [name for name in self._cached if name in names]
            for name in gone:
                del self._cached[name]
        if self._cache is not None:
            for name in gone:
                self._cache.remove(name)
        if gone:
            self._rebuild_index()

    # ---------------------------------------------------------------- search

    @runs_on(ANY_THREAD)
    def search(self, term: str, on_update: Callable[[SearchUpdate], None]) -> int:
        """Starts a search and returns its generation. `on_update` is called at once on this thread with the
        local results, then from a directory worker thread each time a remote source answers (cross to your
        own thread there). A newer `search` supersedes this one: no more updates come for it."""
        return self._start(term, on_update, supersede=True)

    def _start(self, term: str, on_update: Callable[[SearchUpdate], None], supersede: bool) -> int:
        with self._lock:
            self._generation += 1
            search = _Search(self._generation, term, tracked=supersede)
            previous = self._current if supersede else None
            if supersede:
                self._current = search
            remote = [s for s in self._remote if not _listed_only(s)] if term.strip() else []
            workers = self._workers
            search.pending = {s.name for s in remote} if workers is not None else set()
        if previous is not None:
            previous.cancelled.set()
            for future in previous.futures:
                future.cancel()
        search.local = self._local_matches(term)
        self._emit(search, on_update)
        if workers is not None:
            debounce_s = self._config().directory.debounce_ms / 1000
            for source in remote:
                try:
                    search.futures.append(workers.submit(self._ask, search, source, debounce_s, on_update))
                except RuntimeError:  # shut down while we were here: the app is stopping
                    return search.generation
        return search.generation

    @runs_on(WORKER)
    def search_now(self, term: str, timeout_s: float = 10.0) -> SearchUpdate:
        """A search that waits for every source (or the timeout): for the CLI and the control socket."""
        self.loaded.wait(timeout_s)  # a script asking right after start gets the cache too
        done = threading.Event()
        last: list[SearchUpdate] = []

        def keep(update: SearchUpdate) -> None:
            last.append(update)
            if update.complete:
                done.set()

        generation = self._start(term, keep, supersede=False)  # a script's lookup never cancels the user's
        done.wait(timeout_s)
        update = last[-1]
        if not update.complete:
            update = SearchUpdate(generation, term, update.results, update.pending,
                                  (*update.problems, *(f"{s}: no answer within {timeout_s:g} s" for s in update.pending)))
        return update

    def _local_matches(self, term: str) -> list[Contact]:
        if not term.strip():
            return []
        found: list[Contact] = []
        for source in self._local_sources:
            try:
                found.extend(source.search(term))
            except SourceFailed as error:
                log.warning("%s", error)
        with self._lock:
            index = self._index
        found.extend(index.search(term, limit=self._config().directory.max_results * 4))
        return found

    @runs_on(WORKER)
    def _ask(self, search: _Search, source: Source, debounce_s: float,
             on_update: Callable[[SearchUpdate], None]) -> None:
        # Debounce: a keystroke within `debounce_s` supersedes this search before the server is asked.
        if search.cancelled.wait(debounce_s):
            return
        contacts: list[Contact] = []
        problem = ""
        started = time.monotonic()
        try:
            contacts = source.search(search.term)
        except SourceFailed as error:
            problem = str(error)
            log.info("directory source failed: %s", problem)
        except Exception as error:  # a source bug must not lose the other sources' results
            log.exception("directory source %s failed", source.name)
            problem = f"{source.name}: {error}"
        log.debug("%s answered %r in %.0f ms", source.name, search.term, (time.monotonic() - started) * 1000)
        if contacts:
            self._remember(source.name, contacts)
        with self._lock:
            search.pending.discard(source.name)
            search.remote[source.name] = contacts
            if problem:
                search.problems.append(problem)
            current = self._current is search or not search.tracked
        if current and not search.cancelled.is_set():
            self._emit(search, on_update)
        if contacts:
            self._index_fresh()

    def _emit(self, search: _Search, on_update: Callable[[SearchUpdate], None]) -> None:
        with self._lock:
            everything = [*search.local, *(c for found in search.remote.values() for c in found)]
            pending, problems = tuple(sorted(search.pending)), tuple(search.problems)
        results = merge(everything, search.term, self._keys, limit=self._config().directory.max_results)
        try:
            on_update(SearchUpdate(search.generation, search.term, tuple(results), pending, problems))
        except Exception:
            log.exception("a directory search listener failed")

    # ---------------------------------------------------------------- caller ID

    @runs_on(ANY_THREAD)
    def caller_id(self, number: str) -> CallerId | None:
        """The best name known locally for `number` (cache, favorites, history), without any network: safe to
        call as a call comes in."""
        best = self._local_reverse(number)
        return self._named(number, best) if best is not None else None

    def _named(self, number: str, best: Contact) -> CallerId:
        """`best`'s name, with the other numbers every source knows for this person (the call view offers
        them: a reverse lookup answers with the one number that matched)."""
        found = _caller_id(number, best)
        with self._lock:
            index = self._index
        known = {self._keys.key(number), *(self._keys.key(n) for n in found.other_numbers)}
        others = list(found.other_numbers)
        for contact in sorted(index.all_with(number), key=lambda c: CALLER_ID_PRIORITY.index(c.kind)):
            for other in contact.numbers:
                key = self._keys.key(other.number)
                if key not in known:
                    known.add(key)
                    others.append(other.number)
        return found if len(others) == len(found.other_numbers) else replace(found, other_numbers=tuple(others))

    def _local_reverse(self, number: str) -> Contact | None:
        with self._lock:
            index = self._index
        best = index.reverse(number)
        for source in self._local_sources:
            try:
                best = _better(best, source.reverse(number))
            except SourceFailed as error:
                log.warning("%s", error)
        return best

    @runs_on(ANY_THREAD)
    def identify(self, number: str, on_found: Callable[[CallerId], None],
                 on_unanswered: Callable[[str], None] | None = None) -> CallerId | None:
        """The local answer now (as `caller_id`), then asks the remote sources on a directory worker and calls
        `on_found` there if one of them knows a better name. The ringing never waits for this.
        `on_unanswered(number)` is called there when no source named it and one of them could not answer
        (not signed in yet, a timeout): worth asking again later, unlike a number nobody knows."""
        local = self._local_reverse(number)
        workers = self._workers
        if workers is not None and self._asked():
            try:
                workers.submit(self._identify_remote, number, local, on_found, on_unanswered)
            except RuntimeError:
                pass  # shutting down
        return self._named(number, local) if local is not None else None

    @runs_on(WORKER)
    def whois(self, number: str) -> CallerId | None:
        """Local and remote sources, waited for: for the CLI and the control socket."""
        self.loaded.wait(10)
        best = self._local_reverse(number)
        for source in self._asked():
            best = _better(best, self._remote_reverse(source, number))
        return self._named(number, best) if best is not None else None

    def _remote_reverse(self, source: Source, number: str) -> Contact | None:
        return self._try_remote_reverse(source, number)[0]

    def _try_remote_reverse(self, source: Source, number: str) -> tuple[Contact | None, bool]:
        """(what the source knows of the number, whether it answered at all)."""
        try:
            found = source.reverse(number)
        except SourceFailed as error:
            log.info("caller ID from %s failed: %s", source.name, error)
            return None, False
        except Exception:
            log.exception("directory source %s failed on a reverse lookup", source.name)
            return None, False
        if found is not None:
            self._remember(source.name, [found])
            self._index_fresh()
        return found, True

    @runs_on(WORKER)
    def _identify_remote(self, number: str, local: Contact | None, on_found: Callable[[CallerId], None],
                         on_unanswered: Callable[[str], None] | None) -> None:
        best = local
        all_answered = True
        for source in self._asked():
            found, answered = self._try_remote_reverse(source, number)
            best = _better(best, found)
            all_answered = all_answered and answered
        try:
            if best is not None and best is not local:
                on_found(self._named(number, best))
            elif not all_answered and on_unanswered is not None:
                on_unanswered(number)
        except Exception:
            log.exception("a caller ID listener failed")

    # ---------------------------------------------------------------- personal contacts on the PBX

    @runs_on(WORKER)
    def add_personal_contact(self, fields: PersonalContactFields) -> Contact:
        """"Add to contacts" (from history, voicemail or a number typed): kept on the PBX, cached here."""
        entry = self._require_pbx().add_personal_contact(fields)
        contact = contact_from_entry(entry)
        self._remember(contact.source, [contact])
        self._index_fresh()
        return contact

    @runs_on(WORKER)
    def edit_personal_contact(self, entry_id: str, fields: PersonalContactFields) -> Contact:
        contact = contact_from_entry(self._require_pbx().edit_personal_contact(entry_id, fields))
        self._refresh_personal()
        return contact

    @runs_on(WORKER)
    def delete_personal_contact(self, entry_id: str) -> None:
        self._require_pbx().delete_personal_contact(entry_id)
        self._refresh_personal()

    @runs_on(WORKER)
    def import_personal_contacts(self, csv_text: str) -> ImportResult:
        result = self._require_pbx().import_personal_contacts(csv_text)
        self._refresh_personal()
        return result

    def _require_pbx(self) -> Any:
        service = self._pbx()
        if service is None:
            raise RuntimeError("no phone system is set up")
        return service

    def _refresh_personal(self) -> None:
        """The PBX's list replaces the cached personal contacts (an edited or deleted one must not linger)."""
        entries = self._require_pbx().personal_contacts()
        contacts = [contact_from_entry(e) for e in entries]
        self._replace(PERSONAL_SOURCE, contacts)
        self._rebuild_index()

    @runs_on(ANY_THREAD)
    def names_for(self, numbers: Sequence[str]) -> dict[str, CallerId]:
        """The best local name for each number (history and voicemail rows), without any network."""
        found: dict[str, CallerId] = {}
        for number in dict.fromkeys(n for n in numbers if n):
            best = self._local_reverse(number)
            if best is not None:
                found[number] = self._named(number, best)
        return found

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

    # ---------------------------------------------------------------- the cache

    def _remember(self, source: str, contacts: list[Contact]) -> None:
        """Caches what `source` answered, in one bucket per contact's own source (dird's lookup returns
        personal contacts too: they go with the personal ones, which a listing replaces)."""
        added: dict[str, list[Contact]] = {}
        with self._lock:
            for contact in contacts:
                known = self._cached.setdefault(contact.source or source, {})
                identity = _identity(contact)
                if identity not in known and len(known) < MAX_CACHED_PER_SOURCE:
                    known[identity] = contact
                    self._fresh.append(contact)
                    added.setdefault(contact.source or source, []).append(contact)
        if self._cache is not None:
            for bucket, new in added.items():
                self._cache.add(bucket, new, lambda b=bucket: self._snapshot(b))

    def _snapshot(self, bucket: str) -> list[Contact]:
        with self._lock:
            return list(self._cached.get(bucket, {}).values())

    def _rebuild_index(self) -> None:
        with self._index_lock:  # one builder at a time, so no builder's swap loses another's contacts
            with self._lock:
                contacts = [c for known in self._cached.values() for c in known.values()]
                keys = self._keys
                self._fresh = []
            index = ContactIndex(contacts, keys)  # built outside self._lock: searches use the old one meanwhile
            with self._lock:
                if keys is self._keys:
                    self._index = index
        del contacts, index
        _settle_collector()

    def _index_fresh(self) -> None:
        """Adds what remote sources just told us to the index (a few contacts: no full rebuild)."""
        with self._index_lock:
            with self._lock:
                fresh, self._fresh = self._fresh, []
                index = self._index
            if not fresh:
                return
            extended = index.extended(fresh)
            with self._lock:
                if self._index is index:  # else forget() emptied it meanwhile: these are forgotten too
                    self._index = extended

    @property
    def cached_count(self) -> int:
        with self._lock:
            return len(self._index)

    @runs_on(ANY_THREAD)
    def forget(self) -> None:
        """Drops every cached contact, in memory and in the store (sign-out)."""
        with self._lock:
            self._epoch += 1
            self._cached = {}
            self._fresh = []
            self._index = ContactIndex((), self._keys)
        if self._cache is not None:
            self._cache.clear()

    # ---------------------------------------------------------------- news it follows

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("dialplan."):
            with self._lock:
                self._keys = NumberKeys(DialPlan.from_config(change.config.config.dialplan))
            self._rebuild_index()
        if change.touches("directory."):
            remote = self._make_remote(change.config.config)
            with self._lock:
                old_names = {s.name for s in self._remote}
                self._remote = remote
                listed = [s for s in remote if _listed_only(s)]
                cached_book = {name for name, known in self._cached.items()
                               if any(c.kind is SourceKind.ADDRESS_BOOK for c in known.values())}
            # Consent revoked or a source removed: its copy goes now, not at the TTL.
            self._drop_sources((old_names | cached_book) - {s.name for s in remote})
            workers = self._workers
            if listed and workers is not None:
                try:
                    workers.submit(self.refresh)
                except RuntimeError:
                    pass  # shutting down

    @runs_on(PBX_UPDATES)
    def on_pbx_event(self, event: PbxEvent) -> None:
        """Signing out of the PBX (or losing the session for good) removes what its directory told us."""
        if isinstance(event, StateChanged) and event.state in (ServiceState.SIGNED_OUT,
                                                               ServiceState.SIGN_IN_REQUIRED):
            self.forget()
        elif isinstance(event, StateChanged) and event.state is ServiceState.ONLINE:
            workers = self._workers
            if workers is not None:  # signed in or back online: the personal contacts into the offline cache
                try:
                    workers.submit(self.refresh)
                except RuntimeError:
                    pass  # shutting down
