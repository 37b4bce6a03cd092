"""A headset unplugged mid-call: the call goes on through the system default, and returns to the headset
when it is plugged in again — on a real PulseAudio, where unplugging is `pactl unload-module`."""

from __future__ import annotations

import queue
import subprocess
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from callclient.engine import EngineSettings, SipEngine

from callclient.services.audio import AudioDeviceChanged, AudioService
from media.bridge import DeviceAudio
from media.devices import list_devices
from media.processing import ProcessingSettings
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.pulse import MICROPHONE_SINK, SPEAKER_SINK, PulseServer, read_wav
from tests.media.conftest import dave_calls_bob, far_end_records

FAR_END_TONE_HZ = 440
RATE_HZ = 16000
# What the user says into each microphone, one pitch per stage so the far end's recording tells them apart.
ON_HEADSET_HZ, ON_DEFAULT_HZ, BACK_ON_HEADSET_HZ = 1000, 1500, 2000
HEADSET = "headset"  # the headset's earpiece: a sink
HEADSET_MIC = "headset_mic"  # its microphone: the monitor of a second sink, so the test can speak into it


def tone_wav(path: Path, freq_hz: int, seconds: float = 2.0) -> Path:
    t = np.arange(int(RATE_HZ * seconds)) / RATE_HZ
    samples = (0.3 * np.sin(2 * np.pi * freq_hz * t) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE_HZ)
        out.writeframes(samples.tobytes())
    return path


def amplitude_at(samples: np.ndarray, rate_hz: int, freq_hz: float) -> float:
    """The amplitude of a sine near `freq_hz` (within 5 %: the drift loop's resampling moves pitch a little)."""
    if samples.size == 0:
        return 0.0
    spectrum = np.fft.rfft(samples)
    freqs = np.fft.rfftfreq(samples.size, 1 / rate_hz)
    band = np.abs(freqs - freq_hz) < 0.05 * freq_hz
    power = 2 * np.sum(np.abs(spectrum[band]) ** 2) / samples.size ** 2  # Parseval: the band's mean square
    return float(np.sqrt(2 * power))


def load_headset(pulse: PulseServer) -> list[str]:
    modules = []
    for name, description in ((HEADSET, "Test Headset"), (HEADSET_MIC, "Test Headset Microphone")):
        done = pulse.run("pactl", "load-module", "module-null-sink", f"sink_name={name}", "rate=48000", "channels=1",
                         "format=float32le", f"sink_properties=\"device.description='{description}'\"")
        assert done.returncode == 0, done.stderr
        modules.append(done.stdout.strip())
    return modules


def where_streams_are(pulse: PulseServer) -> str:
    return " / ".join(pulse.run("pactl", "list", "short", kind).stdout.strip().replace("\t", " ")
                      for kind in ("sinks", "sink-inputs", "source-outputs"))


def unplug(pulse: PulseServer, modules: list[str]) -> None:
    for module in modules:
        done = pulse.run("pactl", "unload-module", module)
        assert done.returncode == 0, done.stderr


@pytest.fixture
def headset(pulse_env: PulseServer) -> Iterator[list[str]]:
    modules = load_headset(pulse_env)
    yield modules
    for line in pulse_env.run("pactl", "list", "short", "modules").stdout.splitlines():
        if f"sink_name={HEADSET}" in line or f"sink_name={HEADSET_MIC}" in line:
            pulse_env.run("pactl", "unload-module", line.split()[0])


