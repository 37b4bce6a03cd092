"""WAV in memory and on disk: decoding bytes to float32, and a streaming 16-bit PCM writer.

The standard library's `wave` does the RIFF parsing; this module turns its integer PCM into float32
frames and its exceptions into `AudioFileError`, which names what is wrong with the file.
"""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import numpy as np


# What a sound file may declare before anything is decoded. A header is the sender's word: a 4 KB WAV
# claiming 1 Hz became 366 MiB once resampled to the device rate, and an 80 KB one aborted the process
# (std::bad_alloc in soxr). Between these rates resampling grows a file at most 24-fold.
MIN_RATE_HZ = 8_000  # narrowband telephony, the lowest rate any voicemail or ringtone is recorded at
MAX_RATE_HZ = 192_000  # the highest rate sound cards run at
MAX_DURATION_S = 30 * 60  # voicemail and ringtones are minutes long; 30 min at 48 kHz is ~350 MB of float32
MAX_CHANNELS = 8


class AudioFileError(Exception):
    """A sound file (voicemail, ringtone) that cannot be decoded; the message says why."""


def check_rate(rate_hz: int, what: str = "the file") -> None:
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        raise AudioFileError(f"{what} declares a sample rate of {rate_hz} Hz; CallClient plays "
                             f"{MIN_RATE_HZ} to {MAX_RATE_HZ} Hz")


def check_duration(frames: int, rate_hz: int, max_duration_s: float) -> None:
    if frames > max_duration_s * rate_hz:
        raise AudioFileError(f"the sound is {frames / rate_hz / 60:.0f} minutes long; CallClient plays sounds "
                             f"of up to {max_duration_s / 60:.0f} minutes")


def decode_wav(data: bytes, *, max_duration_s: float = MAX_DURATION_S) -> tuple[np.ndarray, int]:
    """PCM WAV bytes (8, 16, 24 or 32-bit integer; 8 to 192 kHz; up to 8 channels) as float32
    frames of shape (frames, channels) in [-1, 1), and the sample rate.

    The header's rate, channel count and length are checked before a sample is decoded."""
    try:
        with wave.open(io.BytesIO(data)) as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            if channels < 1 or channels > MAX_CHANNELS:
                raise AudioFileError(f"WAV header is inconsistent: {channels} channels")
            check_rate(rate, "the WAV file")
            # The data chunk cannot hold more frames than the file has bytes, whatever its header claims.
            frames = min(wav.getnframes(), len(data) // max(1, width * channels))
            check_duration(frames, rate, max_duration_s)
            raw = wav.readframes(frames)
    except (wave.Error, EOFError) as error:
        raise AudioFileError(f"not a playable WAV file: {error}") from error
    usable = len(raw) // (width * channels) * width * channels  # a truncated file plays what it has
    raw = raw[:usable]
    if width == 1:  # 8-bit WAV is unsigned
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        triplets = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        values = triplets[:, 0] | (triplets[:, 1] << 8) | (triplets[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        samples = values.astype(np.float32) / float(1 << 23)
    elif width == 4:
        samples = (np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2.0 ** 31).astype(np.float32)
    else:
        raise AudioFileError(f"WAV sample width of {width * 8} bits is not supported")
    return samples.reshape(-1, channels), rate


def encode_wav(frames: np.ndarray, rate_hz: int, sample_width: int = 2) -> bytes:
    """float32 frames (frames,) or (frames, channels) as 8- or 16-bit PCM WAV bytes."""
    frames = np.asarray(frames, dtype=np.float32)
    if frames.ndim == 1:
        frames = frames[:, None]
    clipped = np.clip(frames, -1.0, 32767 / 32768)
    if sample_width == 1:
        pcm = np.round(clipped * 128.0 + 128.0).clip(0, 255).astype(np.uint8).tobytes()
    elif sample_width == 2:
        pcm = np.round(clipped * 32768.0).astype("<i2").tobytes()
    else:
        raise ValueError(f"encode_wav writes 8 or 16-bit PCM, not {sample_width * 8}-bit")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(frames.shape[1])
        wav.setsampwidth(sample_width)
        wav.setframerate(rate_hz)
        wav.writeframes(pcm)
    return buffer.getvalue()


class WavWriter:
    """16-bit PCM WAV written incrementally; the header is patched with the length at `close`
    (and by `wave` after each write, so a crash leaves a file that plays up to the last block)."""

    def __init__(self, path: Path, rate_hz: int, channels: int) -> None:
        self.path = path
        # Recordings are private conversations: readable by the user only, and never overwriting a file.
        self._file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(channels)
        self._wav.setsampwidth(2)
        self._wav.setframerate(rate_hz)
        self.frames_written = 0

    def write(self, frames: np.ndarray) -> None:
        """float32 frames of shape (n, channels)."""
        pcm = np.round(np.clip(frames, -1.0, 32767 / 32768) * 32768.0).astype("<i2")
        self._wav.writeframes(pcm.tobytes())
        self.frames_written += len(frames)

    def close(self) -> None:
        self._wav.close()
        self._file.close()
