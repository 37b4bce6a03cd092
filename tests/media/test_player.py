from __future__ import annotations

import queue
from pathlib import Path

import numpy as np
import pytest

from media.player import (
    AudioFileError, PlayerState, VoicemailPlayer, decode_ogg_opus, decode_sound, encode_ogg_opus, read_ogg_pages,
)
from media.wavfile import decode_wav, encode_wav
from tests.fixtures.net import wait_until
from tests.fixtures.pulse import PulseServer, read_wav


def sine(freq_hz: float, seconds: float, rate_hz: int, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * freq_hz * np.arange(int(seconds * rate_hz)) / rate_hz)).astype(np.float32)


def dominant_hz(samples: np.ndarray, rate_hz: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate_hz)[np.argmax(spectrum)])


def snr_db(reference: np.ndarray, decoded: np.ndarray) -> float:
    error = decoded - reference
    return float(10 * np.log10(np.sum(reference ** 2) / max(np.sum(error ** 2), 1e-20)))


def best_lag(reference: np.ndarray, decoded: np.ndarray, search: int) -> int:
    """The offset (samples, within ±search) at which `reference`, taken from 4800 in, best fits `decoded`."""
    window = decoded[4800 - search:4800 + len(reference) + search]
    scores = np.correlate(window, reference, "valid")
    return int(np.argmax(scores)) - search


