"""Global hotkeys on Windows (RegisterHotKey + a message loop) and macOS (Carbon RegisterEventHotKey), run
here with the platform calls answered as the platforms answer them (neither OS runs here): the backends'
own threads, bookkeeping, key mapping and conflict reports are the shipped code; only user32 / Carbon are
stand-ins behind the same small interface the real ctypes wrappers implement."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# First, as in the app: callclient.desktop.hotkeys and callclient.services import each other.
import callclient.services  # noqa: F401
from callclient.desktop.hotkeys import HotkeyConflict, backend_for_session
from callclient.desktop.hotkeys_macos import (CMD_KEY, CONTROL_KEY, EVENT_HOT_KEY_EXISTS_ERR, OPTION_KEY, SHIFT_KEY,
                                              MacHotkeys, carbon_key)
from callclient.desktop.hotkeys_windows import (ERROR_HOTKEY_ALREADY_REGISTERED, MOD_ALT, MOD_CONTROL, MOD_NOREPEAT,
                                                MOD_SHIFT, MOD_WIN, WM_APP, WM_HOTKEY, WindowsHotkeys, virtual_key)

SHORTCUTS = {"answer": "ctrl+alt+a", "hang_up": "ctrl+alt+h", "mute": "ctrl+alt+m", "redial": "",
             "show_window": "super+F5"}


class Pressed:
    """The actions a backend ran, in order, waited on with a timeout."""

    def __init__(self) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.told: list[object] = []

    def actions(self) -> dict[str, Callable[[], None]]:
        return {name: (lambda name=name: self.queue.put(name))
                for name in ("answer", "hang_up", "mute", "redial", "show_window")}

    def next(self) -> str:
        return self.queue.get(timeout=10)


# ---------------------------------------------------------------------------- Windows

class RecordedUser32:
    """user32 as Windows answers: RegisterHotKey fails with ERROR_HOTKEY_ALREADY_REGISTERED for a combination
    another program holds; hotkeys belong to the thread that registered them; WM_HOTKEY carries the id."""

    def __init__(self, taken: set[tuple[int, int]] = frozenset()) -> None:  # type: ignore[assignment]
        self.taken = taken
        self.messages: queue.Queue[tuple[int, int]] = queue.Queue()
        self.registered: dict[int, tuple[int, int]] = {}
        self.loop_thread: threading.Thread | None = None
        self.calls_off_thread = 0

    def thread_started(self) -> None:
        self.loop_thread = threading.current_thread()

    def register_hot_key(self, hotkey_id: int, modifiers: int, virtual_key: int) -> int:
        self.calls_off_thread += threading.current_thread() is not self.loop_thread
        if (modifiers & ~MOD_NOREPEAT, virtual_key) in self.taken:
            return ERROR_HOTKEY_ALREADY_REGISTERED
        self.registered[hotkey_id] = (modifiers, virtual_key)
        return 0

    def unregister_hot_key(self, hotkey_id: int) -> None:
        self.calls_off_thread += threading.current_thread() is not self.loop_thread
        self.registered.pop(hotkey_id, None)

    def next_message(self) -> tuple[int, int]:
        return self.messages.get()

    def wake(self) -> None:
        self.messages.put((WM_APP, 0))

    def press(self, modifiers: int, virtual_key: int) -> None:
        """What Windows posts when the user presses a registered combination (nothing for another one)."""
        for hotkey_id, held in self.registered.items():
            if held == (modifiers | MOD_NOREPEAT, virtual_key):
                self.messages.put((WM_HOTKEY, hotkey_id))


@pytest.fixture
def windows() -> Iterator[tuple[WindowsHotkeys, RecordedUser32, Pressed]]:
    pressed = Pressed()
    user32 = RecordedUser32(taken={(MOD_CONTROL | MOD_ALT, ord("M"))})
    hotkeys = WindowsHotkeys(pressed.actions(), pressed.told.append, api=user32)
    hotkeys.start()
    yield hotkeys, user32, pressed
    hotkeys.stop()


def test_windows_registers_on_its_message_loop_and_a_press_runs_the_action(
        windows: tuple[WindowsHotkeys, RecordedUser32, Pressed]) -> None:
    hotkeys, user32, pressed = windows
    conflicts = hotkeys.use(SHORTCUTS)
    assert conflicts == {"mute": "ctrl+alt+m is already taken by another program"}
    assert sorted(user32.registered.values()) == sorted([
        (MOD_CONTROL | MOD_ALT | MOD_NOREPEAT, ord("A")), (MOD_CONTROL | MOD_ALT | MOD_NOREPEAT, ord("H")),
        (MOD_WIN | MOD_NOREPEAT, 0x74)])
    assert user32.calls_off_thread == 0, "RegisterHotKey ties hotkeys to the calling thread's queue"
    assert [c for c in pressed.told if isinstance(c, HotkeyConflict)] == \
        [HotkeyConflict("mute", "ctrl+alt+m", "ctrl+alt+m is already taken by another program")]

    user32.press(MOD_CONTROL | MOD_ALT, ord("A"))
    assert pressed.next() == "answer"
    user32.press(MOD_WIN, 0x74)
    assert pressed.next() == "show_window"

    hotkeys.use({"answer": "ctrl+shift+F12"})
    assert user32.registered == {1: (MOD_CONTROL | MOD_SHIFT | MOD_NOREPEAT, 0x7B)}, "the old ones released"
    assert hotkeys.current_conflicts() == {}


def test_windows_releases_every_hotkey_when_stopped(windows: tuple[WindowsHotkeys, RecordedUser32, Pressed]) -> None:
    hotkeys, user32, _pressed = windows
    hotkeys.use(SHORTCUTS)
    assert user32.registered
    hotkeys.stop()
    assert user32.registered == {} and user32.calls_off_thread == 0


@pytest.mark.parametrize(("shortcut", "expected"), [
    ("ctrl+alt+a", (MOD_CONTROL | MOD_ALT | MOD_NOREPEAT, 0x41)),
    ("shift+super+z", (MOD_SHIFT | MOD_WIN | MOD_NOREPEAT, 0x5A)),
    ("ctrl+7", (MOD_CONTROL | MOD_NOREPEAT, 0x37)),
    ("alt+F1", (MOD_ALT | MOD_NOREPEAT, 0x70)),
    ("ctrl+alt+Delete", (MOD_CONTROL | MOD_ALT | MOD_NOREPEAT, 0x2E)),
    ("ctrl+Prior", (MOD_CONTROL | MOD_NOREPEAT, 0x21)),
    ("ctrl+space", (MOD_CONTROL | MOD_NOREPEAT, 0x20)),
    ("ctrl+comma", (MOD_CONTROL | MOD_NOREPEAT, 0xBC)),
])
def test_windows_virtual_key_codes(shortcut: str, expected: tuple[int, int]) -> None:
    assert virtual_key(shortcut) == expected


def test_windows_reports_a_key_it_has_no_code_for(windows: tuple[WindowsHotkeys, RecordedUser32, Pressed]) -> None:
    hotkeys, _user32, _pressed = windows
    assert hotkeys.use({"answer": "ctrl+alt+Hyper_L"}) == {"answer": "ctrl+alt+Hyper_L: no key 'Hyper_L' on this "
                                                                     "keyboard"}


# ---------------------------------------------------------------------------- macOS

class RecordedCarbon:
    """Carbon as macOS answers: eventHotKeyExistsErr for a combination another app registered; presses reach
    the installed kEventHotKeyPressed handler with the EventHotKeyID's id."""

    def __init__(self, taken: set[tuple[int, int]]) -> None:
        self.taken = taken
        self.handler: Callable[[int], None] | None = None
        self.registered: dict[int, tuple[int, int]] = {}

    def install_handler(self, pressed: Callable[[int], None]) -> None:
        self.handler = pressed

    def register(self, hotkey_id: int, key_code: int, modifiers: int) -> tuple[int, Any]:
        if (modifiers, key_code) in self.taken:
            return EVENT_HOT_KEY_EXISTS_ERR, None
        self.registered[hotkey_id] = (modifiers, key_code)
        return 0, hotkey_id

    def unregister(self, hotkey: Any) -> None:
        del self.registered[hotkey]

    def remove_handler(self) -> None:
        self.handler = None

    def press(self, modifiers: int, key_code: int) -> None:
        assert self.handler is not None
        for hotkey_id, held in self.registered.items():
            if held == (modifiers, key_code):
                self.handler(hotkey_id)


