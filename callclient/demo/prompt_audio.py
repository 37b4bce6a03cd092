"""The demo far ends' sound files, made at run time: spoken prompts (espeak-ng, cached across runs), a tone
melody where espeak-ng is missing, and the voicemail beep. Nothing here touches pjsua2."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import struct
import subprocess
import wave
from pathlib import Path


def _tone_sequence_wav(path: Path, rate_hz: int = 16000) -> None:
    """A short melody: what plays when espeak-ng is not installed."""
    samples: list[int] = []
    for freq in (523.25, 659.25, 783.99, 1046.5, 783.99, 659.25):
        for n in range(int(rate_hz * 0.35)):
            envelope = min(1.0, n / 400, (rate_hz * 0.35 - n) / 400)
            samples.append(int(9000 * envelope * math.sin(2 * math.pi * freq * n / rate_hz)))
        samples.extend([0] * int(rate_hz * 0.1))
    _write_wav(path, samples, rate_hz)


def beep_wav(path: Path, rate_hz: int = 16000) -> None:
    samples = [int(8000 * math.sin(2 * math.pi * 1000 * n / rate_hz)) for n in range(int(rate_hz * 0.4))]
    _write_wav(path, samples, rate_hz)


def _write_wav(path: Path, samples: list[int], rate_hz: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))


def cached_speech_wav(cache_dir: Path, name: str, text: str) -> Path:
    """`text` spoken (speech_wav) from a cache kept across runs: synthesising the prompts took most of demo
    mode's start. The prompts are fixed demo texts, nothing personal. The file name carries a hash of
    the text and of the synthesiser in use, so a changed text or a newly installed espeak-ng makes new ones."""
    key = hashlib.sha256(f"{shutil.which('espeak-ng')}\0{_ESPEAK_ARGS}\0{text}".encode()).hexdigest()[:16]
    path = cache_dir / f"{name}-{key}.wav"
    if path.is_file() and path.stat().st_size > 44:
        return path
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # nothing private, but the app's files are its own
    partial = cache_dir / f".{name}-{key}.{os.getpid()}.partial.wav"
    speech_wav(partial, text)
    os.replace(partial, path)  # whole or absent: a second instance never reads a half-written prompt
    return path


_ESPEAK_ARGS = ("-s", "150")


def speech_wav(path: Path, text: str) -> Path:
    """`text` spoken by espeak-ng into `path`; a tone sequence instead when espeak-ng is missing or fails."""
    espeak = shutil.which("espeak-ng")
    if espeak:
        result = subprocess.run([espeak, *_ESPEAK_ARGS, "-w", str(path), text], capture_output=True, timeout=30)
        if result.returncode == 0 and path.exists() and path.stat().st_size > 44:
            return path
    _tone_sequence_wav(path)
    return path


def wav_seconds(path: Path) -> float:
    try:
        with wave.open(str(path), "rb") as file:
            return file.getnframes() / float(file.getframerate())
    except (OSError, wave.Error, ZeroDivisionError):
        return 3.0
