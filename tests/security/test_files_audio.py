"""Sound files whose headers lie (item 14): a voicemail or ringtone is the sender's bytes.

Each file goes to the player the way the voicemail view hands it over (`VoicemailPlayer(data, ...)`),
in a child process: before the fix the 80 KB file killed the whole process with std::bad_alloc.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest

from media.player import decode_sound
from media.wavfile import AudioFileError, encode_wav

REPO = Path(__file__).resolve().parents[2]

PLAY = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from media.player import VoicemailPlayer
    from media.wavfile import AudioFileError
    data = Path(sys.argv[1]).read_bytes()
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        VoicemailPlayer(data, "", rate_hz=48000)
        outcome = "played"
    except AudioFileError as error:
        outcome = str(error)
    growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_kib) / 1024
    print(json.dumps({"outcome": outcome, "growth_mib": growth_mib}))
""")


def wav_declaring(rate_hz: int, size_bytes: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate_hz)
        wav.writeframes(np.random.default_rng(1).integers(-3000, 3000, size_bytes // 2, dtype="<i2").tobytes())
    return buffer.getvalue()


def play_in_child(tmp_path: Path, data: bytes) -> dict:
    sound = tmp_path / "message.wav"
    sound.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", PLAY, str(sound)], capture_output=True, text=True, timeout=120,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, f"the player process died ({done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("size_bytes", [4 * 1024, 80 * 1024], ids=["4KB", "80KB"])
def test_a_wav_declaring_1_hz_is_refused_before_it_is_resampled(tmp_path: Path, size_bytes: int) -> None:
    result = play_in_child(tmp_path, wav_declaring(1, size_bytes))
    assert result["outcome"] == "the WAV file declares a sample rate of 1 Hz; CallClient plays 8000 to 192000 Hz"
    assert result["growth_mib"] < 20


def test_a_wav_declaring_a_rate_above_192_khz_is_refused() -> None:
    with pytest.raises(AudioFileError, match="4000000 Hz"):
        decode_sound(wav_declaring(4_000_000, 4096), 48000)


def test_a_sound_longer_than_30_minutes_is_refused_before_decoding(tmp_path: Path) -> None:
    thirty_one_minutes = np.zeros(31 * 60 * 8000, dtype=np.float32)
    result = play_in_child(tmp_path, encode_wav(thirty_one_minutes, 8000, sample_width=1))
    assert result["outcome"] == "the sound is 31 minutes long; CallClient plays sounds of up to 30 minutes"
    # Decoded and resampled to 48 kHz it would have been 31 * 60 * 48000 * 4 bytes = 340 MiB.
    assert result["growth_mib"] < 60


def test_a_real_voicemail_still_plays(tmp_path: Path) -> None:
    tone = (0.3 * np.sin(np.arange(8000 * 3) * 2 * np.pi * 440 / 8000)).astype(np.float32)
    assert play_in_child(tmp_path, encode_wav(tone, 8000))["outcome"] == "played"
