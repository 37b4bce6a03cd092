"""The Windows (Windows Hello) and macOS (LocalAuthentication) locks behind the same AppLock interface, run here
on recorded answers of the platform calls they make (UserConsentVerifier's CheckAvailabilityAsync and
RequestVerificationAsync; LAContext's canEvaluatePolicy:error: and evaluatePolicy:localizedReason:reply:)."""

from __future__ import annotations

import sys

import pytest

from callclient.storage.app_lock import AppLock, AppLockUnavailable, NoAppLock, UnlockResult, platform_app_lock
from callclient.storage.app_lock_macos import TouchIdLock
from callclient.storage.app_lock_windows import Availability, Verification, WindowsHelloLock


class RecordedWindowsHello:
    """What UserConsentVerifier answered, recorded as the enum values winrt returns."""

    def __init__(self, availability: int, verification: int = Verification.VERIFIED) -> None:
        self.availability, self.verification = availability, verification
        self.messages: list[str] = []
        self.windows: list[int] = []  # the HWND each prompt was asked for

    def check_availability(self) -> int:
        return self.availability

    def request_verification(self, message: str, window_handle: int = 0) -> int:
        self.messages.append(message)
        self.windows.append(window_handle)
        return self.verification


class RecordedLaContext:
    """What LAContext answered: (ok, LAError code) pairs as pyobjc hands them over."""

    def __init__(self, can: tuple[bool, int | None], evaluated: tuple[bool, int | None] = (True, None)) -> None:
        self.can, self.evaluated = can, evaluated
        self.reasons: list[str] = []

    def can_evaluate(self) -> tuple[bool, int | None]:
        return self.can

    def evaluate(self, reason: str) -> tuple[bool, int | None]:
        self.reasons.append(reason)
        return self.evaluated


@pytest.mark.parametrize(("verification", "result"), [
    (Verification.VERIFIED, UnlockResult.UNLOCKED),
    (Verification.CANCELED, UnlockResult.CANCELLED),
    (Verification.RETRIES_EXHAUSTED, UnlockResult.DENIED),
])
def test_windows_hello_answers_map_to_unlock_results(verification: int, result: UnlockResult) -> None:
    api = RecordedWindowsHello(Availability.AVAILABLE, verification)
    lock = WindowsHelloLock(api)
    assert isinstance(lock, AppLock) and lock.available
    assert lock.unlock("Unlock CallClient") is result
    assert api.messages == ["Unlock CallClient"]  # Windows shows our reason in its prompt


def test_windows_hello_prompts_over_the_window_that_asked() -> None:
    """The lock service hands the asking window's handle to Windows Hello (RequestVerificationForWindowAsync
    where the projection has the interop), through the shipped service path."""
    import queue
    from types import SimpleNamespace

    from callclient.services.lock import AppLockService

    api = RecordedWindowsHello(Availability.AVAILABLE, Verification.VERIFIED)
    config = SimpleNamespace(ui=SimpleNamespace(app_lock=True),
                             policy=SimpleNamespace(lock_after_idle_minutes=0, hide_caller_when_locked=False))
    news: queue.Queue = queue.Queue()
    service = AppLockService(WindowsHelloLock(api), lambda: config, news.put)
    service.lock_now()
    service.request_unlock("Unlock CallClient", window_handle=0x2A0B4)
    while news.get(timeout=10).locked:  # locked, then unlocking, then the answer
        pass
    assert api.windows == [0x2A0B4] and api.messages == ["Unlock CallClient"]


@pytest.mark.parametrize(("availability", "words"), [
    (Availability.DEVICE_NOT_PRESENT, "no Windows Hello device"),
    (Availability.NOT_CONFIGURED_FOR_USER, "not set up for you"),
    (Availability.DISABLED_BY_POLICY, "administrator has turned Windows Hello off"),
])
def test_windows_without_hello_is_unavailable_and_says_why(availability: int, words: str) -> None:
    lock = WindowsHelloLock(RecordedWindowsHello(availability))
    assert not lock.available and words in lock.unavailable_reason


def test_windows_hello_busy_while_asking_raises_a_reason() -> None:
    lock = WindowsHelloLock(RecordedWindowsHello(Availability.AVAILABLE, Verification.DEVICE_BUSY))
    with pytest.raises(AppLockUnavailable, match="busy"):
        lock.unlock("Unlock CallClient")


def test_windows_without_the_winrt_package_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "winrt", None)  # an install without it, on any platform: import fails
    assert "winrt package" in WindowsHelloLock().unavailable_reason


@pytest.mark.parametrize(("evaluated", "result"), [
    ((True, None), UnlockResult.UNLOCKED),
    ((False, -2), UnlockResult.CANCELLED),  # LAErrorUserCancel
    ((False, -4), UnlockResult.CANCELLED),  # LAErrorSystemCancel (another app came forward)
    ((False, -1), UnlockResult.DENIED),  # LAErrorAuthenticationFailed
])
def test_touch_id_answers_map_to_unlock_results(evaluated: tuple[bool, int | None], result: UnlockResult) -> None:
    api = RecordedLaContext((True, None), evaluated)
    lock = TouchIdLock(api)
    assert isinstance(lock, AppLock) and lock.available
    assert lock.unlock("unlock CallClient") is result
    assert api.reasons == ["unlock CallClient"]


@pytest.mark.parametrize(("code", "words"), [(-5, "no login password"), (-7, "No fingerprint is enrolled"),
                                             (-8, "locked after too many attempts")])
def test_a_mac_that_cannot_confirm_the_user_is_unavailable_and_says_why(code: int, words: str) -> None:
    lock = TouchIdLock(RecordedLaContext((False, code)))
    assert not lock.available and words in lock.unavailable_reason


def test_touch_id_lockout_while_asking_raises_a_reason() -> None:
    lock = TouchIdLock(RecordedLaContext((True, None), (False, -8)))
    with pytest.raises(AppLockUnavailable, match="too many attempts"):
        lock.unlock("unlock CallClient")


def test_this_platform_offers_its_own_lock() -> None:
    lock = platform_app_lock()
    assert isinstance(lock, AppLock)
    if sys.platform.startswith("linux"):
        from callclient.storage.app_lock_polkit import PolkitLock

        assert isinstance(lock, PolkitLock)


def test_polkit_tells_root_why_the_lock_would_protect_nothing() -> None:
    from callclient.storage.app_lock_polkit import PolkitLock

    lock = PolkitLock(uid=0)
    assert not lock.available and "root" in lock.unavailable_reason


def test_without_a_system_bus_polkit_is_unavailable_and_says_why() -> None:
    from callclient.storage.app_lock_polkit import PolkitLock

    def no_bus() -> object:
        raise FileNotFoundError(2, "No such file or directory", "/run/dbus/system_bus_socket")

    lock = PolkitLock(connect=no_bus, uid=1000)
    assert not lock.available and "no system message bus" in lock.unavailable_reason
    with pytest.raises(AppLockUnavailable, match="no system message bus"):
        lock.unlock("Unlock CallClient")


def test_without_an_app_lock_nothing_is_offered() -> None:
    assert NoAppLock("no way here").unavailable_reason == "no way here"
