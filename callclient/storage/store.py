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
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from callclient.storage.files import describe_os_error, fsync_dir, fsync_file
from callclient.storage.keychain import AppSecret, Keychain

log = logging.getLogger(__name__)

PAGE_SIZE = 4096  # SQLCipher 4's default; every store file is a whole number of pages

# Each entry moves the schema from version i to i + 1. Append only: never edit a released migration.
SCHEMA_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE favorites (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        label TEXT NOT NULL,
        target TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    CREATE INDEX favorites_by_account ON favorites (account_id, position);
    CREATE TABLE preferences (
        account_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account_id, key)
    );
    """,
    # 1 -> 2: the directory's offline cache (callclient/directory/cache.py): contacts from the PBX directory,
    # LDAP and the address book, as JSON, per source, with when they were fetched (the TTL counts from there).
    """
    CREATE TABLE directory_cache (
        account_id TEXT NOT NULL,
        source TEXT NOT NULL,
        contacts TEXT NOT NULL,
        fetched_at REAL NOT NULL,
        PRIMARY KEY (account_id, source)
    );
    """,
)

# Tables whose rows belong to one account (column account_id); erase_account empties them for it.
ACCOUNT_TABLES = ("favorites", "preferences", "directory_cache")


class StoreError(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


class StoreDamaged(StoreError):
    """The store file cannot be used as it is. `moved_to` is where it was kept, once moved aside."""

    def __init__(self, path: Path, reason: str, moved_to: Path | None = None) -> None:
        message = f"The local store {path} is damaged: {reason}."
        if moved_to is not None:
            message += (
                f" It was kept as {moved_to} and a new, empty store was started;"
                " favorites and preferences saved before need to be entered again."
            )
        super().__init__(path, message)
        self.reason = reason
        self.moved_to = moved_to

    def moved(self, moved_to: Path) -> StoreDamaged:
        return type(self)(self.path, self.reason, moved_to)


class StoreFromNewerVersion(StoreError):
    """Written by a newer CallClient (the user went back to an older version): this one cannot read its
    schema. Not damage: the file is left where it is, with everything in it, for the newer version."""

    def __init__(self, path: Path, version: int, known: int) -> None:
        super().__init__(
            path,
            f"The local store {path} was written by a newer CallClient (schema version {version}; this version "
            f"reads up to {known}). It was left as it is, with your favorites and settings: install the newer "
            "CallClient again to use them, or move the file away to start this version with an empty store.",
        )
        self.version = version
        self.known = known


class StoreBusy(StoreError):
    """Another program holds SQLite's lock on the store file itself (another CallClient that did not take
    our lock file, a backup or sync tool copying it): the store is fine, only not available right now."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"The local store {path} is in use by another CallClient or a backup tool, and it was left as it is. "
            "Close the other program (or wait for the backup to finish) and start CallClient again.",
        )


class StoreInUse(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"The local store {path} is in use by another running CallClient. "
            "Close the other CallClient window (or its background process) and try again.",
        )


