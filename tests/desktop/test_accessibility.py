"""CallClient through a screen reader's eyes and a keyboard user's hands: the real app (`python -m callclient`, demo
mode) under Xvfb with Qt's AT-SPI bridge on the real accessibility bus (Debian at-spi2-core: the session bus
starts org.a11y.Bus, whose bus the app and this test join). The test reads the accessible tree and listens to
AT-SPI events over D-Bus directly with jeepney, as Orca would through libatspi; its only input is `xdotool key`.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, MatchRule, Properties, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from tests.fixtures.net import wait_until
from tests.desktop.conftest import DesktopApp
from tests.fixtures.headless import AppHome
from tests.fixtures.pulse import PulseServer
from tests.fixtures.xvfb import XDisplay

ACCESSIBLE = "org.a11y.atspi.Accessible"
EVENT_OBJECT = "org.a11y.atspi.Event.Object"
# AtspiStateType bits (at-spi2-core atspi-constants.h)
CHECKED, FOCUSED, SHOWING, VISIBLE = 4, 12, 25, 30
# What a user operates: each needs a role and a name a screen reader can say.
INTERACTIVE_ROLES = {"push button", "toggle button", "check box", "radio button", "combo box", "text", "entry",
                     "password text", "list", "list box", "page tab", "slider", "spin button", "table", "tree"}
# Containers whose rows are data (history, voicemail): named by their model, not walked one by one here.
DATA_CONTAINERS = {"list", "list box", "table", "tree", "tree table"}
CALL_BACK_NUMBER = "400"  # the demo far end that hangs up and calls back (callclient/demo/far_ends.py)
ECHO_NUMBER = "100"
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Node:
    bus_name: str
    path: str

    def address(self, interface: str = ACCESSIBLE) -> DBusAddress:
        return DBusAddress(self.path, self.bus_name, interface)


class AtSpi:
    """A client of the accessibility bus: the tree (GetChildren, GetRoleName, Name, Description, GetState) and
    the events the app emits."""

    def __init__(self, session_bus: str) -> None:
        with open_dbus_connection(bus=session_bus) as session:
            launcher = DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.a11y.Bus")
            self.address = session.send_and_get_reply(new_method_call(launcher, "GetAddress")).body[0]
        self.connection: DBusConnection = open_dbus_connection(bus=self.address)
        self.events = MatchRule(type="signal", interface=EVENT_OBJECT)
        self.connection.send_and_get_reply(message_bus.AddMatch(self.events))
        self._queue = self.connection.filter(self.events, bufsize=10_000).__enter__()
        registry = DBusAddress("/org/a11y/atspi/registry", "org.a11y.atspi.Registry", "org.a11y.atspi.Registry")
        # An app's bridge sends only the events some listener registered for (as Orca does at start).
        for event in ("object:announcement", "object:state-changed:focused", "object:property-change:accessible-name"):
            self.connection.send_and_get_reply(new_method_call(registry, "RegisterEvent", "s", (event,)))

    def close(self) -> None:
        self.connection.close()

    def _call(self, node: Node, method: str) -> tuple[Any, ...]:
        return self.connection.send_and_get_reply(new_method_call(node.address(), method), timeout=10).body

    def children(self, node: Node) -> list[Node]:
        return [Node(*child) for child in self._call(node, "GetChildren")[0]]

    def role(self, node: Node) -> str:
        return str(self._call(node, "GetRoleName")[0])

    def _property(self, node: Node, name: str) -> str:
        return str(self.connection.send_and_get_reply(Properties(node.address()).get(name), timeout=10).body[0][1])

    def name(self, node: Node) -> str:
        return self._property(node, "Name")

    def identity(self, node: Node) -> str:
        """Qt's AccessibleId: the widget's object names up the tree, to find it in the code."""
        try:
            return self._property(node, "AccessibleId")
        except Exception:  # noqa: BLE001 - older bridges have no such property
            return ""

    def parent_names(self, node: Node, levels: int = 4) -> list[str]:
        names = []
        for _ in range(levels):
            reply = self.connection.send_and_get_reply(Properties(node.address()).get("Parent"), timeout=10)
            node = Node(*reply.body[0][1])
            if node.path.endswith("/root"):
                break
            names.append(f"{self.role(node)}:{self.name(node)}")
        return names

    def description(self, node: Node) -> str:
        return self._property(node, "Description")

    def value(self, node: Node, which: str = "CurrentValue") -> float:
        reply = self.connection.send_and_get_reply(
            Properties(node.address("org.a11y.atspi.Value")).get(which), timeout=10)
        return float(reply.body[0][1])

    def states(self, node: Node) -> set[int]:
        low, high = self._call(node, "GetState")[0]
        bits = low | (high << 32)
        return {bit for bit in range(64) if bits >> bit & 1}

    def application(self, name: str) -> Node:
        root = Node("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
        found: list[Node] = []

        def registered() -> bool:
            found[:] = [app for app in self.children(root) if self.name(app) == name]
            return bool(found)

        wait(registered, f"{name} on the accessibility bus")
        return found[0]

    def walk(self, node: Node, depth: int = 0) -> Iterator[tuple[Node, str]]:
        """Showing nodes under `node`, with their roles (rows of data lists left out)."""
        for child in self.children(node):
            try:
                role = self.role(child)
                if SHOWING not in self.states(child):
                    continue
            except Exception:  # noqa: BLE001 - a widget destroyed while walked: not part of the window any more
                continue
            yield child, role
            if role not in DATA_CONTAINERS and depth < 40:
                yield from self.walk(child, depth + 1)

    def window(self, app: Node, name: str) -> Node:
        found: list[Node] = []

        def shown() -> bool:
            found[:] = [w for w in self.children(app) if self.name(w) == name and SHOWING in self.states(w)]
            return bool(found)

        try:
            wait(shown, f"the window {name!r} in the accessible tree")
        except AssertionError as error:
            seen = [(self.role(w), self.name(w), SHOWING in self.states(w)) for w in self.children(app)]
            raise AssertionError(f"{error}; the app's windows: {seen}") from None
        return found[0]

    def focused(self, window: Node) -> tuple[Node, str, str] | None:
        for node, role in self.walk(window):
            if FOCUSED in self.states(node):
                return node, role, self.name(node)
        return None

    def announcements(self) -> list[str]:
        """Announcement texts received since the last call (Qt's QAccessibleAnnouncementEvent)."""
        said = []
        while True:
            try:
                message = self.connection.recv_until_filtered(self._queue, timeout=0.05)
            except TimeoutError:
                return said
            if message.header.fields.get(3) == "Announcement":  # HeaderFields.member
                said.append(str(message.body[3][1]))

    def wait_for_announcement(self, predicate: Callable[[str], bool], what: str) -> str:
        heard: list[str] = []
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                message = self.connection.recv_until_filtered(self._queue, timeout=deadline - time.monotonic())
            except TimeoutError:
                break
            if message.header.fields.get(3) == "Announcement":
                text = str(message.body[3][1])
                heard.append(text)
                if predicate(text):
                    return text
        raise AssertionError(f"no announcement of {what}; heard {heard}")


def wait(predicate: Callable[[], bool], what: str, timeout_s: float = TIMEOUT_S) -> None:
    """Asks the accessibility bus (a D-Bus query) until `predicate` holds: only the app's process changes it."""
    wait_until(predicate, timeout_s, what, interval=0.1)


@pytest.fixture
def accessible_app(desktop_home: AppHome, x_display: XDisplay, desktop_pulse: PulseServer,
                   tmp_path: Path) -> Iterator[tuple[DesktopApp, AtSpi]]:
    # Qt's bridge starts when a screen reader is running (the desktop's a11y setting); the variable says so.
    desktop_home.env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    desktop_home.env.pop("QT_ACCESSIBILITY", None)
    atspi = AtSpi(desktop_home.env["DBUS_SESSION_BUS_ADDRESS"])
    app = DesktopApp(desktop_home, x_display, desktop_pulse)
    try:
        yield app, atspi
    finally:
        app.stop()
        atspi.close()


def unnamed_controls(atspi: AtSpi, window: Node) -> tuple[list[str], int]:
    missing, seen = [], 0
    for node, role in atspi.walk(window):
        if role not in INTERACTIVE_ROLES:
            continue
        seen += 1
        if not atspi.name(node).strip():
            missing.append(f"{role} {atspi.identity(node)!r} in {atspi.parent_names(node)} "
                           f"(description {atspi.description(node)!r})")
    return missing, seen


def focus_window(display: XDisplay, title: str) -> None:
    """What a window manager does when a dialog maps (Xvfb runs none): give it the keyboard focus."""
    found = ""

    def mapped() -> bool:
        nonlocal found
        result = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], env=display.env(),
                                capture_output=True, text=True, timeout=10)
        found = result.stdout.split()[-1] if result.stdout.split() else ""
        return bool(found)

    wait(mapped, f"the X window {title!r}")
    display.xdotool("windowfocus", "--sync", found)