def talk_and_listen(pulse: PulseServer, speak_into: str, tone: Path, listen_to: list[str], tmp: Path,
                    stage: str, attempt: int = 0) -> dict[str, np.ndarray]:
    """Plays `tone` into the sink `speak_into` (whose monitor is a microphone) while recording the monitors
    of the sinks in `listen_to`; returns what each sink played, after the tone has ended."""
    recorders = {}
    for sink in listen_to:
        path = tmp / f"{stage}-{attempt}-{sink}.wav"
        recorders[sink] = (path, subprocess.Popen(
            ["parec", f"--device={sink}.monitor", "--file-format=wav", f"--rate={RATE_HZ}", "--channels=1",
             "--format=s16le", str(path)], env=pulse.env))
    # parec can take a while to start on a busy machine: speak only once every recorder is recording.
    wait_until(lambda: all(path.exists() and path.stat().st_size > 44 + RATE_HZ // 5 for path, _ in recorders.values()),
               20, "the recorders to start")
    talking = subprocess.Popen(["paplay", f"--device={speak_into}", str(tone)], env=pulse.env)
    assert talking.wait(30) == 0, f"paplay into {speak_into} failed"
    heard = {}
    for sink, (path, process) in recorders.items():
        process.terminate()
        process.wait(10)
        samples, rate = read_wav(path)
        assert rate == RATE_HZ
        heard[sink] = samples
    return heard


def far_end_heard_on(pulse: PulseServer, sink: str, speak_into: str, tone: Path, listen_to: list[str], tmp: Path,
                     stage: str) -> dict[str, np.ndarray]:
    """talk_and_listen until `sink` plays the far end's tone, three tries at most: PortAudio's ALSA "pulse"
    device here sometimes stalls for a second or two after a stream opens, until DeviceAudio's stall check
    reopens it. Returns the recordings of the try that heard it (or of the last)."""
    for attempt in range(3):
        heard = talk_and_listen(pulse, speak_into, tone, listen_to, tmp, stage, attempt)
        if amplitude_at(heard[sink], RATE_HZ, FAR_END_TONE_HZ) > 0.02:
            break
    return heard


def test_unplugged_headset_falls_back_to_the_default_mid_call_and_is_used_again_when_back(
    pulse_env: PulseServer, headset: list[str], kamailio: Kamailio, pki, far_end, tmp_path: Path  # noqa: ANN001
) -> None:
    names = {d.name: d for d in list_devices()}
    assert names[HEADSET].label == "Test Headset" and names[HEADSET].outputs  # listed by the sound server's name
    assert names[f"{HEADSET_MIC}.monitor"].inputs
    news: queue.Queue[tuple[float, AudioDeviceChanged]] = queue.Queue()
    audio = DeviceAudio(f"{HEADSET_MIC}.monitor", HEADSET,
                        processing=ProcessingSettings(aec=False, ns=False, agc=False, high_pass=False))
    # The app's audio service tells the user, through the news stream the window follows.
    AudioService(audio, settings=None, publish=lambda item: news.put((time.monotonic(), item)))
    engine = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2), audio)
    bob = far_end("bob", auto_answer=True, codecs="G722/16000")
    engine.start()
    events = Events(engine.subscribe())
    received = tmp_path / "far-end-received.wav"
    try:
        call_id, peer_call = dave_calls_bob(engine, events, kamailio, bob)
        far_end_records(bob, peer_call, received)
        bob.send(op="tone", call=peer_call, freq=FAR_END_TONE_HZ)
        bob.expect(lambda e: e["ev"] == "tone_started", what="the far end's tone")
        assert (audio.capture_device_name, audio.playback_device_name) == (f"{HEADSET_MIC}.monitor", HEADSET)
        # The far end's tone has crossed the network into our pipeline (the speaker meter, bridge side).
        wait_until(lambda: audio.levels().output_dbfs > -30, 15, "the far end's tone to arrive")

        # 1. On the headset: the far end is heard in the headset, not on the default speaker.
        heard = far_end_heard_on(pulse_env, HEADSET, HEADSET_MIC, tone_wav(tmp_path / "a.wav", ON_HEADSET_HZ),
                                 [HEADSET, SPEAKER_SINK], tmp_path, "headset")
        assert amplitude_at(heard[HEADSET], RATE_HZ, FAR_END_TONE_HZ) > 0.02, \
            f"the far end reached the headset; {where_streams_are(pulse_env)}; speaker: " \
            f"{amplitude_at(heard[SPEAKER_SINK], RATE_HZ, FAR_END_TONE_HZ)}; {audio.stats()}"
        assert amplitude_at(heard[SPEAKER_SINK], RATE_HZ, FAR_END_TONE_HZ) < 0.005

        # 2. Unplugged: the call goes on through the system default, and the user is told, within a second.
        unplugged_at = time.monotonic()
        unplug(pulse_env, headset)
        told = [news.get(timeout=5) for _ in range(2)]
        assert max(at for at, _ in told) - unplugged_at < 1.0, f"the fallback took too long: {told}"
        texts = " ".join(item.message for _, item in told)
        assert "microphone" in texts and "speaker" in texts and "system default" in texts, texts
        assert HEADSET not in audio.capture_device_name + audio.playback_device_name  # the system default's
        heard = far_end_heard_on(pulse_env, SPEAKER_SINK, MICROPHONE_SINK, tone_wav(tmp_path / "b.wav", ON_DEFAULT_HZ),
                                 [SPEAKER_SINK], tmp_path, "default")
        assert amplitude_at(heard[SPEAKER_SINK], RATE_HZ, FAR_END_TONE_HZ) > 0.02, "the far end reached the default"

        # 3. Plugged in again under the same name: back on the headset, the default speaker silent again.
        load_headset(pulse_env)
        told = [news.get(timeout=5) for _ in range(2)]
        assert all("is back" in item.message for _, item in told), told
        assert told[-1][1].playback_device == HEADSET
        assert (audio.capture_device_name, audio.playback_device_name) == (f"{HEADSET_MIC}.monitor", HEADSET)
        heard = far_end_heard_on(pulse_env, HEADSET, HEADSET_MIC, tone_wav(tmp_path / "c.wav", BACK_ON_HEADSET_HZ),
                                 [HEADSET, SPEAKER_SINK], tmp_path, "back")
        assert amplitude_at(heard[HEADSET], RATE_HZ, FAR_END_TONE_HZ) > 0.02, "the far end is back in the headset"
        assert amplitude_at(heard[SPEAKER_SINK], RATE_HZ, FAR_END_TONE_HZ) < 0.005

        bob.send(op="stop_media", call=peer_call)
        bob.expect(lambda e: e["ev"] == "media_stopped", what="the far end's recording closed")
        engine.hangup(call_id).result(5)
        bob.expect_state("DISCONNECTED", call=peer_call)
    finally:
        engine.stop()
    wait_until(lambda: received.exists() and received.stat().st_size > 44, 10, "the far end's recording")

    # The far end heard each microphone in turn: the headset's, the default's, the headset's again.
    got, rate = read_wav(received)
    window = rate // 4
    def loudest_at(freq_hz: int) -> tuple[float, float]:
        levels = [amplitude_at(got[start:start + window], rate, freq_hz)
                  for start in range(0, got.size - window, window)]
        return max(levels), float(np.argmax(levels) * window / rate)

    stages = {freq: loudest_at(freq) for freq in (ON_HEADSET_HZ, ON_DEFAULT_HZ, BACK_ON_HEADSET_HZ)}
    assert all(level > 0.02 for level, _ in stages.values()), f"a microphone did not reach the far end: {stages}"
    times = [at for _, at in stages.values()]
    assert times == sorted(times), f"the microphones reached the far end out of order: {stages}"
