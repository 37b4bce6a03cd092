"""The encrypted store: first run, encryption, one writer, crash safety, damage recovery, migrations, write errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from callclient.storage.favorites import Favorites
from callclient.storage.keychain import AppSecret, Keychain, KeychainUnavailable
from callclient.storage.preferences import Preferences
from callclient.storage.store import LocalStore, open_store
from callclient.storage.store_errors import (
    StoreDamaged,
    StoreFromNewerVersion,
    StoreInUse,
    StoreMigrationFailed,
    StoreUnavailable,
    StoreWriteFailed,
)
from callclient.storage.store_file import PAGE_SIZE
from callclient.storage.store_schema import SCHEMA_MIGRATIONS
from tests.storage.disk_conditions import FullDisk, ReadOnlySwitch


def _store_with_favorite(path: Path, keychain: Keychain, label: str = "Reception") -> None:
    opened = open_store(path, keychain)
    with opened.store as store:
        Favorites(store).add("alice@pbx", label, "100")


def _labels(store: LocalStore) -> list[str]:
    return [favorite.label for favorite in Favorites(store).list("alice@pbx")]


def test_first_run_makes_a_random_key_in_the_keychain_and_an_encrypted_store(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    assert keychain.get_key(AppSecret.STORE_KEY) is None

    _store_with_favorite(path, keychain, label="Distinctive Label Zebra")

    assert len(keychain.get_key(AppSecret.STORE_KEY) or b"") == 32
    raw = path.read_bytes()
    assert b"Distinctive Label Zebra" not in raw
    assert not raw.startswith(b"SQLite format 3")
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_store_key_never_reaches_the_disk(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    with open_store(path, keychain).store as store:
        Preferences(store).set("theme", "dark")
    key = keychain.get_key(AppSecret.STORE_KEY)
    assert key is not None

    for file in (p for p in tmp_path.rglob("*") if p.is_file()):
        content = file.read_bytes()
        assert key not in content and key.hex().encode() not in content, file


def test_what_was_saved_is_there_after_reopening(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain, label="Sales")
    opened = open_store(path, keychain)
    with opened.store as store:
        assert opened.damage is None
        assert _labels(store) == ["Sales"]


def test_a_second_instance_gets_store_in_use_while_the_first_has_it_open(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    with LocalStore.open(path, key):
        second = _run_python(
            f"""
            from pathlib import Path
            from callclient.storage.store import LocalStore
            from callclient.storage.store_errors import StoreInUse
            try:
                LocalStore.open(Path({str(path)!r}), bytes.fromhex(input()))
            except StoreInUse as error:
                print("in use:", error)
            """,
            stdin=key.hex(),
        )
        assert second.returncode == 0, second.stderr
        assert f"in use: The local store {path} is in use by another running CallClient" in second.stdout
        with pytest.raises(StoreInUse):
            LocalStore.open(path, key)
    # Closing released the lock.
    with LocalStore.open(path, key) as reopened:
        assert reopened.schema_version == len(SCHEMA_MIGRATIONS)


def test_a_process_killed_mid_transaction_keeps_what_was_committed_and_nothing_else(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    crashed = _run_python(
        f"""
        import os, signal
        from pathlib import Path
        from callclient.storage.favorites import Favorites
        from callclient.storage.store import LocalStore
        store = LocalStore.open(Path({str(path)!r}), bytes.fromhex(input()))
        Favorites(store).add("alice@pbx", "Committed", "100")
        # A tiny page cache makes SQLite write uncommitted pages into the store file before COMMIT,
        # so the crash below leaves a half-written file that only the journal can repair.
        store.read("PRAGMA cache_size = 2")
        with store.write() as cursor:
            for n in range(200):
                cursor.execute(
                    "INSERT INTO favorites (account_id, label, target, position) VALUES (?, ?, ?, ?)",
                    ("alice@pbx", "Uncommitted " + "u" * 2000, "200", n),
                )
            os.kill(os.getpid(), signal.SIGKILL)
        """,
        stdin=key.hex(),
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert path.with_name("store.db-journal").stat().st_size > 0  # the crash left a hot journal behind

    with LocalStore.open(path, key) as store:
        assert _labels(store) == ["Committed"]
        assert store.read("PRAGMA cipher_integrity_check") == []


def test_a_truncated_store_is_reported_kept_aside_and_replaced_by_a_fresh_one(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    damaged_bytes = path.read_bytes()[: PAGE_SIZE + 1000]
    path.write_bytes(damaged_bytes)

    opened = open_store(path, keychain)

    with opened.store as store:
        damage = opened.damage
        assert damage is not None
        assert "truncated" in str(damage)
        assert str(path) in str(damage)
        assert damage.moved_to is not None and str(damage.moved_to) in str(damage)
        assert damage.moved_to.read_bytes() == damaged_bytes
        assert _labels(store) == []
        Favorites(store).add("alice@pbx", "After recovery", "101")
    with open_store(path, keychain).store as store:
        assert _labels(store) == ["After recovery"]


def test_a_store_cut_at_a_page_boundary_is_detected(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    path.write_bytes(path.read_bytes()[: 2 * PAGE_SIZE])

    opened = open_store(path, keychain)

    with opened.store:
        assert opened.damage is not None
        assert "damaged" in str(opened.damage)


def test_a_corrupted_page_is_detected_by_its_authentication_code(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    raw = bytearray(path.read_bytes())
    raw[PAGE_SIZE + 200] ^= 0x01  # one flipped bit inside page 2
    path.write_bytes(bytes(raw))

    key = keychain.get_key(AppSecret.STORE_KEY)
    assert key is not None
    with pytest.raises(StoreDamaged, match="integrity check"):
        LocalStore.open(path, key)
    assert path.read_bytes() == bytes(raw)  # opening without recovery leaves the file alone

    opened = open_store(path, keychain)
    with opened.store:
        assert opened.damage is not None
        assert opened.damage.moved_to is not None
        assert opened.damage.moved_to.read_bytes() == bytes(raw)


def test_a_store_under_the_wrong_key_is_reported_as_undecryptable(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    original = path.read_bytes()
    keychain.set_key(AppSecret.STORE_KEY, os.urandom(32))

    opened = open_store(path, keychain)

    with opened.store as store:
        assert opened.damage is not None
        assert "cannot be decrypted with the key in the keychain" in str(opened.damage)
        assert opened.damage.moved_to is not None and opened.damage.moved_to.read_bytes() == original
        assert _labels(store) == []


def test_a_store_whose_key_is_missing_from_the_keychain_is_kept_aside_not_deleted(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    original = path.read_bytes()
    old_key = keychain.get_key(AppSecret.STORE_KEY)
    keychain.delete_key(AppSecret.STORE_KEY)

    opened = open_store(path, keychain)

    with opened.store as store:
        assert opened.damage is not None
        assert "key is missing from the system keychain" in str(opened.damage)
        assert opened.damage.moved_to is not None and opened.damage.moved_to.read_bytes() == original
        assert _labels(store) == []
        assert keychain.get_key(AppSecret.STORE_KEY) not in (None, old_key)
    # The kept file is intact: with the old key (a restored keychain) it opens with its data.
    assert old_key is not None
    with LocalStore.open(opened.damage.moved_to, old_key) as kept:
        assert _labels(kept) == ["Reception"]


def test_an_empty_store_file_is_damage_not_a_silent_new_store(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    path.write_bytes(b"")

    opened = open_store(path, keychain)

    with opened.store:
        assert opened.damage is not None and "empty" in str(opened.damage)


def test_the_damaged_stores_journal_is_moved_aside_with_it(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    _store_with_favorite(path, keychain)
    path.write_bytes(path.read_bytes()[:100])
    journal = path.with_name("store.db-journal")
    journal.write_bytes(b"stale journal of the damaged store")

    opened = open_store(path, keychain)

    with opened.store:
        assert opened.damage is not None and opened.damage.moved_to is not None
        assert not journal.exists() or journal.read_bytes() != b"stale journal of the damaged store"
        kept_journal = opened.damage.moved_to.with_name(opened.damage.moved_to.name + "-journal")
        assert kept_journal.read_bytes() == b"stale journal of the damaged store"


def test_migrations_bring_an_old_store_up_to_date_and_keep_its_data(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    with LocalStore.open(path, key, SCHEMA_MIGRATIONS[:1]) as store:
        Favorites(store).add("alice@pbx", "Kept", "100")
    newer = (*SCHEMA_MIGRATIONS, "ALTER TABLE favorites ADD COLUMN ring_tone TEXT NOT NULL DEFAULT 'classic'")

    with LocalStore.open(path, key, newer) as store:
        assert store.schema_version == len(newer)
        assert store.read("SELECT label, ring_tone FROM favorites") == [("Kept", "classic")]


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    with LocalStore.open(path, key) as store:
        Favorites(store).add("alice@pbx", "Kept", "100")
    broken = (
        *SCHEMA_MIGRATIONS,
        "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1)",
    )

    with pytest.raises(StoreMigrationFailed, match=f"schema version {len(broken)}"):
        LocalStore.open(path, key, broken)

    with LocalStore.open(path, key) as store:
        assert store.schema_version == len(SCHEMA_MIGRATIONS)
        assert store.read("SELECT name FROM sqlite_master WHERE name = 'half_done'") == []
        assert _labels(store) == ["Kept"]


def test_a_store_from_a_newer_callclient_is_reported_by_version(tmp_path: Path, keychain: Keychain):
    path = tmp_path / "store.db"
    key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    LocalStore.open(path, key, (*SCHEMA_MIGRATIONS, "CREATE TABLE future (x)")).close()

    with pytest.raises(StoreFromNewerVersion, match="newer CallClient"):
        LocalStore.open(path, key)


def test_without_a_keychain_nothing_is_written(tmp_path: Path, keychain: Keychain, monkeypatch):
    path = tmp_path / "data" / "store.db"
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")

    with pytest.raises(KeychainUnavailable):
        open_store(path, keychain)

    assert not path.exists()


def test_a_failed_write_in_a_read_only_folder_is_reported_and_loses_nothing(
    tmp_path: Path, keychain: Keychain, read_only: ReadOnlySwitch
):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "store.db"
    key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    with LocalStore.open(path, key) as store:
        Favorites(store).add("alice@pbx", "Before", "100")
        read_only.make_read_only(folder)

        with pytest.raises(StoreWriteFailed) as raised:
            Favorites(store).add("alice@pbx", "During", "101")

        assert str(path) in str(raised.value)
        assert "read-only" in str(raised.value) or "cannot be written" in str(raised.value)
        assert "Everything saved before is intact" in str(raised.value)
        assert _labels(store) == ["Before"]
    read_only.restore()
    with LocalStore.open(path, key) as store:
        assert _labels(store) == ["Before"]


def test_a_new_store_in_a_read_only_folder_is_a_clear_error(
    tmp_path: Path, keychain: Keychain, read_only: ReadOnlySwitch
):
    folder = tmp_path / "data"
    folder.mkdir()
    read_only.make_read_only(folder)

    with pytest.raises(StoreUnavailable) as raised:
        open_store(folder / "store.db", keychain)

    assert str(folder / "store.db") in str(raised.value)
    assert "read-only" in str(raised.value) or "permission denied" in str(raised.value)


def test_a_full_disk_fails_the_write_clearly_and_keeps_every_committed_change(keychain: Keychain, full_disk: FullDisk):
    path = full_disk.directory / "store.db"
    key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    with LocalStore.open(path, key) as store:
        preferences = Preferences(store)
        preferences.set("committed", "x" * 20_000)
        full_disk.fill()

        with pytest.raises(StoreWriteFailed) as raised:
            for n in range(100):
                preferences.set(f"too-much-{n}", "y" * 50_000)

        assert str(path) in str(raised.value)
        assert "disk" in str(raised.value)
        assert preferences.get("committed") == "x" * 20_000
        full_disk.free()
        preferences.set("after", 1)
    with LocalStore.open(path, key) as store:
        preferences = Preferences(store)
        assert preferences.get("committed") == "x" * 20_000
        assert preferences.get("after") == 1
        assert store.read("PRAGMA cipher_integrity_check") == []


def _run_python(source: str, stdin: str) -> subprocess.CompletedProcess[str]:
    """Runs a second CallClient-like process; secrets go over stdin, never on its command line."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(source)],
        input=stdin + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
