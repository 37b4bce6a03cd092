"""Locking the app behind the operating system's own unlock (fingerprint, Windows Hello, Touch ID, password).

CallClient never sees the biometric or the password: it asks the platform to confirm the user and hears only
yes, no or cancelled. Unlocking never reads or moves a secret — the SQLCipher key stays in the keychain; the
lock only decides what the windows show (callclient/services/lock.py).

    Linux    polkit re-authenticates the user for our own action (app_lock_polkit.py)
    Windows  Windows Hello's UserConsentVerifier (app_lock_windows.py)
    macOS    LocalAuthentication's LAContext (app_lock_macos.py)
"""

from __future__ import annotations

import enum
import sys
from typing import Protocol, runtime_checkable


class UnlockResult(enum.Enum):
    UNLOCKED = "unlocked"  # the platform confirmed the user
    DENIED = "denied"  # the user could not be confirmed (wrong password, unknown finger)
    CANCELLED = "cancelled"  # the user dismissed the platform's prompt


class AppLockUnavailable(Exception):
    """The platform cannot confirm the user here; the message says why in words for Settings."""


@runtime_checkable
class AppLock(Protocol):
    @property
    def available(self) -> bool:
        """Whether this machine can lock the app at all (so settings can offer the option)."""
        ...

    @property
    def unavailable_reason(self) -> str:
        """Why `available` is false, in the user's words ("" when it is available)."""
        ...

    def unlock(self, reason: str) -> UnlockResult:
        """Asks the OS to confirm the user, showing `reason`. Blocks until answered: never call it on the GUI
        thread. Raises AppLockUnavailable when the platform cannot ask."""
        ...


class ProbedAppLock:
    """The part every platform lock shares: whether the machine can confirm the user is probed once, the first
    time settings or the lock service asks (a bus round trip, a platform call), then remembered. A backend
    says only how to probe (`_probe`) and how to ask (`unlock`)."""

    def __init__(self) -> None:
        self._reason: str | None = None  # None until probed

    @property
    def available(self) -> bool:
        return self.unavailable_reason == ""

    @property
    def unavailable_reason(self) -> str:
        if self._reason is None:
            self._reason = self._probe()
        return self._reason

    def _probe(self) -> str:
        """Why this machine cannot lock the app, in the user's words ("" when it can)."""
        raise NotImplementedError


class NoAppLock:
    """No app lock: the desktop session's own lock is the only one."""

    def __init__(self, reason: str = "This system offers no way to confirm it is you.") -> None:
        self._reason = reason

    @property
    def available(self) -> bool:
        return False

    @property
    def unavailable_reason(self) -> str:
        return self._reason

    def unlock(self, reason: str) -> UnlockResult:
        return UnlockResult.UNLOCKED


def platform_app_lock() -> AppLock:
    """The lock this platform offers (each module says itself when it is unavailable, and why)."""
    if sys.platform.startswith("linux"):
        from callclient.storage.app_lock_polkit import PolkitLock

        return PolkitLock()
    if sys.platform == "win32":
        from callclient.storage.app_lock_windows import WindowsHelloLock

        return WindowsHelloLock()
    if sys.platform == "darwin":
        from callclient.storage.app_lock_macos import TouchIdLock

        return TouchIdLock()
    return NoAppLock(f"App lock is not supported on {sys.platform}.")


__all__ = ["AppLock", "AppLockUnavailable", "NoAppLock", "ProbedAppLock", "UnlockResult", "platform_app_lock"]
