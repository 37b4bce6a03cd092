"""Makes the ringtones in this directory (run from the repository root: python resources/sounds/make_sounds.py).

Generated rather than recorded so the sounds carry no licence questions and can be remade at will.
- ring.wav: a soft two-tone trill (784/988 Hz, bell-like decaying partials), twice, then a pause; 3.6 s loop.
- chime.opus: a rising three-note chime (C6 E6 G6) with a long tail; 3 s loop, Ogg Opus.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from media.player import encode_ogg_opus
from media.wavfile import encode_wav

RATE = 24000
HERE = Path(__file__).resolve().parent


def bell(freq_hz: float, seconds: float, decay_s: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    # a few inharmonic partials give a struck, bell-like timbre instead of a beep
    partials = [(1.0, 1.0), (2.0, 0.35), (2.76, 0.18), (5.4, 0.06)]
    tone = sum(level * np.sin(2 * np.pi * freq_hz * ratio * t) * np.exp(-t * ratio / decay_s)
               for ratio, level in partials)
    attack = np.minimum(1.0, t / 0.004)
    return tone * attack


def place(track: np.ndarray, sound: np.ndarray, at_s: float) -> None:
    start = int(at_s * RATE)
    end = min(len(track), start + len(sound))
    track[start:end] += sound[: end - start]


def ring() -> np.ndarray:
    track = np.zeros(int(3.6 * RATE))
    for burst in (0.0, 0.9):
        for note in range(6):
            place(track, bell(784.0 if note % 2 == 0 else 988.0, 0.5, 0.12), burst + note * 0.11)
    return track


def chime() -> np.ndarray:
    track = np.zeros(3 * RATE)
    for index, freq in enumerate((1046.5, 1318.5, 1568.0)):
        place(track, bell(freq, 1.6, 0.45), index * 0.18)
    return track


def normalised(track: np.ndarray, peak_dbfs: float = -6.0) -> np.ndarray:
    return (track * (10 ** (peak_dbfs / 20) / np.max(np.abs(track)))).astype(np.float32)


def main() -> None:
    (HERE / "ring.wav").write_bytes(encode_wav(normalised(ring()), RATE))
    (HERE / "chime.opus").write_bytes(encode_ogg_opus(normalised(chime()), RATE, bitrate=32000))


if __name__ == "__main__":
    main()
