"""Global hotkeys: answer, hang up, mute, redial and show the window while another window has focus.

One interface (`HotkeyBackend`), one backend per kind of session, chosen by `backend_for_session`: X11
(this module, XGrabKey), Wayland (hotkeys_portal.py, the xdg-desktop-portal GlobalShortcuts interface),
Windows (hotkeys_windows.py, RegisterHotKey) and macOS (hotkeys_macos.py, Carbon RegisterEventHotKey).
Every backend reports a shortcut it could not take per action (`HotkeyConflict`), never silently.

On X11 (`GlobalHotkeys`, here) each configured shortcut is grabbed on the root window with XGrabKey
(through python-xlib, which speaks the X protocol itself). A shortcut another program already grabbed fails
with BadAccess: that conflict is reported (log, notice, `conflicts`). Grabs are made once per lock state
(Caps Lock, Num Lock) because X matches modifiers exactly.

Everything X happens on the `hotkeys` thread, which owns the display connection; other threads hand it new
shortcuts through a queue and wake it with a pipe. Under Wayland, X grabs only see XWayland windows'
keys, so a Wayland session uses the portal instead (or says why it cannot).
"""

from __future__ import annotations

import logging
import os
import queue
import select
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)

ACTIONS = ("answer", "hang_up", "mute", "redial", "show_window")


@dataclass(frozen=True)
class ShowWindowRequested:
    """The show-window hotkey was pressed; the GUI raises its main window (news stream)."""


@dataclass(frozen=True)
class HotkeyConflict:
    """A shortcut could not be grabbed because another program holds it (news stream, and a notice)."""

    action: str
    shortcut: str
    reason: str


class ShortcutInvalid(ValueError):
    """Global hotkeys cannot start in this session; the message says why (no display, no portal)."""


class ShortcutRefused(Exception):
    """The platform will not hold one shortcut; the message says why, in words that follow the shortcut."""


class ShortcutTaken(ShortcutRefused):
    """Another program already holds the shortcut."""


class UnknownKey(ShortcutRefused, ValueError):
    """The shortcut names a modifier or key this platform has no code for."""


PORTAL_MISSING = "Global shortcuts need a desktop whose portal offers GlobalShortcuts (xdg-desktop-portal 1.16 " \
                 "or later with a desktop backend that implements it, such as KDE Plasma 5.27 or GNOME 48)."
NO_SESSION = "Global shortcuts need a desktop session (an X11 display, or Wayland with the GlobalShortcuts portal)."


class HotkeyBackend(Protocol):
    """What the desktop service asks of every platform's global hotkeys."""

    def start(self) -> None:
        """Connects to the platform; raises ShortcutInvalid naming why it cannot."""

    def stop(self) -> None: ...

    def use(self, shortcuts: Mapping[str, str], timeout_s: float = 5.0) -> dict[str, str]:
        """Holds these shortcuts (action -> "ctrl+alt+a", "" for none) instead of the current ones; returns the
        conflicts (action -> why), as known within `timeout_s`."""

    def current_conflicts(self) -> dict[str, HotkeyConflict]: ...


Actions = Mapping[str, Callable[[], Any]]
Tell = Callable[[object], None]


def backend_for_session(environ: Mapping[str, str], actions: Actions, tell: Tell,
                        platform: str = sys.platform) -> HotkeyBackend:
    """The backend this session's desktop offers; raises ShortcutInvalid saying why there is none."""
    if platform == "win32":
        from callclient.desktop.hotkeys_windows import WindowsHotkeys

        return WindowsHotkeys(actions, tell)
    if platform == "darwin":
        from callclient.desktop.hotkeys_macos import MacHotkeys

        return MacHotkeys(actions, tell)
    if environ.get("WAYLAND_DISPLAY"):
        # X grabs under XWayland only see keys sent to X windows: not global on Wayland, so never chosen there.
        from callclient.desktop.hotkeys_portal import PortalHotkeys

        return PortalHotkeys(environ.get("DBUS_SESSION_BUS_ADDRESS", ""), actions, tell)
    if environ.get("DISPLAY"):
        return GlobalHotkeys(environ["DISPLAY"], actions, tell)
    raise ShortcutInvalid(NO_SESSION)


def session_problem(environ: Mapping[str, str], platform: str = sys.platform) -> str:
    """Why global hotkeys cannot work in this session ("" when they can), for Settings to say before any
    shortcut is set. Asks the portal (one D-Bus call) on Wayland."""
    if platform in ("win32", "darwin"):
        return ""
    if environ.get("WAYLAND_DISPLAY"):
        from callclient.desktop.hotkeys_portal import portal_problem

        return portal_problem(environ.get("DBUS_SESSION_BUS_ADDRESS", ""))
    return "" if environ.get("DISPLAY") else NO_SESSION


