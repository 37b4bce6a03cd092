"""Call recordings, encrypted at rest like the voicemail cache, decrypted only into memory for playback.

A recording is written while the call goes on and may last an hour, so it cannot be held in memory and
sealed at the end. It is cut into chunks of half a second, each sealed on its own with AES-256-GCM (the
key in the keychain) and appended as soon as it is full: a crash loses at most the last half second, and
nothing but ciphertext ever reaches the disk.

File layout: header = MAGIC (4) | format version (1) | rate_hz (4) | channels (1) | sample width (1) |
nonce prefix (8); then chunks, each = length (4, big-endian) | ciphertext + GCM tag. Chunk i's nonce is the
prefix followed by i (4 bytes); its associated data is the header, i, and a final-chunk flag. So chunks
cannot be reordered, dropped from the middle, moved between files, or have the header rewritten; a file
whose final chunk is missing was cut short (a crash, a full disk) and plays up to where it stops.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
import secrets
import shutil
import struct
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from callclient.storage.files import describe_os_error, fsync_dir

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

MAGIC = b"CCRC"
FORMAT_VERSION = 1
RECORDING_SUFFIX = ".ccrec"
SAMPLE_WIDTH = 2  # 16-bit PCM, as the plain WAV recorder wrote
CHUNK_SECONDS = 0.5  # what a crash can lose, against 20 bytes of length and tag per chunk
_HEADER = struct.Struct(">4sBIBB8s")
_LENGTH = struct.Struct(">I")
_MAX_CHUNK_BYTES = 16 * 1024 * 1024  # a length field past this is damage, not audio (0.5 s is ~64 KB)


class RecordingUnreadable(Exception):
    """A recording that cannot be played back: damaged, from another installation's key, or not one at all."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"The call recording {path.name} cannot be played: {reason}.")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Recording:
    path: Path
    started_at: datetime.datetime  # local time, from the file name
    size_bytes: int