class StoreUnavailable(StoreError):
    """The store cannot be opened or created at all (folder missing rights, disk full while creating)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, f"The local store {path} cannot be opened: {reason}.")
        self.reason = reason


class StoreWriteFailed(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            path,
            f"Could not save to the local store {path}: {reason}. "
            "Everything saved before is intact; the last change was not saved.",
        )
        self.reason = reason


class StoreMigrationFailed(StoreError):
    def __init__(self, path: Path, version: int, reason: str) -> None:
        super().__init__(
            path,
            f"Updating the local store {path} to schema version {version} failed: {reason}. "
            "The store was left as it was.",
        )


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
                damage = missing_key.moved(_move_aside(path, missing_key))
        try:
            store = LocalStore._open_locked(path, key, migrations, lock)
        except StoreDamaged as found:
            if damage is not None:
                raise  # the store just made is damaged too: a disk problem that moving files cannot fix
            damage = found.moved(_move_aside(path, found))
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
            _create(path, key, migrations)
        _check_file_size(path)
        connection = _connect(path, key)
        try:
            _verify(path, connection)
            _migrate(path, connection, migrations)
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
            if _is_damage(error):
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
            raise StoreWriteFailed(self._path, _describe_sqlite_error(error)) from error
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


class StoreLock:
    """An exclusive, process-wide lock on `<store>.lock`, held while the store is open or being erased."""

    def __init__(self, path: Path, fd: int) -> None:
        self._path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, store_path: Path) -> StoreLock:
        lock_path = store_path.with_name(store_path.name + ".lock")
        try:
            store_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise StoreUnavailable(store_path, describe_os_error(error)) from error
        try:
            _lock_exclusive(fd)
        except BlockingIOError:
            os.close(fd)
            raise StoreInUse(store_path) from None
        except OSError as error:
            os.close(fd)
            raise StoreUnavailable(store_path, f"it cannot be locked ({describe_os_error(error)})") from error
        return cls(lock_path, fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _lock_exclusive(fd: int) -> None:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError as error:
            raise BlockingIOError(str(error)) from error

else:
    import fcntl

    def _lock_exclusive(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _connect(path: Path, key: bytes) -> sqlcipher.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so a transaction means exactly one write().
        # check_same_thread=False: LocalStore serialises every use with its own lock.
        connection = sqlcipher.connect(str(path), isolation_level=None, timeout=5, check_same_thread=False)
    except sqlcipher.Error as error:
        raise StoreUnavailable(path, _describe_sqlite_error(error)) from error
    try:
        # We report damage ourselves; SQLCipher would otherwise print its own errors on stderr.
        connection.execute("PRAGMA cipher_log_level = NONE")
        # A raw 256-bit key (x'..'): it is already random, so SQLCipher's PBKDF2 stretching adds nothing.
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    except sqlcipher.Error as error:
        connection.close()
        raise StoreUnavailable(path, _describe_sqlite_error(error)) from error
    return connection


def _verify(path: Path, connection: sqlcipher.Connection) -> None:
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher.DatabaseError as error:
        if _is_busy(error):
            raise StoreBusy(path) from error
        if "not a database" in str(error):
            # SQLCipher cannot tell a wrong key from a corrupted first page: both fail page 1's HMAC.
            raise StoreDamaged(
                path, "it cannot be decrypted with the key in the keychain (wrong key, or its first page is corrupted)"
            ) from error
        raise StoreDamaged(path, f"its contents are corrupted ({error})") from error
    try:
        hmac_failures = connection.execute("PRAGMA cipher_integrity_check").fetchall()
        if hmac_failures:
            raise StoreDamaged(path, f"pages failed their integrity check ({hmac_failures[0][0]})")
        quick_check = connection.execute("PRAGMA quick_check").fetchall()
    except sqlcipher.DatabaseError as error:
        if _is_busy(error):
            raise StoreBusy(path) from error
        raise StoreDamaged(path, f"its contents are corrupted ({error})") from error
    if quick_check != [("ok",)]:
        raise StoreDamaged(path, f"its contents are corrupted ({quick_check[0][0]})")
    try:
        for pragma in ("journal_mode = DELETE", "synchronous = FULL", "secure_delete = ON", "foreign_keys = ON"):
            connection.execute(f"PRAGMA {pragma}").fetchall()
    except sqlcipher.Error as error:
        if _is_busy(error):
            raise StoreBusy(path) from error
        raise StoreUnavailable(path, _describe_sqlite_error(error)) from error


def _migrate(path: Path, connection: sqlcipher.Connection, migrations: Sequence[str]) -> None:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > len(migrations):
        raise StoreFromNewerVersion(path, version, len(migrations))
    for next_version in range(version + 1, len(migrations) + 1):
        script = f"BEGIN IMMEDIATE;\n{migrations[next_version - 1]}\n;PRAGMA user_version = {next_version};\nCOMMIT;"
        try:
            connection.executescript(script)
        except sqlcipher.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise StoreMigrationFailed(path, next_version, _describe_sqlite_error(error)) from error
        log.info("local store %s updated to schema version %d", path, next_version)


def _create(path: Path, key: bytes, migrations: Sequence[str]) -> None:
    """Builds a new store under a temporary name and renames it into place, so `path` is never half-made."""
    building = path.with_name(path.name + ".new")
    for leftover in (building, building.with_name(building.name + "-journal")):
        leftover.unlink(missing_ok=True)
    try:
        fd = os.open(building, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        connection = _connect(building, key)
        try:
            connection.execute("PRAGMA journal_mode = DELETE").fetchall()
            _migrate(building, connection, migrations)
        finally:
            connection.close()
        fsync_file(building)
        os.replace(building, path)
        fsync_dir(path.parent)
    except OSError as error:
        building.unlink(missing_ok=True)
        raise StoreUnavailable(path, f"creating it failed ({describe_os_error(error)})") from error
    except (StoreUnavailable, StoreMigrationFailed) as error:
        building.unlink(missing_ok=True)
        raise StoreUnavailable(path, f"creating it failed ({error})") from error


def _check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise StoreDamaged(path, "the file is empty")
    if size % PAGE_SIZE:
        raise StoreDamaged(
            path, f"the file is truncated ({size} bytes is not a whole number of {PAGE_SIZE}-byte pages)"
        )


def _move_aside(path: Path, damage: StoreDamaged) -> Path:
    """Renames the damaged store (and its journal, which must never be replayed onto a new store)."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    moved_to = path.with_name(f"{path.name}.damaged-{stamp}")
    suffix = 1
    while moved_to.exists():
        suffix += 1
        moved_to = path.with_name(f"{path.name}.damaged-{stamp}-{suffix}")
    try:
        for companion in ("-journal", "-wal", "-shm"):
            source = path.with_name(path.name + companion)
            if source.exists():
                os.replace(source, moved_to.with_name(moved_to.name + companion))
        os.replace(path, moved_to)
        fsync_dir(path.parent)
    except OSError as error:
        raise StoreUnavailable(
            path, f"{damage.reason}, and it could not be moved aside ({describe_os_error(error)})"
        ) from error
    return moved_to


def _is_busy(error: sqlcipher.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds the file's lock past our busy timeout."""
    text = str(error)
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def _is_damage(error: sqlcipher.DatabaseError) -> bool:
    text = str(error)
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _describe_sqlite_error(error: sqlcipher.Error) -> str:
    text = str(error)
    if "disk is full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the file or its folder is read-only"
    if "unable to open database file" in text:
        return "its folder cannot be written to (read-only, missing, or no permission)"
    if "disk I/O error" in text:
        return "the disk reported a write error"
    if "locked" in text:
        return "another program is using it"
    return text
