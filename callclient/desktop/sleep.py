"""The computer going to sleep and waking, from logind on the D-Bus system bus.

logind broadcasts `PrepareForSleep(true)` before suspending and `PrepareForSleep(false)` after resuming.
It waits for the programs holding a "delay" inhibitor lock (up to its InhibitDelayMaxSec, 5 s by default)
before it suspends: we hold one while awake and let it go once the accounts have un-REGISTERed, so the
un-REGISTER leaves before the network goes down. The bus is the one DBUS_SYSTEM_BUS_ADDRESS names (jeepney
reads it), else the standard system bus socket.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.threading import open_dbus_connection
from jeepney.wrappers import unwrap_msg

from callclient.desktop.bus import Router
from callclient.services.threads import CALLER, runs_on

log = logging.getLogger(__name__)

SLEEP_WATCH = "sleep-watch"  # the thread on_sleep / on_wake run on (for @runs_on)
LOGIN1 = DBusAddress("/org/freedesktop/login1", bus_name="org.freedesktop.login1",
                     interface="org.freedesktop.login1.Manager")
PREPARE_FOR_SLEEP = MatchRule(type="signal", interface="org.freedesktop.login1.Manager", member="PrepareForSleep",
                              path="/org/freedesktop/login1")
CALL_TIMEOUT_S = 5.0


class SleepWatch:
    """Calls `on_sleep()` (which returns once it is safe to sleep) and `on_wake()` on its own thread."""

    def __init__(self, on_sleep: Callable[[], None], on_wake: Callable[[], None]) -> None:
        self._on_sleep = on_sleep
        self._on_wake = on_wake
        self._router: Router | None = None
        self._signals: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._inhibitor: Any = None  # the delay lock's file descriptor: closing it lets the machine sleep

    @runs_on(CALLER)
    def start(self) -> bool:
        """False when there is no system bus (a container, a non-systemd system): sleep then goes unnoticed
        and registration recovers through its retries and the network watch."""
        try:
            connection = open_dbus_connection("SYSTEM", enable_fds=True)
        except (OSError, KeyError, ValueError, RuntimeError) as error:
            log.info("no D-Bus system bus, sleep and wake are not followed (%s: %s)", type(error).__name__, error)
            return False
        self._router = Router(connection)
        self._filter = self._router.filter(PREPARE_FOR_SLEEP, queue=self._signals, bufsize=16)
        try:
            unwrap_msg(self._router.send_and_get_reply(message_bus.AddMatch(PREPARE_FOR_SLEEP),
                                                       timeout=CALL_TIMEOUT_S))
        except Exception as error:  # noqa: BLE001 - jeepney's DBusErrorResponse, TimeoutError, OSError
            log.warning("cannot follow logind's sleep signal: %s", error)
            self._close_router()
            return False
        self._take_inhibitor()
        self._thread = threading.Thread(target=self._run, name=SLEEP_WATCH, daemon=True)
        self._thread.start()
        return True

    @runs_on(CALLER)
    def stop(self) -> None:
        self._signals.put(None)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        self._release_inhibitor()
        self._close_router()

    def _run(self) -> None:
        while True:
            message = self._signals.get()
            if message is None:
                return
            try:
                (going_to_sleep,) = message.body
                if going_to_sleep:
                    log.info("the computer is going to sleep: unregistering")
                    try:
                        self._on_sleep()
                    finally:
                        self._release_inhibitor()
                else:
                    log.info("the computer woke up: registering again")
                    self._take_inhibitor()
                    self._on_wake()
            except Exception:  # one bad signal or a failed step must not end the watch
                log.exception("following logind's PrepareForSleep failed")

    def _take_inhibitor(self) -> None:
        if self._router is None or self._inhibitor is not None:
            return
        message = new_method_call(LOGIN1, "Inhibit", "ssss",
                                  ("sleep", "CallClient", "Signing out of the phone system before sleep", "delay"))
        try:
            (self._inhibitor,) = unwrap_msg(self._router.send_and_get_reply(message, timeout=CALL_TIMEOUT_S))
        except Exception as error:  # noqa: BLE001 - no logind, or a policy refusing delay locks
            log.warning("no sleep delay lock from logind (the un-REGISTER may not leave before sleep): %s", error)

    def _release_inhibitor(self) -> None:
        inhibitor, self._inhibitor = self._inhibitor, None
        if inhibitor is not None:
            inhibitor.close()

    def _close_router(self) -> None:
        if self._router is not None:
            self._router.close()
            self._router.conn.close()
            self._router = None


__all__ = ["SLEEP_WATCH", "SleepWatch"]
