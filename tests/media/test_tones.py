from __future__ import annotations

import numpy as np
import pytest

from pathlib import Path

from media.tones import DTMF_HIGH_HZ, DTMF_LOW_HZ, ToneGenerator, ToneKind, load_ringtone
from media.wavfile import AudioFileError

SOUNDS = Path(__file__).resolve().parents[2] / "resources" / "sounds"


def render(generator: ToneGenerator, seconds: float, block: int = 160) -> np.ndarray:
    total = int(generator.rate_hz * seconds)
    out = np.zeros(total + block, dtype=np.float32)
    for start in range(0, total, block):
        generator.read(out[start:start + block])
    return out[:total]


def peak_frequencies(signal: np.ndarray, rate_hz: int, count: int) -> list[float]:
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal))))
    freqs = np.fft.rfftfreq(len(signal), 1 / rate_hz)
    peaks: list[float] = []
    for _ in range(count):
        index = int(np.argmax(spectrum))
        peaks.append(float(freqs[index]))
        spectrum[max(0, index - 20):index + 20] = 0.0  # take the next peak, not this one's skirt
    return sorted(peaks)


def on_off_pattern_ms(signal: np.ndarray, rate_hz: int) -> list[tuple[bool, int]]:
    """Runs of sound/silence measured on a 1 ms envelope: [(on, duration_ms), ...]."""
    edges = (np.arange(len(signal) * 1000 // rate_hz) * rate_hz) // 1000  # 1 ms bins, also at 44.1 kHz
    envelope = np.maximum.reduceat(np.abs(signal), edges)
    on = envelope > 1e-6  # off is exact silence; the 4 ms fades still count as on
    runs: list[tuple[bool, int]] = []
    for value in on:
        if runs and runs[-1][0] == bool(value):
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((bool(value), 1))
    return runs


@pytest.mark.parametrize("rate_hz", [8000, 16000, 44100, 48000])
def test_eu_ringback_is_425_hz_one_second_on_four_off(rate_hz: int) -> None:
    generator = ToneGenerator(rate_hz, region="eu")
    generator.start(ToneKind.RINGBACK)
    signal = render(generator, 10.5)
    first_second = signal[: rate_hz]
    assert peak_frequencies(first_second, rate_hz, 1) == pytest.approx([425.0], abs=2.0)
    runs = on_off_pattern_ms(signal, rate_hz)
    assert [on for on, _ in runs[:4]] == [True, False, True, False]
    assert runs[0][1] == pytest.approx(1000, abs=5)
    assert runs[1][1] == pytest.approx(4000, abs=5)
    assert runs[2][1] == pytest.approx(1000, abs=5)


def test_us_ringback_is_440_plus_480_two_seconds_on_four_off() -> None:
    generator = ToneGenerator(16000, region="us")
    generator.start("ringback")
    signal = render(generator, 6.5)
    assert peak_frequencies(signal[:32000], 16000, 2) == pytest.approx([440.0, 480.0], abs=2.0)
    runs = on_off_pattern_ms(signal, 16000)
    assert runs[0][0] and runs[0][1] == pytest.approx(2000, abs=5)
    assert not runs[1][0] and runs[1][1] == pytest.approx(4000, abs=5)


@pytest.mark.parametrize(("region", "kind", "freqs", "on_ms", "off_ms"), [
    ("eu", ToneKind.BUSY, [425.0], 500, 500),
    ("eu", ToneKind.CONGESTION, [425.0], 250, 250),
    ("us", ToneKind.BUSY, [480.0, 620.0], 500, 500),
    ("us", ToneKind.CONGESTION, [480.0, 620.0], 250, 250),
])
def test_busy_and_congestion_have_the_regions_frequencies_and_cadence(
        region: str, kind: ToneKind, freqs: list[float], on_ms: int, off_ms: int) -> None:
    generator = ToneGenerator(48000, region=region)
    generator.start(kind)
    signal = render(generator, 3.2, block=480)
    assert peak_frequencies(signal[: 48000 * on_ms // 1000], 48000, len(freqs)) == pytest.approx(freqs, abs=4.0)
    runs = on_off_pattern_ms(signal, 48000)
    assert len(runs) >= 6
    for on, duration in runs[:-1]:  # the last run is cut by the end of the render
        assert duration == pytest.approx(on_ms if on else off_ms, abs=5)


@pytest.mark.parametrize("digit", list("0123456789*#ABCD"))
def test_dtmf_feedback_plays_the_q23_pair_for_100_ms_then_stops(digit: str) -> None:
    generator = ToneGenerator(8000)
    generator.dtmf(digit)
    assert generator.playing
    signal = render(generator, 0.3)
    assert peak_frequencies(signal[:800], 8000, 2) == pytest.approx(
        [DTMF_LOW_HZ[digit], DTMF_HIGH_HZ[digit]], abs=12.0)
    runs = on_off_pattern_ms(signal, 8000)
    assert runs[0][0] and runs[0][1] == pytest.approx(100, abs=5)
    assert runs[1:] == [(False, 200)]
    assert not generator.playing


def test_unknown_dtmf_digit_is_refused_with_the_digit_named() -> None:
    with pytest.raises(ValueError, match="'x' is not a DTMF digit"):
        ToneGenerator(8000).dtmf("x")


def test_eu_call_waiting_is_two_short_beeps_then_a_long_pause() -> None:
    generator = ToneGenerator(16000, region="eu")
    generator.start(ToneKind.CALL_WAITING)
    runs = on_off_pattern_ms(render(generator, 4.0), 16000)
    assert [on for on, _ in runs[:4]] == [True, False, True, False]
    assert [duration for _, duration in runs[:3]] == pytest.approx([200, 200, 200], abs=5)
    assert runs[3][1] == pytest.approx(3000, abs=5)


@pytest.mark.parametrize("rate_hz", [8000, 44100])
def test_tone_is_phase_continuous_whatever_the_block_sizes(rate_hz: int) -> None:
    whole = ToneGenerator(rate_hz, region="us")
    whole.start(ToneKind.RINGBACK)
    reference = np.zeros(rate_hz, dtype=np.float32)
    whole.read(reference)

    pieces = ToneGenerator(rate_hz, region="us")
    pieces.start(ToneKind.RINGBACK)
    rng = np.random.default_rng(7)
    assembled = np.zeros(rate_hz, dtype=np.float32)
    position = 0
    while position < rate_hz:
        size = min(int(rng.integers(1, 700)), rate_hz - position)
        pieces.read(assembled[position:position + size])
        position += size
    np.testing.assert_allclose(assembled, reference, atol=1e-5)
    # and no jump anywhere: a sample-to-sample step never exceeds what two sines of this amplitude allow
    assert np.max(np.abs(np.diff(assembled[rate_hz // 10:]))) < 0.2 * 2 * np.pi * 480 / rate_hz * 1.1


def test_bursts_fade_in_and_out_instead_of_clicking() -> None:
    generator = ToneGenerator(48000, region="eu")
    generator.start(ToneKind.BUSY)
    signal = render(generator, 1.0, block=480)
    assert abs(signal[0]) < 1e-3
    assert np.max(np.abs(signal[499 * 48:500 * 48])) < 0.02  # the last ms before the 500 ms pause has faded
    assert np.max(np.abs(signal[500 * 48:1000 * 48])) == 0.0


def test_idle_and_stopped_generators_write_silence() -> None:
    generator = ToneGenerator(16000)
    out = np.ones(320, dtype=np.float32)
    generator.read(out)
    assert not out.any()
    generator.start(ToneKind.BUSY)
    generator.read(out)
    assert out.any()
    generator.stop()
    generator.read(out)
    assert not out.any() and not generator.playing


def test_ringtone_loops_the_loaded_recording() -> None:
    recording = np.linspace(-0.5, 0.5, 1000, dtype=np.float32)
    generator = ToneGenerator(16000, ringtone=recording)
    generator.start(ToneKind.RINGTONE)
    out = np.zeros(2500, dtype=np.float32)
    generator.read(out[:300])
    generator.read(out[300:])
    np.testing.assert_array_equal(out, np.concatenate([recording, recording, recording[:500]]))


def test_ringtone_without_a_recording_is_refused() -> None:
    with pytest.raises(ValueError, match="no ringtone loaded"):
        ToneGenerator(16000).start(ToneKind.RINGTONE)


def test_unknown_region_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="eu, uk, us"):
        ToneGenerator(16000, region="mars")


@pytest.mark.parametrize(("name", "main_hz"), [("ring.wav", 784.0), ("chime.opus", 1046.5)])
def test_shipped_ringtones_load_at_the_ring_device_rate_and_play(name: str, main_hz: float) -> None:
    samples = load_ringtone(SOUNDS / name, 48000)
    assert 2.0 < len(samples) / 48000 < 5.0
    generator = ToneGenerator(48000, ringtone=samples)
    generator.start(ToneKind.RINGTONE)
    out = np.zeros(4800, dtype=np.float32)
    generator.read(out)
    assert 0.1 < np.max(np.abs(out)) < 1.0
    assert peak_frequencies(out, 48000, 1)[0] == pytest.approx(main_hz, abs=15)


def test_unreadable_ringtone_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....WAVEfmt ")
    with pytest.raises(AudioFileError, match="WAV"):
        load_ringtone(broken, 16000)
    with pytest.raises(AudioFileError, match="missing.wav"):
        load_ringtone(tmp_path / "missing.wav", 16000)
