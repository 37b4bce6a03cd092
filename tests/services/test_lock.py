"""The lock service alone: who locks, what an answer does, the backoff after failures, the idle deadline."""

from __future__ import annotations

import queue
from types import SimpleNamespace

import pytest

from callclient.services.lock import AppLockService, LockChanged, backoff_s
from callclient.storage.app_lock import AppLockUnavailable, UnlockResult
from tests.fixtures.app_lock import AnsweredLock

WAIT_S = 10.0


def config(app_lock: bool = True, idle_minutes: int = 0, hide_caller: bool = False) -> SimpleNamespace:
    return SimpleNamespace(ui=SimpleNamespace(app_lock=app_lock),
                           policy=SimpleNamespace(lock_after_idle_minutes=idle_minutes,
                                                  hide_caller_when_locked=hide_caller),
                           dialplan=SimpleNamespace(emergency_numbers=("112", "911"), region=""))


class Clock:
    def __init__(self) -> None:
        self.now_s = 1000.0

    def __call__(self) -> float:
        return self.now_s


class Service:
    def __init__(self, lock: AnsweredLock, settings: SimpleNamespace, clock: Clock | None = None,
                 seconds_per_minute: float = 60.0) -> None:
        self.news: queue.Queue[LockChanged] = queue.Queue()
        self.config = settings
        kwargs = {"clock": clock} if clock is not None else {}
        self.service = AppLockService(lock, lambda: self.config, self.news.put,
                                      seconds_per_minute=seconds_per_minute, **kwargs)

    def next(self) -> LockChanged:
        return self.news.get(timeout=WAIT_S)

    def answered(self) -> LockChanged:
        while True:
            state = self.next()
            if not state.unlocking:
                return state


@pytest.fixture
def lock() -> AnsweredLock:
    return AnsweredLock()


def test_locking_needs_the_setting_and_a_platform_that_can_confirm_the_user() -> None:
    off = Service(AnsweredLock(), config(app_lock=False))
    off.service.lock_now()
    assert not off.service.locked and off.news.empty()
    unavailable = Service(AnsweredLock(available=False, why="no polkit"), config())
    unavailable.service.lock_now()
    assert not unavailable.service.locked
    assert unavailable.service.availability() == (False, "no polkit")


def test_the_platform_saying_yes_unlocks(lock: AnsweredLock) -> None:
    app = Service(lock, config())
    app.service.lock_now()
    assert app.next().locked
    app.service.request_unlock("Unlock CallClient to see your history")
    assert app.next().unlocking
    lock.answer(UnlockResult.UNLOCKED)
    assert app.answered() == LockChanged(locked=False)
    assert lock.asked == ["Unlock CallClient to see your history"]


@pytest.mark.parametrize(("answer", "said"), [
    (UnlockResult.CANCELLED, "Unlock cancelled: CallClient stays locked."),
    (UnlockResult.DENIED, "Not unlocked: the system could not confirm it is you. CallClient stays locked."),
    (AppLockUnavailable("polkit is not running"), "Could not ask to unlock: polkit is not running. "
                                                  "CallClient stays locked."),
])
def test_a_failed_or_cancelled_unlock_leaves_the_app_locked_and_says_so(lock: AnsweredLock, answer: object,
                                                                         said: str) -> None:
    app = Service(lock, config())
    app.service.lock_now()
    app.next()
    app.service.request_unlock()
    lock.answer(answer)  # type: ignore[arg-type]
    state = app.answered()
    assert state.locked and state.message == said
    assert app.service.locked


def test_five_failures_in_a_row_back_off_doubling_and_say_how_long(lock: AnsweredLock) -> None:
    clock = Clock()
    app = Service(lock, config(), clock)
    app.service.lock_now()
    app.next()
    for _failure in range(4):
        app.service.request_unlock()
        lock.answer(UnlockResult.DENIED)
        assert "try again" not in app.answered().message
    app.service.request_unlock()
    lock.answer(UnlockResult.DENIED)
    fifth = app.answered()
    assert fifth.message.endswith("Too many failed attempts: try again in 30 s.") and fifth.retry_in_s == 30

    clock.now_s += 10
    app.service.request_unlock()  # during the backoff: says how long is left, asks nobody
    waiting = app.next()
    assert waiting.message == "Too many failed attempts: try again in 20 s." and len(lock.asked) == 5

    clock.now_s += 21
    app.service.request_unlock()
    lock.answer(UnlockResult.DENIED)
    assert app.answered().retry_in_s == 60  # the sixth failure doubles the wait
    clock.now_s += 61
    app.service.request_unlock()
    lock.answer(UnlockResult.UNLOCKED)
    assert not app.answered().locked
    app.service.lock_now()
    app.next()
    app.service.request_unlock()  # an unlock starts the count again: no wait after the next failure
    lock.answer(UnlockResult.DENIED)
    assert app.answered().retry_in_s == 0


def test_the_backoff_doubles_up_to_fifteen_minutes() -> None:
    assert [backoff_s(n) for n in (1, 4, 5, 6, 7, 20)] == [0, 0, 30, 60, 120, 900]


def test_emergency_numbers_stay_dialable_while_locked(lock: AnsweredLock) -> None:
    app = Service(lock, config())
    app.service.lock_now()
    assert app.service.may_dial_while_locked("112")
    assert app.service.may_dial_while_locked("9 1 1")
    assert not app.service.may_dial_while_locked("0612345678")


def test_the_app_locks_after_the_idle_minutes_without_input(lock: AnsweredLock) -> None:
    """The watch thread's own deadline (a "minute" shortened to 0.2 s for the test)."""
    app = Service(lock, config(idle_minutes=1), seconds_per_minute=0.2)
    app.service.start()
    try:
        assert app.next() == LockChanged(locked=True)
        app.service.request_unlock()
        lock.answer(UnlockResult.UNLOCKED)
        assert not app.answered().locked
        assert app.next().locked, "idle again after the unlock: locked again"
    finally:
        app.service.stop()


def test_no_idle_lock_when_the_admin_sets_zero_minutes(lock: AnsweredLock) -> None:
    app = Service(lock, config(idle_minutes=0), seconds_per_minute=0.01)
    app.service.start()
    try:
        with pytest.raises(queue.Empty):
            app.news.get(timeout=0.5)  # fifty "minutes" of no input pass without a lock
    finally:
        app.service.stop()


def test_hide_caller_is_in_force_only_while_locked(lock: AnsweredLock) -> None:
    app = Service(lock, config(hide_caller=True))
    assert not app.service.state().hide_caller
    app.service.lock_now()
    assert app.next().hide_caller


def test_turning_the_lock_off_opens_the_app(lock: AnsweredLock) -> None:
    app = Service(lock, config())
    app.service.lock_now()
    app.next()
    app.config = config(app_lock=False)
    app.service.on_settings_changed(SimpleNamespace(touches=lambda *keys: "ui.app_lock" in keys,
                                                    config=SimpleNamespace(config=app.config)))
    assert app.next() == LockChanged(locked=False)
