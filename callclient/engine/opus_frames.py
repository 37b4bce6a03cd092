"""One call's Opus: encoder, decoder and the packet held back for FEC, called by pjmedia on its threads.

libopus is called directly on pjmedia's own buffers (nothing copied into Python), on state allocated
when pjmedia allocates the codec. It follows pjmedia's own opus.c (not built into the pjsua2 wheel):
decoding runs one frame behind, so a lost frame can be rebuilt from the in-band FEC of the packet after
it, and Opus's PLC covers what FEC cannot; a multi-frame packet is split into frames for pjmedia's
jitter buffer, and a change of the peer's packet duration is signalled to the stream. The caller holds
the codec's lock around every method (pjmedia calls parse on the RTP thread, the rest on its clock).
"""

from __future__ import annotations

import ctypes
import logging
import threading
from dataclasses import dataclass

import opuslib.api
from opuslib import constants as opus

from callclient.engine.pjmedia_abi import (
    FRAME_AUDIO,
    FRAME_NONE,
    MAX_FMTP,
    PJ_SUCCESS,
    PJMEDIA_CODEC_EFAILED,
    PJMEDIA_CODEC_EFRMTOOSHORT,
    CodecParam,
    Fmtp,
    Frame,
    PjmediaCodec,
)

log = logging.getLogger(__name__)

MAX_PACKET_BYTES = 1275  # the largest Opus frame (RFC 6716 3.2.1)
PTIME_MS = 20
PTIME_CHANGED = 0x10000  # pjmedia_frame.bit_info flag from parse: the peer's packet duration changed


@dataclass(frozen=True)
class OpusSettings:
    """What CallClient's Opus offers and sends. The defaults are bench/opus_path.py's choice: wideband
    (the bridge's 16 kHz), 28 kbit/s, 20 ms packets, in-band FEC sized for 3 % loss — above G.722 on a
    clean line and far above it under loss (docs/benchmarks.md)."""

    clock_rate_hz: int = 16000
    bitrate_bps: int = 28000
    expected_loss_percent: int = 3
    # libopus 1.3's default. Measured through this codec (3 seeds, PESQ-WB): complexity 5 scored 3.90
    # clean / 3.02 at 3 % loss with FEC, 9 scored 4.14 / 3.37 (10 the same); 9 is what bench/opus_path.py
    # costed at 2.3 % of a core.
    complexity: int = 9


def libopus() -> ctypes.CDLL:
    # Our own handle on the library opuslib loaded: declaring argument types here must not change
    # opuslib's (recording export uses it), and each CDLL has its own function objects.
    lib = ctypes.CDLL(opuslib.api.libopus._name)
    i32, buf = ctypes.c_int32, ctypes.c_void_p
    for name, args, result in (
        ("opus_encoder_get_size", [ctypes.c_int], ctypes.c_int),
        ("opus_decoder_get_size", [ctypes.c_int], ctypes.c_int),
        ("opus_repacketizer_get_size", [], ctypes.c_int),
        ("opus_encoder_init", [buf, i32, ctypes.c_int, ctypes.c_int], ctypes.c_int),
        ("opus_decoder_init", [buf, i32, ctypes.c_int], ctypes.c_int),
        ("opus_encoder_ctl", [buf, ctypes.c_int, ctypes.c_int], ctypes.c_int),
        ("opus_encode", [buf, buf, ctypes.c_int, buf, i32], i32),
        ("opus_decode", [buf, buf, i32, buf, ctypes.c_int, ctypes.c_int], ctypes.c_int),
        ("opus_packet_get_nb_samples", [buf, i32, i32], ctypes.c_int),
        ("opus_repacketizer_init", [buf], buf),
        ("opus_repacketizer_cat", [buf, buf, i32], ctypes.c_int),
        ("opus_repacketizer_get_nb_frames", [buf], ctypes.c_int),
        ("opus_repacketizer_out_range", [buf, ctypes.c_int, ctypes.c_int, buf, i32], i32),
        ("opus_repacketizer_out", [buf, buf, i32], i32),
    ):
        function = getattr(lib, name)
        function.argtypes = args
        function.restype = result
    return lib


