"""A new user's first minute: the app opens a window on an X display, and a call dialled in it connects."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.desktop.conftest import DesktopApp

ECHO_TEST = "100"  # the demo far end that answers and echoes


def calls_to(snapshot: dict[str, Any], number: str) -> list[dict[str, Any]]:
    return [call for call in snapshot["calls"] if call["remote"]["number"] == number]


def distinct_colours(screenshot: Path, geometry: str) -> int:
    """How many colours ImageMagick counts in one rectangle of the screenshot (a blank window has one or two)."""
    done = subprocess.run(["convert", str(screenshot), "-crop", geometry, "+repage", "-format", "%k", "info:"],
                          capture_output=True, text=True, check=True, timeout=30)
    return int(done.stdout)


def test_the_app_maps_its_window_under_xcb_and_a_call_typed_into_it_connects(desktop_app: DesktopApp,
                                                                              tmp_path: Path) -> None:
    display = desktop_app.display
    window = desktop_app.main_window()
    info = display.run("xwininfo", "-id", window).stdout
    assert "Map State: IsViewable" in info, info
    desktop_app.wait_for_status(lambda s: s["demo"] is True and s["accounts"], "the demo account")

    # As a user: focus the window, type the number, press Return.
    display.xdotool("windowfocus", "--sync", window)
    display.xdotool("type", "--delay", "30", ECHO_TEST)
    display.xdotool("key", "Return")
    snapshot = desktop_app.wait_for_status(
        lambda s: any(c["state"] == "confirmed" for c in calls_to(s, ECHO_TEST)), "the call to 100 answered")
    (call,) = calls_to(snapshot, ECHO_TEST)
    assert call["direction"] == "outgoing"

    screenshot = display.screenshot(tmp_path / "in-call.png")
    geometry = dict(line.split("=", 1) for line in display.xdotool("getwindowgeometry", "--shell", window).split())
    crop = f"{geometry['WIDTH']}x{geometry['HEIGHT']}+{geometry['X']}+{geometry['Y']}"
    assert distinct_colours(screenshot, crop) > 16, f"the window looks blank in {screenshot}"

    display.xdotool("key", "ctrl+e")  # the call view's hang-up shortcut
    desktop_app.wait_for_status(lambda s: s["calls"] == [], "the call ended")

    display.xdotool("key", "ctrl+q")
    assert desktop_app.process.wait(30) == 0, desktop_app.log()


def test_qt_finds_every_library_its_xcb_platform_plugin_links() -> None:
    """What failed on a fresh Debian 12 ("Could not load the Qt platform plugin xcb"), named precisely."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    for library in (qt / "plugins/platforms/libqxcb.so", qt / "lib/libQt6XcbQpa.so.6"):
        linked = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=True, timeout=30)
        missing = [line.split()[0] for line in linked.stdout.splitlines() if "not found" in line]
        assert not missing, f"{library.name} needs {missing}: add their packages to scripts/debian-packages.txt"