def test_macos_registers_with_carbon_reports_a_taken_one_and_a_press_runs_the_action() -> None:
    pressed = Pressed()
    carbon = RecordedCarbon(taken={(CMD_KEY | OPTION_KEY, 0x04)})  # ⌘⌥H: hide others, in many apps
    hotkeys = MacHotkeys(pressed.actions(), pressed.told.append, api=carbon)
    hotkeys.start()
    assert hotkeys.use(SHORTCUTS) == {"hang_up": "ctrl+alt+h is already taken by another program"}
    assert sorted(carbon.registered.values()) == [(CMD_KEY | OPTION_KEY, 0x00), (CMD_KEY | OPTION_KEY, 0x2E),
                                                  (CONTROL_KEY, 0x60)]
    carbon.press(CMD_KEY | OPTION_KEY, 0x2E)
    assert pressed.next() == "mute"
    assert [c.action for c in pressed.told if isinstance(c, HotkeyConflict)] == ["hang_up"]
    hotkeys.stop()
    assert carbon.registered == {} and carbon.handler is None


@pytest.mark.parametrize(("shortcut", "expected"), [
    ("ctrl+alt+a", (CMD_KEY | OPTION_KEY, 0x00)),  # Qt's Ctrl is the Command key on macOS
    ("super+shift+m", (CONTROL_KEY | SHIFT_KEY, 0x2E)),  # and Meta the Control key
    ("ctrl+5", (CMD_KEY, 0x17)),
    ("ctrl+F1", (CMD_KEY, 0x7A)),
    ("alt+space", (OPTION_KEY, 0x31)),
    ("ctrl+Return", (CMD_KEY, 0x24)),
    ("ctrl+Left", (CMD_KEY, 0x7B)),
])
def test_macos_carbon_key_codes(shortcut: str, expected: tuple[int, int]) -> None:
    assert carbon_key(shortcut) == expected


def test_each_platform_gets_its_own_backend() -> None:
    pressed = Pressed()
    assert isinstance(backend_for_session({}, pressed.actions(), pressed.told.append, platform="win32"),
                      WindowsHotkeys)
    assert isinstance(backend_for_session({}, pressed.actions(), pressed.told.append, platform="darwin"), MacHotkeys)
