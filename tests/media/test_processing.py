"""Capture processing on real signals: espeak-ng speech through a synthetic room, noise, hum, a quiet talker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soxr

from media.processing import ProcessingSettings, VoiceProcessor
from media.wavfile import decode_wav
from tests.media.conftest import speech

RATE = 16000
FRAME = RATE // 100
OFF = ProcessingSettings(aec=False, ns=False, agc=False, high_pass=False)


@pytest.fixture(scope="module")
def far_speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    path = speech(tmp_path_factory.mktemp("speech") / "far.wav",
                  "The quarterly numbers are in and they look better than we expected. Sales in the north "
                  "grew by twelve percent, while the south stayed flat. Bring the forecast on Thursday.")
    return load(path)


@pytest.fixture(scope="module")
def near_speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    path = speech(tmp_path_factory.mktemp("speech") / "near.wav", "Sorry, could you repeat the last figure?")
    return load(path)


def load(path: Path) -> np.ndarray:
    frames, rate = decode_wav(path.read_bytes())
    return soxr.resample(frames[:, 0], rate, RATE).astype(np.float32)


def room_echo(far: np.ndarray, gain: float = 0.5, delay_ms: float = 30, seed: int = 1) -> np.ndarray:
    """The far end as the microphone hears it from the speaker: delay plus a 150 ms decaying room."""
    rng = np.random.default_rng(seed)
    n = int(0.15 * RATE)
    response = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.03 * RATE))
    response *= gain / np.sqrt(np.sum(response ** 2))
    response = np.concatenate([np.zeros(int(delay_ms * RATE / 1000)), response])
    return np.convolve(far, response)[: len(far)].astype(np.float32)


def run(processor: VoiceProcessor, capture: np.ndarray, render: np.ndarray | None = None) -> np.ndarray:
    out = np.zeros_like(capture)
    silence = np.zeros(FRAME, dtype=np.float32)
    for start in range(0, len(capture) - FRAME + 1, FRAME):
        processor.process_render(render[start:start + FRAME] if render is not None else silence)
        processor.process_capture(capture[start:start + FRAME], out[start:start + FRAME])
    return out


def envelope(samples: np.ndarray, window: int = RATE // 50) -> np.ndarray:
    frames = samples[: len(samples) // window * window].reshape(-1, window)
    return np.sqrt(np.mean(frames ** 2, axis=1))


def energy_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.asarray(samples, np.float64) ** 2) + 1e-20))


def test_echo_canceller_removes_at_least_20_db_of_speech_echo_after_converging(far_speech: np.ndarray) -> None:
    far = np.concatenate([far_speech, far_speech])
    echo = room_echo(far)
    out = run(VoiceProcessor(RATE, ProcessingSettings(aec=True, ns=False, agc=False, high_pass=False)), echo, far)
    converged = slice(len(far_speech), len(far))  # the second time through the same speech
    erle = energy_db(echo[converged]) - energy_db(out[converged])
    assert erle >= 20, f"echo reduced by only {erle:.1f} dB"


def test_echo_canceller_keeps_the_near_talker_during_double_talk(
        far_speech: np.ndarray, near_speech: np.ndarray) -> None:
    far = np.concatenate([far_speech, far_speech])
    echo = room_echo(far)
    near = np.zeros_like(far)
    start = len(far_speech) + RATE  # after convergence, while the far end is still talking
    near[start:start + len(near_speech)] = near_speech
    processor = VoiceProcessor(RATE, ProcessingSettings(aec=True, ns=False, agc=False, high_pass=False))
    out = run(processor, echo + near, far)
    talk = slice(start, start + len(near_speech))
    # The near talker comes through at nearly full level, syllable for syllable. Judged on 20 ms loudness
    # envelopes: AEC3's filters shift the waveform's phase by a few ms, which a listener does not hear.
    assert energy_db(out[talk]) > energy_db(near[talk]) - 6
    correlation = np.corrcoef(envelope(out[talk]), envelope(near[talk]))[0, 1]
    assert correlation > 0.6, f"near-end speech lost during double talk (envelope correlation {correlation:.2f})"


def test_noise_suppressor_lowers_stationary_noise(near_speech: np.ndarray) -> None:
    rng = np.random.default_rng(5)
    noise = (0.01 * rng.standard_normal(RATE * 4)).astype(np.float32)  # -40 dBFS hiss, like a laptop fan
    out = run(VoiceProcessor(RATE, ProcessingSettings(aec=False, ns=True, agc=False, high_pass=False)), noise)
    settled = slice(RATE * 2, RATE * 4)
    # media.processing.NOISE_SUPPRESS_DB caps it at 6 dB: deeper costs the talker's speech more
    assert energy_db(out[settled]) < energy_db(noise[settled]) - 5


def test_gain_control_raises_a_quiet_talker(near_speech: np.ndarray) -> None:
    quiet = np.tile(near_speech * np.float32(10 ** (-30 / 20) / np.max(np.abs(near_speech))), 4)
    out = run(VoiceProcessor(RATE, ProcessingSettings(aec=False, ns=False, agc=True, high_pass=False)), quiet)
    last = slice(len(quiet) * 3 // 4, len(quiet))
    assert energy_db(out[last]) > energy_db(quiet[last]) + 6


def test_high_pass_filter_removes_50_hz_mains_hum(near_speech: np.ndarray) -> None:
    t = np.arange(RATE * 2) / RATE
    hum = (0.2 * np.sin(2 * np.pi * 50 * t)).astype(np.float32)
    out = run(VoiceProcessor(RATE, ProcessingSettings(aec=False, ns=False, agc=False, high_pass=True)), hum)
    assert energy_db(out[RATE:]) < energy_db(hum[RATE:]) - 10


def test_all_switches_off_passes_the_microphone_through_unchanged(
        far_speech: np.ndarray, near_speech: np.ndarray) -> None:
    capture = room_echo(far_speech) + np.resize(near_speech, len(far_speech))
    out = run(VoiceProcessor(RATE, OFF), capture, far_speech)
    np.testing.assert_array_equal(out[: len(out) // FRAME * FRAME], capture[: len(out) // FRAME * FRAME])


@pytest.mark.parametrize("switch", ["aec", "ns", "agc", "high_pass"])
def test_turning_a_switch_off_again_restores_the_pass_through(switch: str, far_speech: np.ndarray) -> None:
    capture = room_echo(far_speech)
    processor = VoiceProcessor(RATE, ProcessingSettings(**{name: name == switch for name in
                                                           ("aec", "ns", "agc", "high_pass")}))
    run(processor, capture[: RATE * 2], far_speech[: RATE * 2])
    processor.update(OFF)
    out = run(processor, capture, far_speech)
    np.testing.assert_array_equal(out[: len(out) // FRAME * FRAME], capture[: len(out) // FRAME * FRAME])


def test_update_switches_processing_at_the_next_frame() -> None:
    rng = np.random.default_rng(9)
    noise = (0.01 * rng.standard_normal(RATE * 3)).astype(np.float32)
    processor = VoiceProcessor(RATE, OFF)
    assert processor.frame_samples == FRAME
    before = run(processor, noise[:RATE])
    np.testing.assert_array_equal(before, noise[:RATE])
    processor.update(ProcessingSettings(aec=False, ns=True, agc=False, high_pass=False))
    assert processor.settings.ns
    after = run(processor, noise[RATE:])
    assert energy_db(after[RATE:]) < energy_db(noise[2 * RATE:]) - 5


def test_unsupported_rate_is_refused_with_the_supported_ones_named() -> None:
    with pytest.raises(ValueError, match="8, 16, 32 or 48 kHz"):
        VoiceProcessor(44100, OFF)


def test_echo_control_leaves_the_user_whole_in_double_talk_without_an_echo_path(
        far_speech: np.ndarray, near_speech: np.ndarray) -> None:
    """A headset: the far end talks, nothing of it reaches the microphone, the user talks throughout."""
    near = np.resize(near_speech, len(far_speech) * 2)
    far = np.concatenate([far_speech, far_speech])
    processor = VoiceProcessor(RATE, ProcessingSettings(aec=True, ns=False, agc=False, high_pass=False))
    out = run(processor, near, far)
    # AEC3 left to itself garbles the user here (envelope correlation ~0.5, PESQ-WB 4.6 -> 1.3).
    correlation = np.corrcoef(envelope(out), envelope(near[: len(out)]))[0, 1]
    assert correlation > 0.98, f"the user's voice was changed with no echo to cancel (r = {correlation:.2f})"
    assert not processor.echo_path_heard


def test_echo_control_engages_on_a_speaker_echo_and_lets_go_when_a_headset_takes_over(
        far_speech: np.ndarray, near_speech: np.ndarray) -> None:
    far = np.concatenate([far_speech, far_speech])
    processor = VoiceProcessor(RATE, ProcessingSettings(aec=True, ns=False, agc=False, high_pass=False))
    echo = room_echo(far)
    out = run(processor, echo, far)
    assert processor.echo_path_heard, "the speaker's echo was not recognised"
    second = slice(len(far_speech), len(far))
    assert energy_db(echo[second]) - energy_db(out[second]) >= 20
    # The headset is plugged in: the far end goes on talking, the microphone hears only the user.
    near = np.resize(near_speech, len(far))
    run(processor, near, far)
    assert not processor.echo_path_heard, "echo control stayed on with no echo left to cancel"


def test_with_an_echo_path_the_user_talking_alone_passes_untouched(
        far_speech: np.ndarray, near_speech: np.ndarray) -> None:
    """Speakerphone: once the far end has finished, there is no echo to cancel and the user's voice is
    not put through the canceller (which alone costs clean speech ~0.8 PESQ-WB)."""
    far = np.concatenate([far_speech, far_speech, np.zeros(len(near_speech) + RATE, np.float32)])
    processor = VoiceProcessor(RATE, ProcessingSettings(aec=True, ns=False, agc=False, high_pass=False))
    capture = room_echo(far)
    alone = slice(2 * len(far_speech) + RATE, len(far))  # a second after the far end stopped
    capture[alone] += near_speech
    out = run(processor, capture, far)
    np.testing.assert_allclose(out[alone], capture[alone], atol=1e-4)
