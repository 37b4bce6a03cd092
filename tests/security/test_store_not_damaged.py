"""The store is moved aside as damaged only when it is damaged (item 8).

A store another program holds locked, or one a newer CallClient wrote before the user went back to an
older version, is intact: treating it as damage made the user's favorites and settings look gone.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.storage.favorites import Favorites
from callclient.storage.keychain import AppSecret, Keychain
from callclient.storage.store import open_store
from callclient.storage.store_errors import StoreError
from callclient.storage.store_schema import SCHEMA_MIGRATIONS

# Another program with the key (a second CallClient started with another lock file, a tool the user runs
# on the store) inside an exclusive SQLite transaction: it holds the database file's own lock.
HOLD_LOCK = textwrap.dedent("""
    import sys
    from sqlcipher3 import dbapi2 as sqlcipher
    connection = sqlcipher.connect(sys.argv[1], isolation_level=None)
    connection.execute("PRAGMA key = \\"x'" + sys.stdin.readline().strip() + "'\\"")
    connection.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    connection.execute("ROLLBACK")
""")


@pytest.fixture
def store_with_favorites(tmp_path: Path, keychain: Keychain) -> Path:
    path = tmp_path / "data" / "store.db"
    with open_store(path, keychain).store as store:
        Favorites(store).add("office", "Mum", "+33 1 23 45 67 89")
    return path


@pytest.fixture
def held_lock(store_with_favorites: Path, keychain: Keychain) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(store_with_favorites)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdin.write(keychain.get_key(AppSecret.STORE_KEY).hex() + "\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    holder.stdin.close()
    holder.wait(10)


def _favorites(path: Path, keychain: Keychain) -> list[str]:
    with open_store(path, keychain).store as store:
        return [favorite.label for favorite in Favorites(store).list("office")]


def _left_alone(path: Path) -> None:
    assert path.exists()
    assert not list(path.parent.glob("*damaged*")), "nothing was moved aside"


def test_a_store_locked_by_another_program_is_reported_in_use_and_left_alone(
        store_with_favorites: Path, keychain: Keychain, held_lock: subprocess.Popen[str]) -> None:
    with pytest.raises(StoreError, match="in use by another CallClient or a backup tool") as raised:
        open_store(store_with_favorites, keychain)
    assert str(store_with_favorites) in str(raised.value)
    _left_alone(store_with_favorites)
    held_lock.stdin.close()  # the other program lets go
    held_lock.wait(10)
    assert _favorites(store_with_favorites, keychain) == ["Mum"]


def test_a_store_from_a_newer_version_is_reported_as_such_and_left_alone(store_with_favorites: Path,
                                                                         keychain: Keychain) -> None:
    newer = (*SCHEMA_MIGRATIONS, "CREATE TABLE call_notes (id INTEGER PRIMARY KEY, text TEXT)")
    open_store(store_with_favorites, keychain, newer).store.close()  # the newer CallClient ran once

    with pytest.raises(StoreError, match="written by a newer CallClient") as raised:
        open_store(store_with_favorites, keychain)  # back to this version
    assert f"schema version {len(newer)}" in str(raised.value) and "left as it is" in str(raised.value)
    _left_alone(store_with_favorites)
    with open_store(store_with_favorites, keychain, newer).store as store:  # upgrading again finds everything
        assert [favorite.label for favorite in Favorites(store).list("office")] == ["Mum"]
