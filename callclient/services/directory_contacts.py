"""The directory's offline copy: the only owner of what remote sources told us and of the index built on it.

Remote answers (searches, reverse lookups, listings of personal contacts and address books) are kept in
memory in one bucket per source and written to the encrypted store (callclient/directory/cache.py), which
keeps them for `directory.cache_ttl_hours`; they are what offline searches and caller ID find. The index
every search and caller ID reads is swapped whole: readers take the one in force, builders make a new one
off the lock. `forget` (sign-out) empties both; `--erase-all-data` removes the store itself.
"""

from __future__ import annotations

import gc
import logging
import threading

from callclient.directory.cache import DirectoryCache
from callclient.directory.index import ContactIndex
from callclient.directory.model import Contact, Source, SourceKind
from callclient.directory.numbers import NumberKeys
from callclient.services.threads import ANY_THREAD, WORKER, runs_on

log = logging.getLogger(__name__)

MAX_CACHED_PER_SOURCE = 50_000  # a directory bigger than this is searched online; the cache keeps what was seen


def listed_only(source: Source) -> bool:
    """A source read by listing it whole (an address book): the index answers for it, it is never asked."""
    return bool(getattr(source, "listed_only", False))


def _identity(contact: Contact) -> tuple[str, str, tuple[str, ...], str]:
    return (contact.kind.value, contact.name, tuple(n.number for n in contact.numbers), contact.entry_id)


def _settle_collector() -> None:
    """The cached contacts and their index (about 20 objects per contact) live until the next rebuild. Left in
    the collector's oldest generation, every full collection walks all of them — 0.3 to 1.2 s with 20,000
    contacts on a loaded 2-core machine, on whichever thread allocated last: the GUI's, while the user types
    (bench/directory_search.py). Frozen, collections skip them. Refcounting still frees them when a rebuild
    replaces them (contacts and indexes hold no reference cycles), so nothing is kept alive by this."""
    gc.freeze()


class CachedContacts:
    """`store` is the encrypted copy (None: memory only); `keys` the dial plan's number keys in force."""

    def __init__(self, store: DirectoryCache | None, keys: NumberKeys) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._keys = keys
        self._cached: dict[str, dict[tuple[str, str, tuple[str, ...], str], Contact]] = {}
        self._index = ContactIndex((), keys)
        self._fresh: list[Contact] = []  # remembered but not yet in the index
        self._index_lock = threading.Lock()  # held by whoever builds a new index (never by searches)
        self._epoch = 0  # bumped by forget(): a cache load that started before it is dropped
        self.loaded = threading.Event()  # set once the offline cache is in the index (or could not be read)

    @property
    def keys(self) -> NumberKeys:
        return self._keys

    @property
    def index(self) -> ContactIndex:
        """The index in force: a reader keeps using the one it took while a newer one is built."""
        with self._lock:
            return self._index

    def __len__(self) -> int:
        with self._lock:
            return len(self._index)

    @runs_on(WORKER)
    def load(self) -> None:
        """The encrypted copy into the index (seconds for 20,000 contacts on a slow machine: never at start)."""
        try:
            with self._lock:
                epoch = self._epoch
            loaded = self.store.load() if self.store is not None else {}
            with self._lock:
                if epoch != self._epoch:
                    return  # forgotten (signed out) while loading
                for source, contacts in loaded.items():
                    known = self._cached.setdefault(source, {})
                    for contact in contacts:
                        known.setdefault(_identity(contact), contact)
            self.rebuild_index()
        except Exception:
            log.exception("the directory cache could not be loaded; searches go to the sources")
        finally:
            self.loaded.set()

    def replace(self, source: str, contacts: list[Contact]) -> None:
        """A listing is the whole of what `source` holds: it replaces the cached copy (index: rebuild_index)."""
        with self._lock:
            self._cached[source] = {_identity(c): c for c in contacts[:MAX_CACHED_PER_SOURCE]}
            snapshot = list(self._cached[source].values())
        if self.store is not None:
            self.store.save(source, snapshot)

    def drop(self, names: set[str]) -> None:
        """Forgets what these sources told us, in memory and in the store (consent revoked, source removed)."""
        with self._lock:
            gone = [name for name in self._cached if name in names]
            for name in gone:
                del self._cached[name]
        if self.store is not None:
            for name in gone:
                self.store.remove(name)
        if gone:
            self.rebuild_index()

    def remember(self, source: str, contacts: list[Contact]) -> None:
        """Caches what `source` answered, in one bucket per contact's own source (dird's lookup returns
        personal contacts too: they go with the personal ones, which a listing replaces). In the index at
        the next `index_fresh`."""
        added: dict[str, list[Contact]] = {}
        with self._lock:
            for contact in contacts:
                known = self._cached.setdefault(contact.source or source, {})
                identity = _identity(contact)
                if identity not in known and len(known) < MAX_CACHED_PER_SOURCE:
                    known[identity] = contact
                    self._fresh.append(contact)
                    added.setdefault(contact.source or source, []).append(contact)
        if self.store is not None:
            for bucket, new in added.items():
                self.store.add(bucket, new, lambda b=bucket: self._snapshot(b))

    def _snapshot(self, bucket: str) -> list[Contact]:
        with self._lock:
            return list(self._cached.get(bucket, {}).values())

    def address_book_buckets(self) -> set[str]:
        """The buckets holding address-book cards (dropped when the user's consent is withdrawn)."""
        with self._lock:
            return {name for name, known in self._cached.items()
                    if any(c.kind is SourceKind.ADDRESS_BOOK for c in known.values())}

    def rebuild_index(self) -> None:
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

    def index_fresh(self) -> None:
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

    def use_keys(self, keys: NumberKeys) -> None:
        """A new dial plan: numbers are keyed anew, so the index is rebuilt."""
        with self._lock:
            self._keys = keys
        self.rebuild_index()

    @runs_on(ANY_THREAD)
    def forget(self) -> None:
        """Drops every cached contact, in memory and in the store (sign-out)."""
        with self._lock:
            self._epoch += 1
            self._cached = {}
            self._fresh = []
            self._index = ContactIndex((), self._keys)
        if self.store is not None:
            self.store.clear()
