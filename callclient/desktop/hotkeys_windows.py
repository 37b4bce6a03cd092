"""Global hotkeys on Windows: user32's RegisterHotKey, with a message loop on the `hotkeys` thread.

RegisterHotKey(NULL, id, modifiers, vk) ties a hotkey to the calling thread's message queue, so one thread
registers, unregisters and reads WM_HOTKEY; other threads hand it new shortcuts through a queue and wake
it with PostThreadMessage(WM_APP). A shortcut another program registered fails with
ERROR_HOTKEY_ALREADY_REGISTERED: a conflict, reported per action.

The platform API is one small object (`User32Api`) so the rest runs, and is tested, anywhere: tests hand
recorded answers of RegisterHotKey and a stream of messages; on Windows `User32` makes the calls (ctypes).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping
from typing import Protocol

from callclient.desktop.hotkeys import (Actions, ShortcutBook, ShortcutInvalid, ShortcutRefused, ShortcutTaken, Tell,
                                       hold_each, platform_key)
from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)

WM_QUIT, WM_HOTKEY, WM_APP = 0x0012, 0x0312, 0x8000
MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN, MOD_NOREPEAT = 0x1, 0x2, 0x4, 0x8, 0x4000
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
MODIFIERS = {"ctrl": MOD_CONTROL, "alt": MOD_ALT, "shift": MOD_SHIFT, "super": MOD_WIN}
# desktop.hotkey_* key names (X keysym names, as Settings stores them) -> virtual-key codes (WinUser.h).
VIRTUAL_KEYS = {
    **{chr(c): c for c in range(ord("A"), ord("Z") + 1)},
    **{str(d): 0x30 + d for d in range(10)},
    **{f"F{n}": 0x6F + n for n in range(1, 25)},
    "space": 0x20, "Return": 0x0D, "KP_Enter": 0x0D, "Escape": 0x1B, "Tab": 0x09, "BackSpace": 0x08,
    "Delete": 0x2E, "Insert": 0x2D, "Home": 0x24, "End": 0x23, "Prior": 0x21, "Next": 0x22,
    "Left": 0x25, "Up": 0x26, "Right": 0x27, "Down": 0x28, "Pause": 0x13, "Print": 0x2C,
    "minus": 0xBD, "equal": 0xBB, "comma": 0xBC, "period": 0xBE, "slash": 0xBF, "semicolon": 0xBA,
    "grave": 0xC0, "bracketleft": 0xDB, "backslash": 0xDC, "bracketright": 0xDD, "apostrophe": 0xDE,
    "-": 0xBD, "=": 0xBB, ",": 0xBC, ".": 0xBE, "/": 0xBF, ";": 0xBA, "`": 0xC0, "[": 0xDB, "\\": 0xDC,
    "]": 0xDD, "'": 0xDE,
    "XF86AudioPlay": 0xB3, "XF86AudioStop": 0xB2, "XF86AudioMute": 0xAD,
}


def virtual_key(shortcut: str) -> tuple[int, int]:
    """"ctrl+alt+a" -> (MOD_CONTROL | MOD_ALT | MOD_NOREPEAT, VK 'A'); raises UnknownKey naming the part."""
    # MOD_NOREPEAT: holding the keys down answers once, not once per auto-repeat
    return platform_key(shortcut, MODIFIERS, VIRTUAL_KEYS, "Windows", flags=MOD_NOREPEAT, fold_letter=str.upper)


class User32Api(Protocol):
    def thread_started(self) -> None:
        """Called first on the hotkeys thread: gives it a message queue."""

    def register_hot_key(self, hotkey_id: int, modifiers: int, virtual_key: int) -> int:
        """RegisterHotKey(NULL, ...) on this thread: 0 when registered, else GetLastError()."""

    def unregister_hot_key(self, hotkey_id: int) -> None: ...

    def next_message(self) -> tuple[int, int]:
        """GetMessageW: (message, wParam); blocks. (WM_QUIT, 0) when the queue ends."""

    def wake(self) -> None:
        """PostThreadMessageW(the hotkeys thread, WM_APP): from any thread."""


class User32:
    """The real calls, through ctypes (Windows only)."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        self._ctypes = ctypes
        self._user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        self._kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
        self._user32.RegisterHotKey.argtypes = (wintypes.HWND, ctypes.c_int, wintypes.UINT, wintypes.UINT)
        self._user32.RegisterHotKey.restype = wintypes.BOOL
        self._user32.UnregisterHotKey.argtypes = (wintypes.HWND, ctypes.c_int)
        self._user32.GetMessageW.argtypes = (ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT,
                                             wintypes.UINT)
        self._user32.GetMessageW.restype = wintypes.BOOL
        self._user32.PeekMessageW.argtypes = (ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT,
                                              wintypes.UINT, wintypes.UINT)
        self._user32.PostThreadMessageW.argtypes = (wintypes.DWORD, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM)
        self._msg = wintypes.MSG
        self._thread_id = 0
        self._ready = threading.Event()

    def thread_started(self) -> None:
        self._thread_id = self._kernel32.GetCurrentThreadId()
        message = self._msg()
        self._user32.PeekMessageW(self._ctypes.byref(message), None, 0, 0, 0)  # PM_NOREMOVE: makes the queue
        self._ready.set()

    def register_hot_key(self, hotkey_id: int, modifiers: int, virtual_key: int) -> int:
        if self._user32.RegisterHotKey(None, hotkey_id, modifiers, virtual_key):
            return 0
        return self._ctypes.get_last_error() or -1  # type: ignore[attr-defined]

    def unregister_hot_key(self, hotkey_id: int) -> None:
        self._user32.UnregisterHotKey(None, hotkey_id)

    def next_message(self) -> tuple[int, int]:
        message = self._msg()
        if self._user32.GetMessageW(self._ctypes.byref(message), None, 0, 0) <= 0:
            return WM_QUIT, 0
        return int(message.message), int(message.wParam)

    def wake(self) -> None:
        self._ready.wait(5)
        self._user32.PostThreadMessageW(self._thread_id, WM_APP, 0, 0)


