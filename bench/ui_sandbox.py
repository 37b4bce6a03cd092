"""A throwaway home for running the real desktop app from a bench script: HOME and XDG_* in a temporary
directory, a private Secret Service (D-Bus + gnome-keyring) and a PulseAudio with null sinks, so the
benchmarks and the screenshot script never touch the real user's keyring, sound devices or data.

Used by bench/screenshots.py, bench/ui_stall.py, bench/ui_startup.py, bench/presence_flood.py and
bench/directory_gui.py; reuses the test fixtures' helpers (the same real components the tests start).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@contextlib.contextmanager
def sandbox() -> Iterator[dict[str, str]]:
    """Sets os.environ for a private app home, keyring and sound server; yields that environment."""
    from tests.fixtures.keyring_service import running_secret_service
    from tests.fixtures.pulse import running_pulse

    root = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    saved = dict(os.environ)
    try:
        with contextlib.ExitStack() as stack:
            keyring = stack.enter_context(running_secret_service(root / "keyring"))
            pulse = stack.enter_context(contextlib.contextmanager(running_pulse)())
            home = root / "home"
            for name, sub in [("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                              ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")]:
                (home / sub).mkdir(parents=True, exist_ok=True)
                os.environ[name] = str(home / sub)
            runtime = root / "run"
            runtime.mkdir(mode=0o700)
            os.environ["XDG_RUNTIME_DIR"] = str(runtime)
            os.environ["CALLCLIENT_SYSTEM_CONFIG"] = str(root / "no-admin-file.toml")
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = keyring.bus_address
            for name in ("PULSE_SERVER", "PULSE_RUNTIME_PATH"):
                os.environ[name] = pulse.env[name]
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            yield dict(os.environ)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(root, ignore_errors=True)


def process_until(predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Runs the Qt event loop until `predicate()` holds (a bench script has no qtbot)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)  # yields the GIL to the engine's threads between rounds of events


class EventLoopGaps:
    """A timer on the GUI thread every `tick_ms`: `gaps_ms` collects the time between its ticks, so a gap
    longer than the interval is time the event loop could not run (the stall benches' meter). While
    `measuring` is False the ticks keep the clock but no gap is kept."""

    def __init__(self, tick_ms: int = 2) -> None:
        from PySide6.QtCore import QTimer

        self.gaps_ms: list[float] = []
        self.measuring = True
        self._last_s = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now_s = time.perf_counter()
        if self.measuring:
            self.gaps_ms.append((now_s - self._last_s) * 1000)
        self._last_s = now_s

    def restart_clock(self) -> None:
        """The next gap counts from now (not from a tick before a pause the bench made itself)."""
        self._last_s = time.perf_counter()

    def start(self) -> None:
        self.restart_clock()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()


def process_for(seconds: float) -> None:
    """Lets the Qt event loop run for `seconds` (a bench script has no qtbot)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)


@contextlib.contextmanager
def demo_desktop(app: Any, window_timeout_s: float = 60) -> Iterator[Any]:
    """The shipped desktop app (DesktopApp, Core in demo mode) on `app`, started, once its main window is
    up and its demo PBX serves (the desktop starts that PBX only after the window shows, and the benches
    drive it); at the end closed the way the user quits it (the window's close then the app's stop)."""
    from callclient.app import CoreOptions
    from ui.main import DesktopApp

    desktop = DesktopApp(app, CoreOptions(demo=True))
    desktop.start()
    try:
        process_until(lambda: desktop.window is not None, window_timeout_s, "the main window")
        process_until(lambda: desktop.core.demo is not None and desktop.core.demo.pbx is not None, 60,
                      "the demo PBX")
        yield desktop
    finally:
        window = desktop.window
        if window is not None:
            window.quitting = True
            window.close()
        desktop.stop()
