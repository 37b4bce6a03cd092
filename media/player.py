"""The voicemail player: WAV or Ogg Opus from bytes in memory, played on a chosen output device.

Voicemail is decrypted into memory and must never touch disk, so everything here works on `bytes`.
The whole message is decoded and resampled (soxr) to the device rate once, up front, into one float32
array: a voicemail is minutes long at most, and the PortAudio callback then only copies a slice of that
array, which is what an audio callback may do.

Ogg (RFC 3533) is framed by a small parser here and Opus packets are decoded with opuslib (libopus);
RFC 7845 gives the header layout, the pre-skip to drop and the final page's granule position that trims
the end. `encode_ogg_opus` is the inverse, used for fixtures and generated sounds.

Threads: `play`, `pause`, `seek`, `stop` run on the caller's thread; the callback runs on PortAudio's.
They share only `_position` (an int, replaced whole) and the read-only decoded array. State changes
are reported through `on_state(PlayerState)`, called on the thread that caused them (the caller's, or
PortAudio's at the end of the message): turn it into an event and return.
"""

from __future__ import annotations

import logging
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from media.player_state import PlayerState
from media.wavfile import MAX_DURATION_S, AudioFileError, check_duration, check_rate, decode_wav

log = logging.getLogger(__name__)

OPUS_RATE_HZ = 48000  # RFC 7845 section 4: granule positions always count 48 kHz samples
_MAX_OPUS_FRAME = 5760  # 120 ms at 48 kHz, the longest Opus packet

# ---------------------------------------------------------------------------------------------- Ogg


def _crc_table() -> list[int]:
    table = []
    for index in range(256):
        crc = index << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


_CRC_TABLE = _crc_table()


def ogg_crc(data: bytes) -> int:
    """RFC 3533 section 6: CRC-32, polynomial 0x04C11DB7, MSB first, no reflection, init 0."""
    crc = 0
    table = _CRC_TABLE
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ table[(crc >> 24) ^ byte]
    return crc


@dataclass(frozen=True)
class OggPage:
    flags: int
    granule: int
    serial: int
    sequence: int
    lacing: bytes
    body: bytes


_PAGE_HEADER = struct.Struct("<4sBBqIIIB")


def read_ogg_pages(data: bytes) -> Iterator[OggPage]:
    offset = 0
    while offset < len(data):
        if len(data) - offset < _PAGE_HEADER.size:
            raise AudioFileError(f"Ogg stream is truncated at byte {offset}")
        magic, version, flags, granule, serial, sequence, crc, segments = _PAGE_HEADER.unpack_from(data, offset)
        if magic != b"OggS" or version != 0:
            raise AudioFileError(f"not an Ogg page at byte {offset}")
        lacing_start = offset + _PAGE_HEADER.size
        lacing = data[lacing_start:lacing_start + segments]
        body_start = lacing_start + segments
        body_end = body_start + sum(lacing)
        if len(lacing) < segments or body_end > len(data):
            raise AudioFileError(f"Ogg page {sequence} is truncated")
        unchecked = bytearray(data[offset:body_end])
        unchecked[22:26] = b"\0\0\0\0"
        if ogg_crc(bytes(unchecked)) != crc:
            raise AudioFileError(f"Ogg page {sequence} is corrupted (checksum mismatch)")
        yield OggPage(flags, granule, serial, sequence, lacing, data[body_start:body_end])
        offset = body_end


def read_ogg_packets(data: bytes) -> Iterator[tuple[bytes, int]]:
    """(packet, granule of the page it ends on) for the first logical stream."""
    pending = bytearray()
    serial: int | None = None
    for page in read_ogg_pages(data):
        if serial is None:
            serial = page.serial
        if page.serial != serial:
            continue  # a multiplexed stream (chained or with video): voicemail uses only the first
        position = 0
        for size in page.lacing:
            pending += page.body[position:position + size]
            position += size
            if size < 255:
                yield bytes(pending), page.granule
                pending.clear()


def write_ogg_page(serial: int, sequence: int, granule: int, flags: int, packets: list[bytes]) -> bytes:
    lacing = bytearray()
    for packet in packets:
        lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
    if len(lacing) > 255:
        raise ValueError("too many packets for one Ogg page")
    header = _PAGE_HEADER.pack(b"OggS", 0, flags, granule, serial, sequence, 0, len(lacing))
    page = bytearray(header + lacing + b"".join(packets))
    page[22:26] = struct.pack("<I", ogg_crc(bytes(page)))
    return bytes(page)


# ---------------------------------------------------------------------------------------------- Opus


