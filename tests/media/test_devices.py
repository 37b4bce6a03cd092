"""Choosing sound devices by name, and noticing when one goes away, on a real PulseAudio."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from media.devices import list_devices, resolve_device
from tests.fixtures.pulse import PulseServer, running_pulse

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def doomed_pulse() -> Iterator[PulseServer]:
    """A PulseAudio of this test's own, which the test breaks (its child process is the client)."""
    yield from running_pulse()


def test_system_default_and_unknown_names_resolve_to_the_default_device(pulse_env: PulseServer) -> None:
    devices = list_devices(rescan=True)
    default_out = next(d for d in devices if d.is_default_output)
    default_in = next(d for d in devices if d.is_default_input)
    assert resolve_device("", "output") == default_out
    assert resolve_device("", "input") == default_in
    assert resolve_device("headset that was unplugged", "output") == default_out
    # A unique part of a name is enough: names from the settings survive small spelling changes.
    assert resolve_device("puls", "output").name == "pulse"


def test_a_device_that_goes_away_mid_stream_is_reported_to_the_app(doomed_pulse: PulseServer) -> None:
    env = {**doomed_pulse.env, "PYTHONPATH": str(REPO)}
    try:
        done = subprocess.run([sys.executable, "-m", "tests.media.device_loss"], env=env, cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=60)
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"the device-loss child hung; it printed {error.stdout!r}") from None
    lines = done.stdout.splitlines()
    assert "OPENED pulse pulse" in lines, lines
    told = [line for line in lines if line.startswith("TOLD ")]
    assert told, f"the app was not told that its audio device went away: {lines}"
    assert "microphone" in told[0] or "speaker" in told[0]
