"""The desktop service: owns CallClient's place on the user's desktop session — actionable notifications,
the MPRIS player media keys reach, headset call buttons (evdev), global hotkeys, autostart at login
and the sip:/tel: link handler — as the `desktop.*` settings say. Every button, key and hotkey acts
through the call-actions service; the parts live in callclient/desktop/.

Without a session bus (a server, `--headless` over ssh) the bus-based parts stay off with one log line;
the app runs as before.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from callclient.desktop.hotkeys import HotkeyConflict, ShowWindowRequested
from callclient.services.threads import ANY_THREAD, CALLER, WORKER, runs_on

log = logging.getLogger(__name__)


class Desktop:
    """`config()` gives the AppConfig in force; `environ` says where the session bus and XDG dirs are."""

    def __init__(self, calls: Any, news: Any, config: Callable[[], Any], environ: Mapping[str, str],
                 notices: Callable[[str], None] = lambda text: None, lock: Any = None,
                 directory: Callable[[], Any] = lambda: None) -> None:
        self._calls = calls
        self._directory = directory  # the DirectoryService once built: notifications name callers from it
        self._app_lock = lock  # callclient.services.lock.AppLockService: what may be shown while locked
        self._notices = notices
        self._started = False
        self._news = news
        self._config = config
        self._environ = environ
        self.bus: Any = None  # callclient.desktop.bus.SessionBus once started with a session bus
        self.notifications: Any = None  # callclient.desktop.notifications.CallNotifications
        self.media_player: Any = None  # callclient.desktop.mpris.MediaPlayer while desktop.media_keys is on
        self.hotkeys: Any = None  # callclient.desktop.hotkeys.HotkeyBackend while a shortcut is set
        self.headset: Any = None  # callclient.desktop.headset.HeadsetButtons while evdev devices are chosen
        self.hid_headsets: Any = None  # callclient.desktop.hid_telephony.HidHeadsets while hidraw ones are
        self._last_dialled: tuple[str, str] | None = None  # (number or URI, account id) for redial
        self._stream: Any = None
        self._follower: threading.Thread | None = None
        self._lock = threading.Lock()
        self.problem = ""  # why the bus-based parts are off, for the diagnostics text
        self._hotkeys_problem: str | None = None  # why this session has no global hotkeys, once asked
        # Where the kernel lists input devices, and the stable names udev gives them. A test points these at a
        # recorded listing: a hardware headset cannot run here.
        self.input_devices_file = Path("/proc/bus/input/devices")
        self.input_names_dir = Path("/dev/input/by-id")
        # A chosen device's HID report descriptor, or None when it is not a hidraw node (then it is read as
        # evdev). A test hands in a recorded descriptor for a stand-in device, as for the listing above.
        self.hidraw_dir = Path("/sys/class/hidraw")
        self.hid_descriptor: Callable[[str], bytes | None] = self._sysfs_descriptor

    @runs_on(CALLER)
    def start(self) -> None:
        from callclient.desktop.bus import SessionBus, SessionBusUnavailable
        from callclient.desktop.notifications import CallNotifications

        self._apply_login_and_links(autostart=True, links=True)
        self._started = True
        self._stream = self._news.subscribe()
        self._follower = threading.Thread(target=self._follow_news, name="desktop-news", daemon=True)
        self._follower.start()
        self._apply_hotkeys()
        self._apply_headset()
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
            voicemail_number=self._voicemail_number, locked=self._locked, caller_hidden=self._caller_hidden,
            directory_name=self._directory_name)
        self.notifications.start()
        self._apply_media_keys()

    def _directory_name(self, number: str) -> str:
        directory = self._directory()
        found = directory.caller_id(number) if directory is not None else None
        return found.name if found is not None else ""

    def _locked(self) -> bool:
        return self._app_lock is not None and self._app_lock.locked

    def _caller_hidden(self) -> bool:
        return self._app_lock is not None and self._app_lock.state().hide_caller

    @runs_on(CALLER)
    def stop(self) -> None:
        self._started = False
        if self.hotkeys is not None:
            self.hotkeys.stop()
            self.hotkeys = None
        if self.headset is not None:
            self.headset.stop()
            self.headset = None
        if self.hid_headsets is not None:
            self.hid_headsets.stop()
            self.hid_headsets = None
        if self._stream is not None:
            self._stream.put(None)
            self._stream.close()
        if self._follower is not None:
            self._follower.join(5)
            self._follower = None
        if self.media_player is not None:
            self.media_player.stop()
            self.media_player = None
        if self.notifications is not None:
            self.notifications.stop()
            self.notifications = None
        if self.bus is not None:
            self.bus.close()
            self.bus = None

    @property
    def notifies_calls(self) -> bool:
        """True when incoming calls already reach the desktop's notifications from here (switched on, and a
        notification server answered): the window's tray balloon (QSystemTrayIcon.showMessage, itself a
        desktop notification on Linux) would be a second one for the same call."""
        notifications = self.notifications
        return (notifications is not None and notifications.server_answered
                and bool(self._config().desktop.notifications))

    @property
    def media_keys_reach_us(self) -> bool:
        """True while our MPRIS player takes media keys (Linux, desktop.media_keys on); elsewhere the main
        window acts on the media and phone keys it receives itself."""
        return self.media_player is not None

    @runs_on(ANY_THREAD)
    def input_devices(self) -> list[Any]:
        """The input devices whose keys include a telephony key (callclient.desktop.headset.InputDevice), for
        Settings > Desktop. Each is named by its /dev/input/by-id link where udev made one: that name survives
        replugging, /dev/input/eventN does not. Headsets whose HID reports carry the telephony page are listed
        a second time by their /dev/hidrawN node: chosen there, their mute light follows the calls too.
        [] where neither exists (not Linux) or can be read."""
        from dataclasses import replace

        from callclient.desktop.headset import InputDevice, TelephonyKey, candidates
        from callclient.desktop.hid_telephony import HOOK_SWITCH, LED_MUTE, PHONE_MUTE, telephony_headsets

        if sys.platform != "linux":
            return []
        try:
            listing = self.input_devices_file.read_text(errors="replace")
        except OSError as error:
            log.info("no input device list: %s", error)
            listing = ""
        stable: dict[str, str] = {}
        try:
            for link in sorted(self.input_names_dir.iterdir()):
                if "-event-" in link.name:  # the evdev nodes, not the legacy mouseN/jsN ones
                    stable.setdefault(f"/dev/input/{Path(os.readlink(link)).name}", str(link))
        except OSError:
            pass  # no udev names (a container): the eventN paths stand
        found = [replace(device, path=stable.get(device.path, device.path)) for device in candidates(listing)]
        for name, path, layout in telephony_headsets(self.hidraw_dir):
            keys = ((TelephonyKey.PICKUP_PHONE, TelephonyKey.HANGUP_PHONE) if HOOK_SWITCH in layout.inputs else ()) \
                + ((TelephonyKey.MICMUTE,) if PHONE_MUTE in layout.inputs else ())
            light = ", with its mute light" if LED_MUTE in layout.outputs else ""
            found.append(InputDevice(f"{name}{light}", path, keys))
        return found

    def _sysfs_descriptor(self, path: str) -> bytes | None:
        from callclient.desktop.hid_telephony import sysfs_descriptor

        return sysfs_descriptor(path, self.hidraw_dir)

    @runs_on(ANY_THREAD)
    def hotkey_conflicts(self) -> dict[str, HotkeyConflict]:
        """Action -> the shortcut asked for and why it is not held now (another program has it, no such key);
        {} when every shortcut is held."""
        hotkeys = self.hotkeys
        return hotkeys.current_conflicts() if hotkeys is not None else {}

    @property
    def hotkeys_problem(self) -> str:
        """Why global hotkeys cannot work in this session ("" when they can), for Settings to say so."""
        from callclient.desktop.hotkeys import session_problem

        if self._hotkeys_problem is None:  # asks the portal on Wayland: once per session
            self._hotkeys_problem = session_problem(self._environ)
        return self._hotkeys_problem

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: Any) -> None:
        if change.touches("desktop.hotkey_"):
            self._apply_hotkeys()
        if change.touches("desktop.headset_devices"):
            self._apply_headset()
        if change.touches("desktop.media_keys"):
            self._apply_media_keys()
        if change.touches("desktop.autostart", "desktop.link_handler"):
            self._apply_login_and_links(change.touches("desktop.autostart"), change.touches("desktop.link_handler"))

    def _apply_login_and_links(self, autostart: bool, links: bool) -> None:
        """Makes the autostart entry and the link defaults match the settings; a failure is told, never raised."""
        from callclient.desktop import autostart as login

        freedesktop = sys.platform == "linux" or sys.platform.startswith("freebsd")
        config = self._config().desktop
        try:
            if autostart and (freedesktop or sys.platform in ("win32", "darwin")):
                login.set_autostart(config.autostart, self._environ)
            # Only touch the user's link defaults when asked: at start, off means "leave them as they are".
            # Links are xdg-mime's: Windows and macOS register URL schemes at install time, not from here.
            if freedesktop and links and (config.link_handler or self._started):
                login.set_link_handler(config.link_handler, self._environ)
        except (login.DesktopIntegrationFailed, OSError) as error:
            log.warning("desktop integration: %s", error)
            self.problem = str(error)
            self._notices(str(error))

    def _apply_media_keys(self) -> None:
        """Registers the MPRIS player while desktop.media_keys is on, and only then (the user's choice)."""
        from callclient.desktop.mpris import MediaPlayer

        with self._lock:
            wanted = self.bus is not None and self._config().desktop.media_keys
            if wanted and self.media_player is None:
                player = MediaPlayer(self.bus, self._calls, self._news, caller_hidden=self._caller_hidden)
                if player.start():
                    self.media_player = player
            elif not wanted and self.media_player is not None:
                self.media_player.stop()
                self.media_player = None

    def _apply_hotkeys(self) -> None:
        """Holds the configured global shortcuts through this session's backend (X11, the Wayland portal,
        Windows, macOS: callclient/desktop/hotkeys.py); conflicts become notices."""
        from callclient.desktop.hotkeys import ShortcutInvalid, backend_for_session

        wanted = self._config().desktop.hotkeys()
        with self._lock:
            if self.hotkeys is None:
                if not any(wanted.values()):
                    return  # off by default: no display or portal connection at all until the user sets one
                try:
                    hotkeys = backend_for_session(self._environ, {
                        "answer": lambda: self._calls.answer(),
                        "hang_up": lambda: self._calls.hang_up(),
                        "mute": lambda: self._calls.toggle_mute(),
                        "redial": self._redial,
                        "show_window": lambda: self._news.publish(ShowWindowRequested()),
                    }, self._tell)
                    hotkeys.start()
                except ShortcutInvalid as error:
                    log.warning("%s", error)
                    self._hotkeys_problem = str(error)
                    return
                self.hotkeys = hotkeys
        self.hotkeys.use(wanted)

    def _apply_headset(self) -> None:
        """Follows exactly the input devices the user chose (none by default: no device is opened)."""
        from callclient.desktop.headset import HeadsetButtons, press
        from callclient.desktop.hid_telephony import HidHeadsets

        paths = self._config().desktop.headset_devices if sys.platform == "linux" else ()
        with self._lock:
            if self.headset is not None:
                self.headset.stop()
                self.headset = None
            if self.hid_headsets is not None:
                self.hid_headsets.stop()
                self.hid_headsets = None
            descriptors = {path: self.hid_descriptor(path) for path in paths}
            hid = {path: descriptor for path, descriptor in descriptors.items() if descriptor is not None}
            evdev = [path for path in paths if path not in hid]
            if evdev:
                self.headset = HeadsetButtons(self._calls)
                self.headset.use(evdev)
            if hid:
                self.hid_headsets = HidHeadsets(lambda key: press(self._calls, key))
                self.hid_headsets.use(hid)
        self._show_call_state()

    def _show_call_state(self) -> None:
        """The headsets' mute / off-hook / ring lights as the calls are now, whoever changed them."""
        headsets = self.hid_headsets
        if headsets is None:
            return
        calls = self._calls.calls
        answered = calls.answered()
        current = answered.get(calls.current_id or "")
        headsets.show(muted=bool(current is not None and current.muted), off_hook=bool(answered),
                      ringing=bool(calls.ringing()))

    def _tell(self, item: object) -> None:
        if isinstance(item, HotkeyConflict):
            self._notices(f"Global shortcut for {item.action.replace('_', ' ')} not set: {item.reason}")
        self._news.publish(item)

    def _redial(self) -> None:
        if self._last_dialled is None:
            log.info("redial: no call placed in this session yet")
            return
        target, account_id = self._last_dialled
        self._calls.place_call(target, account_id)

    @runs_on(WORKER)
    def _follow_news(self) -> None:
        from callclient.engine import events as ev

        while True:
            item = self._stream.get()
            if item is None:
                return
            if isinstance(item, ev.CallUpdated) and item.direction is ev.CallDirection.OUTGOING:
                self._last_dialled = (item.remote.uri, item.account_id)
            if isinstance(item, (ev.CallUpdated, ev.CallEnded)):
                self._show_call_state()

    def _voicemail_number(self, account_id: str) -> str:
        account = self._config().account(account_id)
        return account.voicemail_number if account is not None else ""
__all__ = ["Desktop", "HotkeyConflict", "ShowWindowRequested"]