class Recordings:
    """The recordings folder. `key` is the installation's recording key (AppSecret.RECORDING_KEY)."""

    def __init__(self, directory: Path, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the recording key must be 32 bytes (AES-256)")
        self._directory = directory
        self._aead = AESGCM(key)

    @property
    def directory(self) -> Path:
        return self._directory

    def new_path(self, started_at: datetime.datetime | None = None) -> Path:
        """A fresh file name for a recording starting now (never one that exists)."""
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = (started_at or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
        path = self._directory / f"call-{stamp}{RECORDING_SUFFIX}"
        suffix = 1
        while path.exists():
            suffix += 1
            path = self._directory / f"call-{stamp}-{suffix}{RECORDING_SUFFIX}"
        return path

    def open_writer(self, path: Path, rate_hz: int, channels: int) -> EncryptedRecordingWriter:
        """What media.recorder.CallRecorder calls as its `open_writer`: same shape as media.wavfile.WavWriter."""
        return EncryptedRecordingWriter(path, self._aead, rate_hz, channels)

    def list(self) -> list[Recording]:
        """The recordings, newest first."""
        found = []
        for path in self._directory.glob(f"call-*{RECORDING_SUFFIX}"):
            try:
                started = datetime.datetime.strptime(path.stem[len("call-"):][:15], "%Y%m%d-%H%M%S")
                found.append(Recording(path, started, path.stat().st_size))
            except (ValueError, OSError):
                continue  # not ours, or gone meanwhile
        return sorted(found, key=lambda recording: recording.started_at, reverse=True)

    def read_wav(self, path: Path) -> bytes:
        """The recording decrypted into memory as WAV bytes, for media.player.VoicemailPlayer."""
        try:
            sealed = path.read_bytes()
        except OSError as error:
            raise RecordingUnreadable(path, describe_os_error(error)) from error
        rate_hz, channels, pcm, complete = _open(path, self._aead, sealed)
        if not complete:
            log.warning("the call recording %s was cut short (the app or the disk stopped while recording)",
                        path.name)
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(channels)
            wav.setsampwidth(SAMPLE_WIDTH)
            wav.setframerate(rate_hz)
            wav.writeframes(pcm)
        return buffer.getvalue()

    def duration_s(self, path: Path) -> float:
        """How long the recording lasts, from its size (each chunk is CHUNK_SECONDS but the last)."""
        try:
            with path.open("rb") as file:
                header = file.read(_HEADER.size)
            size = path.stat().st_size
        except OSError:
            return 0.0
        if len(header) < _HEADER.size:
            return 0.0
        _, _, rate_hz, channels, width, _ = _HEADER.unpack(header)
        chunk_plain = max(1, int(rate_hz * CHUNK_SECONDS)) * channels * width
        per_chunk = chunk_plain + _LENGTH.size + _GCM_TAG_BYTES
        body = size - _HEADER.size
        whole, rest = divmod(body, per_chunk)
        tail = max(0, rest - _LENGTH.size - _GCM_TAG_BYTES)
        return (whole * chunk_plain + tail) / (rate_hz * channels * width) if rate_hz and channels else 0.0

    def export_wav(self, path: Path, destination: Path) -> None:
        """The recording decrypted into a WAV file the user chose (it is theirs to keep from then on)."""
        _write_new(destination, self.read_wav(path))

    def export_opus(self, path: Path, destination: Path, bitrate: int = 32000) -> None:
        """The recording as an Ogg Opus file (RFC 7845) the user chose: about a tenth of the WAV's size."""
        try:
            sealed = path.read_bytes()
        except OSError as error:
            raise RecordingUnreadable(path, describe_os_error(error)) from error
        rate_hz, channels, pcm, _complete = _open(path, self._aead, sealed)
        _write_new(destination, ogg_opus(pcm, rate_hz, channels, bitrate))

    def delete(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        fsync_dir(path.parent)

    def erase(self) -> None:
        """Every recording (sign-out, erase all data). Raises OSError naming what could not be removed."""
        erase_recordings(self._directory)


_GCM_TAG_BYTES = 16
_OPUS_RATES_HZ = (8000, 12000, 16000, 24000, 48000)
_PACKETS_PER_PAGE = 50  # one second of 20 ms packets per Ogg page


def ogg_opus(pcm: bytes, rate_hz: int, channels: int, bitrate: int = 32000) -> bytes:
    """16-bit PCM (interleaved) as an Ogg Opus file: OpusHead and OpusTags pages, then 20 ms packets, the
    granule positions in 48 kHz samples and the last one trimming the padding (RFC 7845 sections 4 and 5).
    Encoded a packet at a time from the int16 samples: an hour-long call never exists as floats."""
    import opuslib

    from media.player import OPUS_RATE_HZ, write_ogg_page

    if rate_hz not in _OPUS_RATES_HZ or channels not in (1, 2):
        raise ValueError(f"Opus cannot carry {channels} channels at {rate_hz} Hz")
    encoder = opuslib.Encoder(rate_hz, channels, opuslib.APPLICATION_VOIP)
    encoder.bitrate = bitrate
    scale = OPUS_RATE_HZ // rate_hz
    pre_skip = encoder.lookahead * scale
    serial = secrets.randbits(32)
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, channels, pre_skip, rate_hz, 0, 0)
    vendor = b"CallClient"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    out = [write_ogg_page(serial, 0, 0, 0x02, [head]), write_ogg_page(serial, 1, 0, 0, [tags])]
    frame_samples = rate_hz // 50
    frame_bytes = frame_samples * channels * SAMPLE_WIDTH
    total_frames = len(pcm) // (channels * SAMPLE_WIDTH)
    # The encoder's lookahead and the last partial frame are flushed out with silence.
    padded = bytes(pcm[: total_frames * channels * SAMPLE_WIDTH]) + bytes(
        (-(-(total_frames + encoder.lookahead) // frame_samples) * frame_samples - total_frames)
        * channels * SAMPLE_WIDTH)
    packet_count = len(padded) // frame_bytes
    end_granule = pre_skip + total_frames * scale
    page, sequence = [], 2
    for index in range(packet_count):
        page.append(encoder.encode(padded[index * frame_bytes:(index + 1) * frame_bytes], frame_samples))
        last = index == packet_count - 1
        if len(page) == _PACKETS_PER_PAGE or last:
            granule = end_granule if last else (index + 1) * frame_samples * scale
            out.append(write_ogg_page(serial, sequence, granule, 0x04 if last else 0, page))
            page, sequence = [], sequence + 1
    return b"".join(out)


def _write_new(destination: Path, data: bytes) -> None:
    """Writes `data` to `destination` whole or not at all (a temporary file renamed into place)."""
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.part")
    try:
        with temporary.open("xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, destination)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def erase_recordings(directory: Path) -> None:
    if directory.exists():
        shutil.rmtree(directory)


class EncryptedRecordingWriter:
    """Frames in, sealed chunks out. Runs on the recorder's writer thread only."""

    def __init__(self, path: Path, aead: AESGCM, rate_hz: int, channels: int) -> None:
        self.path = path
        self.frames_written = 0
        self._aead = aead
        self._header = _HEADER.pack(MAGIC, FORMAT_VERSION, rate_hz, channels, SAMPLE_WIDTH, secrets.token_bytes(8))
        self._chunk_bytes = max(1, int(rate_hz * CHUNK_SECONDS)) * channels * SAMPLE_WIDTH
        self._pending = bytearray()
        self._index = 0
        # Recordings are private conversations: readable by the user only, and never overwriting a file.
        self._file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self._file.write(self._header)
        self._closed = False

    def write(self, frames: np.ndarray) -> None:
        """float32 frames of shape (n, channels)."""
        # numpy is imported here, not at module level: erase imports this module, and numpy's thread pool must
        # not start before headless mode blocks its stop signals.
        import numpy as np

        pcm = np.round(np.clip(frames, -1.0, 32767 / 32768) * 32768.0).astype("<i2")
        self._pending += pcm.tobytes()
        self.frames_written += len(frames)
        while len(self._pending) >= self._chunk_bytes:
            self._seal(bytes(self._pending[: self._chunk_bytes]), final=False)
            del self._pending[: self._chunk_bytes]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._seal(bytes(self._pending), final=True)
            self._pending.clear()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()

    def _seal(self, plain: bytes, *, final: bool) -> None:
        nonce = self._header[-8:] + struct.pack(">I", self._index)
        sealed = self._aead.encrypt(nonce, plain, _associated_data(self._header, self._index, final))
        self._file.write(_LENGTH.pack(len(sealed)) + sealed)
        self._file.flush()  # in the kernel's hands at once: a crash of the app keeps every sealed chunk
        self._index += 1


def _associated_data(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">IB", index, 1 if final else 0)


def _open(path: Path, aead: AESGCM, sealed: bytes) -> tuple[int, int, bytes, bool]:
    """(rate_hz, channels, PCM, whether the final chunk was there)."""
    if len(sealed) < _HEADER.size:
        raise RecordingUnreadable(path, "the file is too short to be a recording")
    header = sealed[: _HEADER.size]
    magic, version, rate_hz, channels, width, prefix = _HEADER.unpack(header)
    if magic != MAGIC:
        raise RecordingUnreadable(path, "it is not a CallClient recording")
    if version != FORMAT_VERSION or width != SAMPLE_WIDTH or channels < 1:
        raise RecordingUnreadable(path, f"it was written in a format this version does not read (v{version})")
    pcm = bytearray()
    offset, index = _HEADER.size, 0
    while offset < len(sealed):
        if len(sealed) - offset < _LENGTH.size:
            return rate_hz, channels, bytes(pcm), False  # cut off inside a length field
        (length,) = _LENGTH.unpack_from(sealed, offset)
        body = sealed[offset + _LENGTH.size: offset + _LENGTH.size + length]
        if length > _MAX_CHUNK_BYTES:
            raise RecordingUnreadable(path, f"chunk {index} is damaged")
        if len(body) < length:
            return rate_hz, channels, bytes(pcm), False  # the last chunk was being written when it stopped
        nonce = prefix + struct.pack(">I", index)
        for final in (False, True):
            try:
                pcm += aead.decrypt(nonce, body, _associated_data(header, index, final))
                break
            except InvalidTag:
                continue
        else:
            raise RecordingUnreadable(path, f"chunk {index} does not decrypt (damaged, altered, or made with "
                                            "another installation's key)")
        offset += _LENGTH.size + length
        index += 1
        if final:
            if offset != len(sealed):
                raise RecordingUnreadable(path, "data follows its final chunk")
            return rate_hz, channels, bytes(pcm), True
    return rate_hz, channels, bytes(pcm), False
