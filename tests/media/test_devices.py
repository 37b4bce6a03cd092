"""Choosing sound devices by name, and noticing when one goes away, on a real PulseAudio."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from media.bridge import DeviceAudio
from media.devices import list_devices, resolve_device
from media.processing import ProcessingSettings
from tests.fixtures.pulse import PulseServer, portaudio_on, running_pulse

NO_PROCESSING = ProcessingSettings(aec=False, ns=False, agc=False, high_pass=False)


@pytest.fixture
def doomed_pulse() -> Iterator[PulseServer]:
    """A PulseAudio of this test's own, which the test may break; PortAudio re-reads its devices."""
    server_run = running_pulse()
    server = next(server_run)
    for _ in portaudio_on(server):
        yield server
    next(server_run, None)


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
    messages: list[str] = []
    told = threading.Event()

    def on_device_change(message: str) -> None:
        messages.append(message)
        told.set()

    audio = DeviceAudio("pulse", "pulse", processing=NO_PROCESSING, on_device_change=on_device_change)
    audio.set_devices()  # starts the streams on the chosen devices, as a mid-call switch would
    try:
        assert audio.playback_device_name == "pulse" and audio.capture_device_name == "pulse"
        # The sound server dropping its clients is what a USB headset being pulled looks like to PortAudio:
        # the stream fails in its callback thread.
        result = doomed_pulse.run("pactl", "unload-module", "module-native-protocol-unix")
        assert result.returncode == 0, result.stderr
        assert told.wait(10), "the app was not told that its audio device went away"
        assert any("microphone" in m or "speaker" in m for m in messages), messages
    finally:
        audio.close()
