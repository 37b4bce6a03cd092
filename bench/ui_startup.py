"""Time from launch to a registered, usable main window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_startup.py [RUNS]

The sandbox (keyring, PulseAudio, a fresh home) is set up once, outside the measurement. Each run then
starts a new Python process (this script with --child) that imports the app, builds the QApplication and
DesktopApp, and prints one line once the main window shows, the account is ready and the history has
loaded; the parent measures from the moment it spawns the child to that line. Demo mode, so "registered"
is the demo account being ready (it registers nowhere) and the demo far ends and demo PBX start inside.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import time

from ui_sandbox import REPO, process_until, sandbox

USABLE = "usable"
FIRST_WINDOW = "first-window"  # the "Starting CallClient…" window, while Core starts off the GUI thread


def child() -> int:
    from PySide6.QtWidgets import QApplication

    from callclient.app import CoreOptions
    from ui.main import DesktopApp

    app = QApplication([sys.argv[0]])
    desktop = DesktopApp(app, CoreOptions(demo=True))
    desktop.start()
    try:
        process_until(lambda: desktop.splash.isVisible() or desktop.window is not None, 60, "the first window")
        print(FIRST_WINDOW, flush=True)
        process_until(lambda: desktop.window is not None and desktop.window.isVisible(), 60, "the main window")
        window = desktop.window
        process_until(lambda: window.registration_label.text().startswith("Ready")
                      and window.history_view.model.rowCount() > 0, 60, "ready with history")
        print(USABLE, flush=True)
    finally:
        if desktop.window is not None:
            desktop.window.quitting = True
            desktop.window.close()
        desktop.stop()
    return 0


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    times_s: list[float] = []
    first_s: list[float] = []
    with sandbox() as env:
        for _ in range(runs):
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, __file__, "--child"], env=env, cwd=REPO,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            assert process.stdout is not None
            for line in process.stdout:
                if line.strip() == FIRST_WINDOW:
                    first_s.append(time.perf_counter() - start)
                if line.strip() == USABLE:
                    times_s.append(time.perf_counter() - start)
                    break
            process.wait(60)
    print("runs:", ", ".join(f"{t:.2f} s" for t in times_s))
    print("first window:", ", ".join(f"{t:.2f} s" for t in first_s))
    print(f"| Launch to a registered, usable window (demo mode, {runs} runs) | median "
          f"{statistics.median(times_s):.2f} s, worst {max(times_s):.2f} s (first window after "
          f"{statistics.median(first_s):.2f} s) | — | {platform.node()}, "
          f"{time.strftime('%Y-%m-%d')} |")
    return 0


if __name__ == "__main__":
    sys.exit(child() if "--child" in sys.argv else main())