@pytest.mark.parametrize("rate_hz", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize("sample_width", [1, 2])
@pytest.mark.parametrize("channels", [1, 2])
def test_wav_of_any_common_format_decodes_to_the_same_tone_at_the_device_rate(
        rate_hz: int, sample_width: int, channels: int) -> None:
    tone = sine(697, 1.0, rate_hz)
    frames = np.stack([tone] * channels, axis=1)
    decoded = decode_sound(encode_wav(frames, rate_hz, sample_width), rate_hz=48000)
    assert decoded.rate_hz == 48000
    assert decoded.duration_s == pytest.approx(1.0, abs=0.001)
    assert dominant_hz(decoded.samples, 48000) == pytest.approx(697, abs=1.5)
    middle = decoded.samples[4800:-4800]
    assert np.max(np.abs(middle)) == pytest.approx(0.5, abs=0.02)  # level kept: 8-bit offset and scale right


def test_wav_samples_decode_exactly() -> None:
    frames = np.array([[0.0, -1.0], [0.5, 0.25], [-0.5, 32767 / 32768]], dtype=np.float32)
    decoded, rate = decode_wav(encode_wav(frames, 16000))
    assert rate == 16000
    np.testing.assert_array_equal(decoded, frames)


@pytest.mark.parametrize("rate_hz", [16000, 48000])
def test_ogg_opus_round_trip_keeps_length_and_waveform(rate_hz: int) -> None:
    t = np.arange(int(1.3 * rate_hz)) / rate_hz
    chirp = (0.4 * np.sin(2 * np.pi * (200 * t + 600 * t ** 2))).astype(np.float32)  # 200 Hz rising to ~1.8 kHz
    data = encode_ogg_opus(chirp, rate_hz, bitrate=64000)
    samples, rate = decode_ogg_opus(data)
    assert rate == 48000
    expected_length = len(chirp) * 48000 // rate_hz
    assert samples.shape == (expected_length, 1)  # pre-skip dropped, end trimmed by the final granule
    reference = chirp if rate_hz == 48000 else decode_sound(encode_wav(chirp, rate_hz), rate_hz=48000).samples
    # aligned: with the pre-skip right, the decoded audio sits within a few 48 kHz samples of the original
    lag = best_lag(reference[4800:-4800], samples[:, 0], search=48)
    assert abs(lag) <= 3
    assert snr_db(reference[4800:-4800], samples[4800 + lag:len(samples) - 4800 + lag, 0]) > 15


def test_ogg_opus_voicemail_plays_at_the_device_rate() -> None:
    data = encode_ogg_opus(sine(440, 2.0, 16000), 16000)
    decoded = decode_sound(data, rate_hz=44100)
    assert decoded.duration_s == pytest.approx(2.0, abs=0.002)
    assert dominant_hz(decoded.samples, 44100) == pytest.approx(440, abs=1.0)


def test_corrupted_ogg_page_is_reported_as_corrupted() -> None:
    data = bytearray(encode_ogg_opus(sine(440, 1.0, 16000), 16000))
    data[-40] ^= 0xFF
    with pytest.raises(AudioFileError, match="corrupted"):
        decode_sound(bytes(data))


def test_truncated_ogg_is_reported_as_truncated() -> None:
    data = encode_ogg_opus(sine(440, 1.0, 16000), 16000)
    with pytest.raises(AudioFileError, match="truncated"):
        decode_sound(data[:-10])


@pytest.mark.parametrize(("data", "message"), [
    (b"", "unknown sound format"),
    (b"<html>Not Found</html>", "unknown sound format"),
    (b"RIFF\x10\x00\x00\x00WAVEjunk", "not a playable WAV"),
])
def test_junk_is_refused_with_a_domain_error(data: bytes, message: str) -> None:
    with pytest.raises(AudioFileError, match=message):
        decode_sound(data)


def test_ogg_writer_pages_carry_valid_checksums_and_an_end_of_stream_flag() -> None:
    pages = list(read_ogg_pages(encode_ogg_opus(sine(440, 3.0, 48000), 48000)))
    assert pages[0].flags & 0x02 and pages[-1].flags & 0x04
    assert [page.sequence for page in pages] == list(range(len(pages)))


def ramp_player(rate_hz: int = 16000, seconds: float = 4.0) -> VoicemailPlayer:
    """A message whose every sample says where it is: value = time / 10 s."""
    ramp = (np.arange(int(seconds * rate_hz)) / rate_hz / 10.0).astype(np.float32)
    return VoicemailPlayer(encode_wav(ramp, rate_hz), rate_hz=rate_hz)


@pytest.mark.parametrize("seconds", [0.0, 0.5, 1.234, 3.99])
def test_seek_lands_on_the_requested_sample(seconds: float) -> None:
    player = ramp_player()
    player.seek(seconds)
    assert player.position_s == pytest.approx(seconds, abs=1 / 16000)
    block = np.zeros(160, dtype=np.float32)
    player.render(block)
    assert block[0] == pytest.approx(seconds / 10.0, abs=1 / 16000 / 10 + 2 / 32768)
    assert player.position_s == pytest.approx(seconds + 0.01, abs=1 / 16000)


def test_seek_is_accurate_after_resampling_to_the_device_rate() -> None:
    ramp = (np.arange(4 * 8000) / 8000 / 10.0).astype(np.float32)
    player = VoicemailPlayer(encode_wav(ramp, 8000), rate_hz=48000)
    assert player.duration_s == pytest.approx(4.0, abs=1e-3)
    player.seek(2.5)
    block = np.zeros(480, dtype=np.float32)
    player.render(block)
    assert block[0] == pytest.approx(0.25, abs=0.0002)  # within 2 ms of 2.5 s


def test_seek_outside_the_message_is_clamped() -> None:
    player = ramp_player(seconds=1.0)
    player.seek(-3)
    assert player.position_s == 0.0
    player.seek(99)
    assert player.position_s == pytest.approx(1.0)


def test_render_pads_with_silence_and_reports_the_end() -> None:
    player = ramp_player(seconds=0.01)  # 160 samples
    block = np.ones((100, 1), dtype=np.float32)
    assert player.render(block)
    assert not player.render(block)
    assert not block[60:].any() and block[59, 0] > 0


def test_player_plays_on_the_chosen_device_then_reports_finished(pulse_env: PulseServer, tmp_path: Path) -> None:
    states: queue.Queue[PlayerState] = queue.Queue()
    message = encode_ogg_opus(sine(523, 0.6, 16000, amplitude=0.3), 16000)
    player = VoicemailPlayer(message, "pulse", on_state=states.put)
    heard = tmp_path / "speaker.wav"
    recorder = pulse_env.record_speaker(heard)
    try:
        wait_until(lambda: heard.exists() and heard.stat().st_size > 44, 10, "the speaker recording to start")
        player.play()
        assert states.get(timeout=5) is PlayerState.PLAYING
        assert states.get(timeout=20) is PlayerState.FINISHED
        assert player.position_s == pytest.approx(0.6, abs=0.01)
    finally:
        player.close()
        recorder.terminate()
        recorder.wait(10)
    samples, rate = read_wav(heard)
    loud = samples[np.abs(samples) > 0.05]
    assert len(loud) > 0.3 * rate, "most of the message reached the speaker"
    assert dominant_hz(samples, rate) == pytest.approx(523, abs=3)


def test_pause_and_resume_continue_from_where_it_stopped(pulse_env: PulseServer) -> None:
    states: queue.Queue[PlayerState] = queue.Queue()
    player = VoicemailPlayer(encode_wav(sine(440, 5.0, 48000, 0.2), 48000), "pulse", on_state=states.put)
    try:
        player.play()
        assert states.get(timeout=5) is PlayerState.PLAYING
        wait_until(lambda: player.position_s > 0.2, 10, "playback to advance")
        player.pause()
        assert states.get(timeout=5) is PlayerState.PAUSED
        paused_at = player.position_s
        assert 0.2 < paused_at < 5.0
        player.seek(4.8)
        player.play()
        assert states.get(timeout=5) is PlayerState.PLAYING
        assert states.get(timeout=20) is PlayerState.FINISHED
        assert states.empty()
    finally:
        player.close()
