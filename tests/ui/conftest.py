"""The desktop app's windows against a real Core in demo mode: the demo far ends (100 echo, 200 recording,
300 voicemail, 400 calls back) in their own pjsua2 process, the demo PBX over HTTPS with sample history and
voicemail, the real Secret Service, and a PulseAudio with null sinks for voicemail playback.

One Core serves the whole module set (starting the far ends costs seconds); each test gets fresh windows
on it and leaves no call behind.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from callclient.app import Core, CoreOptions
from tests.fixtures.app import app_parts, main_window, running_core
from tests.fixtures.net import wait_until
from tests.fixtures.pulse import PulseServer, running_pulse
from ui.main_window import MainWindow
from ui.parts import AppParts

CALL_TIMEOUT_MS = 15_000


RING_SINK = "ringer"  # a third null sink, reached through the ALSA device of the same name (see app_home)


@pytest.fixture(scope="session")
def ui_pulse() -> Iterator[PulseServer]:
    for server in running_pulse():
        loaded = server.run("pactl", "load-module", "module-null-sink", f"sink_name={RING_SINK}", "rate=48000",
                            "channels=1", "format=float32le")
        assert loaded.returncode == 0, loaded.stderr
        yield server


@pytest.fixture(scope="session")
def app_home(tmp_path_factory: pytest.TempPathFactory, ui_pulse: PulseServer) -> Iterator[Path]:
    """HOME and XDG_* of their own, and PortAudio pointed at the test PulseAudio, for the whole session."""
    import sounddevice as sd

    root = tmp_path_factory.mktemp("ui-home")
    with pytest.MonkeyPatch.context() as patch:
        for name, sub in [("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                          ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")]:
            (root / sub).mkdir(parents=True, exist_ok=True)
            patch.setenv(name, str(root / sub))
        # An ALSA device per sink beyond the default, so a test can choose "ringer" as the ring device and
        # hear it apart from the call's speaker (ALSA reads ~/.asoundrc when PortAudio initialises).
        (root / ".asoundrc").write_text(f'pcm.{RING_SINK} {{ type pulse; device "{RING_SINK}"; '
                                        f'hint {{ show on; description "Test ringer" }} }}\n')
        runtime = Path(tempfile.mkdtemp(prefix="cc-ui-run-"))
        runtime.chmod(0o700)
        patch.setenv("XDG_RUNTIME_DIR", str(runtime))
        patch.setenv("CALLCLIENT_SYSTEM_CONFIG", str(root / "no-admin-file.toml"))
        for name in ("PULSE_SERVER", "PULSE_RUNTIME_PATH"):
            patch.setenv(name, ui_pulse.env[name])
        sd._terminate()  # PortAudio read the environment when it was imported
        sd._initialize()
        yield root
    sd._terminate()
    sd._initialize()


@pytest.fixture(scope="session")
def core(app_home: Path, secret_service: Any) -> Iterator[Core]:
    """A started Core in demo mode; its sound devices are the test PulseAudio's null sinks."""
    with running_core(CoreOptions(demo=True, use_sound_devices=True, environ=dict(os.environ),
                                  keychain_service=f"CallClient-ui-{secrets.token_hex(4)}")) as core:
        if core.demo is not None:
            core.demo.pbx.presence.stop()  # demo colleagues' lamps stand still: the tests drive presences themselves
        yield core


@pytest.fixture
def parts(core: Core, qtbot: Any) -> Iterator[AppParts]:
    with app_parts(core, "ui-test-work", workers=4) as parts:
        yield parts
        core.engine.hangup_all().result(10)
        wait_for(lambda: not core.engine.status().result(5).calls, 10, "every call ended")


@pytest.fixture
def window(parts: AppParts, qtbot: Any) -> Iterator[MainWindow]:
    with main_window(parts, qtbot) as window:
        yield window


def wait_for(predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Waits (without a Qt loop) until `predicate()` holds."""
    wait_until(predicate, timeout_s, what)