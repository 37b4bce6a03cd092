"""Caller ID: the only owner of "who is this number".

The offline copy's index (callclient/services/directory_contacts.py), favorites and history answer in
microseconds, so the incoming-call window has a name before it is drawn (`caller_id`, `names_for`);
`identify` then asks the remote sources off the caller's thread and reports a better name (PBX user >
directory > personal > address book) when one comes. A number no source could answer for (not signed in
yet, a timeout) is reported as unanswered, worth asking again, unlike a number nobody knows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace

from callclient.directory.model import CALLER_ID_PRIORITY, Contact, Source, SourceFailed, SourceKind
from callclient.services.directory_contacts import CachedContacts
from callclient.services.threads import ANY_THREAD, WORKER, runs_on

log = logging.getLogger(__name__)

# The value the windows read, from this service module (ui/ never imports callclient.directory).
__all__ = ["CallerId", "CallerIdLookup"]


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


class CallerIdLookup:
    """`local_sources` answer at once; `asked()` gives the remote sources to ask now; `workers()` the
    directory's worker threads (None: stopped, so local answers only)."""

    def __init__(self, contacts: CachedContacts, local_sources: Sequence[Source],
                 asked: Callable[[], list[Source]], workers: Callable[[], Executor | None]) -> None:
        self._contacts = contacts
        self._local_sources = list(local_sources)
        self._asked = asked
        self._workers = workers

    @runs_on(ANY_THREAD)
    def caller_id(self, number: str) -> CallerId | None:
        """The best name known locally for `number` (cache, favorites, history), without any network: safe to
        call as a call comes in."""
        best = self._local_reverse(number)
        return self._named(number, best) if best is not None else None

    @runs_on(ANY_THREAD)
    def names_for(self, numbers: Sequence[str]) -> dict[str, CallerId]:
        """The best local name for each number (history and voicemail rows), without any network."""
        found: dict[str, CallerId] = {}
        for number in dict.fromkeys(n for n in numbers if n):
            best = self._local_reverse(number)
            if best is not None:
                found[number] = self._named(number, best)
        return found

    def _named(self, number: str, best: Contact) -> CallerId:
        """`best`'s name, with the other numbers every source knows for this person (the call view offers
        them: a reverse lookup answers with the one number that matched)."""
        found = _caller_id(number, best)
        index = self._contacts.index
        keys = self._contacts.keys
        known = {keys.key(number), *(keys.key(n) for n in found.other_numbers)}
        others = list(found.other_numbers)
        for contact in sorted(index.all_with(number), key=lambda c: CALLER_ID_PRIORITY.index(c.kind)):
            for other in contact.numbers:
                key = keys.key(other.number)
                if key not in known:
                    known.add(key)
                    others.append(other.number)
        return found if len(others) == len(found.other_numbers) else replace(found, other_numbers=tuple(others))

    def _local_reverse(self, number: str) -> Contact | None:
        best = self._contacts.index.reverse(number)
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
        workers = self._workers()
        if workers is not None and self._asked():
            try:
                workers.submit(self._identify_remote, number, local, on_found, on_unanswered)
            except RuntimeError:
                pass  # shutting down
        return self._named(number, local) if local is not None else None

    @runs_on(WORKER)
    def whois(self, number: str) -> CallerId | None:
        """Local and remote sources, waited for: for the CLI and the control socket."""
        self._contacts.loaded.wait(10)
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
            self._contacts.remember(source.name, [found])
            self._contacts.index_fresh()
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
