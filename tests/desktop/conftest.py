"""The shipped desktop app on a real X display: `python -m callclient` with Qt's xcb platform under Xvfb.

These tests are the front door: they catch what every offscreen UI test cannot (a Qt platform plugin that
does not load, a window that never maps, keys that do not reach the dialpad). The app runs as a user
starts it: no arguments, a fresh HOME (so demo mode), the test session's Secret Service, and a user-mode
PulseAudio as its sound devices. A test drives it with xdotool and reads its state with `callclient status`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.headless import REPO, AppHome
from tests.fixtures.net import wait_until
from tests.fixtures.pulse import PulseServer, running_pulse
from tests.fixtures.xvfb import XDisplay, running_xvfb

WINDOW_TITLE = "CallClient"
MAIN_WINDOW_MIN_WIDTH_PX = 600  # tells the main window (900 px) from the start-up splash
START_TIMEOUT_S = 45.0  # the demo far ends and demo PBX start first; two shared cores


@pytest.fixture(scope="session")
def x_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XDisplay]:
    with running_xvfb(tmp_path_factory.mktemp("xvfb")) as display:
        yield display


@pytest.fixture(scope="session")
def desktop_pulse() -> Iterator[PulseServer]:
    yield from running_pulse()


class DesktopApp:
    """One `python -m callclient` (or another launcher) on `display`, with its own home."""

    def __init__(self, home: AppHome, display: XDisplay, pulse: PulseServer, command: list[str] | None = None) -> None:
        self.home = home
        self.display = display
        env = display.env(home.env)
        env.update({name: pulse.env[name] for name in ("PULSE_SERVER", "PULSE_RUNTIME_PATH")})
        self.env = env
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "callclient"], env=env, cwd=REPO,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.output: list[str] = []
        threading.Thread(target=self._read_output, daemon=True).start()

    def _read_output(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def log(self) -> str:
        return "".join(self.output)[-4000:]

    def status(self) -> dict[str, Any] | None:
        """`callclient status` against this instance's control socket; None until the socket answers."""
        result = self.home.cli("status")
        return json.loads(result.stdout) if result.code == 0 else None

    def wait_for_status(self, predicate: Callable[[dict[str, Any]], bool], what: str,
                        timeout_s: float = 20.0) -> dict[str, Any]:
        seen: list[dict[str, Any] | None] = [None]

        def holds() -> bool:
            seen[0] = self.status()
            return seen[0] is not None and bool(predicate(seen[0]))

        try:
            wait_until(holds, timeout_s, f"status to show {what}", alive=self.process, interval=0.2)
        except AssertionError as error:
            raise AssertionError(f"{error}; last status {seen[0]}; app output:\n{self.log()}") from None
        assert seen[0] is not None
        return seen[0]

    def main_window(self) -> str:
        """The X window id of the mapped main window (visible, titled CallClient, main-window sized)."""
        found: list[str] = []

        def mapped() -> bool:
            result = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{WINDOW_TITLE}$"],
                                    env=self.display.env(), capture_output=True, text=True, timeout=10)
            for window in result.stdout.split():
                geometry = self.display.xdotool("getwindowgeometry", "--shell", window)
                width = int(dict(line.split("=", 1) for line in geometry.split())["WIDTH"])
                if width >= MAIN_WINDOW_MIN_WIDTH_PX:
                    found.append(window)
                    return True
            return False

        try:
            wait_until(mapped, START_TIMEOUT_S, "the main window to be mapped", alive=self.process, interval=0.2)
        except AssertionError as error:
            raise AssertionError(f"{error}; app output:\n{self.log()}") from None
        return found[0]

    def stop(self, timeout_s: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode


@pytest.fixture
def desktop_home(tmp_path: Path, secret_service) -> Iterator[AppHome]:  # noqa: ANN001 - the session fixture
    home = AppHome(tmp_path / "app")  # built after secret_service: its env carries the test bus address
    yield home
    home.cli("--erase-all-data")
    home.cleanup()


@pytest.fixture
def desktop_app(desktop_home: AppHome, x_display: XDisplay, desktop_pulse: PulseServer) -> Iterator[DesktopApp]:
    app = DesktopApp(desktop_home, x_display, desktop_pulse)
    try:
        yield app
    finally:
        app.stop()