def selected_tab(atspi: AtSpi, window: Node) -> str:
    return next(atspi.name(n) for n, role in atspi.walk(window) if role == "page tab" and 23 in atspi.states(n))


def test_every_control_of_the_main_window_and_settings_has_a_role_and_a_name(
        accessible_app: tuple[DesktopApp, AtSpi]) -> None:
    app, atspi = accessible_app
    window_id = app.main_window()
    app.wait_for_status(lambda s: s["demo"] is True and s["accounts"], "the demo account")
    root = atspi.application("CallClient")
    main = atspi.window(root, "CallClient")
    missing, seen = unnamed_controls(atspi, main)
    assert seen >= 15, f"only {seen} controls found: is the bridge on?"
    assert not missing, "controls a screen reader cannot name:\n" + "\n".join(missing)

    app.display.xdotool("windowfocus", "--sync", window_id)
    app.display.xdotool("key", "ctrl+comma")
    settings = atspi.window(root, "Settings")
    focus_window(app.display, "Settings")
    pages = []
    for _ in range(6):  # every page of the dialog, reached as a keyboard user does (Ctrl+Tab)
        pages.append(selected_tab(atspi, settings))
        missing, seen = unnamed_controls(atspi, settings)
        assert seen >= 3, f"page {pages[-1]}: only {seen} controls"
        assert not missing, f"settings page {pages[-1]}: controls a screen reader cannot name:\n" + "\n".join(missing)
        app.display.xdotool("key", "ctrl+Tab")
        wait(lambda: selected_tab(atspi, settings) != pages[-1], "Ctrl+Tab to turn the page")
    assert len(set(pages)) == 6, pages
    app.display.xdotool("key", "Escape")


