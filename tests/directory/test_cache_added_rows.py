"""The offline cache keeps a big source's row whole and writes what remote answers add to a small second
row (rewriting 20,000 contacts per answer stalled the GUI while typing): a real SQLCipher store."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.directory.cache import ADDED_SUFFIX, COMPACT_AT, DirectoryCache
from callclient.directory.model import Contact, PhoneNumber, SourceKind
from callclient.storage.store import LocalStore

SOURCE = "Company directory"


def person(n: int) -> Contact:
    return Contact(f"Person {n}", (PhoneNumber(str(10000 + n)),), SourceKind.DIRECTORY, SOURCE)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore.open(tmp_path / "store.db", secrets.token_bytes(32))
    yield opened
    opened.close()


def rows(store: LocalStore) -> dict[str, int]:
    return {name: len(payload) for name, payload in store.read("SELECT source, contacts FROM directory_cache")}


def test_additions_to_a_big_source_go_to_the_added_row_and_load_back_merged(store: LocalStore) -> None:
    cache = DirectoryCache(store, "pbx", lambda: 3600)
    everyone = [person(n) for n in range(2000)]
    cache.save(SOURCE, everyone)
    whole = rows(store)[SOURCE]
    newcomers = [person(n) for n in range(2000, 2003)]
    everyone += newcomers
    cache.add(SOURCE, newcomers, lambda: everyone)
    written = rows(store)
    assert written[SOURCE] == whole, "the big row was not rewritten"
    assert SOURCE + ADDED_SUFFIX in written and written[SOURCE + ADDED_SUFFIX] < whole / 100

    again = DirectoryCache(store, "pbx", lambda: 3600)  # the next start
    loaded = again.load()
    assert list(loaded) == [SOURCE] and len(loaded[SOURCE]) == 2003
    more = [person(n) for n in range(2003, 2003 + COMPACT_AT)]
    everyone += more
    again.add(SOURCE, more, lambda: everyone)  # past COMPACT_AT: folded into the main row
    assert set(rows(store)) == {SOURCE} and len(again.load()[SOURCE]) == len(everyone)

    again.add(SOURCE, [person(9999)], lambda: [*everyone, person(9999)])
    again.remove(SOURCE)  # consent revoked or source removed: both rows go
    assert rows(store) == {}


def test_a_small_source_is_written_whole(store: LocalStore) -> None:
    cache = DirectoryCache(store, "pbx", lambda: 3600)
    cache.add(SOURCE, [person(1)], lambda: [person(1)])
    assert set(rows(store)) == {SOURCE}
