"""The desktop service: owns CallClient's place on the user's desktop session — actionable notifications,
the MPRIS player media keys reach, autostart at login and the sip:/tel: link handler — as the
`desktop.*` settings say. Every button it offers acts through the call-actions service.

Without a session bus (a server, `--headless` over ssh) the bus-based parts stay off with one log line;
the app runs as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)


class Desktop:
    """`config()` gives the AppConfig in force; `environ` says where the session bus and XDG dirs are."""

    def __init__(self, calls: Any, news: Any, config: Callable[[], Any], environ: Mapping[str, str]) -> None:
        self._calls = calls
        self._news = news
        self._config = config
        self._environ = environ
        self.bus: Any = None  # callclient.desktop.bus.SessionBus once started with a session bus
        self.notifications: Any = None  # callclient.desktop.notifications.CallNotifications
        self.problem = ""  # why the bus-based parts are off, for the diagnostics text

    @runs_on(CALLER)
    def start(self) -> None:
        from callclient.desktop.bus import SessionBus, SessionBusUnavailable
        from callclient.desktop.notifications import CallNotifications

        address = self._environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not address:
            self.problem = "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
            log.info("desktop notifications and media keys off: %s", self.problem)
            return
        try:
            self.bus = SessionBus(address)
        except SessionBusUnavailable as error:
            self.problem = str(error)
            log.warning("desktop notifications and media keys off: %s", error)
            return
        self.notifications = CallNotifications(
            self.bus, self._calls, self._news, lambda: self._config().desktop.notifications,
            voicemail_number=self._voicemail_number)
        self.notifications.start()

    @runs_on(CALLER)
    def stop(self) -> None:
        if self.notifications is not None:
            self.notifications.stop()
            self.notifications = None
        if self.bus is not None:
            self.bus.close()
            self.bus = None

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: Any) -> None:
        pass

    def _voicemail_number(self, account_id: str) -> str:
        account = self._config().account(account_id)
        return account.voicemail_number if account is not None else ""
