"""What can go wrong with the local store, in words the user can act on, and how SQLite's own error texts
are read to tell damage, a busy file and a full or read-only disk apart. Every other store module raises these.
"""

from __future__ import annotations

from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher


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


def is_busy(error: sqlcipher.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds the file's lock past our busy timeout."""
    text = str(error)
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def is_damage(error: sqlcipher.DatabaseError) -> bool:
    text = str(error)
    return "malformed" in text or "not a database" in text or "corrupt" in text


def describe_sqlite_error(error: sqlcipher.Error) -> str:
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
