"""The Windows app lock: Windows Hello's UserConsentVerifier (face, fingerprint or PIN), through winrt.

The platform API is one small object (`WindowsHelloApi`) so the rest runs, and is tested, anywhere: tests
hand a recorded answer of the two calls; on Windows `WinRtHello` makes them.
"""

from __future__ import annotations

import enum
import logging
from typing import Protocol

from callclient.storage.app_lock import AppLockUnavailable, UnlockResult

log = logging.getLogger(__name__)


class Availability(enum.IntEnum):  # Windows.Security.Credentials.UI.UserConsentVerifierAvailability
    AVAILABLE = 0
    DEVICE_NOT_PRESENT = 1
    NOT_CONFIGURED_FOR_USER = 2
    DISABLED_BY_POLICY = 3
    DEVICE_BUSY = 4


class Verification(enum.IntEnum):  # Windows.Security.Credentials.UI.UserConsentVerificationResult
    VERIFIED = 0
    DEVICE_NOT_PRESENT = 1
    NOT_CONFIGURED_FOR_USER = 2
    DISABLED_BY_POLICY = 3
    DEVICE_BUSY = 4
    RETRIES_EXHAUSTED = 5
    CANCELED = 6


WHY_UNAVAILABLE = {
    Availability.DEVICE_NOT_PRESENT: "This computer has no Windows Hello device (camera, fingerprint reader) or PIN.",
    Availability.NOT_CONFIGURED_FOR_USER: "Windows Hello is not set up for you: set it up in Windows Settings, "
                                          "Accounts, Sign-in options.",
    Availability.DISABLED_BY_POLICY: "Your administrator has turned Windows Hello off.",
    Availability.DEVICE_BUSY: "The Windows Hello device is busy; try again.",
}


class WindowsHelloApi(Protocol):
    def check_availability(self) -> int: ...

    def request_verification(self, message: str) -> int: ...


class WinRtHello:
    """The real calls (Windows 10+, the `winrt-Windows.Security.Credentials.UI` package)."""

    def check_availability(self) -> int:
        import asyncio

        from winrt.windows.security.credentials.ui import UserConsentVerifier

        return int(asyncio.run(_await(UserConsentVerifier.check_availability_async())))

    def request_verification(self, message: str) -> int:
        import asyncio

        from winrt.windows.security.credentials.ui import UserConsentVerifier

        return int(asyncio.run(_await(UserConsentVerifier.request_verification_async(message))))


async def _await(operation: object) -> object:
    return await operation  # type: ignore[misc]


class WindowsHelloLock:
    def __init__(self, api: WindowsHelloApi | None = None) -> None:
        self._api = api
        self._reason: str | None = None

    def _platform(self) -> WindowsHelloApi:
        if self._api is None:
            self._api = WinRtHello()
        return self._api

    @property
    def available(self) -> bool:
        return self.unavailable_reason == ""

    @property
    def unavailable_reason(self) -> str:
        if self._reason is None:
            try:
                answer = Availability(self._platform().check_availability())
            except ImportError:
                self._reason = "Windows Hello support (the winrt package) is not installed with CallClient."
            except (OSError, ValueError) as error:
                self._reason = f"Windows Hello did not answer ({error})."
            else:
                self._reason = WHY_UNAVAILABLE.get(answer, "")
        return self._reason

    def unlock(self, reason: str) -> UnlockResult:
        try:
            answer = Verification(self._platform().request_verification(reason))
        except (ImportError, OSError, ValueError) as error:
            raise AppLockUnavailable(f"Windows Hello could not ask ({error})") from None
        log.info("Windows Hello answered %s", answer.name)
        if answer is Verification.VERIFIED:
            return UnlockResult.UNLOCKED
        if answer is Verification.CANCELED:
            return UnlockResult.CANCELLED
        if answer is Verification.RETRIES_EXHAUSTED:
            return UnlockResult.DENIED
        raise AppLockUnavailable(WHY_UNAVAILABLE.get(Availability(int(answer)), answer.name))


__all__ = ["Availability", "Verification", "WindowsHelloApi", "WindowsHelloLock"]