def test_keyboard_only_dial_answer_hold_transfer_voicemail_and_a_setting_each_announced(
        accessible_app: tuple[DesktopApp, AtSpi]) -> None:
    """No pointer event: the user dials the call-me-back number, answers the call back, holds it, transfers it to
    the echo test, plays a voicemail and changes a setting; a screen reader hears the call arrive and change."""
    app, atspi = accessible_app
    display = app.display
    window_id = app.main_window()
    app.wait_for_status(lambda s: s["demo"] is True and s["accounts"], "the demo account")
    root = atspi.application("CallClient")
    main = atspi.window(root, "CallClient")
    display.xdotool("windowfocus", "--sync", window_id)

    # Dial: the dialpad has the focus at start; digits and Enter call.
    display.xdotool("type", "--delay", "30", CALL_BACK_NUMBER)
    display.xdotool("key", "Return")
    atspi.wait_for_announcement(lambda t: "Connected" in t or "Calling" in t, "the outgoing call")
    # The far end hangs up and calls back: the incoming window announces itself at once (assertive).
    said = atspi.wait_for_announcement(lambda t: t.startswith(("Incoming call", "Call waiting")), "the call back")
    assert CALL_BACK_NUMBER in said or "Call me back" in said, said
    app.wait_for_status(lambda s: any(c["direction"] == "incoming" for c in s["calls"]), "the call back ringing")

    display.xdotool("windowfocus", "--sync", window_id)
    display.xdotool("key", "ctrl+shift+a")  # answer
    app.wait_for_status(lambda s: any(c["state"] == "confirmed" and c["direction"] == "incoming"
                                      for c in s["calls"]), "the call back answered")
    atspi.wait_for_announcement(lambda t: "Connected" in t, "the call connected")

    display.xdotool("key", "ctrl+h")  # hold
    atspi.wait_for_announcement(lambda t: "On hold" in t, "the call on hold")

    display.xdotool("key", "ctrl+t")  # the transfer menu; its first entry is "Transfer to a number…"
    display.xdotool("key", "Down", "Return")
    atspi.window(root, "Transfer")
    display.xdotool("type", "--delay", "30", ECHO_NUMBER)
    display.xdotool("key", "Return")
    app.wait_for_status(lambda s: s["calls"] == [], "the transferred call to leave this phone")
    atspi.wait_for_announcement(lambda t: "Call transferred" in t or "Call ended" in t, "the transfer's outcome")

    # Voicemail: Ctrl+4, the list, the first message, Space plays it.
    display.xdotool("windowfocus", "--sync", window_id)
    display.xdotool("key", "ctrl+4")
    focus_path = []
    for _ in range(8):
        focused = atspi.focused(main)
        if focused is not None and focused[2] == "Voicemail messages":
            break
        display.xdotool("key", "Tab")
        focus_path.append(focused)
    else:
        raise AssertionError(f"Tab never reached the voicemail list: {focus_path}")
    display.xdotool("key", "Down", "Return")  # Return opens the message
    (position,) = [n for n, role in atspi.walk(main) if atspi.name(n) == "Position in the message"]
    wait(lambda: atspi.value(position, "MaximumValue") > 0, "the message to load (its length on the slider)")
    display.xdotool("key", "space")  # plays it
    wait(lambda: atspi.value(position) > 0, "the message to play (its position slider moving)")

    # A setting: Ctrl+, then Tab to "Keep running in the tray…" on the Calls page, Space.
    display.xdotool("key", "ctrl+comma")
    settings = atspi.window(root, "Settings")
    focus_window(display, "Settings")
    display.xdotool("key", "ctrl+Tab", "ctrl+Tab")  # Accounts -> Audio -> Calls and codecs
    wait(lambda: selected_tab(atspi, settings) == "Calls and codecs", "the Calls page")
    order: list[str] = []
    target = "Window: Keep running in the tray when the window closes"
    for _ in range(30):
        focused = atspi.focused(settings)
        if focused is not None:
            node, role, name = focused
            order.append(f"{role}: {name}")
            if name == target:
                before = CHECKED in atspi.states(node)
                display.xdotool("key", "space")
                wait(lambda: (CHECKED in atspi.states(node)) != before, "the check box to change")
                break
        display.xdotool("key", "Tab")
    else:
        raise AssertionError(f"Tab never reached {target!r}; focus went {order}")
    assert all(entry.split(": ", 1)[1] for entry in order), f"a focus stop without a name: {order}"
    display.xdotool("key", "Escape")
    display.xdotool("windowfocus", "--sync", window_id)
    display.xdotool("key", "ctrl+q")
    assert app.process.wait(30) == 0, app.log()
