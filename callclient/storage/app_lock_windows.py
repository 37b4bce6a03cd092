"""The Windows app lock: Windows Hello's UserConsentVerifier (face, fingerprint or PIN), through winrt.

The platform API is one small object (`WindowsHelloApi`) so the rest runs, and is tested, anywhere: tests
hand a recorded answer of the two calls; on Windows `WinRtHello` makes them.

The prompt belongs over CallClient's window: the lock service hands the window's handle (HWND) to
`set_owner_window` before it asks, and Windows' own API for that is
IUserConsentVerifierInterop::RequestVerificationForWindowAsync(HWND, message). pywinrt's projection
(winrt-Windows.Security.Credentials.UI 2.x/3.x, generated from the WinRT metadata) does not expose that COM
interop interface — it lives in UserConsentVerifierInterop.h, not in the .winmd — so where the projection has
no `UserConsentVerifierInterop`, WinRtHello asks with RequestVerificationAsync, which Windows places over the
foreground window; the main window raises itself before asking, so that is ours (docs/security.md).
"""

from __future__ import annotations

import enum
import logging
from typing import Protocol

from callclient.storage.app_lock import AppLockUnavailable, ProbedAppLock, UnlockResult

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

    def request_verification(self, message: str, window_handle: int = 0) -> int:
        """`window_handle`: the HWND the prompt belongs to (0: none known)."""
        ...


class WinRtHello:
    """The real calls (Windows 10+, the `winrt-Windows.Security.Credentials.UI` package)."""

    def check_availability(self) -> int:
        import asyncio

        from winrt.windows.security.credentials.ui import UserConsentVerifier

        return int(asyncio.run(_await(UserConsentVerifier.check_availability_async())))

    def request_verification(self, message: str, window_handle: int = 0) -> int:
        import asyncio

        from winrt.windows.security.credentials import ui

        interop = getattr(ui, "UserConsentVerifierInterop", None)  # absent from pywinrt 2.x/3.x: see above
        if window_handle and interop is not None:
            operation = interop.request_verification_for_window_async(window_handle, message)
        else:
            if window_handle:
                log.info("winrt has no UserConsentVerifierInterop: Windows Hello asks over the foreground window")
            operation = ui.UserConsentVerifier.request_verification_async(message)
        return int(asyncio.run(_await(operation)))


async def _await(operation: object) -> object:
    return await operation  # type: ignore[misc]


class WindowsHelloLock(ProbedAppLock):
    def __init__(self, api: WindowsHelloApi | None = None) -> None:
        super().__init__()
        self._api = api if api is not None else WinRtHello()  # imports winrt only when it calls
        self._window_handle = 0  # CallClient's window (HWND) the prompt belongs to, set by the lock service

    def _probe(self) -> str:
        try:
            answer = Availability(self._api.check_availability())
        except ImportError:
            return "Windows Hello support (the winrt package) is not installed with CallClient."
        except (OSError, ValueError) as error:
            return f"Windows Hello did not answer ({error})."
        return WHY_UNAVAILABLE.get(answer, "")

    def set_owner_window(self, window_handle: int) -> None:
        """The window the next prompt belongs to (the lock service calls this before `unlock`)."""
        self._window_handle = window_handle

    def unlock(self, reason: str) -> UnlockResult:
        try:
            answer = Verification(self._api.request_verification(reason, self._window_handle))
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
