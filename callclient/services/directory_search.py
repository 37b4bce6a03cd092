"""The directory's search: the only owner of "who matches what I typed", streamed as sources answer.

Local answers — favorites, recent calls and everything cached from remote sources — are merged, ranked and
handed to `on_update` at once, on the caller's thread. Remote sources (the PBX's directory, LDAP) are asked
on the directory's worker threads after `directory.debounce_ms` without a newer keystroke; each answer is
merged in and streamed through `on_update` as it arrives. A newer search supersedes the older one: its
waiting lookups are cancelled, and answers still in flight are dropped (a generation counter), so a slow
server never paints stale results over fresh ones. What remote sources answer goes into the offline copy
(callclient/services/directory_contacts.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any

from callclient.directory.model import Contact, Source, SourceFailed
from callclient.directory.ranking import SearchResult, merge
from callclient.services.directory_contacts import CachedContacts
from callclient.services.threads import ANY_THREAD, WORKER, runs_on

log = logging.getLogger(__name__)

# The values the windows read, from this service module (ui/ never imports callclient.directory).
__all__ = ["ContactSearch", "SearchResult", "SearchUpdate"]


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


class ContactSearch:
    """`local_sources` answer at once; `asked()` gives the remote sources to ask now; `workers()` the
    directory's worker threads (None: stopped, so local answers only); `config()` the app config in force."""

    def __init__(self, contacts: CachedContacts, local_sources: Sequence[Source],
                 asked: Callable[[], list[Source]], workers: Callable[[], Executor | None],
                 config: Callable[[], Any]) -> None:
        self._contacts = contacts
        self._local_sources = list(local_sources)
        self._asked = asked
        self._workers = workers
        self._config = config
        self._lock = threading.Lock()
        self._generation = 0
        self._current: _Search | None = None

    @runs_on(ANY_THREAD)
    def start(self, term: str, on_update: Callable[[SearchUpdate], None], supersede: bool) -> int:
        """Starts a search and returns its generation; `supersede`: the search box's, cancelling the last."""
        with self._lock:
            self._generation += 1
            search = _Search(self._generation, term, tracked=supersede)
            previous = self._current if supersede else None
            if supersede:
                self._current = search
            remote = self._asked() if term.strip() else []
            workers = self._workers()
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

    @runs_on(ANY_THREAD)
    def cancel(self) -> None:
        """No more updates for the search box's search (the directory stops)."""
        with self._lock:
            if self._current is not None:
                self._current.cancelled.set()

    @runs_on(WORKER)
    def search_now(self, term: str, timeout_s: float = 10.0) -> SearchUpdate:
        """A search that waits for every source (or the timeout): for the CLI and the control socket."""
        self._contacts.loaded.wait(timeout_s)  # a script asking right after start gets the cache too
        done = threading.Event()
        last: list[SearchUpdate] = []

        def keep(update: SearchUpdate) -> None:
            last.append(update)
            if update.complete:
                done.set()

        generation = self.start(term, keep, supersede=False)  # a script's lookup never cancels the user's
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
        found.extend(self._contacts.index.search(term, limit=self._config().directory.max_results * 4))
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
            self._contacts.remember(source.name, contacts)
        with self._lock:
            search.pending.discard(source.name)
            search.remote[source.name] = contacts
            if problem:
                search.problems.append(problem)
            current = self._current is search or not search.tracked
        if current and not search.cancelled.is_set():
            self._emit(search, on_update)
        if contacts:
            self._contacts.index_fresh()

    def _emit(self, search: _Search, on_update: Callable[[SearchUpdate], None]) -> None:
        with self._lock:
            everything = [*search.local, *(c for found in search.remote.values() for c in found)]
            pending, problems = tuple(sorted(search.pending)), tuple(search.problems)
        results = merge(everything, search.term, self._contacts.keys, limit=self._config().directory.max_results)
        try:
            on_update(SearchUpdate(search.generation, search.term, tuple(results), pending, problems))
        except Exception:
            log.exception("a directory search listener failed")
