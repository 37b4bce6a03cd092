"""The encrypted local store: favorites, preferences and local state in one SQLCipher 4 database.

Why it is safe to trust with the user's data:
- Encrypted and authenticated: SQLCipher 4 (AES-256 pages, HMAC-SHA512 per page) with a random 256-bit raw
  key made on first run and kept in the keychain; the key never touches the disk.
- Crash-safe: every change is one SQLite transaction with a rollback journal and synchronous=FULL, and a new
  store is built under a temporary name and renamed into place, so a store file is never half-made.
- One writer: an exclusive lock on `<store>.lock` for as long as the store is open, so a second running
  CallClient gets `StoreInUse` instead of interleaving writes.
- Damage is detected on open (short file, failed page HMAC, wrong or missing key, failed quick_check) and
  reported as `StoreDamaged` naming the file; `open_store` then moves the damaged file aside, keeps it,
  and starts a fresh store so the app keeps working. Only real damage: a file another program holds
  locked (`StoreBusy`) or one written by a newer CallClient (`StoreFromNewerVersion`) is an error that
  leaves the file, and the user's favorites in it, exactly where they are.

This module opens the store (key from the keychain, recovery from damage) and serialises its use. The parts it
composes: store_file.py (the SQLCipher file: create, open, verify, move aside), store_schema.py (migrations),
store_lock.py (the one-writer lock) and store_errors.py (what the user is told).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from callclient.storage.keychain import AppSecret, Keychain
from callclient.storage.store_errors import StoreDamaged, StoreWriteFailed, describe_sqlite_error, is_damage
from callclient.storage.store_file import check_file_size, connect, create, move_aside, verify
from callclient.storage.store_lock import StoreLock
from callclient.storage.store_schema import ACCOUNT_TABLES, SCHEMA_MIGRATIONS, migrate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreOpened:
    store: LocalStore
    damage: StoreDamaged | None  # the previous store was damaged and moved aside (show this to the user once)


def open_store(path: Path, keychain: Keychain, migrations: Sequence[str] = SCHEMA_MIGRATIONS) -> StoreOpened:
    """Opens the store with its key from the keychain, making both on first run and recovering from damage.

    Raises KeychainUnavailable (no keychain: nothing is written), StoreInUse, StoreUnavailable.
    """
    key = keychain.get_key(AppSecret.STORE_KEY)  # first: without a keychain, touch nothing on disk
    lock = StoreLock.acquire(path)
    try:
        damage: StoreDamaged | None = None
        if key is None:
            key = keychain.get_or_create_key(AppSecret.STORE_KEY)
            if path.exists():
                # Without its key the file can never be read again; keep it in case the keychain is restored.
                missing_key = StoreDamaged(path, "its key is missing from the system keychain")
                damage = missing_key.moved(move_aside(path, missing_key))
        try:
            store = LocalStore._open_locked(path, key, migrations, lock)
        except StoreDamaged as found:
            if damage is not None:
                raise  # the store just made is damaged too: a disk problem that moving files cannot fix
            damage = found.moved(move_aside(path, found))
            store = LocalStore._open_locked(path, key, migrations, lock)
    except BaseException:
        lock.release()
        raise
    if damage is not None:
        log.error("%s", damage)
    return StoreOpened(store=store, damage=damage)


class LocalStore:
    """One open store, usable from any thread: one lock serialises reads and whole write transactions.

    The GUI, the engine-event pump and the config watcher all read favorites and preferences; statements
    are short, so one connection behind a lock beats a connection per thread (and their WAL juggling).
    """

    def __init__(self, path: Path, connection: sqlcipher.Connection, lock: StoreLock) -> None:
        self._path = path
        self._connection = connection
        self._lock = lock
        self._use = threading.RLock()

    @classmethod
    def open(cls, path: Path, key: bytes, migrations: Sequence[str] = SCHEMA_MIGRATIONS) -> LocalStore:
        """Opens (creating if absent) without recovery: damage raises StoreDamaged and leaves the file alone."""
        lock = StoreLock.acquire(path)
        try:
            return cls._open_locked(path, key, migrations, lock)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _open_locked(cls, path: Path, key: bytes, migrations: Sequence[str], lock: StoreLock) -> LocalStore:
        if not path.exists():
            create(path, key, migrations)
        check_file_size(path)
        connection = connect(path, key)
        try:
            verify(path, connection)
            migrate(path, connection, migrations)
        except BaseException:
            connection.close()
            raise
        return cls(path, connection, lock)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def schema_version(self) -> int:
        return int(self.read("PRAGMA user_version")[0][0])

    def read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._use:
                return self._connection.execute(sql, parameters).fetchall()
        except sqlcipher.DatabaseError as error:
            if is_damage(error):
                raise StoreDamaged(self._path, f"reading it failed ({error})") from error
            raise

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlcipher.Cursor]:
        """One atomic transaction: all its statements are saved, or (on any error) none are."""
        with self._use:
            yield from self._transaction()

    def _transaction(self) -> Iterator[sqlcipher.Cursor]:
        cursor = self._connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            yield cursor
            cursor.execute("COMMIT")
        except (sqlcipher.ProgrammingError, sqlcipher.IntegrityError, sqlcipher.InterfaceError):
            self._rollback()
            raise  # a bug in the caller's statement, not a problem with the disk
        except sqlcipher.Error as error:
            self._rollback()
            raise StoreWriteFailed(self._path, describe_sqlite_error(error)) from error
        except BaseException:
            self._rollback()
            raise
        finally:
            cursor.close()

    def erase_account(self, account_id: str) -> None:
        with self.write() as cursor:
            for table in ACCOUNT_TABLES:
                cursor.execute(f"DELETE FROM {table} WHERE account_id = ?", (account_id,))

    def close(self) -> None:
        try:
            with self._use:
                self._connection.close()
        finally:
            self._lock.release()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _rollback(self) -> None:
        if self._connection.in_transaction:
            try:
                self._connection.execute("ROLLBACK")
            except sqlcipher.Error as error:
                # SQLite rolls back by itself after some I/O errors; the journal restores the rest on next open.
                log.warning("rolling back %s: %s", self._path, error)

