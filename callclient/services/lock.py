"""The app lock: the one owner of whether CallClient is locked, and of every attempt to unlock it.

When the user turns it on (`ui.app_lock`) and the platform can confirm the user (callclient/storage/app_lock.py),
the app locks when the desktop session locks (ActiveChanged(true) of org.freedesktop.ScreenSaver — KDE, Xfce —
or org.gnome.ScreenSaver on the session bus) and after `policy.lock_after_idle_minutes` without input
in its windows. While locked the windows show a lock screen instead of favorites, history, voicemail and
contacts; calls still ring and can be answered (the caller hidden under `policy.hide_caller_when_locked`), and
the dial plan's emergency numbers stay dialable.

Unlocking asks the platform, which blocks until the person answers, so it runs on a thread of its own; the
answer arrives as a `LockChanged` in the news. A failed or cancelled attempt leaves the app locked and says so;
after five failures in a row the lock waits before it asks again, twice as long after each further failure.
Unlocking reads no secret and moves none: the store's key stays in the keychain whatever the lock says.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from callclient.services.threads import ANY_THREAD, CALLER, runs_on
from callclient.storage.app_lock import AppLock, AppLockUnavailable, UnlockResult

log = logging.getLogger(__name__)

FAILURES_BEFORE_BACKOFF = 5
FIRST_BACKOFF_S = 30.0
LONGEST_BACKOFF_S = 15 * 60.0
UNLOCK_THREAD = "app-unlock"  # where the platform's question waits for its answer
LOCK_WATCH_THREAD = "app-lock-watch"  # idle deadline and desktop-lock signals


@dataclass(frozen=True)
class LockChanged:
    """The lock's state, announced after every change: what the windows show follows this alone."""

    locked: bool
    unlocking: bool = False  # the platform is asking the user now
    message: str = ""  # what the last attempt came to, in the user's words ("" when nothing to say)
    retry_in_s: float = 0.0  # while backing off: seconds until the lock asks again
    hide_caller: bool = False  # policy.hide_caller_when_locked, in force while locked


def backoff_s(failures: int) -> float:
    """How long to wait after `failures` failed attempts in a row: nothing for the first four, then 30 s,
    doubling with each further failure up to 15 minutes."""
    if failures < FAILURES_BEFORE_BACKOFF:
        return 0.0
    return min(FIRST_BACKOFF_S * 2 ** (failures - FAILURES_BEFORE_BACKOFF), LONGEST_BACKOFF_S)


