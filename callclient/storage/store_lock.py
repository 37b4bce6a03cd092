"""The one-writer rule: an exclusive, process-wide lock on `<store>.lock`, so a second running CallClient gets
`StoreInUse` instead of interleaving writes with the first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from callclient.storage.files import describe_os_error
from callclient.storage.store_errors import StoreInUse, StoreUnavailable


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