def decode_ogg_opus(data: bytes, *, max_duration_s: float = MAX_DURATION_S) -> tuple[np.ndarray, int]:
    """Ogg Opus bytes as float32 frames (frames, channels) at 48 kHz; longer than `max_duration_s` is an
    error found while decoding (a few bytes per packet can stand for 120 ms each)."""
    import opuslib

    packets = read_ogg_packets(data)
    try:
        head, _ = next(packets)
        next(packets)  # OpusTags: nothing in it the player needs
    except StopIteration:
        raise AudioFileError("Ogg Opus stream ends before its headers") from None
    if len(head) < 19 or not head.startswith(b"OpusHead"):
        raise AudioFileError("Ogg stream does not carry Opus (no OpusHead)")
    channels, pre_skip = head[9], struct.unpack_from("<H", head, 10)[0]
    gain_db = struct.unpack_from("<h", head, 16)[0] / 256.0
    if channels not in (1, 2) or head[18] != 0:
        raise AudioFileError(f"Opus with {channels} channels (mapping family {head[18]}) is not supported")
    decoder = opuslib.Decoder(OPUS_RATE_HZ, channels)
    chunks: list[np.ndarray] = []
    last_granule = 0
    decoded_frames = 0
    try:
        for packet, granule in packets:
            pcm = decoder.decode_float(packet, _MAX_OPUS_FRAME)
            chunks.append(np.frombuffer(pcm, dtype=np.float32))
            decoded_frames += len(chunks[-1]) // channels
            check_duration(decoded_frames - pre_skip, OPUS_RATE_HZ, max_duration_s)
            last_granule = granule
    except opuslib.OpusError as error:
        raise AudioFileError(f"Opus audio is corrupted: {error}") from error
    samples = np.concatenate(chunks).reshape(-1, channels) if chunks else np.zeros((0, channels), np.float32)
    if last_granule > 0:  # RFC 7845 section 4.4: the last granule position says where the audio ends
        samples = samples[:max(0, last_granule)]
    samples = samples[pre_skip:]
    if gain_db:
        samples = samples * np.float32(10 ** (gain_db / 20))
    return np.ascontiguousarray(samples, dtype=np.float32), OPUS_RATE_HZ


