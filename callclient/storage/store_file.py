"""One SQLCipher store file on disk: made atomically under a temporary name, opened with its raw key, checked for
damage before anything is read from it, and moved aside (with its journal) when it is damaged.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from callclient.storage.files import describe_os_error, fsync_dir, fsync_file
from callclient.storage.store_errors import (
    StoreBusy,
    StoreDamaged,
    StoreMigrationFailed,
    StoreUnavailable,
    describe_sqlite_error,
    is_busy,
)
from callclient.storage.store_schema import migrate

PAGE_SIZE = 4096  # SQLCipher 4's default; every store file is a whole number of pages


def connect(path: Path, key: bytes) -> sqlcipher.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so a transaction means exactly one write().
        # check_same_thread=False: LocalStore serialises every use with its own lock.
        connection = sqlcipher.connect(str(path), isolation_level=None, timeout=5, check_same_thread=False)
    except sqlcipher.Error as error:
        raise StoreUnavailable(path, describe_sqlite_error(error)) from error
    try:
        # We report damage ourselves; SQLCipher would otherwise print its own errors on stderr.
        connection.execute("PRAGMA cipher_log_level = NONE")
        # A raw 256-bit key (x'..'): it is already random, so SQLCipher's PBKDF2 stretching adds nothing.
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    except sqlcipher.Error as error:
        connection.close()
        raise StoreUnavailable(path, describe_sqlite_error(error)) from error
    return connection


def verify(path: Path, connection: sqlcipher.Connection) -> None:
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher.DatabaseError as error:
        if is_busy(error):
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
        if is_busy(error):
            raise StoreBusy(path) from error
        raise StoreDamaged(path, f"its contents are corrupted ({error})") from error
    if quick_check != [("ok",)]:
        raise StoreDamaged(path, f"its contents are corrupted ({quick_check[0][0]})")
    try:
        for pragma in ("journal_mode = DELETE", "synchronous = FULL", "secure_delete = ON", "foreign_keys = ON"):
            connection.execute(f"PRAGMA {pragma}").fetchall()
    except sqlcipher.Error as error:
        if is_busy(error):
            raise StoreBusy(path) from error
        raise StoreUnavailable(path, describe_sqlite_error(error)) from error



def create(path: Path, key: bytes, migrations: Sequence[str]) -> None:
    """Builds a new store under a temporary name and renames it into place, so `path` is never half-made."""
    building = path.with_name(path.name + ".new")
    for leftover in (building, building.with_name(building.name + "-journal")):
        leftover.unlink(missing_ok=True)
    try:
        fd = os.open(building, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        connection = connect(building, key)
        try:
            connection.execute("PRAGMA journal_mode = DELETE").fetchall()
            migrate(building, connection, migrations)
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


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise StoreDamaged(path, "the file is empty")
    if size % PAGE_SIZE:
        raise StoreDamaged(
            path, f"the file is truncated ({size} bytes is not a whole number of {PAGE_SIZE}-byte pages)"
        )


def move_aside(path: Path, damage: StoreDamaged) -> Path:
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

