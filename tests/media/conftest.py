from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.pulse import PulseServer, portaudio_on, running_pulse


@pytest.fixture(scope="session")
def pulse() -> Iterator[PulseServer]:
    yield from running_pulse()


@pytest.fixture
def pulse_env(pulse: PulseServer) -> Iterator[PulseServer]:
    """This process's PortAudio talks to the session's PulseAudio."""
    for _ in portaudio_on(pulse):
        yield pulse


def speech(path: Path, text: str) -> Path:
    """Real speech from espeak-ng, as a WAV file."""
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), text], check=True, capture_output=True, timeout=60)
    return path