def bandwidth(clock_rate_hz: int) -> int:
    for limit, band in ((8000, opus.BANDWIDTH_NARROWBAND), (12000, opus.BANDWIDTH_MEDIUMBAND),
                        (16000, opus.BANDWIDTH_WIDEBAND), (24000, opus.BANDWIDTH_SUPERWIDEBAND)):
        if clock_rate_hz <= limit:
            return band
    return opus.BANDWIDTH_FULLBAND


def fmtp_value(fmtp: Fmtp, name: bytes) -> int | None:
    for i in range(min(fmtp.cnt, MAX_FMTP)):
        entry = fmtp.param[i]
        if ctypes.string_at(entry.name.ptr, entry.name.slen).lower() == name:
            text = ctypes.string_at(entry.val.ptr, entry.val.slen)
            return int(text) if text.strip().isdigit() else None
    return None


class OpusCodec:
    """One call's Opus encoder and decoder, with every buffer allocated when pjmedia allocates the codec."""

    def __init__(self, lib: ctypes.CDLL, settings: OpusSettings) -> None:
        self.struct = PjmediaCodec()
        self.lock = threading.Lock()
        self.settings = settings
        self._lib = lib
        self.encoder = ctypes.create_string_buffer(lib.opus_encoder_get_size(2))
        self.decoder = ctypes.create_string_buffer(lib.opus_decoder_get_size(2))
        self.enc_packer = ctypes.create_string_buffer(lib.opus_repacketizer_get_size())
        self.dec_packer = ctypes.create_string_buffer(lib.opus_repacketizer_get_size())
        self.enc_scratch = ctypes.create_string_buffer(MAX_PACKET_BYTES * 6)  # up to 120 ms of frames
        self.rx_frames = ctypes.create_string_buffer((MAX_PACKET_BYTES + 2) * 48)  # a packet split per frame
        self.rx_copy = ctypes.create_string_buffer(MAX_PACKET_BYTES * 48)
        # The packet being held back one frame, so a loss before it can be rebuilt from its FEC.
        self.held = [ctypes.create_string_buffer(MAX_PACKET_BYTES * 6) for _ in range(2)]
        self.held_type = [FRAME_NONE, FRAME_NONE]
        self.held_size = [0, 0]
        self.held_timestamp = [0, 0]
        self.held_index = -1
        self.sample_rate_hz = settings.clock_rate_hz
        self.channels = 1
        self.enc_ptime, self.enc_ptime_denum = PTIME_MS, 1
        self.dec_ptime, self.dec_ptime_denum = PTIME_MS, 1
        self.expected_loss_percent = settings.expected_loss_percent

    def open(self, attr: CodecParam) -> int:
        lib, info = self._lib, attr.info
        self.sample_rate_hz, self.channels = int(info.clock_rate), max(1, int(info.channel_cnt))
        self.enc_ptime = self.dec_ptime = int(info.frm_ptime) or PTIME_MS
        self.enc_ptime_denum = self.dec_ptime_denum = int(info.frm_ptime_denum) or 1
        enc_fmtp = attr.setting.enc_fmtp
        bitrate = self.settings.bitrate_bps
        peer_limit = fmtp_value(enc_fmtp, b"maxaveragebitrate")
        if peer_limit:
            bitrate = max(6000, min(bitrate, peer_limit))
        fec = bool(fmtp_value(enc_fmtp, b"useinbandfec"))
        cbr = bool(fmtp_value(enc_fmtp, b"cbr"))
        if lib.opus_encoder_init(self.encoder, self.sample_rate_hz, self.channels, opus.APPLICATION_VOIP) != 0:
            return PJMEDIA_CODEC_EFAILED
        if lib.opus_decoder_init(self.decoder, self.sample_rate_hz, self.channels) != 0:
            return PJMEDIA_CODEC_EFAILED
        for request, value in (
            (opus.SET_SIGNAL_REQUEST, opus.SIGNAL_VOICE),
            (opus.SET_BITRATE_REQUEST, bitrate),
            (opus.SET_DTX_REQUEST, 0),
            (opus.SET_INBAND_FEC_REQUEST, int(fec)),
            (opus.SET_MAX_BANDWIDTH_REQUEST, bandwidth(self.sample_rate_hz)),
            (opus.SET_PACKET_LOSS_PERC_REQUEST, self.expected_loss_percent),
            (opus.SET_COMPLEXITY_REQUEST, self.settings.complexity),
            (opus.SET_VBR_REQUEST, 0 if cbr else 1),
        ):
            lib.opus_encoder_ctl(self.encoder, request, value)
        self.held_index = -1
        self.held_type = [FRAME_NONE, FRAME_NONE]
        log.info("Opus call media: %d Hz, %d channel(s), %d bit/s, FEC %s (expecting %d %% loss), %d ms packets",
                 self.sample_rate_hz, self.channels, bitrate, "on" if fec else "off (the peer did not ask)",
                 self.expected_loss_percent, self.enc_ptime // self.enc_ptime_denum)
        return PJ_SUCCESS

    def set_expected_loss(self, percent: int) -> None:
        if percent != self.expected_loss_percent:
            self.expected_loss_percent = percent
            self._lib.opus_encoder_ctl(self.encoder, opus.SET_PACKET_LOSS_PERC_REQUEST, percent)

    def _frame_samples(self, ptime: int, denum: int) -> int:
        return self.sample_rate_hz * ptime // denum // 1000

    def parse(self, packet: int, size: int, timestamp: int, capacity: int, frames: ctypes.Array) -> tuple[int, int]:
        """Splits an RTP payload into its Opus frames: (pj_status_t, frames written)."""
        lib = self._lib
        if size <= 0 or size > len(self.rx_copy):
            return PJMEDIA_CODEC_EFRMTOOSHORT, 0
        toc_code = ctypes.c_uint8.from_address(packet).value & 0x3
        if toc_code == 0:  # one frame: the packet itself
            if size > MAX_PACKET_BYTES + 1:
                return PJMEDIA_CODEC_EFRMTOOSHORT, 0  # no Opus frame is that long: not Opus
            spans = [(packet, size)]
        else:
            ctypes.memmove(self.rx_copy, packet, size)
            lib.opus_repacketizer_init(self.dec_packer)
            if lib.opus_repacketizer_cat(self.dec_packer, self.rx_copy, size) != 0:
                return PJMEDIA_CODEC_EFAILED, 0
            count = min(lib.opus_repacketizer_get_nb_frames(self.dec_packer), capacity)
            spans, offset, base = [], 0, ctypes.addressof(self.rx_frames)
            for i in range(count):
                n = lib.opus_repacketizer_out_range(self.dec_packer, i, i + 1, base + offset,
                                                    len(self.rx_frames) - offset)
                if n <= 0:
                    return PJMEDIA_CODEC_EFAILED, 0
                spans.append((base + offset, n))
                offset += n
        if not spans:
            return PJMEDIA_CODEC_EFAILED, 0
        samples = lib.opus_packet_get_nb_samples(spans[0][0], spans[0][1], self.sample_rate_hz)
        if samples <= 0:
            return PJMEDIA_CODEC_EFAILED, 0
        # RTP timestamps of Opus count at 48 kHz whatever the decoding rate (RFC 7587 4.1).
        step = samples * 48000 // self.sample_rate_hz
        flag = 0
        denum = 2 if (samples * 1000) % self.sample_rate_hz else 1  # 2.5 ms is Opus's only fractional size
        ptime = samples * denum * 1000 // self.sample_rate_hz
        if ptime * self.dec_ptime_denum != self.dec_ptime * denum:
            log.info("the far end's Opus packets changed from %d/%d to %d/%d ms",
                     self.dec_ptime, self.dec_ptime_denum, ptime, denum)
            self.dec_ptime, self.dec_ptime_denum = ptime, denum
            self.held_index = -1
            flag = PTIME_CHANGED | samples
        for i, (address, length) in enumerate(spans):
            frame = frames[i]
            frame.type, frame.buf, frame.size = FRAME_AUDIO, address, length
            frame.bit_info = flag if i == 0 else 0
            frame.timestamp = timestamp + i * step
        return PJ_SUCCESS, len(spans)

    def encode(self, source: Frame, capacity: int, out: Frame) -> int:
        lib = self._lib
        samples = self._frame_samples(self.enc_ptime, self.enc_ptime_denum)
        frame_bytes = samples * self.channels * 2
        lib.opus_repacketizer_init(self.enc_packer)
        scratch, written, offset, frames = ctypes.addressof(self.enc_scratch), 0, 0, 0
        while source.size - offset >= frame_bytes and frames < 6:
            n = lib.opus_encode(self.encoder, source.buf + offset, samples, scratch + written,
                                min(len(self.enc_scratch) - written, MAX_PACKET_BYTES))
            if n < 0:
                return PJMEDIA_CODEC_EFAILED
            if n > 0:
                lib.opus_repacketizer_cat(self.enc_packer, scratch + written, n)
                written += n
                frames += 1
            offset += frame_bytes
        out.timestamp = source.timestamp
        if frames == 0:
            out.size, out.type = 0, FRAME_NONE
            return PJ_SUCCESS
        n = lib.opus_repacketizer_out(self.enc_packer, out.buf, capacity)
        if n < 0:
            return PJMEDIA_CODEC_EFAILED
        out.size, out.type = n, FRAME_AUDIO
        return PJ_SUCCESS

    def _hold(self, index: int, source: Frame) -> None:
        size = min(int(source.size), len(self.held[index]))
        self.held_type[index], self.held_size[index] = source.type, size
        self.held_timestamp[index] = source.timestamp
        if size:
            ctypes.memmove(self.held[index], source.buf, size)

    def _lost_frame_samples(self, out: Frame) -> int:
        return min(int(out.size) // (2 * self.channels), self._frame_samples(self.dec_ptime, self.dec_ptime_denum))

    def _decode(self, held: int | None, out: Frame, samples: int, fec: int) -> int:
        """Decodes the held packet `held` (None: conceal). A packet libopus refuses (what arrived was not
        Opus) is concealed instead, so the listener hears PLC rather than a gap and the decoder goes on."""
        lib = self._lib
        if held is not None:
            decoded = lib.opus_decode(self.decoder, self.held[held], self.held_size[held], out.buf, samples, fec)
            if decoded >= 0:
                return decoded
            log.debug("libopus refused a packet (%d): concealed", decoded)
            samples = self._lost_frame_samples(out)
        return lib.opus_decode(self.decoder, None, 0, out.buf, samples, 0)

    def decode(self, source: Frame, out: Frame) -> int:
        if self.held_index == -1:  # the first packet: held back, nothing to play yet
            self._hold(0, source)
            self.held_index = 0
            out.size, out.type, out.timestamp = 0, FRAME_NONE, source.timestamp
            return PJ_SUCCESS
        index, fec = self.held_index, 0
        if self.held_type[index] != FRAME_AUDIO:
            # The frame due now was lost: rebuild it from this packet's in-band FEC.
            index = self.held_index = 1 - index
            self._hold(index, source)
            fec = 1
        samples = int(out.size) // (2 * self.channels)
        present = self.held_type[index] == FRAME_AUDIO
        if not present or fec:
            samples = self._lost_frame_samples(out)
        decoded = self._decode(index if present else None, out, samples, fec)
        out.timestamp = self.held_timestamp[index]
        if present:
            self.held_type[index] = FRAME_NONE
            self.held_index = 1 - index
            self._hold(self.held_index, source)
        if decoded < 0:
            return PJMEDIA_CODEC_EFAILED
        out.size, out.type = decoded * 2 * self.channels, FRAME_AUDIO
        return PJ_SUCCESS

    def recover(self, out: Frame) -> int:
        if self.held_index == -1:  # nothing decoded yet: silence
            samples = self._frame_samples(self.dec_ptime, self.dec_ptime_denum)
            ctypes.memset(out.buf, 0, samples * 2 * self.channels)
            out.size, out.type = samples * 2 * self.channels, FRAME_AUDIO
            return PJ_SUCCESS
        index = self.held_index
        present = self.held_type[index] == FRAME_AUDIO
        samples = int(out.size) // (2 * self.channels) if present else self._lost_frame_samples(out)
        decoded = self._decode(index if present else None, out, samples, 0)
        self.held_type[index] = FRAME_NONE
        self.held_index = 1 - index
        self.held_type[self.held_index] = FRAME_NONE
        out.timestamp = self.held_timestamp[index]
        if decoded < 0:
            return PJMEDIA_CODEC_EFAILED
        out.size, out.type = decoded * 2 * self.channels, FRAME_AUDIO
        return PJ_SUCCESS
