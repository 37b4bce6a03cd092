"""The desktop session's lock as systemd-logind tells it, on the SYSTEM bus.

Some desktops lock without announcing it through a screen saver on the session bus: `loginctl lock-session`,
a lid switch or an idle policy makes logind emit `Lock` on the session's object
(org.freedesktop.login1.Session), the screen locker then sets the session's `LockedHint` property, and
desktops such as Sway/swayidle, Hyprland or a bare window manager with xss-lock follow only that. The app lock
(callclient/services/lock.py) follows both routes.

Which session is ours: `Manager.GetSessionByPID(our pid)`, which answers for a process inside a session's
scope; a program started by the user's systemd instance (an autostart unit) is outside every session, so
then `XDG_SESSION_ID` (set by pam_systemd at login and inherited) names it through `Manager.GetSession`.

Only logind's own signals count: the match names logind's unique bus name, so another program on the system
bus cannot pose as the session. `Unlock` and `LockedHint` false are reported too, but the app lock does not
open on them: CallClient asks for its own confirmation (issue 18).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Mapping
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.wrappers import DBusErrorResponse

from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)

LOGIND = "org.freedesktop.login1"
MANAGER = DBusAddress("/org/freedesktop/login1", bus_name=LOGIND, interface="org.freedesktop.login1.Manager")
SESSION_INTERFACE = "org.freedesktop.login1.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"
CALL_TIMEOUT_S = 5.0
LOGIND_THREAD = "logind-session"  # reads logind's signals (for @runs_on)


class LogindUnavailable(Exception):
    """No system bus, no logind on it, or no session of ours; the message says which."""


class LogindSession:
    """Follows our login session's lock. `on_change(locked, how)` is called on the LOGIND_THREAD with
    locked True for `Lock` and `LockedHint` true, False for `Unlock` and `LockedHint` false; `how` names the
    signal. `connect()` returns a jeepney threading DBusRouter on the system bus (tests give a private bus
    through DBUS_SYSTEM_BUS_ADDRESS, which jeepney reads)."""

    def __init__(self, on_change: Callable[[bool, str], None], connect: Callable[[], Any] | None = None,
                 environ: Mapping[str, str] | None = None, pid: int | None = None) -> None:
        self._on_change = on_change
        self._connect = connect or _system_bus
        self._environ = environ if environ is not None else os.environ
        self._pid = pid if pid is not None else os.getpid()
        self._router: Any = None
        self._filters: list[Any] = []
        self._signals: queue.Queue[Message | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self.session_path = ""

    @runs_on(CALLER)
    def start(self) -> bool:
        """Finds our session and follows it; returns whether logind's session lock was locked already.
        Raises LogindUnavailable (with the reason) when there is nothing to follow."""
        try:
            self._router = self._connect()
        except (OSError, KeyError, ValueError, RuntimeError) as error:
            raise LogindUnavailable(f"no D-Bus system bus ({type(error).__name__}: {error})") from None
        try:
            owner = self._call(message_bus.GetNameOwner(LOGIND))[0]
        except DBusErrorResponse:
            self.stop()
            raise LogindUnavailable("systemd-logind is not on the system bus") from None
        try:
            self.session_path = self._our_session()
            for rule in (
                MatchRule(type="signal", sender=owner, interface=SESSION_INTERFACE, member="Lock",
                          path=self.session_path),
                MatchRule(type="signal", sender=owner, interface=SESSION_INTERFACE, member="Unlock",
                          path=self.session_path),
                MatchRule(type="signal", sender=owner, interface=PROPERTIES, member="PropertiesChanged",
                          path=self.session_path),
            ):
                self._filters.append(self._router.filter(rule, queue=self._signals))
                self._call(message_bus.AddMatch(rule))
            (hint,) = self._call(new_method_call(self._session(PROPERTIES), "Get", "ss",
                                                 (SESSION_INTERFACE, "LockedHint")))
        except (DBusErrorResponse, TimeoutError, OSError) as error:
            self.stop()
            raise LogindUnavailable(f"cannot follow our logind session: {error}") from None
        self._reader = threading.Thread(target=self._read, name=LOGIND_THREAD, daemon=True)
        self._reader.start()
        log.info("following logind session %s", self.session_path)
        return bool(hint[1])

    @runs_on(ANY_THREAD)
    def stop(self) -> None:
        for handle in self._filters:
            handle.close()
        self._filters.clear()
        self._signals.put(None)
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(5)
        if self._router is not None:
            self._router.close()
            self._router.conn.close()
            self._router = None

    # ------------------------------------------------------------------ inside

    def _call(self, message: Message) -> tuple[Any, ...]:
        from jeepney.wrappers import unwrap_msg

        return unwrap_msg(self._router.send_and_get_reply(message, timeout=CALL_TIMEOUT_S))

    def _session(self, interface: str) -> DBusAddress:
        return DBusAddress(self.session_path, bus_name=LOGIND, interface=interface)

    def _our_session(self) -> str:
        try:
            (path,) = self._call(new_method_call(MANAGER, "GetSessionByPID", "u", (self._pid,)))
            return path
        except DBusErrorResponse as error:  # NoSessionForPID: started by the user's systemd, outside the session
            by_pid = error
        session_id = self._environ.get("XDG_SESSION_ID", "")
        if not session_id:
            raise LogindUnavailable(f"this process is in no login session ({by_pid.name}) and XDG_SESSION_ID "
                                    "is not set")
        (path,) = self._call(new_method_call(MANAGER, "GetSession", "s", (session_id,)))
        return path

    def _read(self) -> None:
        while True:
            message = self._signals.get()
            if message is None:
                return
            member = message.header.fields.get(HeaderFields.member, "")
            if member in ("Lock", "Unlock"):
                self._tell(member == "Lock", member)
            elif member == "PropertiesChanged" and message.body and message.body[0] == SESSION_INTERFACE:
                changed = message.body[1]
                if "LockedHint" in changed:
                    self._tell(bool(changed["LockedHint"][1]), "LockedHint")

    def _tell(self, locked: bool, how: str) -> None:
        try:
            self._on_change(locked, how)
        except Exception:  # a bug in the listener must not stop us following the session
            log.exception("the logind session listener failed on %s", how)


def _system_bus() -> Any:
    from jeepney.io.threading import open_dbus_connection

    from callclient.desktop.bus import Router

    return Router(open_dbus_connection("SYSTEM"))


__all__ = ["LOGIND", "LogindSession", "LogindUnavailable"]