def encode_ogg_opus(frames: np.ndarray, rate_hz: int, bitrate: int = 24000, serial: int = 0x0CA11) -> bytes:
    """float32 mono (n,) or (n, channels) audio at 8/12/16/24/48 kHz as an Ogg Opus file (20 ms packets)."""
    import opuslib

    frames = np.asarray(frames, dtype=np.float32)
    if frames.ndim == 1:
        frames = frames[:, None]
    channels = frames.shape[1]
    encoder = opuslib.Encoder(rate_hz, channels, opuslib.APPLICATION_VOIP)
    encoder.bitrate = bitrate
    pre_skip = encoder.lookahead * (OPUS_RATE_HZ // rate_hz)
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, channels, pre_skip, rate_hz, 0, 0)
    vendor = b"CallClient"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    pages = [write_ogg_page(serial, 0, 0, 0x02, [head]), write_ogg_page(serial, 1, 0, 0, [tags])]
    frame = rate_hz // 50
    # pad so the encoder's lookahead and the last partial frame are flushed out
    padded_length = -(-(len(frames) + encoder.lookahead) // frame) * frame
    padded = np.zeros((padded_length, channels), dtype=np.float32)
    padded[:len(frames)] = frames
    packets = [encoder.encode_float(padded[start:start + frame].tobytes(), frame)
               for start in range(0, padded_length, frame)]
    end_granule = pre_skip + len(frames) * (OPUS_RATE_HZ // rate_hz)
    per_page = 50  # one second of audio per page
    for number, start in enumerate(range(0, len(packets), per_page)):
        chunk = packets[start:start + per_page]
        last = start + per_page >= len(packets)
        granule = end_granule if last else (start + len(chunk)) * frame * (OPUS_RATE_HZ // rate_hz)
        pages.append(write_ogg_page(serial, 2 + number, granule, 0x04 if last else 0, chunk))
    return b"".join(pages)


# ---------------------------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class DecodedAudio:
    samples: np.ndarray  # float32 mono
    rate_hz: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate_hz


def decode_sound(data: bytes, rate_hz: int | None = None, *,
                 max_duration_s: float = MAX_DURATION_S) -> DecodedAudio:
    """WAV or Ogg Opus bytes as float32 mono, resampled to `rate_hz` when given.

    Rates outside 8-192 kHz and sounds longer than `max_duration_s` are refused before they are decoded
    or resampled, so what a file declares cannot make the result grow past ~24 times its decoded size."""
    if rate_hz:
        check_rate(rate_hz, "the output device")
    if data[:4] == b"RIFF":
        frames, source_rate = decode_wav(data, max_duration_s=max_duration_s)
    elif data[:4] == b"OggS":
        frames, source_rate = decode_ogg_opus(data, max_duration_s=max_duration_s)
    else:
        raise AudioFileError("unknown sound format: expected a WAV or Ogg Opus file")
    mono = np.ascontiguousarray(frames.mean(axis=1), dtype=np.float32)
    if rate_hz and rate_hz != source_rate and len(mono):
        import soxr

        mono = np.ascontiguousarray(soxr.resample(mono, source_rate, rate_hz, quality="HQ"), dtype=np.float32)
        source_rate = rate_hz
    return DecodedAudio(mono, source_rate)


# ---------------------------------------------------------------------------------------------- player


class VoicemailPlayer:
    """Plays one message. `device` is a device name ("" = system default) or a PortAudio index."""

    def __init__(self, data: bytes, device: str | int = "", *, rate_hz: int | None = None,
                 on_state: Callable[[PlayerState], None] | None = None,
                 max_duration_s: float = MAX_DURATION_S) -> None:
        self._device = device
        self._rate_hz = rate_hz or self._device_rate(device)
        self.audio = decode_sound(data, self._rate_hz, max_duration_s=max_duration_s)
        self._on_state = on_state or (lambda state: None)
        self._position = 0
        self._stream = None
        self._closing = False
        self._lock = threading.Lock()  # play/pause/stop from different UI events must not interleave
        self.state = PlayerState.PAUSED

    @property
    def rate_hz(self) -> int:
        return self._rate_hz

    @property
    def duration_s(self) -> float:
        return self.audio.duration_s

    @property
    def position_s(self) -> float:
        return self._position / self._rate_hz

    def seek(self, seconds: float) -> None:
        """Jumps to `seconds` (clamped to the message); works while playing or paused."""
        target = int(round(seconds * self._rate_hz))
        self._position = min(max(0, target), len(self.audio.samples))

    def play(self) -> None:
        with self._lock:
            if self.state is PlayerState.PLAYING:
                return
            if self._position >= len(self.audio.samples):
                self._position = 0  # play after the end starts over, as every player does
            self._close_stream()
            self._stream = self._open_stream()
            self._stream.start()
            self._set_state(PlayerState.PLAYING)

    def pause(self) -> None:
        with self._lock:
            if self.state is not PlayerState.PLAYING:
                return
            self._close_stream()
            self._set_state(PlayerState.PAUSED)

    def close(self) -> None:
        with self._lock:
            self._close_stream()

    def render(self, out: np.ndarray) -> bool:
        """Copies the next block into `out` (float32, (n,) or (n, 1)); zeros past the end.
        Returns False once the message is over. Called by the PortAudio callback."""
        flat = out.reshape(-1)
        position = self._position
        samples = self.audio.samples
        take = max(0, min(len(flat), len(samples) - position))
        flat[:take] = samples[position:position + take]
        flat[take:] = 0.0
        self._position = position + take
        return self._position < len(samples)

    # ------------------------------------------------------------------ PortAudio

    def _callback(self, outdata: np.ndarray, frames: int, time: object, status: object) -> None:
        import sounddevice as sd

        if not self.render(outdata):
            raise sd.CallbackStop  # PortAudio plays out what is queued, then calls _stream_finished

    def _stream_finished(self) -> None:
        if not self._closing and self._position >= len(self.audio.samples) and self.state is PlayerState.PLAYING:
            self._set_state(PlayerState.FINISHED)

    def _open_stream(self) -> object:
        import sounddevice as sd

        from media.devices import open_stream, resolve_device

        device = self._device
        settings = dict(samplerate=self._rate_hz, channels=1, dtype="float32", callback=self._callback,
                        finished_callback=self._stream_finished)
        if isinstance(device, int):
            return sd.OutputStream(device=device, **settings)
        return open_stream(sd.OutputStream, resolve_device(device, "output"), **settings)

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            self._closing = True  # an aborted stream also calls finished_callback: that is not the end
            try:
                stream.abort()
                stream.close()
            finally:
                self._closing = False

    def _set_state(self, state: PlayerState) -> None:
        self.state = state
        try:
            self._on_state(state)
        except Exception:
            log.exception("voicemail player state listener failed")

    @staticmethod
    def _device_index(device: str | int) -> int | None:
        if isinstance(device, int):
            return device
        from media.devices import resolve_device

        return resolve_device(device, "output").index

    @classmethod
    def _device_rate(cls, device: str | int) -> int:
        import sounddevice as sd

        return int(sd.query_devices(cls._device_index(device))["default_samplerate"])
