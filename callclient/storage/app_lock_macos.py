"""The macOS app lock: LocalAuthentication's LAContext (Touch ID, or the login password), through pyobjc.

`LAPolicyDeviceOwnerAuthentication` lets macOS fall back to the password where there is no Touch ID. The
platform API is one small object (`LocalAuthenticationApi`) so the rest runs, and is tested, anywhere: tests
hand a recorded answer; on macOS `PyObjcContext` makes the calls.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from callclient.storage.app_lock import AppLockUnavailable, UnlockResult

log = logging.getLogger(__name__)

# LAError codes (LocalAuthentication/LAError.h)
AUTHENTICATION_FAILED = -1
USER_CANCEL = -2
USER_FALLBACK = -3
SYSTEM_CANCEL = -4
PASSCODE_NOT_SET = -5
BIOMETRY_NOT_AVAILABLE = -6
BIOMETRY_NOT_ENROLLED = -7
BIOMETRY_LOCKOUT = -8
APP_CANCEL = -9
NOT_INTERACTIVE = -1004
CANCELLED_CODES = frozenset({USER_CANCEL, USER_FALLBACK, SYSTEM_CANCEL, APP_CANCEL})
WHY_UNAVAILABLE = {
    PASSCODE_NOT_SET: "This Mac has no login password set.",
    BIOMETRY_NOT_AVAILABLE: "Touch ID is not available on this Mac.",
    BIOMETRY_NOT_ENROLLED: "No fingerprint is enrolled in Touch ID.",
    BIOMETRY_LOCKOUT: "Touch ID is locked after too many attempts; unlock your Mac with its password first.",
    NOT_INTERACTIVE: "macOS cannot show its prompt to this process.",
}
ANSWER_TIMEOUT_S = 300.0


class LocalAuthenticationApi(Protocol):
    def can_evaluate(self) -> tuple[bool, int | None]:
        """(whether the policy can be evaluated, the LAError code when not)."""
        ...

    def evaluate(self, reason: str) -> tuple[bool, int | None]:
        """(success, the LAError code when not); blocks until the user answers."""
        ...


class PyObjcContext:
    """The real calls (pyobjc-framework-LocalAuthentication)."""

    def can_evaluate(self) -> tuple[bool, int | None]:
        from LocalAuthentication import LAContext, LAPolicyDeviceOwnerAuthentication

        ok, error = LAContext.alloc().init().canEvaluatePolicy_error_(LAPolicyDeviceOwnerAuthentication, None)
        return bool(ok), (int(error.code()) if error is not None else None)

    def evaluate(self, reason: str) -> tuple[bool, int | None]:
        from LocalAuthentication import LAContext, LAPolicyDeviceOwnerAuthentication

        answered = threading.Event()
        answer: list[tuple[bool, int | None]] = []

        def reply(success: bool, error: object) -> None:  # called on a LocalAuthentication queue
            answer.append((bool(success), int(error.code()) if error is not None else None))  # type: ignore[attr-defined]
            answered.set()

        LAContext.alloc().init().evaluatePolicy_localizedReason_reply_(
            LAPolicyDeviceOwnerAuthentication, reason, reply)
        if not answered.wait(ANSWER_TIMEOUT_S):
            return False, APP_CANCEL
        return answer[0]


class TouchIdLock:
    def __init__(self, api: LocalAuthenticationApi | None = None) -> None:
        self._api = api
        self._reason: str | None = None

    def _platform(self) -> LocalAuthenticationApi:
        if self._api is None:
            self._api = PyObjcContext()
        return self._api

    @property
    def available(self) -> bool:
        return self.unavailable_reason == ""

    @property
    def unavailable_reason(self) -> str:
        if self._reason is None:
            try:
                ok, code = self._platform().can_evaluate()
            except ImportError:
                self._reason = "Touch ID support (pyobjc LocalAuthentication) is not installed with CallClient."
            else:
                self._reason = "" if ok else WHY_UNAVAILABLE.get(code or 0, f"macOS cannot confirm it is you "
                                                                           f"(LAError {code}).")
        return self._reason

    def unlock(self, reason: str) -> UnlockResult:
        try:
            success, code = self._platform().evaluate(reason)
        except ImportError as error:
            raise AppLockUnavailable(f"Touch ID support is missing ({error})") from None
        log.info("LocalAuthentication answered success=%s code=%s", success, code)
        if success:
            return UnlockResult.UNLOCKED
        if code in CANCELLED_CODES:
            return UnlockResult.CANCELLED
        if code == AUTHENTICATION_FAILED:
            return UnlockResult.DENIED
        raise AppLockUnavailable(WHY_UNAVAILABLE.get(code or 0, f"macOS could not ask (LAError {code})"))


__all__ = ["LocalAuthenticationApi", "TouchIdLock"]
