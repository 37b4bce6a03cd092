"""Global hotkeys on Wayland: the xdg-desktop-portal GlobalShortcuts interface, over the session bus.

Wayland gives no program a global key grab; the desktop binds shortcuts for us and tells us when one is
pressed. The conversation (org.freedesktop.portal.GlobalShortcuts, version 1):
  CreateSession(a{sv} options) -> o request   ... Request.Response(u code, a{sv} {session_handle})
  BindShortcuts(o session, a(sa{sv}) shortcuts, s parent_window, a{sv} options) -> o request
                                              ... Request.Response(u code, a{sv} {shortcuts: the bound ones})
  Activated(o session, s shortcut_id, t timestamp, a{sv} options)   (a signal, once per press)
Each method answers at once with a Request object path; the result comes later as that object's Response
signal (the portal may show the user a dialog first). We subscribe to the Response before calling, at the
path the spec lets us predict from our handle_token, so a fast answer is never missed.

A shortcut the desktop did not bind (missing from BindShortcuts' answer: taken, or refused in its dialog)
is a conflict, reported per action. Changing the shortcuts closes the session and binds afresh in a new
one, the one way every portal version accepts. The preferred trigger uses the XDG shortcuts notation
("CTRL+ALT+a"); the desktop may bind another and says which in trigger_description.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import threading
from collections.abc import Mapping
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, new_method_call
from jeepney.wrappers import DBusErrorResponse

from callclient.desktop.hotkeys import PORTAL_MISSING, Actions, ShortcutBook, ShortcutInvalid, Tell, split_shortcut
from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)

PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
GLOBAL_SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
REQUEST = "org.freedesktop.portal.Request"
SESSION = "org.freedesktop.portal.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"
SUCCESS, CANCELLED = 0, 1  # Request.Response codes; 2 is "ended some other way"
CREATE_TIMEOUT_S = 30.0
BIND_TIMEOUT_S = 300.0  # the desktop may show the user a dialog to confirm or change the triggers
DESCRIPTIONS = {"answer": "Answer the ringing call", "hang_up": "Hang up", "mute": "Mute or unmute the microphone",
                "redial": "Call the last number again", "show_window": "Show the CallClient window"}
# desktop.hotkey_* modifiers -> the XDG shortcuts specification's names.
XDG_MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "super": "LOGO"}
APP_ID = "callclient"  # our desktop entry is callclient.desktop
_tokens = itertools.count(1)


def preferred_trigger(shortcut: str) -> str:
    """"ctrl+alt+a" -> "CTRL+ALT+a" (modifiers in the XDG shortcuts spec's order, the key as an X keysym)."""
    modifiers, key = split_shortcut(shortcut)
    return "+".join([*(name for ours, name in XDG_MODIFIERS.items() if ours in modifiers), key])


def _portal() -> DBusAddress:
    return DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface=GLOBAL_SHORTCUTS)


def portal_version(bus: Any) -> int | None:
    """The portal's GlobalShortcuts version, or None when the portal (or that interface) is absent."""
    message = new_method_call(DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface=PROPERTIES), "Get", "ss",
                              (GLOBAL_SHORTCUTS, "version"))
    try:
        ((_signature, version),) = bus.call(message)
    except (DBusErrorResponse, TimeoutError) as error:  # no portal, or one without GlobalShortcuts
        log.info("no GlobalShortcuts portal: %s", error)
        return None
    return int(version)


def portal_problem(bus_address: str) -> str:
    """"" when the session bus has a portal offering GlobalShortcuts, else what the user needs."""
    from callclient.desktop.bus import SessionBus, SessionBusUnavailable

    if not bus_address:
        return PORTAL_MISSING
    try:
        bus = SessionBus(bus_address)
    except SessionBusUnavailable:
        return PORTAL_MISSING
    try:
        return "" if portal_version(bus) else PORTAL_MISSING
    finally:
        bus.close()


