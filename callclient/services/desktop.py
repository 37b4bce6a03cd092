"""The desktop service: owns CallClient's place on the user's desktop session — actionable notifications,
the MPRIS player media keys reach, autostart at login and the sip:/tel: link handler — as the
`desktop.*` settings say. Every button it offers acts through the call-actions service.

Without a session bus (a server, `--headless` over ssh) the bus-based parts stay off with one log line;
the app runs as before.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)


class Desktop:
    """`config()` gives the AppConfig in force; `environ` says where the session bus and XDG dirs are."""

    def __init__(self, calls: Any, news: Any, config: Callable[[], Any], environ: Mapping[str, str],
                 notices: Callable[[str], None] = lambda text: None) -> None:
        self._calls = calls
        self._notices = notices
        self._started = False
        self._news = news
        self._config = config
        self._environ = environ
        self.bus: Any = None  # callclient.desktop.bus.SessionBus once started with a session bus
        self.notifications: Any = None  # callclient.desktop.notifications.CallNotifications
        self.media_player: Any = None  # callclient.desktop.mpris.MediaPlayer while desktop.media_keys is on
        self._lock = threading.Lock()
        self.problem = ""  # why the bus-based parts are off, for the diagnostics text

    @runs_on(CALLER)
    def start(self) -> None:
        from callclient.desktop.bus import SessionBus, SessionBusUnavailable
        from callclient.desktop.notifications import CallNotifications

        self._apply_login_and_links(autostart=True, links=True)
        self._started = True
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
        self._apply_media_keys()

    @runs_on(CALLER)
    def stop(self) -> None:
        self._started = False
        if self.media_player is not None:
            self.media_player.stop()
            self.media_player = None
        if self.notifications is not None:
            self.notifications.stop()
            self.notifications = None
        if self.bus is not None:
            self.bus.close()
            self.bus = None

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: Any) -> None:
        if change.touches("desktop.media_keys"):
            self._apply_media_keys()
        if change.touches("desktop.autostart", "desktop.link_handler"):
            self._apply_login_and_links(change.touches("desktop.autostart"), change.touches("desktop.link_handler"))

    def _apply_login_and_links(self, autostart: bool, links: bool) -> None:
        """Makes the autostart entry and the link defaults match the settings; a failure is told, never raised."""
        from callclient.desktop import autostart as login

        if sys.platform != "linux" and not sys.platform.startswith("freebsd"):
            return  # Run key / LaunchAgent: not built yet (see the user guide)
        config = self._config().desktop
        try:
            if autostart:
                login.set_autostart(config.autostart, self._environ)
            # Only touch the user's link defaults when asked: at start, off means "leave them as they are".
            if links and (config.link_handler or self._started):
                login.set_link_handler(config.link_handler, self._environ)
        except (login.DesktopIntegrationFailed, OSError) as error:
            log.warning("desktop integration: %s", error)
            self.problem = str(error)
            self._notices.append(str(error))

    def _apply_media_keys(self) -> None:
        """Registers the MPRIS player while desktop.media_keys is on, and only then (the user's choice)."""
        from callclient.desktop.mpris import MediaPlayer

        with self._lock:
            wanted = self.bus is not None and self._config().desktop.media_keys
            if wanted and self.media_player is None:
                player = MediaPlayer(self.bus, self._calls, self._news)
                if player.start():
                    self.media_player = player
            elif not wanted and self.media_player is not None:
                self.media_player.stop()
                self.media_player = None

    def _voicemail_number(self, account_id: str) -> str:
        account = self._config().account(account_id)
        return account.voicemail_number if account is not None else ""