class WindowsHotkeys(ShortcutBook):
    def __init__(self, actions: Actions, tell: Tell, api: User32Api | None = None) -> None:
        super().__init__(actions, tell)
        self._api = api
        self._requests: queue.Queue[dict[str, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._started = threading.Event()

    @runs_on(CALLER)
    def start(self) -> None:
        if self._api is None:
            try:
                self._api = User32()
            except (OSError, AttributeError) as error:  # not Windows, or a user32 without the calls
                raise ShortcutInvalid(f"global hotkeys off: user32 is not available ({error})") from None
        self._thread = threading.Thread(target=self._run, name="hotkeys", daemon=True)
        self._thread.start()
        self._started.wait(5)

    @runs_on(CALLER)
    def stop(self) -> None:
        self._requests.put(None)
        if self._thread is not None:
            assert self._api is not None
            self._api.wake()
            self._thread.join(5)
            self._thread = None

    @runs_on(ANY_THREAD)
    def use(self, shortcuts: Mapping[str, str], timeout_s: float = 5.0) -> dict[str, str]:
        assert self._api is not None, "start() first"
        target = self._next_generation() + self._requests.qsize()
        self._requests.put(dict(shortcuts))
        self._api.wake()
        return self._wait_applied(target, timeout_s)

    # ------------------------------------------------------------------ the hotkeys thread

    def _run(self) -> None:
        api = self._api
        assert api is not None
        api.thread_started()
        self._started.set()
        ids: dict[int, str] = {}  # hotkey id -> action
        try:
            while True:
                message, w_param = api.next_message()
                if message == WM_QUIT:
                    return
                if message == WM_HOTKEY and w_param in ids:
                    self._press(ids[w_param])
                while not self._requests.empty():
                    wanted = self._requests.get()
                    if wanted is None:
                        return
                    ids = self._register(ids, wanted)
        finally:
            for hotkey_id in ids:
                api.unregister_hot_key(hotkey_id)

    def _register(self, old: Mapping[int, str], wanted: Mapping[str, str]) -> dict[int, str]:
        api = self._api
        assert api is not None
        for hotkey_id in old:
            api.unregister_hot_key(hotkey_id)
        ids: dict[int, str] = {}

        def register(hotkey_id: int, action: str, shortcut: str) -> None:
            modifiers, key = virtual_key(shortcut)
            error_code = api.register_hot_key(hotkey_id, modifiers, key)
            if error_code == ERROR_HOTKEY_ALREADY_REGISTERED:
                raise ShortcutTaken
            if error_code:
                raise ShortcutRefused(f"Windows refused it (error {error_code})")
            ids[hotkey_id] = action

        grabbed, conflicts = hold_each(wanted, register)
        self._publish(wanted, grabbed, conflicts)
        return ids


__all__ = ["User32", "User32Api", "WindowsHotkeys", "virtual_key"]