class PortalHotkeys(ShortcutBook):
    """The Wayland backend: its own session bus connection; presses and bindings handled on `hotkeys`."""

    def __init__(self, bus_address: str, actions: Actions, tell: Tell) -> None:
        super().__init__(actions, tell)
        self._bus_address = bus_address
        self._bus: Any = None
        self._inbox: queue.Queue[Any] = queue.Queue()  # Activated signals (Message), requests (dict), None: stop
        self._waiting: queue.Queue[Any] | None = None  # the Response queue the thread waits on, for stop()
        self._session = ""  # our GlobalShortcuts session's object path, "" without one
        self._thread: threading.Thread | None = None
        self._follows: list[Any] = []  # the signal subscriptions feeding the inbox
        self._asked = 0  # binding requests handed to the thread so far

    @runs_on(CALLER)
    def start(self) -> None:
        from callclient.desktop.bus import SessionBus, SessionBusUnavailable

        if not self._bus_address:
            raise ShortcutInvalid(PORTAL_MISSING)
        try:
            self._bus = SessionBus(self._bus_address)
        except SessionBusUnavailable as error:
            raise ShortcutInvalid(f"{PORTAL_MISSING} ({error})") from None
        self._register_app()
        version = portal_version(self._bus)
        if not version:
            self._bus.close()
            raise ShortcutInvalid(PORTAL_MISSING)
        log.info("global hotkeys through the GlobalShortcuts portal, version %s", version)
        self._follows = [
            self._bus.follow(MatchRule(type="signal", interface=GLOBAL_SHORTCUTS, member="Activated",
                                       path=PORTAL_PATH), self._inbox),
            # The desktop may end our session (the user took the shortcuts away): that is reported too.
            self._bus.follow(MatchRule(type="signal", interface=SESSION, member="Closed"), self._inbox)]
        self._thread = threading.Thread(target=self._run, name="hotkeys", daemon=True)
        self._thread.start()

    def _register_app(self) -> None:
        """Names us to the portal (xdg-desktop-portal 1.19+: org.freedesktop.host.portal.Registry), as an
        unsandboxed app must before its first portal call for backends that key shortcuts by app id; older
        portals lack the interface, which is fine: they identify host apps without it."""
        registry = DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface="org.freedesktop.host.portal.Registry")
        try:
            self._bus.call(new_method_call(registry, "Register", "sa{sv}", (APP_ID, {})))
        except (DBusErrorResponse, TimeoutError) as error:
            log.info("portal app registration not available: %s", error)

    @runs_on(CALLER)
    def stop(self) -> None:
        self._inbox.put(None)
        waiting = self._waiting
        if waiting is not None:
            waiting.put(None)  # a bind waiting for the user's answer in a portal dialog gives up
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        for follow in self._follows:
            follow.close()
        if self._bus is not None:
            self._bus.close()
            self._bus = None

    @runs_on(ANY_THREAD)
    def use(self, shortcuts: Mapping[str, str], timeout_s: float = 5.0) -> dict[str, str]:
        """Binds these shortcuts; returns the conflicts known within `timeout_s` (a portal dialog can take longer:
        then the conflicts are reported when the desktop answers)."""
        with self._applied:  # each request is answered by exactly one _publish: the n-th asked, generation n
            self._asked += 1
            target = self._asked
        self._inbox.put(dict(shortcuts))
        return self._wait_applied(target, timeout_s)

    # ------------------------------------------------------------------ the hotkeys thread

    def _run(self) -> None:
        try:
            while True:
                item = self._inbox.get()
                if item is None:
                    return
                if isinstance(item, dict):
                    self._bind(item)
                else:
                    self._on_signal(item)
        finally:
            self._close_session()

    def _on_signal(self, signal: Message) -> None:
        if signal.header.fields.get(HeaderFields.member) == "Closed":
            if signal.header.fields.get(HeaderFields.path) == self._session:
                self._session = ""
                held = dict(self.grabbed)
                self._publish(self.applied, {}, {action: f"{shortcut}: the desktop ended CallClient's shortcuts"
                                                 for action, shortcut in held.items()})
            return
        session, shortcut_id, _timestamp_ms, _options = signal.body
        if session == self._session and shortcut_id in self.grabbed:
            self._press(shortcut_id)

    def _bind(self, wanted: Mapping[str, str]) -> None:
        self._close_session()
        asked = {action: shortcut for action, shortcut in wanted.items() if shortcut}
        if not asked:
            self._publish(wanted, {}, {})
            return
        try:
            self._session = self._create_session()
            shortcuts = [(action, {"description": ("s", DESCRIPTIONS.get(action, action)),
                                   "preferred_trigger": ("s", preferred_trigger(shortcut))})
                         for action, shortcut in asked.items()]
            code, results = self._request("BindShortcuts", "oa(sa{sv})sa{sv}",
                                          lambda options: (self._session, shortcuts, "", options), BIND_TIMEOUT_S)
        except PortalFailed as error:
            self._publish(wanted, {}, {action: str(error) for action in asked})
            return
        if code != SUCCESS:
            why = "you declined it in the desktop's dialog" if code == CANCELLED else "the desktop did not bind it"
            self._publish(wanted, {}, {action: f"{asked[action]}: {why}" for action in asked})
            return
        bound = {shortcut_id: options for shortcut_id, options in results.get("shortcuts", ("", []))[1]}
        held = {action: shortcut for action, shortcut in asked.items() if action in bound}
        for action in held:
            trigger = bound[action].get("trigger_description", ("s", ""))[1]
            if trigger:
                log.info("the desktop bound %s to %s", action, trigger)
        self._publish(wanted, held, {action: f"{shortcut} was not bound by the desktop (another shortcut has it, "
                                             "or it was refused in the desktop's shortcut settings)"
                                     for action, shortcut in asked.items() if action not in bound})

    def _create_session(self) -> str:
        session_token = f"callclient_{os.getpid()}_{next(_tokens)}"
        code, results = self._request("CreateSession", "a{sv}", lambda options: (
            {**options, "session_handle_token": ("s", session_token)},), CREATE_TIMEOUT_S)
        if code != SUCCESS or "session_handle" not in results:
            raise PortalFailed(f"the desktop's shortcut portal would not open a session (response {code})")
        return str(results["session_handle"][1])

    def _request(self, method: str, signature: str, body: Any, timeout_s: float) -> tuple[int, dict[str, Any]]:
        """Calls a portal method that answers through a Request object; returns the Response (code, results)."""
        token = f"callclient_{os.getpid()}_{next(_tokens)}"
        sender = self._bus.unique_name.lstrip(":").replace(".", "_")
        predicted = f"{PORTAL_PATH}/request/{sender}/{token}"
        responses: queue.Queue[Any] = queue.Queue()
        follows = [self._bus.follow(MatchRule(type="signal", interface=REQUEST, member="Response", path=predicted),
                                    responses)]
        self._waiting = responses
        try:
            try:
                (handle,) = self._bus.call(new_method_call(_portal(), method, signature,
                                                           body({"handle_token": ("s", token)})))
            except (DBusErrorResponse, TimeoutError, OSError) as error:
                raise PortalFailed(f"the desktop's shortcut portal refused {method}: {error}") from None
            if handle != predicted:  # portals before 0.9 chose their own path: follow that one too
                follows.append(self._bus.follow(MatchRule(type="signal", interface=REQUEST, member="Response",
                                                          path=handle), responses))
            try:
                response = responses.get(timeout=timeout_s)
            except queue.Empty:
                raise PortalFailed(f"the desktop's shortcut portal did not answer {method} within "
                                   f"{timeout_s:.0f} s") from None
            if response is None:
                raise PortalFailed("stopped while waiting for the desktop")
            code, results = response.body
            return int(code), dict(results)
        finally:
            self._waiting = None
            for follow in follows:
                follow.close()

    def _close_session(self) -> None:
        if not self._session or self._bus is None:
            self._session = ""
            return
        session, self._session = self._session, ""
        try:
            self._bus.call(new_method_call(DBusAddress(session, bus_name=PORTAL, interface=SESSION), "Close"))
        except (DBusErrorResponse, TimeoutError, OSError) as error:  # the portal may have closed it already
            log.info("closing the shortcut session: %s", error)


class PortalFailed(Exception):
    """The portal did not do what was asked; the message names the step."""


__all__ = ["PortalHotkeys", "portal_problem", "portal_version", "preferred_trigger"]
