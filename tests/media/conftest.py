from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.pulse import PulseServer, running_pulse


@pytest.fixture(scope="session")
def pulse() -> Iterator[PulseServer]:
    yield from running_pulse()


@pytest.fixture
def pulse_env(pulse: PulseServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    """This process's PortAudio talks to the test's PulseAudio (re-initialised: it read the env at import)."""
    import sounddevice as sd

    for name in ("PULSE_SERVER", "PULSE_RUNTIME_PATH"):
        monkeypatch.setenv(name, pulse.env[name])
    sd._terminate()
    sd._initialize()
    yield pulse
    monkeypatch.undo()
    sd._terminate()
    sd._initialize()


def speech(path: Path, text: str) -> Path:
    """Real speech from espeak-ng, as a WAV file."""
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), text], check=True, capture_output=True, timeout=60)
    return path