class AppLockService:
    """`config()` gives the AppConfig in force; `publish` puts a LockChanged in the news; `clock` is monotonic
    seconds (the backoff and idle deadlines)."""

    def __init__(self, lock: AppLock, config: Callable[[], Any], publish: Callable[[object], None],
                 clock: Callable[[], float] = time.monotonic, seconds_per_minute: float = 60.0) -> None:
        self.platform = lock
        self._config = config
        self._publish = publish
        self._clock = clock
        self._seconds_per_minute = seconds_per_minute  # tests shorten the idle minute
        self._guard = threading.Condition()
        self._locked = False
        self._unlocking = False
        self._failures = 0
        self._retry_at = 0.0
        self._message = ""
        self._last_input = clock()
        self._stopping = False
        self._watch: threading.Thread | None = None
        self._signals: queue.Queue[Any] = queue.Queue()
        self._follows: list[Any] = []  # bus filter handles to close
        self._signal_reader: threading.Thread | None = None
        self._availability: tuple[bool, str] | None = None  # probed once, on the watch thread

    # ------------------------------------------------------------------ life

    @runs_on(CALLER)
    def start(self) -> None:
        self._watch = threading.Thread(target=self._watch_idle, name=LOCK_WATCH_THREAD, daemon=True)
        self._watch.start()

    @runs_on(CALLER)
    def stop(self) -> None:
        with self._guard:
            self._stopping = True
            self._guard.notify_all()
        for handle in self._follows:
            handle.close()
        self._signals.put(None)
        cancel = getattr(self.platform, "cancel", None)
        if cancel is not None:
            cancel()
        for thread in (self._watch, self._signal_reader):
            if thread is not None:
                thread.join(5)

    # ------------------------------------------------------------------ what the windows ask

    @property
    def available(self) -> bool:
        return self.availability()[0]

    @runs_on(ANY_THREAD)
    def availability(self) -> tuple[bool, str]:
        """(whether this machine can lock the app, why not in the user's words). The first answer may take a
        few system-bus calls; with the lock on the watch thread asks at start, so windows get the remembered one."""
        with self._guard:
            known = self._availability
        if known is None:
            known = (self.platform.available, self.platform.unavailable_reason)
            with self._guard:
                self._availability = known
        return known

    @property
    def enabled(self) -> bool:
        """The user (or their admin) turned the lock on, and this machine can confirm the user."""
        return bool(self._config().ui.app_lock) and self.available

    @property
    def locked(self) -> bool:
        with self._guard:
            return self._locked

    @runs_on(ANY_THREAD)
    def state(self) -> LockChanged:
        with self._guard:
            return self._state()

    @runs_on(ANY_THREAD)
    def may_dial_while_locked(self, target: str) -> bool:
        """Emergency numbers are always dialable: the dial plan's list, as typed."""
        from callclient.services.dialplan import DialPlan

        return DialPlan.from_config(self._config().dialplan).is_emergency(target)

    @runs_on(ANY_THREAD)
    def lock_now(self, why: str = "asked") -> None:
        """Locks (when the lock is on); the windows hear of it through the news."""
        if not self.enabled:
            return
        with self._guard:
            if self._locked:
                return
            self._locked = True
            self._message = ""
            log.info("app locked (%s)", why)
            state = self._state()
        self._publish(state)

    @runs_on(ANY_THREAD)
    def user_active(self) -> None:
        """Input in one of the app's windows: the idle deadline starts again."""
        with self._guard:
            self._last_input = self._clock()
            self._guard.notify_all()

    @runs_on(ANY_THREAD)
    def request_unlock(self, reason: str = "Unlock CallClient") -> None:
        """Asks the platform to confirm the user, on a thread of its own; the answer comes as a LockChanged.
        During a backoff it says how long is left instead of asking."""
        with self._guard:
            if not self._locked or self._unlocking:
                return
            wait_s = self._retry_at - self._clock()
            if wait_s > 0:
                self._message = f"Too many failed attempts: try again in {int(wait_s + 0.999)} s."
                state = self._state()
                ask = False
            else:
                self._unlocking = True
                self._message = ""
                state = self._state()
                ask = True
        self._publish(state)
        if ask:
            threading.Thread(target=self._ask, args=(reason,), name=UNLOCK_THREAD, daemon=True).start()

    @runs_on(ANY_THREAD)
    def cancel_unlock(self) -> None:
        """Withdraws the platform's open question (the lock screen's Cancel while the agent asks)."""
        cancel = getattr(self.platform, "cancel", None)
        if cancel is not None:
            cancel()

    # ------------------------------------------------------------------ what the other owners tell it

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: Any) -> None:
        if change.touches("ui.app_lock") and not change.config.config.ui.app_lock:
            with self._guard:  # turning the lock off (in Settings, so the user was in) opens the app
                was_locked, self._locked, self._failures, self._retry_at = self._locked, False, 0, 0.0
                state = self._state()
            if was_locked:
                self._publish(state)
        if change.touches("policy.lock_after_idle_minutes", "ui.app_lock"):
            self.user_active()  # a new deadline counts from now

    @runs_on(ANY_THREAD)
    def on_desktop_locked(self, how: str) -> None:
        self.lock_now(f"the desktop session locked ({how})")

    @runs_on(CALLER)
    def follow_session_bus(self, bus: Any) -> None:
        """Follows the desktop's screen saver on the session bus (callclient.desktop.bus.SessionBus)."""
        from jeepney import MatchRule

        for interface in ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"):
            try:
                self._follows.append(bus.follow(MatchRule(type="signal", interface=interface,
                                                          member="ActiveChanged"), self._signals))
            except (OSError, TimeoutError) as error:
                log.warning("cannot follow %s on the session bus: %s", interface, error)
        self._read_signals()

    # ------------------------------------------------------------------ inside

    def _state(self) -> LockChanged:
        wait_s = max(0.0, self._retry_at - self._clock()) if self._locked else 0.0
        return LockChanged(self._locked, self._unlocking, self._message, wait_s,
                           hide_caller=self._locked and bool(self._config().policy.hide_caller_when_locked))

    def _read_signals(self) -> None:
        if self._signal_reader is None:
            self._signal_reader = threading.Thread(target=self._on_signals, name=LOCK_WATCH_THREAD + "-bus",
                                                   daemon=True)
            self._signal_reader.start()

    def _on_signals(self) -> None:
        while True:
            message = self._signals.get()
            if message is None:
                return
            member = message.header.fields.get(3, "")  # HeaderFields.member
            if member == "ActiveChanged" and message.body and message.body[0] is True:
                self.on_desktop_locked(member)

    def _ask(self, reason: str) -> None:
        try:
            result = self.platform.unlock(reason)
            problem = ""
        except AppLockUnavailable as error:
            result, problem = None, str(error)
        except Exception as error:  # a platform API failing must leave the app locked, not crash a thread
            log.exception("the platform's unlock failed")
            result, problem = None, f"{type(error).__name__}: {error}"
        with self._guard:
            self._unlocking = False
            if result is UnlockResult.UNLOCKED:
                self._locked, self._failures, self._retry_at, self._message = False, 0, 0.0, ""
                self._last_input = self._clock()
            elif result is UnlockResult.CANCELLED:
                self._message = "Unlock cancelled: CallClient stays locked."
            elif result is UnlockResult.DENIED:
                self._failures += 1
                wait_s = backoff_s(self._failures)
                self._retry_at = self._clock() + wait_s
                self._message = ("Not unlocked: the system could not confirm it is you. CallClient stays locked."
                                 + (f" Too many failed attempts: try again in {int(wait_s)} s." if wait_s else ""))
            else:
                self._message = f"Could not ask to unlock: {problem}. CallClient stays locked."
            log.info("unlock attempt: %s (failures in a row: %d)", result.value if result else "unavailable",
                     self._failures)
            state = self._state()
            self._guard.notify_all()
        self._publish(state)

    def _watch_idle(self) -> None:
        if self._config().ui.app_lock:
            self.availability()  # probe once here, off the GUI thread (no system-bus call while the lock is off)
        with self._guard:
            while not self._stopping:
                minutes = int(self._config().policy.lock_after_idle_minutes)
                if self._locked or minutes <= 0 or not self._config().ui.app_lock:
                    self._guard.wait()  # woken by input, a settings change, an unlock or stop
                    continue
                remaining = self._last_input + minutes * self._seconds_per_minute - self._clock()
                if remaining > 0:
                    self._guard.wait(remaining)
                    continue
                self._guard.release()
                try:
                    self.lock_now(f"no input for {minutes} minutes")
                finally:
                    self._guard.acquire()
                if not self._locked:  # lock unavailable: wait for something to change
                    self._guard.wait()


__all__ = ["AppLockService", "LockChanged", "backoff_s"]
