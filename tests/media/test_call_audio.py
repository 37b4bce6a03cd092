"""Speech through real PortAudio streams and a real call: microphone -> far end, far end -> speaker."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import soxr

from callclient.engine import EngineSettings, SipEngine
from media.bridge import DeviceAudio
from media.processing import ProcessingSettings
from media.recorder import CallRecorder
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.pulse import PulseServer, read_wav
from tests.media.conftest import dave_calls_bob, far_end_records, speech

RATE = 8000  # compare at the narrowest rate in the path


def on_common_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    return soxr.resample(samples, rate, RATE) if rate != RATE else samples


def best_match(sent: np.ndarray, received: np.ndarray) -> tuple[float, int]:
    """Peak normalised cross-correlation of `sent` inside `received`, and its lag in samples."""
    sent = sent - sent.mean()
    received = received - received.mean()
    n = 1 << int(np.ceil(np.log2(sent.size + received.size)))
    corr = np.fft.irfft(np.fft.rfft(received, n) * np.conj(np.fft.rfft(sent, n)), n)[: received.size]
    lag = int(np.argmax(np.abs(corr)))
    segment = received[lag:lag + sent.size]
    norm = np.sqrt(np.sum(sent[: segment.size] ** 2) * np.sum(segment ** 2))
    return float(np.abs(corr[lag]) / norm) if norm else 0.0, lag


def windowed_match(sent: np.ndarray, received: np.ndarray, window_s: float = 0.5) -> float:
    """The median correlation of half-second stretches of `sent` found in `received`.

    Two free-running clocks meet in the pipeline, and while the drift loop locks it plays a few hundred
    ppm fast or slow: inaudible, but enough to decorrelate whole utterances sample by sample. Short
    windows judge what a listener judges: is each stretch of speech there, undistorted."""
    n = int(window_s * RATE)
    scores = [best_match(sent[start:start + n], received)[0] for start in range(0, sent.size - n, n)
              if np.sqrt(np.mean(sent[start:start + n] ** 2)) > 0.02]  # stretches with speech in them
    return float(np.median(scores))


def envelope(samples: np.ndarray, window: int = RATE // 50) -> np.ndarray:
    frames = samples[: samples.size // window * window].reshape(-1, window)
    return np.sqrt(np.mean(frames ** 2, axis=1))


def envelope_match(sent: np.ndarray, received: np.ndarray) -> float:
    """Correlation of the 20 ms loudness envelopes at their best alignment."""
    return best_match(envelope(sent), envelope(received))[0]


def readable(path: Path) -> bool:
    try:
        read_wav(path)
    except (EOFError, wave.Error):
        return False
    return True


def level_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(samples ** 2) + 1e-12))


def test_speech_crosses_a_real_call_through_the_sound_devices_both_ways(
    pulse_env: PulseServer, kamailio: Kamailio, pki, far_end, tmp_path: Path  # noqa: ANN001
) -> None:
    ours = speech(tmp_path / "ours.wav", "Hello Bob, this is Dave calling about the delivery on Thursday morning.")
    theirs = speech(tmp_path / "theirs.wav", "Hi Dave, Bob here. Thursday works, see you at nine.")
    audio = DeviceAudio("pulse", "pulse", processing=ProcessingSettings(aec=False, ns=False, agc=False,
                                                                        high_pass=False))
    engine = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2), audio)
    bob = far_end("bob", auto_answer=True, codecs="G722/16000")
    engine.start()
    events = Events(engine.subscribe())
    try:
        call_id, peer_call = dave_calls_bob(engine, events, kamailio, bob)

        received = tmp_path / "far-end-received.wav"
        heard = tmp_path / "speaker.wav"
        far_end_records(bob, peer_call, received)
        recorder = pulse_env.record_speaker(heard)
        recording = tmp_path / "call-recording.wav"
        audio.recorder = CallRecorder(recording, 16000, allowed_by_policy=True)
        talking = pulse_env.play_into_microphone(ours)
        bob.send(op="play", call=peer_call, file=str(theirs))
        assert talking.wait(60) == 0
        bob.expect(lambda e: e["ev"] == "play_done", timeout=60, what="the far end finished talking")
        # Let the pipeline's buffers drain into the recordings: wait for the far end to have recorded past
        # our speech, measured on its own file (the header's size grows as it records).
        bob.send(op="stop_media", call=peer_call)
        bob.expect(lambda e: e["ev"] == "media_stopped", what="the far end's recording closed")
        recorder.terminate()
        recorder.wait(10)
        stats = audio.stats()
        call_recorder, audio.recorder = audio.recorder, None
        call_recorder.close()
        engine.hangup(call_id).result(5)
        bob.expect_state("DISCONNECTED", call=peer_call)
    finally:
        engine.stop()
    wait_until(lambda: readable(received), 10, "the far end's recording to be closed")

    sent, sent_rate = read_wav(ours)
    got, got_rate = read_wav(received)
    score = windowed_match(on_common_rate(sent, sent_rate), on_common_rate(got, got_rate))
    # Unimpaired runs score 0.85-0.95. PortAudio's ALSA 'pulse' device here also delivers input in uneven
    # bursts (the drift loop sometimes sits at its +-2000 ppm limit), which costs a few windows: 0.65 still
    # fails at once if speech is chopped, pitched or missing (noise or silence score below 0.2).
    assert score > 0.65, f"our speech did not reach the far end intact (correlation {score:.2f}); {stats}"
    # The level survives: within 6 dB of what we played into the microphone.
    matched = on_common_rate(got, got_rate)
    assert abs(level_db(matched[np.abs(matched) > 0.01]) - level_db(sent[np.abs(sent) > 0.01])) < 6

    far, far_rate = read_wav(theirs)
    out, out_rate = read_wav(heard)
    # PortAudio's ALSA "pulse" device consumes output at well under real time on these machines
    # (measured ~20k of 48k samples/s with a bare sounddevice stream, see docs/benchmarks.md), so the
    # speaker side is judged on the speech's envelope: is the far end's speech where it should be.
    out = on_common_rate(out, out_rate)
    score = envelope_match(on_common_rate(far, far_rate), out)
    assert score > 0.2, f"the far end's speech did not reach our speaker (envelope correlation {score:.2f}); {stats}"
    assert level_db(out[np.abs(out) > 0.01]) > -30, "the far end's speech is audible on our speaker"
    assert stats.capture.overruns == 0, "the microphone side kept up with the bridge"

    # The call recording: our side on the left, theirs on the right.
    with wave.open(str(recording)) as stereo:
        assert (stereo.getnchannels(), stereo.getframerate()) == (2, 16000)
        frames = np.frombuffer(stereo.readframes(stereo.getnframes()), dtype=np.int16).reshape(-1, 2) / 32768
    assert windowed_match(on_common_rate(sent, sent_rate), on_common_rate(frames[:, 0], 16000)) > 0.65
    assert windowed_match(on_common_rate(far, far_rate), on_common_rate(frames[:, 1], 16000)) > 0.5


def test_devices_are_listed_with_their_host_api(pulse_env: PulseServer) -> None:
    from media.devices import list_devices, resolve_device

    devices = list_devices(rescan=True)
    pulse = next(d for d in devices if d.name == "pulse")
    assert pulse.inputs > 0 and pulse.outputs > 0 and pulse.host_api == "ALSA"
    assert resolve_device("no such headset", "output").name in {d.name for d in devices}
