"""Global hotkeys on macOS: Carbon's RegisterEventHotKey, through ctypes.

Still the one public macOS API for a system-wide hotkey that needs no Accessibility permission. Presses
arrive as kEventHotKeyPressed on the application event target, which the main run loop (Qt's event loop
on macOS) dispatches: the handler reads the EventHotKeyID and runs the action. A shortcut another program
registered fails with eventHotKeyExistsErr: a conflict, reported per action.

Modifiers: Qt on macOS reports the Command key as Ctrl and the Control key as Meta, and Settings stores
them as "ctrl" and "super"; so "ctrl" is cmdKey here and "super" is controlKey — the keys the user pressed.
Key codes are the kVK_* virtual key codes (HIToolbox/Events.h), which name key positions on an ANSI
keyboard.

The platform API is one small object (`CarbonApi`) so the rest runs, and is tested, anywhere: tests hand
recorded answers of RegisterEventHotKey and press keys through the installed handler; on macOS `Carbon`
makes the calls. Carbon calls are made under one lock (Carbon is not thread-safe).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from callclient.desktop.hotkeys import (Actions, ShortcutBook, ShortcutInvalid, ShortcutRefused, ShortcutTaken, Tell,
                                       hold_each, platform_key)
from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)

NO_ERR, EVENT_HOT_KEY_EXISTS_ERR = 0, -9878
CMD_KEY, SHIFT_KEY, OPTION_KEY, CONTROL_KEY = 0x0100, 0x0200, 0x0800, 0x1000
MODIFIERS = {"ctrl": CMD_KEY, "super": CONTROL_KEY, "alt": OPTION_KEY, "shift": SHIFT_KEY}
SIGNATURE = int.from_bytes(b"CCph", "big")  # our EventHotKeyID.signature: which app's hotkey fired
# desktop.hotkey_* key names (X keysym names) -> kVK_* codes (HIToolbox/Events.h).
KEY_CODES = {
    "a": 0x00, "s": 0x01, "d": 0x02, "f": 0x03, "h": 0x04, "g": 0x05, "z": 0x06, "x": 0x07, "c": 0x08, "v": 0x09,
    "b": 0x0B, "q": 0x0C, "w": 0x0D, "e": 0x0E, "r": 0x0F, "y": 0x10, "t": 0x11, "1": 0x12, "2": 0x13, "3": 0x14,
    "4": 0x15, "6": 0x16, "5": 0x17, "equal": 0x18, "9": 0x19, "7": 0x1A, "minus": 0x1B, "8": 0x1C, "0": 0x1D,
    "bracketright": 0x1E, "o": 0x1F, "u": 0x20, "bracketleft": 0x21, "i": 0x22, "p": 0x23, "Return": 0x24,
    "l": 0x25, "j": 0x26, "apostrophe": 0x27, "k": 0x28, "semicolon": 0x29, "backslash": 0x2A, "comma": 0x2B,
    "slash": 0x2C, "n": 0x2D, "m": 0x2E, "period": 0x2F, "Tab": 0x30, "space": 0x31, "grave": 0x32,
    "BackSpace": 0x33, "Escape": 0x35, "KP_Enter": 0x4C, "F17": 0x40, "F18": 0x4F, "F19": 0x50, "F20": 0x5A,
    "F5": 0x60, "F6": 0x61, "F7": 0x62, "F3": 0x63, "F8": 0x64, "F9": 0x65, "F11": 0x67, "F13": 0x69,
    "F16": 0x6A, "F14": 0x6B, "F10": 0x6D, "F12": 0x6F, "F15": 0x71, "Home": 0x73, "Prior": 0x74,
    "Delete": 0x75, "F4": 0x76, "End": 0x77, "F2": 0x78, "Next": 0x79, "F1": 0x7A, "Left": 0x7B,
    "Right": 0x7C, "Down": 0x7D, "Up": 0x7E,
    "=": 0x18, "-": 0x1B, "]": 0x1E, "[": 0x21, "'": 0x27, ";": 0x29, "\\": 0x2A, ",": 0x2B, "/": 0x2C, ".": 0x2F,
    "`": 0x32,
}


def carbon_key(shortcut: str) -> tuple[int, int]:
    """"ctrl+alt+a" -> (cmdKey | optionKey, kVK_ANSI_A); raises UnknownKey naming the part."""
    return platform_key(shortcut, MODIFIERS, KEY_CODES, "macOS")


class CarbonApi(Protocol):
    def install_handler(self, pressed: Callable[[int], None]) -> None:
        """InstallEventHandler for kEventHotKeyPressed; `pressed(hotkey_id)` on each press."""

    def register(self, hotkey_id: int, key_code: int, modifiers: int) -> tuple[int, Any]:
        """RegisterEventHotKey: (OSStatus, the EventHotKeyRef to unregister)."""

    def unregister(self, hotkey: Any) -> None: ...

    def remove_handler(self) -> None: ...


class Carbon:
    """The real calls, through ctypes (macOS only)."""

    K_EVENT_CLASS_KEYBOARD = int.from_bytes(b"keyb", "big")
    K_EVENT_HOT_KEY_PRESSED = 5
    K_EVENT_PARAM_DIRECT_OBJECT = int.from_bytes(b"----", "big")
    TYPE_EVENT_HOT_KEY_ID = int.from_bytes(b"hkid", "big")

    def __init__(self) -> None:
        import ctypes
        import ctypes.util

        path = ctypes.util.find_library("Carbon")
        if path is None:
            raise OSError("the Carbon framework is not on this system")
        self._ctypes = ctypes
        self._carbon = ctypes.cdll.LoadLibrary(path)

        class EventHotKeyID(ctypes.Structure):
            _fields_ = [("signature", ctypes.c_uint32), ("id", ctypes.c_uint32)]

        class EventTypeSpec(ctypes.Structure):
            _fields_ = [("eventClass", ctypes.c_uint32), ("eventKind", ctypes.c_uint32)]

        self._hot_key_id = EventHotKeyID
        self._event_type = EventTypeSpec
        self._handler_type = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
        self._carbon.GetApplicationEventTarget.restype = ctypes.c_void_p
        self._carbon.RegisterEventHotKey.argtypes = (ctypes.c_uint32, ctypes.c_uint32, EventHotKeyID,
                                                     ctypes.c_void_p, ctypes.c_uint32,
                                                     ctypes.POINTER(ctypes.c_void_p))
        self._carbon.UnregisterEventHotKey.argtypes = (ctypes.c_void_p,)
        self._carbon.InstallEventHandler.argtypes = (ctypes.c_void_p, self._handler_type, ctypes.c_uint32,
                                                     ctypes.POINTER(EventTypeSpec), ctypes.c_void_p,
                                                     ctypes.POINTER(ctypes.c_void_p))
        self._carbon.RemoveEventHandler.argtypes = (ctypes.c_void_p,)
        self._carbon.GetEventParameter.argtypes = (ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32,
                                                   ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
                                                   ctypes.c_void_p)
        self._callback: Any = None  # kept: Carbon holds only the C pointer
        self._handler = ctypes.c_void_p()

    def install_handler(self, pressed: Callable[[int], None]) -> None:
        ctypes = self._ctypes

        def on_event(_call_ref: int, event: int, _user_data: int) -> int:
            hot_key = self._hot_key_id()
            status = self._carbon.GetEventParameter(event, self.K_EVENT_PARAM_DIRECT_OBJECT,
                                                    self.TYPE_EVENT_HOT_KEY_ID, None, ctypes.sizeof(hot_key),
                                                    None, ctypes.byref(hot_key))
            if status == NO_ERR and hot_key.signature == SIGNATURE:
                pressed(hot_key.id)
            return NO_ERR

        self._callback = self._handler_type(on_event)
        spec = self._event_type(self.K_EVENT_CLASS_KEYBOARD, self.K_EVENT_HOT_KEY_PRESSED)
        self._carbon.InstallEventHandler(self._carbon.GetApplicationEventTarget(), self._callback, 1,
                                         ctypes.byref(spec), None, ctypes.byref(self._handler))

    def register(self, hotkey_id: int, key_code: int, modifiers: int) -> tuple[int, Any]:
        ref = self._ctypes.c_void_p()
        status = self._carbon.RegisterEventHotKey(key_code, modifiers, self._hot_key_id(SIGNATURE, hotkey_id),
                                                  self._carbon.GetApplicationEventTarget(), 0,
                                                  self._ctypes.byref(ref))
        return int(status), ref

    def unregister(self, hotkey: Any) -> None:
        self._carbon.UnregisterEventHotKey(hotkey)

    def remove_handler(self) -> None:
        if self._handler:
            self._carbon.RemoveEventHandler(self._handler)


class MacHotkeys(ShortcutBook):
    def __init__(self, actions: Actions, tell: Tell, api: CarbonApi | None = None) -> None:
        super().__init__(actions, tell)
        self._api = api
        self._carbon_lock = threading.Lock()
        self._held: dict[int, tuple[str, Any]] = {}  # hotkey id -> (action, EventHotKeyRef)

    @runs_on(CALLER)
    def start(self) -> None:
        if self._api is None:
            try:
                self._api = Carbon()
            except (OSError, AttributeError) as error:
                raise ShortcutInvalid(f"global hotkeys off: Carbon is not available ({error})") from None
        with self._carbon_lock:
            self._api.install_handler(self._pressed)

    @runs_on(CALLER)
    def stop(self) -> None:
        with self._carbon_lock:
            assert self._api is not None
            for _action, hotkey in self._held.values():
                self._api.unregister(hotkey)
            self._held = {}
            self._api.remove_handler()

    @runs_on(ANY_THREAD)
    def use(self, shortcuts: Mapping[str, str], timeout_s: float = 5.0) -> dict[str, str]:
        """Registers at once (Carbon answers synchronously); `timeout_s` is there for the common interface."""
        api = self._api
        assert api is not None, "start() first"
        with self._carbon_lock:
            for _action, hotkey in self._held.values():
                api.unregister(hotkey)
            self._held = {}
            grabbed, conflicts = hold_each(shortcuts, self._register)
        self._publish(shortcuts, grabbed, conflicts)
        return conflicts

    def _register(self, hotkey_id: int, action: str, shortcut: str) -> None:
        """One RegisterEventHotKey, under the Carbon lock."""
        modifiers, key_code = carbon_key(shortcut)
        assert self._api is not None
        status, hotkey = self._api.register(hotkey_id, key_code, modifiers)
        if status == EVENT_HOT_KEY_EXISTS_ERR:
            raise ShortcutTaken
        if status != NO_ERR:
            raise ShortcutRefused(f"macOS refused it (OSStatus {status})")
        self._held[hotkey_id] = (action, hotkey)

    def _pressed(self, hotkey_id: int) -> None:
        held = self._held.get(hotkey_id)
        if held is not None:
            self._press(held[0])


__all__ = ["Carbon", "CarbonApi", "MacHotkeys", "carbon_key"]
