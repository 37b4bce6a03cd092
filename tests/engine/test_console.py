"""Issue 12 item 24: pjlib prints nothing on the console; `callclient --headless` starts with its ready line."""

from __future__ import annotations

import queue
import subprocess
import sys
from pathlib import Path

from tests.control.conftest import app_home, config_file  # noqa: F401 - the headless app's fixtures
from tests.fixtures.headless import READY_LINE, AppHome, HeadlessApp

REPO = Path(__file__).resolve().parents[2]

_START_AND_STOP = """
from callclient.engine import EngineSettings, SipEngine
engine = SipEngine(EngineSettings(enable_tls=False))
engine.start()
print("engine-started", flush=True)
engine.stop()
"""


def test_starting_and_stopping_the_engine_prints_nothing_of_pjlibs() -> None:
    done = subprocess.run([sys.executable, "-c", _START_AND_STOP], cwd=REPO, capture_output=True, text=True,
                          timeout=60, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "engine-started\n", f"pjlib wrote to stdout: {done.stdout!r}"
    assert "pjlib" not in done.stderr and "sip_endpoint" not in done.stderr, done.stderr


def test_headless_prints_its_ready_line_first(app_home: AppHome, config_file: Path) -> None:  # noqa: F811
    app = HeadlessApp(app_home, config_file, "--no-demo")
    try:
        first = app.stdout_lines.get(timeout=30)
    except queue.Empty:
        raise AssertionError(f"nothing on stdout; stderr: {''.join(app.stderr)}") from None
    finally:
        app.stop()
    assert first is not None and first.startswith(READY_LINE), f"first line: {first!r}"