def split_shortcut(shortcut: str) -> tuple[frozenset[str], str]:
    """"ctrl+alt+a" -> ({"ctrl", "alt"}, "a"): modifiers in lower case, the key (an X keysym name) as written."""
    *modifiers, key = shortcut.split("+")
    return frozenset(m.lower() for m in modifiers), key


def platform_key(shortcut: str, modifier_flags: Mapping[str, int], key_codes: Mapping[str, int], system: str,
                 flags: int = 0, fold_letter: Callable[[str], str] = str.lower) -> tuple[int, int]:
    """"ctrl+alt+a" -> (`flags` with each modifier's flag added, the key's code), from one platform's tables; a
    one-letter key is looked up as `fold_letter` writes it. Raises UnknownKey naming the part `system` lacks."""
    modifiers, key = split_shortcut(shortcut)
    for name in modifiers:
        if name not in modifier_flags:
            raise UnknownKey(f"no modifier {name!r} on {system}")
        flags |= modifier_flags[name]
    code = key_codes.get(fold_letter(key) if len(key) == 1 else key)
    if code is None:
        raise UnknownKey(f"no key {key!r} on this keyboard")
    return flags, code


def hold_each(wanted: Mapping[str, str], hold: Callable[[int, str, str], None]) -> tuple[dict[str, str],
                                                                                       dict[str, str]]:
    """Asks the platform to hold each wanted shortcut ("" for none), numbered from 1 (the hotkey ids
    RegisterHotKey and RegisterEventHotKey take): `hold(hotkey_id, action, shortcut)` returns once it is held
    and raises ShortcutRefused when not. Returns (grabbed, conflicts), as ShortcutBook._publish takes them,
    each conflict worded the same on every platform."""
    grabbed: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    for hotkey_id, (action, shortcut) in enumerate(((a, s) for a, s in wanted.items() if s), start=1):
        try:
            hold(hotkey_id, action, shortcut)
        except ShortcutTaken:
            conflicts[action] = f"{shortcut} is already taken by another program"
        except ShortcutRefused as refusal:
            conflicts[action] = f"{shortcut}: {refusal}"
        else:
            grabbed[action] = shortcut
    return grabbed, conflicts


class ShortcutBook:
    """What every backend keeps and reports: the shortcuts held, the conflicts, and the pressed actions."""

    def __init__(self, actions: Actions, tell: Tell) -> None:
        self._actions = actions
        self._tell = tell
        self._applied = threading.Condition()
        self._generation = 0
        self.grabbed: dict[str, str] = {}  # action -> shortcut, as held now
        self.conflicts: dict[str, str] = {}  # action -> why its shortcut is not held
        self.applied: dict[str, str] = {}  # action -> shortcut, as last asked for (held or not)

    @runs_on(ANY_THREAD)
    def current_conflicts(self) -> dict[str, HotkeyConflict]:
        """Action -> the shortcut last asked for and why it is not held, as of the last applied request."""
        with self._applied:
            return {action: HotkeyConflict(action, self.applied.get(action, ""), reason)
                    for action, reason in self.conflicts.items()}

    def _next_generation(self) -> int:
        with self._applied:
            return self._generation + 1

    def _wait_applied(self, generation: int, timeout_s: float) -> dict[str, str]:
        with self._applied:
            self._applied.wait_for(lambda: self._generation >= generation, timeout_s)
            return dict(self.conflicts)

    def _publish(self, wanted: Mapping[str, str], grabbed: dict[str, str], conflicts: dict[str, str]) -> None:
        """Records what the platform answered, reports each conflict, then wakes whoever waits in use() (so
        a conflict is told by the time use() returns)."""
        with self._applied:
            self.grabbed, self.conflicts, self.applied = grabbed, conflicts, dict(wanted)
        for action, reason in conflicts.items():
            log.warning("global hotkey for %s not set: %s", action.replace("_", " "), reason)
            try:
                self._tell(HotkeyConflict(action, wanted[action], reason))
            except Exception:  # telling failed: the shortcuts held stand, and the backend keeps serving them
                log.exception("reporting a hotkey conflict failed")
        if grabbed:
            log.info("global hotkeys: %s", ", ".join(f"{a}={s}" for a, s in grabbed.items()))
        with self._applied:
            self._generation += 1
            self._applied.notify_all()

    def _press(self, action: str) -> None:
        log.info("global hotkey: %s", action)
        try:
            self._actions[action]()
        except Exception:  # a failed action must not end the backend's thread
            log.exception("global hotkey %s failed", action)


