"""The store's schema and how an existing store file moves from the version it holds to the newest one.

Each step is one transaction that also bumps `PRAGMA user_version`, so a store is always at exactly one version;
a file from a newer CallClient is refused (`StoreFromNewerVersion`) rather than read with the wrong schema.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from callclient.storage.store_errors import StoreFromNewerVersion, StoreMigrationFailed, describe_sqlite_error

log = logging.getLogger(__name__)

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


def migrate(path: Path, connection: sqlcipher.Connection, migrations: Sequence[str]) -> None:
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
            raise StoreMigrationFailed(path, next_version, describe_sqlite_error(error)) from error
        log.info("local store %s updated to schema version %d", path, next_version)

