"""The directory service against the spec-checked test PBX and a real encrypted store: streamed, merged
search; superseded searches; caller ID priority; the offline cache and its removal on sign-out."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from callclient.config.model import DialPlanConfig, DirectoryConfig
from callclient.demo.pbx_server import PbxServer
from callclient.directory import SourceKind
from callclient.directory.cache import DirectoryCache
from callclient.directory.sources.local import FavoritesSource, HistorySource
from callclient.directory.sources.pbx import PbxDirectory
from callclient.pbx.wazo import WazoService
from callclient.services.directory import DirectoryService
from callclient.services.directory_search import SearchUpdate
from callclient.storage.keychain import Keychain
from callclient.storage.store import LocalStore, open_store
from tests.fixtures.net import wait_until


@dataclass(frozen=True)
class Favorite:  # the shape of callclient.storage.favorites.Favorite the source reads
    id: int
    label: str
    target: str


class Settings:
    """The config in force, as SettingsService exposes it (`settings.config.config`)."""

    def __init__(self, **directory: Any) -> None:
        defaults = DirectoryConfig(debounce_ms=0)
        self.app = SimpleNamespace(dialplan=DialPlanConfig("0", ("112",), "FR"),
                                   directory=replace(defaults, **directory))
        self.config = SimpleNamespace(config=self.app)


class Updates:
    def __init__(self) -> None:
        self.queue: queue.Queue[SearchUpdate] = queue.Queue()
        self.seen: list[SearchUpdate] = []
        self.threads: list[str] = []

    def __call__(self, update: SearchUpdate) -> None:
        self.threads.append(threading.current_thread().name)
        self.seen.append(update)
        self.queue.put(update)

    def until(self, predicate: Callable[[SearchUpdate], bool], timeout_s: float = 10) -> SearchUpdate:
        while True:
            update = self.queue.get(timeout=timeout_s)
            if predicate(update):
                return update


@pytest.fixture
def store(tmp_path: Path, keychain: Keychain) -> Iterator[LocalStore]:
    opened = open_store(tmp_path / "store.db", keychain)
    yield opened.store
    opened.store.close()


@pytest.fixture
def make_directory(service: WazoService, store: LocalStore) -> Iterator[Callable[..., DirectoryService]]:
    made: list[DirectoryService] = []

    def make(favorites: tuple[Favorite, ...] = (), records: tuple[Any, ...] = (), **directory: Any) -> DirectoryService:
        settings = Settings(**directory)
        holder: list[DirectoryService] = []
        keys = lambda: holder[0].keys  # noqa: E731
        made_one = DirectoryService(
            settings, [FavoritesSource(lambda: favorites, keys), HistorySource(lambda: records, keys)],
            lambda app: [PbxDirectory(lambda: service, keys)] if app.directory.pbx_enabled else [],
            DirectoryCache(store, "pbx", lambda: settings.app.directory.cache_ttl_hours * 3600),
            pbx=lambda: service)
        holder.append(made_one)
        made_one.start()
        made.append(made_one)
        return made_one

    yield make
    for one in made:
        one.stop()


def test_local_results_come_at_once_and_the_pbx_directory_streams_in(make_directory: Callable[..., DirectoryService]
                                                                     ) -> None:
    directory = make_directory(favorites=(Favorite(1, "Durand office", "+33 1 40 00 00 00"),))
    updates = Updates()
    directory.search("durand", updates)
    first = updates.seen[0]  # delivered before search() returned, on this thread
    assert updates.threads[0] == threading.current_thread().name
    assert [r.name for r in first.results] == ["Durand office"] and first.pending == ("Company directory",)
    final = updates.until(lambda u: u.complete)
    names = [r.name for r in final.results]
    assert names[0] == "Durand office"  # a favorite ranks above name matches
    bob = next(r for r in final.results if r.name == "Bob Durand")
    assert bob.kind is SourceKind.PBX_USER and bob.sources == ("Company directory",)
    assert updates.threads[-1].startswith("directory")


def test_a_newer_keystroke_supersedes_a_slow_lookup(pbx: PbxServer, make_directory: Callable[..., DirectoryService]
                                                     ) -> None:
    directory = make_directory()
    pbx.delay_next(1.5, "/directories/lookup")
    old, new = Updates(), Updates()
    directory.search("b", old)
    # "bob" is typed while the server is still answering "b" (before that, "b" would simply be cancelled).
    wait_until(lambda: any(q.get("term") == "b" for _, path, q in list(pbx.requests) if "lookup" in path), 10,
               "the lookup for 'b' to reach the PBX")
    directory.search("bob", new)
    final = new.until(lambda u: u.complete)
    assert any(r.name == "Bob Durand" for r in final.results)
    # The slow answer for "b" arrives later and is dropped. It is cached when it arrives (before the drop is
    # decided), so a contact only "b" finds being named means the answer has been handled.
    only_b = next(e for e in pbx.data.directory if "boulangerie" in e["company"].lower())
    assert "bob" not in only_b["name"].lower()
    wait_until(lambda: directory.caller_id(only_b["number"]) is not None, 10, "the slow answer for 'b'")
    assert len(old.seen) == 1 and old.seen[0].pending, "a superseded search must not update the view"


def test_the_same_number_in_five_formats_finds_one_person(service: WazoService,
                                                         make_directory: Callable[..., DirectoryService]) -> None:
    directory = make_directory()
    for written in ("+33 6 11 22 33 44", "06 11 22 33 44", "0033611223344", "06.11.22.33.44", "0 06 11 22 33 44"):
        found = directory.whois(written)
        assert found is not None and found.name == "Marc Olivier", written


def test_caller_id_prefers_the_pbx_user_to_the_personal_contact_and_history(
        service: WazoService, make_directory: Callable[..., DirectoryService]) -> None:
    record = SimpleNamespace(other_name="bob from the call", other_number="1002")
    directory = make_directory(records=(record,), favorites=(Favorite(2, "Bobby", "1002"),))
    assert directory.caller_id("1002").kind is SourceKind.FAVORITE  # nothing cached yet: the local best
    found: queue.Queue[Any] = queue.Queue()
    local = directory.identify("1002", found.put)
    assert local is not None and local.name == "Bobby"
    better = found.get(timeout=10)
    assert better.name == "Bob Durand" and better.kind is SourceKind.PBX_USER and better.company == "Example Corp"
    # Now cached: the next call from Bob is named without the network.
    assert directory.caller_id("1002").name == "Bob Durand"


def test_a_caller_id_the_pbx_could_not_answer_is_reported_apart_from_an_unknown_number(
        pbx: PbxServer, service: WazoService, make_directory: Callable[..., DirectoryService]) -> None:
    """A list asks again for a number the PBX could not answer (503, not signed in yet)."""
    directory = make_directory()
    found: queue.Queue[Any] = queue.Queue()
    unanswered: queue.Queue[str] = queue.Queue()
    pbx.fail_next(503, "/directories/reverse", count=10)
    assert directory.identify("1002", found.put, unanswered.put) is None
    assert unanswered.get(timeout=10) == "1002" and found.empty()
    pbx.faults.clear()  # the PBX is back
    directory.identify("1002", found.put, unanswered.put)
    assert found.get(timeout=10).name == "Bob Durand" and unanswered.empty()


def test_offline_searches_find_cached_results_and_name_the_failing_source(
        pbx: PbxServer, make_directory: Callable[..., DirectoryService], store: LocalStore) -> None:
    directory = make_directory()
    assert any(r.name == "Bob Durand" for r in directory.search_now("durand").results)
    pbx.fail_next(503, "/directories/lookup", count=10)
    offline = directory.search_now("durand")
    assert any(r.name == "Bob Durand" for r in offline.results)
    assert offline.problems and "Company directory" in offline.problems[0]
    # A second service on the same store (the next start) finds them too: the cache is on disk, encrypted.
    again = make_directory(pbx_enabled=False)
    assert any(r.name == "Bob Durand" for r in again.search_now("durand").results)


def test_signing_out_of_the_pbx_removes_the_cached_directory(
        service: WazoService, make_directory: Callable[..., DirectoryService], store: LocalStore) -> None:
    directory = make_directory()
    service_events: list[Any] = []
    directory.search_now("durand")
    assert store.read("SELECT count(*) FROM directory_cache")[0][0] == 1
    from callclient.pbx.service import ServiceState, StateChanged

    service_events.append(StateChanged(ServiceState.SIGNED_OUT))
    service.sign_out()
    directory.on_pbx_event(service_events[0])  # what PbxEvents hands every listener on sign-out
    assert store.read("SELECT count(*) FROM directory_cache")[0][0] == 0
    assert directory.caller_id("1002") is None


def test_dird_junk_leaves_favorites_working_with_a_clear_problem(
        pbx: PbxServer, make_directory: Callable[..., DirectoryService]) -> None:
    directory = make_directory(favorites=(Favorite(1, "Bob's mobile", "+33 6 00 00 00 01"),))
    pbx.junk_next("/directories/lookup")
    update = directory.search_now("bob")
    assert [r.name for r in update.results] == ["Bob's mobile"]
    assert update.problems == ("Company directory: " + update.problems[0].split(": ", 1)[1],)
    assert "not JSON" in update.problems[0]


def test_control_verbs_answer_json(make_directory: Callable[..., DirectoryService]) -> None:
    directory = make_directory()
    answer = directory.lookup_verb("petit")
    assert answer["complete"] and answer["problems"] == [] and answer["results"][0]["name"] == "Carol Petit"
    assert answer["results"][0]["sources"] == ["Company directory"]
    who = directory.whois_verb("1003")
    assert who == {"found": True, "number": "1003", "name": "Carol Petit", "kind": "pbx-user",
                   "source": "Company directory", "company": "Example Corp", "title": who["title"],
                   "other_numbers": []}
    assert directory.whois_verb("+49 30 999999") == {"number": "+49 30 999999", "found": False}
    with pytest.raises(ValueError, match="lookup needs"):
        directory.lookup_verb("  ")


def test_personal_contacts_added_edited_and_deleted_through_the_service_name_callers(
        service: WazoService, store: LocalStore, make_directory: Callable[..., DirectoryService]) -> None:
    from callclient.pbx.service import PersonalContactFields

    directory = make_directory()
    added = directory.add_personal_contact(PersonalContactFields(firstname="Ines", lastname="Roy",
                                                                 number="+33 6 01 02 03 04"))
    assert directory.caller_id("0601020304").name == "Ines Roy"  # "add to contacts" names the next call
    directory.edit_personal_contact(added.entry_id, PersonalContactFields(firstname="Inès", lastname="Roy",
                                                                          number="+33 6 01 02 03 04"))
    assert directory.caller_id("0601020304").name == "Inès Roy"
    directory.delete_personal_contact(added.entry_id)
    assert directory.caller_id("0601020304") is None
    result = directory.import_personal_contacts("firstname,lastname,number\r\nPaul,Girard,+33 5 56 00 00 01\r\n")
    assert result.created == 1 and directory.caller_id("05 56 00 00 01").name == "Paul Girard"
