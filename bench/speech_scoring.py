"""Speech for the quality benches and its scoring: espeak-ng sentences at 16 kHz with a silent lead, WAV
recordings read back at that rate, alignment by cross-correlation, PESQ-WB and levels."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

RATE = 16000
PEAK = 0.35  # -9 dBFS: speech loud enough to score, with headroom for the simulated speaker's clipping
PAD_S = 2.5  # silence before every played file (see bench/pulse_speech.py's play)


def espeak(text: str, voice: str, path: Path, lead_s: float = 0.0) -> np.ndarray:
    import soxr

    from media.wavfile import decode_wav, encode_wav

    raw = path.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True, capture_output=True)
    frames, rate = decode_wav(raw.read_bytes())
    samples = soxr.resample(frames[:, 0], rate, RATE).astype(np.float32)
    samples *= np.float32(PEAK / np.max(np.abs(samples)))
    path.write_bytes(encode_wav(np.concatenate([np.zeros(int((PAD_S + lead_s) * RATE), np.float32), samples]),
                                RATE))
    return samples


def align(reference: np.ndarray, recorded: np.ndarray) -> tuple[np.ndarray, int]:
    """The stretch of `recorded` that best lines up with `reference`, and where it starts."""
    n = 1 << int(np.ceil(np.log2(len(reference) + len(recorded))))
    corr = np.fft.irfft(np.fft.rfft(recorded, n) * np.conj(np.fft.rfft(reference, n)), n)[: len(recorded)]
    lag = int(np.argmax(corr))
    out = recorded[lag:lag + len(reference)]
    return np.pad(out, (0, len(reference) - len(out))), lag


def pesq_wb(reference: np.ndarray, recorded: np.ndarray) -> float:
    """PESQ-WB of `recorded` against `reference`, aligned as a whole (PESQ re-aligns utterances itself)."""
    from pesq import pesq

    try:
        return float(pesq(RATE, reference, align(reference, recorded)[0], "wb"))
    except Exception as error:  # pesq raises on a recording with no speech in it
        print(f"    PESQ failed: {error}")
        return float("nan")


def db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.asarray(x, np.float64) ** 2) + 1e-20))


def read_samples(path: Path) -> np.ndarray:
    """16-bit samples after a 44-byte header (pjmedia fills in the sizes only on release; parec likewise)."""
    import soxr

    data = path.read_bytes()
    rate = int.from_bytes(data[24:28], "little")
    samples = np.frombuffer(data[44: 44 + (len(data) - 44) // 2 * 2], dtype="<i2").astype(np.float32) / 32768
    return soxr.resample(samples, rate, RATE).astype(np.float32) if rate != RATE else samples
