"""A stand-in xdg-desktop-portal offering org.freedesktop.portal.GlobalShortcuts (version 1) on the test's
real session bus, for the Wayland hotkeys tests.

Why a stand-in: no GlobalShortcuts backend runs on Debian 12 (xdg-desktop-portal 1.16 has the frontend, but
only KDE Plasma 5.27+ and GNOME 48 backends implement it, and neither runs headless here). This one
implements the documented interface exactly as a client sees it: it owns org.freedesktop.portal.Desktop,
answers CreateSession / BindShortcuts / ListShortcuts with a Request object path built from the caller's
handle_token (/org/freedesktop/portal/desktop/request/SENDER/TOKEN), then emits that Request's Response
(u code, a{sv} results); sessions live at .../session/SENDER/TOKEN with org.freedesktop.portal.Session.Close;
the `version` property is readable through org.freedesktop.DBus.Properties; a press is the Activated then
Deactivated signal (o session, s shortcut_id, t timestamp, a{sv} options). Everything goes through the
bus daemon, so the app under test talks to it as it would to the real portal.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from jeepney import DBusAddress, HeaderFields, new_error, new_method_return, new_signal

from tests.fixtures.dbus import StandInService

NAME = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
GLOBAL_SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
VERSION = 1


@dataclass
class Session:
    path: str
    owner: str  # the client's unique bus name
    bound: dict[str, dict[str, Any]] = field(default_factory=dict)  # shortcut id -> {description, trigger}
    closed: bool = False


class ShortcutsPortal(StandInService):
    """`refuse`: shortcut ids the "desktop" will not bind (as if the user's desktop already used the trigger)."""

    def __init__(self, bus_address: str, refuse: frozenset[str] = frozenset(), offers_shortcuts: bool = True) -> None:
        self.refuse = refuse
        self.offers_shortcuts = offers_shortcuts
        self.sessions: list[Session] = []
        self.bind_requests: list[list[tuple[str, dict[str, Any]]]] = []  # each BindShortcuts' shortcuts, as sent
        self._changed = threading.Condition()
        super().__init__(bus_address, NAME, "test-shortcuts-portal")

    # ------------------------------------------------------------------ what the test does

    def wait_bound(self, what: str, timeout_s: float = 20.0) -> Session:
        """The open session once a BindShortcuts has been answered in it."""
        with self._changed:
            found = self._changed.wait_for(lambda: next((s for s in self.sessions if not s.closed and s.bound),
                                                        None), timeout_s)
        assert found is not None, f"no shortcuts bound ({what}) within {timeout_s} s; sessions: {self.sessions}"
        return found

    def press(self, session: Session, shortcut_id: str) -> None:
        """What the desktop does when the user presses a bound trigger, wherever the focus is."""
        emitter = DBusAddress(PATH, interface=GLOBAL_SHORTCUTS)
        for member in ("Activated", "Deactivated"):
            self._router.send(new_signal(emitter, member, "osta{sv}", (session.path, shortcut_id, 1_000, {})))

    def end_session(self, session: Session) -> None:
        """What the desktop does when the user takes the app's shortcuts away: Session.Closed."""
        with self._changed:
            session.closed = True
        self._router.send(new_signal(DBusAddress(session.path, interface="org.freedesktop.portal.Session"),
                                     "Closed", "a{sv}", ({},)))

    # ------------------------------------------------------------------ the portal side

    def answer(self, message: Any) -> None:
        fields = message.header.fields
        interface, member = fields.get(HeaderFields.interface), fields.get(HeaderFields.member)
        path, sender = fields.get(HeaderFields.path), fields.get(HeaderFields.sender, "")
        if interface == "org.freedesktop.DBus.Properties" and member == "Get" and path == PATH:
            wanted_interface, name = message.body
            if wanted_interface == GLOBAL_SHORTCUTS and name == "version" and self.offers_shortcuts:
                self._router.send(new_method_return(message, "v", (("u", VERSION),)))
            else:
                self._router.send(new_error(message, "org.freedesktop.DBus.Error.UnknownProperty", "s",
                                            (f"no property {wanted_interface}.{name}",)))
        elif interface == GLOBAL_SHORTCUTS and self.offers_shortcuts and path == PATH:
            self._shortcuts_call(message, member, sender)
        elif interface == "org.freedesktop.portal.Session" and member == "Close":
            with self._changed:
                for session in self.sessions:
                    if session.path == path and session.owner == sender:
                        session.closed = True
                self._changed.notify_all()
            self._router.send(new_method_return(message))
        else:
            self._router.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                        (f"{interface}.{member} at {path}",)))

    def _shortcuts_call(self, message: Any, member: str, sender: str) -> None:
        sender_part = sender.lstrip(":").replace(".", "_")
        if member == "CreateSession" and signature(message) == "a{sv}":
            (options,) = message.body
            request = f"{PATH}/request/{sender_part}/{options['handle_token'][1]}"
            session = Session(f"{PATH}/session/{sender_part}/{options['session_handle_token'][1]}", sender)
            with self._changed:
                self.sessions.append(session)
            self._router.send(new_method_return(message, "o", (request,)))
            self._respond(request, sender, {"session_handle": ("s", session.path)})
        elif member == "BindShortcuts" and signature(message) == "oa(sa{sv})sa{sv}":
            session_path, shortcuts, _parent_window, options = message.body
            session = next(s for s in self.sessions if s.path == session_path and s.owner == sender and not s.closed)
            request = f"{PATH}/request/{sender_part}/{options['handle_token'][1]}"
            self._router.send(new_method_return(message, "o", (request,)))
            bound = {shortcut_id: {"description": ("s", details["description"][1]),
                                   "trigger_description": ("s", details.get("preferred_trigger", ("s", ""))[1])}
                     for shortcut_id, details in shortcuts if shortcut_id not in self.refuse}
            with self._changed:
                self.bind_requests.append([(i, {k: v[1] for k, v in d.items()}) for i, d in shortcuts])
                session.bound = bound
                self._changed.notify_all()
            self._respond(request, sender, {"shortcuts": ("a(sa{sv})", list(bound.items()))})
        elif member == "ListShortcuts" and signature(message) == "oa{sv}":
            session_path, options = message.body
            session = next(s for s in self.sessions if s.path == session_path)
            request = f"{PATH}/request/{sender_part}/{options['handle_token'][1]}"
            self._router.send(new_method_return(message, "o", (request,)))
            self._respond(request, sender, {"shortcuts": ("a(sa{sv})", list(session.bound.items()))})
        else:
            self._router.send(new_error(message, "org.freedesktop.DBus.Error.InvalidArgs", "s",
                                        (f"{member} with signature {signature(message)!r}",)))

    def _respond(self, request: str, sender: str, results: dict[str, Any]) -> None:
        """The Request object's Response signal, sent to the caller only (as xdg-desktop-portal does)."""
        signal = new_signal(DBusAddress(request, interface="org.freedesktop.portal.Request"), "Response", "ua{sv}",
                            (0, results))
        signal.header.fields[HeaderFields.destination] = sender
        self._router.send(signal)


def signature(message: Any) -> str:
    return message.header.fields.get(HeaderFields.signature, "")


def running_portal(bus_address: str, **options: Any) -> Iterator[ShortcutsPortal]:
    portal = ShortcutsPortal(bus_address, **options)
    try:
        yield portal
    finally:
        portal.close()
