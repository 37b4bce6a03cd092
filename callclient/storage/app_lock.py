"""The seam for locking the app behind the operating system's own unlock (fingerprint, Windows Hello, Touch ID).

Optional and not implemented yet: the composition root passes `NoAppLock` until a real platform lock exists.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class AppLock(Protocol):
    @property
    def available(self) -> bool:
        """Whether this machine can lock the app at all (so settings can offer the option)."""
        ...

    def unlock(self, reason: str) -> bool:
        """Asks the OS to confirm the user, showing `reason`; True when the user may go on. Blocks until answered."""
        ...


class NoAppLock:
    """No app lock: the desktop session's own lock is the only one."""

    @property
    def available(self) -> bool:
        return False

    def unlock(self, reason: str) -> bool:
        return True
