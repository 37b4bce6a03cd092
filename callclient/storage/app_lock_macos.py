"""The macOS app lock: LocalAuthentication's LAContext (Touch ID, or the login password), through pyobjc.

`LAPolicyDeviceOwnerAuthentication` lets macOS fall back to the password where there is no Touch ID. The
platform API is one small object (`LocalAuthenticationApi`) so the rest runs, and is tested, anywhere: tests
hand a recorded answer; on macOS `PyObjcContext` makes the calls.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from callclient.storage.app_lock import AppLockUnavailable, ProbedAppLock, UnlockResult

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


class TouchIdLock(ProbedAppLock):
    def __init__(self, api: LocalAuthenticationApi | None = None) -> None:
        super().__init__()
        self._api = api if api is not None else PyObjcContext()  # imports pyobjc only when it calls

    def _probe(self) -> str:
        try:
            ok, code = self._api.can_evaluate()
        except ImportError:
            return "Touch ID support (pyobjc LocalAuthentication) is not installed with CallClient."
        return "" if ok else WHY_UNAVAILABLE.get(code or 0, f"macOS cannot confirm it is you (LAError {code}).")

    def unlock(self, reason: str) -> UnlockResult:
        try:
            success, code = self._api.evaluate(reason)
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