class GlobalHotkeys(ShortcutBook):
    """X11. `actions` maps an action name (ACTIONS) to what it does; `tell(item)` reports conflicts and requests."""

    def __init__(self, display_name: str, actions: Actions, tell: Tell) -> None:
        super().__init__(actions, tell)
        self._display_name = display_name
        self._requests: queue.Queue[dict[str, str] | None] = queue.Queue()
        self._wake_read, self._wake_write = os.pipe()
        self._thread: threading.Thread | None = None

    @runs_on(CALLER)
    def start(self) -> None:
        from Xlib import display as xdisplay
        from Xlib.error import DisplayError

        try:
            self._display = xdisplay.Display(self._display_name)
        except (DisplayError, OSError) as error:
            raise ShortcutInvalid(f"global hotkeys off: cannot open X display {self._display_name!r}: {error}") \
                from None
        self._thread = threading.Thread(target=self._run, name="hotkeys", daemon=True)
        self._thread.start()

    @runs_on(CALLER)
    def stop(self) -> None:
        self._requests.put(None)
        os.write(self._wake_write, b"x")
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        os.close(self._wake_read)
        os.close(self._wake_write)

    @runs_on(ANY_THREAD)
    def use(self, shortcuts: Mapping[str, str], timeout_s: float = 5.0) -> dict[str, str]:
        """Grabs these shortcuts (action -> "ctrl+alt+a", "" for none) instead of the current ones; waits until
        the hotkeys thread has applied them and returns the conflicts."""
        with self._applied:
            target = self._generation + self._requests.qsize() + 1
        self._requests.put(dict(shortcuts))
        os.write(self._wake_write, b"x")
        with self._applied:
            self._applied.wait_for(lambda: self._generation >= target, timeout_s)
            return dict(self.conflicts)

    # ------------------------------------------------------------------ the hotkeys thread

    def _run(self) -> None:
        from Xlib import X

        display = self._display
        root = display.screen().root
        keys: dict[tuple[int, int], str] = {}  # (keycode, modifiers) -> action
        try:
            while True:
                while display.pending_events():
                    event = display.next_event()
                    if event.type == X.KeyPress:
                        action = keys.get((event.detail, event.state & ~self._lock_masks()))
                        if action is not None:
                            self._press(action)
                readable, _, _ = select.select([display.fileno(), self._wake_read], [], [])
                if self._wake_read in readable:
                    os.read(self._wake_read, 64)
                    while not self._requests.empty():
                        wanted = self._requests.get()
                        if wanted is None:
                            self._ungrab_all(root, keys)
                            return
                        keys = self._grab(root, keys, wanted)
        finally:
            display.close()

    def _lock_masks(self) -> int:
        from Xlib import X

        return X.LockMask | X.Mod2Mask  # Caps Lock, Num Lock (Mod2 on every common keymap)

    def _grab(self, root: Any, old: dict[tuple[int, int], str], wanted: Mapping[str, str]) -> dict[tuple[int, int], str]:
        from Xlib import X, XK
        from Xlib.error import CatchError

        self._ungrab_all(root, old)
        display = self._display
        keys: dict[tuple[int, int], str] = {}

        def grab(_hotkey_id: int, action: str, shortcut: str) -> None:
            *modifier_names, key_name = shortcut.split("+")
            modifiers = 0
            for name in modifier_names:
                modifiers |= {"ctrl": X.ControlMask, "alt": X.Mod1Mask, "shift": X.ShiftMask,
                              "super": X.Mod4Mask}[name.lower()]
            keysym = XK.string_to_keysym(key_name) or XK.string_to_keysym(key_name.lower())
            keycode = display.keysym_to_keycode(keysym) if keysym else 0
            if not keycode:
                raise UnknownKey(f"no key {key_name!r} on this keyboard")
            catch = CatchError()  # XGrabKey's BadAccess arrives asynchronously: sync, then look
            for locks in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
                root.grab_key(keycode, modifiers | locks, False, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
            display.sync()
            if catch.get_error() is not None:
                for locks in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
                    root.ungrab_key(keycode, modifiers | locks)
                display.sync()
                raise ShortcutTaken
            keys[(keycode, modifiers)] = action

        grabbed, conflicts = hold_each(wanted, grab)
        self._publish(wanted, grabbed, conflicts)
        return keys

    def _ungrab_all(self, root: Any, keys: Mapping[tuple[int, int], str]) -> None:
        from Xlib import X

        for keycode, modifiers in keys:
            for locks in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
                root.ungrab_key(keycode, modifiers | locks)
        self._display.sync()
