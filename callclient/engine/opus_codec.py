"""Opus in pjsua2's calls: a pjmedia codec factory registered through ctypes.

The pjsua2 wheel is built without Opus, and its Python API cannot add a codec. Its library still exports
pjmedia's C API, and pjmedia's stream already knows Opus by name (the 48 kHz RTP clock, the clock rate
negotiated from maxplaybackrate/sprop-maxcapturerate, RFC 4733 durations), so a factory registered with
`pjmedia_codec_mgr_register_factory` is all Opus needs: pjmedia keeps RTP, SRTP, the tuned jitter
buffer, DTMF, hold and the SDP offer/answer; this module only encodes, decodes, splits packets into
frames and conceals losses, calling libopus directly on pjmedia's own buffers (nothing copied into
Python). It follows pjmedia's own opus.c (not built into the wheel): decoding runs one frame behind so
that a lost frame can be rebuilt from the in-band FEC of the packet after it, and Opus's own PLC covers
what FEC cannot.

The structures mirror pjmedia 2.15.1's headers (codec.h, frame.h) for 64-bit builds; pyproject pins
pjsua2-python to that release, and `OpusFactory.register` reads G.722's default parameters back through
the same structures and refuses to register if they do not read as G.722 (a changed layout would
otherwise corrupt memory). The callbacks run on pjmedia's threads (clock and RTP receive), each under the
codec's lock since ctypes releases the GIL inside every libopus call; an exception never crosses into C.
"""

from __future__ import annotations

import ctypes
import importlib
import logging
import threading
from dataclasses import dataclass

import opuslib.api
from opuslib import constants as opus

log = logging.getLogger(__name__)

CODEC_ID = "opus/48000/2"  # pjsua's name for it: encoding name / RTP clock rate / channels (RFC 7587)

_PJ_SUCCESS = 0
_PJ_EINVAL = 70004
_PJMEDIA_CODEC_EUNSUP = 220080
_PJMEDIA_CODEC_EFAILED = 220081
_PJMEDIA_CODEC_EFRMTOOSHORT = 220082
_PJMEDIA_TYPE_AUDIO = 1
_FRAME_NONE = 0
_FRAME_AUDIO = 1
_PT_OPUS = 119  # PJMEDIA_RTP_PT_OPUS; pjmedia renumbers dynamic types in the SDP it writes
_MAX_FMTP = 16  # PJMEDIA_CODEC_MAX_FMTP_CNT
_MAX_PACKET_BYTES = 1275  # the largest Opus frame (RFC 6716 3.2.1)
_PTIME_MS = 20
_PTIME_CHANGED = 0x10000  # pjmedia_frame.bit_info flag from parse: the peer's packet duration changed
_CLOCK_RATES_HZ = (8000, 12000, 16000, 24000, 48000)


@dataclass(frozen=True)
class OpusSettings:
    """What CallClient's Opus offers and sends. The defaults are bench/opus_path.py's choice: wideband
    (the bridge's 16 kHz), 28 kbit/s, 20 ms packets, in-band FEC sized for 3 % loss — above G.722 on a
    clean line and far above it under loss (docs/benchmarks.md)."""

    clock_rate_hz: int = 16000
    bitrate_bps: int = 28000
    expected_loss_percent: int = 3
    complexity: int = 5  # libopus's cost/quality middle; 10 costs ~2x the CPU for little speech gain


class _PjStr(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_void_p), ("slen", ctypes.c_ssize_t)]


class _FmtpParam(ctypes.Structure):
    _fields_ = [("name", _PjStr), ("val", _PjStr)]


class _Fmtp(ctypes.Structure):
    _fields_ = [("cnt", ctypes.c_uint8), ("param", _FmtpParam * _MAX_FMTP)]


class _CodecInfo(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("pt", ctypes.c_uint), ("encoding_name", _PjStr),
                ("clock_rate", ctypes.c_uint), ("channel_cnt", ctypes.c_uint)]


class _ParamInfo(ctypes.Structure):
    _fields_ = [("clock_rate", ctypes.c_uint), ("channel_cnt", ctypes.c_uint), ("avg_bps", ctypes.c_uint32),
                ("max_bps", ctypes.c_uint32), ("max_rx_frame_size", ctypes.c_uint),
                ("frm_ptime", ctypes.c_uint16), ("frm_ptime_denum", ctypes.c_uint8),
                ("enc_ptime", ctypes.c_uint16), ("enc_ptime_denum", ctypes.c_uint8),
                ("pcm_bits_per_sample", ctypes.c_uint8), ("pt", ctypes.c_uint8), ("fmt_id", ctypes.c_uint)]


class _ParamSetting(ctypes.Structure):
    # frm_per_pkt, then the bit fields vad:1 cng:1 penh:1 plc:1 reserved:1, which GCC packs into the
    # same 32-bit unit from bit 8: the byte after frm_per_pkt. Spelled as that byte, not as ctypes bit
    # fields, whose placement after a smaller member differs between Python versions.
    _fields_ = [("frm_per_pkt", ctypes.c_uint8), ("flags", ctypes.c_uint8), ("_pad", ctypes.c_uint16),
                ("enc_fmtp", _Fmtp), ("dec_fmtp", _Fmtp), ("packet_loss", ctypes.c_uint),
                ("complexity", ctypes.c_uint), ("cbr", ctypes.c_int)]


_VAD, _PLC = 0x01, 0x08


class _CodecParam(ctypes.Structure):
    _fields_ = [("info", _ParamInfo), ("setting", _ParamSetting)]


class _Frame(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("buf", ctypes.c_void_p), ("size", ctypes.c_size_t),
                ("timestamp", ctypes.c_uint64), ("bit_info", ctypes.c_uint32)]


_S = ctypes.c_int  # pj_status_t
_P = ctypes.c_void_p
_init = ctypes.CFUNCTYPE(_S, _P, _P)
_open = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(_CodecParam))
_close = ctypes.CFUNCTYPE(_S, _P)
_modify = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(_CodecParam))
_parse = ctypes.CFUNCTYPE(_S, _P, _P, ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint64),
                          ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(_Frame))
_encode = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(_Frame), ctypes.c_uint, ctypes.POINTER(_Frame))
_recover = ctypes.CFUNCTYPE(_S, _P, ctypes.c_uint, ctypes.POINTER(_Frame))
_test_alloc = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(_CodecInfo))
_default_attr = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(_CodecInfo), ctypes.POINTER(_CodecParam))
_enum_info = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(_CodecInfo))
_alloc_codec = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(_CodecInfo), ctypes.POINTER(_P))
_dealloc_codec = ctypes.CFUNCTYPE(_S, _P, _P)
_destroy = ctypes.CFUNCTYPE(_S)


class _CodecOp(ctypes.Structure):
    _fields_ = [("init", _init), ("open", _open), ("close", _close), ("modify", _modify), ("parse", _parse),
                ("encode", _encode), ("decode", _encode), ("recover", _recover)]


class _FactoryOp(ctypes.Structure):
    _fields_ = [("test_alloc", _test_alloc), ("default_attr", _default_attr), ("enum_info", _enum_info),
                ("alloc_codec", _alloc_codec), ("dealloc_codec", _dealloc_codec), ("destroy", _destroy)]


class _PjmediaCodec(ctypes.Structure):
    _fields_ = [("prev", _P), ("next", _P), ("codec_data", _P), ("factory", _P), ("op", ctypes.POINTER(_CodecOp))]


class _PjmediaFactory(ctypes.Structure):
    _fields_ = [("prev", _P), ("next", _P), ("factory_data", _P), ("op", ctypes.POINTER(_FactoryOp))]


def _pjmedia() -> ctypes.CDLL:
    lib = ctypes.CDLL(importlib.import_module("pjsua2._pjsua2").__file__)
    lib.pjsua_get_pjmedia_endpt.restype = _P
    lib.pjmedia_endpt_get_codec_mgr.argtypes = [_P]
    lib.pjmedia_endpt_get_codec_mgr.restype = _P
    lib.pjmedia_codec_mgr_register_factory.argtypes = [_P, _P]
    lib.pjmedia_codec_mgr_unregister_factory.argtypes = [_P, _P]
    lib.pjmedia_codec_mgr_find_codecs_by_id.argtypes = [_P, ctypes.POINTER(_PjStr), ctypes.POINTER(ctypes.c_uint),
                                                        ctypes.POINTER(ctypes.POINTER(_CodecInfo)), _P]
    lib.pjmedia_codec_mgr_get_default_param.argtypes = [_P, ctypes.POINTER(_CodecInfo), ctypes.POINTER(_CodecParam)]
    lib.pjmedia_stream_modify_codec_param.argtypes = [_P, ctypes.POINTER(_CodecParam)]
    return lib


def _libopus() -> ctypes.CDLL:
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


def _bandwidth(clock_rate_hz: int) -> int:
    for limit, band in ((8000, opus.BANDWIDTH_NARROWBAND), (12000, opus.BANDWIDTH_MEDIUMBAND),
                        (16000, opus.BANDWIDTH_WIDEBAND), (24000, opus.BANDWIDTH_SUPERWIDEBAND)):
        if clock_rate_hz <= limit:
            return band
    return opus.BANDWIDTH_FULLBAND


def _fmtp_value(fmtp: _Fmtp, name: bytes) -> int | None:
    for i in range(min(fmtp.cnt, _MAX_FMTP)):
        entry = fmtp.param[i]
        if ctypes.string_at(entry.name.ptr, entry.name.slen).lower() == name:
            text = ctypes.string_at(entry.val.ptr, entry.val.slen)
            return int(text) if text.strip().isdigit() else None
    return None


class _Fmtps:
    """The a=fmtp parameters we offer for receiving (pjmedia writes them into the SDP from the default
    parameters); pjmedia keeps pointers to them, so they live as long as the factory."""

    def __init__(self, settings: OpusSettings) -> None:
        rate = str(settings.clock_rate_hz).encode()
        # sprop-stereo=0: without it pjmedia takes the rtpmap's 2 channels as ours and opens a stereo
        # stream when the peer asks for stereo; the bridge is mono.
        self._strings = [ctypes.create_string_buffer(text) for pair in (
            (b"maxplaybackrate", rate), (b"sprop-maxcapturerate", rate),
            (b"sprop-stereo", b"0"), (b"useinbandfec", b"1"),
        ) for text in pair]

    def fill(self, fmtp: _Fmtp) -> None:
        fmtp.cnt = len(self._strings) // 2
        for i in range(fmtp.cnt):
            name, value = self._strings[2 * i], self._strings[2 * i + 1]
            fmtp.param[i].name = _PjStr(ctypes.addressof(name), len(name.value))
            fmtp.param[i].val = _PjStr(ctypes.addressof(value), len(value.value))


class _Codec:
    """One call's Opus encoder and decoder, with every buffer allocated when pjmedia allocates the codec."""

    def __init__(self, lib: ctypes.CDLL, settings: OpusSettings) -> None:
        self.struct = _PjmediaCodec()
        self.lock = threading.Lock()
        self.settings = settings
        self._lib = lib
        self.encoder = ctypes.create_string_buffer(lib.opus_encoder_get_size(2))
        self.decoder = ctypes.create_string_buffer(lib.opus_decoder_get_size(2))
        self.enc_packer = ctypes.create_string_buffer(lib.opus_repacketizer_get_size())
        self.dec_packer = ctypes.create_string_buffer(lib.opus_repacketizer_get_size())
        self.enc_scratch = ctypes.create_string_buffer(_MAX_PACKET_BYTES * 6)  # up to 120 ms of frames
        self.rx_frames = ctypes.create_string_buffer((_MAX_PACKET_BYTES + 2) * 48)  # a packet split per frame
        self.rx_copy = ctypes.create_string_buffer(_MAX_PACKET_BYTES * 48)
        # The packet being held back one frame, so a loss before it can be rebuilt from its FEC.
        self.held = [ctypes.create_string_buffer(_MAX_PACKET_BYTES * 6) for _ in range(2)]
        self.held_type = [_FRAME_NONE, _FRAME_NONE]
        self.held_size = [0, 0]
        self.held_timestamp = [0, 0]
        self.held_index = -1
        self.sample_rate_hz = settings.clock_rate_hz
        self.channels = 1
        self.enc_ptime, self.enc_ptime_denum = _PTIME_MS, 1
        self.dec_ptime, self.dec_ptime_denum = _PTIME_MS, 1
        self.expected_loss_percent = settings.expected_loss_percent
        self.fec_recovered = 0
        self.concealed = 0

    def open(self, attr: _CodecParam) -> int:
        lib, info = self._lib, attr.info
        self.sample_rate_hz, self.channels = int(info.clock_rate), max(1, int(info.channel_cnt))
        self.enc_ptime = self.dec_ptime = int(info.frm_ptime) or _PTIME_MS
        self.enc_ptime_denum = self.dec_ptime_denum = int(info.frm_ptime_denum) or 1
        enc_fmtp = attr.setting.enc_fmtp
        bitrate = self.settings.bitrate_bps
        peer_limit = _fmtp_value(enc_fmtp, b"maxaveragebitrate")
        if peer_limit:
            bitrate = max(6000, min(bitrate, peer_limit))
        fec = bool(_fmtp_value(enc_fmtp, b"useinbandfec"))
        cbr = bool(_fmtp_value(enc_fmtp, b"cbr"))
        if lib.opus_encoder_init(self.encoder, self.sample_rate_hz, self.channels, opus.APPLICATION_VOIP) != 0:
            return _PJMEDIA_CODEC_EFAILED
        if lib.opus_decoder_init(self.decoder, self.sample_rate_hz, self.channels) != 0:
            return _PJMEDIA_CODEC_EFAILED
        for request, value in (
            (opus.SET_SIGNAL_REQUEST, opus.SIGNAL_VOICE),
            (opus.SET_BITRATE_REQUEST, bitrate),
            (opus.SET_DTX_REQUEST, 0),
            (opus.SET_INBAND_FEC_REQUEST, int(fec)),
            (opus.SET_MAX_BANDWIDTH_REQUEST, _bandwidth(self.sample_rate_hz)),
            (opus.SET_PACKET_LOSS_PERC_REQUEST, self.expected_loss_percent),
            (opus.SET_COMPLEXITY_REQUEST, self.settings.complexity),
            (opus.SET_VBR_REQUEST, 0 if cbr else 1),
        ):
            lib.opus_encoder_ctl(self.encoder, request, value)
        self.held_index = -1
        self.held_type = [_FRAME_NONE, _FRAME_NONE]
        log.info("Opus call media: %d Hz, %d channel(s), %d bit/s, FEC %s (expecting %d %% loss), %d ms packets",
                 self.sample_rate_hz, self.channels, bitrate, "on" if fec else "off (the peer did not ask)",
                 self.expected_loss_percent, self.enc_ptime // self.enc_ptime_denum)
        return _PJ_SUCCESS

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
            return _PJMEDIA_CODEC_EFRMTOOSHORT, 0
        toc_code = ctypes.c_uint8.from_address(packet).value & 0x3
        if toc_code == 0:  # one frame: the packet itself
            if size > _MAX_PACKET_BYTES + 1:
                return _PJMEDIA_CODEC_EFRMTOOSHORT, 0  # no Opus frame is that long: not Opus
            spans = [(packet, size)]
        else:
            ctypes.memmove(self.rx_copy, packet, size)
            lib.opus_repacketizer_init(self.dec_packer)
            if lib.opus_repacketizer_cat(self.dec_packer, self.rx_copy, size) != 0:
                return _PJMEDIA_CODEC_EFAILED, 0
            count = min(lib.opus_repacketizer_get_nb_frames(self.dec_packer), capacity)
            spans, offset, base = [], 0, ctypes.addressof(self.rx_frames)
            for i in range(count):
                n = lib.opus_repacketizer_out_range(self.dec_packer, i, i + 1, base + offset,
                                                    len(self.rx_frames) - offset)
                if n <= 0:
                    return _PJMEDIA_CODEC_EFAILED, 0
                spans.append((base + offset, n))
                offset += n
        if not spans:
            return _PJMEDIA_CODEC_EFAILED, 0
        samples = lib.opus_packet_get_nb_samples(spans[0][0], spans[0][1], self.sample_rate_hz)
        if samples <= 0:
            return _PJMEDIA_CODEC_EFAILED, 0
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
            flag = _PTIME_CHANGED | samples
        for i, (address, length) in enumerate(spans):
            frame = frames[i]
            frame.type, frame.buf, frame.size = _FRAME_AUDIO, address, length
            frame.bit_info = flag if i == 0 else 0
            frame.timestamp = timestamp + i * step
        return _PJ_SUCCESS, len(spans)

    def encode(self, source: _Frame, capacity: int, out: _Frame) -> int:
        lib = self._lib
        samples = self._frame_samples(self.enc_ptime, self.enc_ptime_denum)
        frame_bytes = samples * self.channels * 2
        lib.opus_repacketizer_init(self.enc_packer)
        scratch, written, offset, frames = ctypes.addressof(self.enc_scratch), 0, 0, 0
        while source.size - offset >= frame_bytes and frames < 6:
            n = lib.opus_encode(self.encoder, source.buf + offset, samples, scratch + written,
                                min(len(self.enc_scratch) - written, _MAX_PACKET_BYTES))
            if n < 0:
                return _PJMEDIA_CODEC_EFAILED
            if n > 0:
                lib.opus_repacketizer_cat(self.enc_packer, scratch + written, n)
                written += n
                frames += 1
            offset += frame_bytes
        out.timestamp = source.timestamp
        if frames == 0:
            out.size, out.type = 0, _FRAME_NONE
            return _PJ_SUCCESS
        n = lib.opus_repacketizer_out(self.enc_packer, out.buf, capacity)
        if n < 0:
            return _PJMEDIA_CODEC_EFAILED
        out.size, out.type = n, _FRAME_AUDIO
        return _PJ_SUCCESS

    def _hold(self, index: int, source: _Frame) -> None:
        size = min(int(source.size), len(self.held[index]))
        self.held_type[index], self.held_size[index] = source.type, size
        self.held_timestamp[index] = source.timestamp
        if size:
            ctypes.memmove(self.held[index], source.buf, size)

    def _lost_frame_samples(self, out: _Frame) -> int:
        return min(int(out.size) // (2 * self.channels), self._frame_samples(self.dec_ptime, self.dec_ptime_denum))

    def _decode(self, held: int | None, out: _Frame, samples: int, fec: int) -> int:
        """Decodes the held packet `held` (None: conceal). A packet libopus refuses (what arrived was not
        Opus) is concealed instead, so the listener hears PLC rather than a gap and the decoder goes on."""
        lib = self._lib
        if held is not None:
            decoded = lib.opus_decode(self.decoder, self.held[held], self.held_size[held], out.buf, samples, fec)
            if decoded >= 0:
                return decoded
            log.debug("libopus refused a packet (%d): concealed", decoded)
            samples = self._lost_frame_samples(out)
        self.concealed += 1
        return lib.opus_decode(self.decoder, None, 0, out.buf, samples, 0)

    def decode(self, source: _Frame, out: _Frame) -> int:
        if self.held_index == -1:  # the first packet: held back, nothing to play yet
            self._hold(0, source)
            self.held_index = 0
            out.size, out.type, out.timestamp = 0, _FRAME_NONE, source.timestamp
            return _PJ_SUCCESS
        index, fec = self.held_index, 0
        if self.held_type[index] != _FRAME_AUDIO:
            # The frame due now was lost: rebuild it from this packet's in-band FEC.
            index = self.held_index = 1 - index
            self._hold(index, source)
            fec = 1
        samples = int(out.size) // (2 * self.channels)
        present = self.held_type[index] == _FRAME_AUDIO
        if not present or fec:
            samples = self._lost_frame_samples(out)
        decoded = self._decode(index if present else None, out, samples, fec)
        out.timestamp = self.held_timestamp[index]
        if fec:
            self.fec_recovered += 1
        if present:
            self.held_type[index] = _FRAME_NONE
            self.held_index = 1 - index
            self._hold(self.held_index, source)
        if decoded < 0:
            return _PJMEDIA_CODEC_EFAILED
        out.size, out.type = decoded * 2 * self.channels, _FRAME_AUDIO
        return _PJ_SUCCESS

    def recover(self, out: _Frame) -> int:
        if self.held_index == -1:  # nothing decoded yet: silence
            samples = self._frame_samples(self.dec_ptime, self.dec_ptime_denum)
            ctypes.memset(out.buf, 0, samples * 2 * self.channels)
            out.size, out.type = samples * 2 * self.channels, _FRAME_AUDIO
            return _PJ_SUCCESS
        index = self.held_index
        present = self.held_type[index] == _FRAME_AUDIO
        samples = int(out.size) // (2 * self.channels) if present else self._lost_frame_samples(out)
        decoded = self._decode(index if present else None, out, samples, 0)
        self.held_type[index] = _FRAME_NONE
        self.held_index = 1 - index
        self.held_type[self.held_index] = _FRAME_NONE
        out.timestamp = self.held_timestamp[index]
        if decoded < 0:
            return _PJMEDIA_CODEC_EFAILED
        out.size, out.type = decoded * 2 * self.channels, _FRAME_AUDIO
        return _PJ_SUCCESS


class OpusFactory:
    """Registered on the engine thread after libInit; kept until after libDestroy, which calls its
    `destroy` (pjmedia holds pointers to its structures and callbacks until then)."""

    def __init__(self, settings: OpusSettings = OpusSettings()) -> None:
        self.settings = settings
        self._pj = _pjmedia()
        self._opus = _libopus()
        self._fmtps = _Fmtps(settings)
        self._encoding_name = ctypes.create_string_buffer(b"opus")
        self._codecs: dict[int, _Codec] = {}  # by the address of the pjmedia_codec pjmedia holds
        self._codecs_lock = threading.Lock()
        self._codec_op = _CodecOp(
            _init(self._guarded(lambda codec, pool: _PJ_SUCCESS)),
            _open(self._per_codec(lambda c, attr: c.open(attr.contents))),
            _close(self._per_codec(lambda c: _PJ_SUCCESS)),
            _modify(self._per_codec(self._modify)),
            _parse(self._per_codec(self._parse)),
            _encode(self._per_codec(lambda c, src, cap, out: c.encode(src.contents, cap, out.contents))),
            _encode(self._per_codec(lambda c, src, cap, out: c.decode(src.contents, out.contents))),
            _recover(self._per_codec(lambda c, cap, out: c.recover(out.contents))),
        )
        self._factory_op = _FactoryOp(
            _test_alloc(self._guarded(self._test_alloc)),
            _default_attr(self._guarded(self._default_attr)),
            _enum_info(self._guarded(self._enum_info)),
            _alloc_codec(self._guarded(self._alloc_codec)),
            _dealloc_codec(self._guarded(self._dealloc_codec)),
            _destroy(self._guarded(lambda: _PJ_SUCCESS)),
        )
        self._factory = _PjmediaFactory()
        self._factory.op = ctypes.pointer(self._factory_op)
        self._manager: int | None = None

    def register(self) -> None:
        """Adds Opus to pjmedia's codecs (priority normal: `set_codec_priorities` then orders it).
        Raises OSError when this pjsua2 does not read as the build the structures describe."""
        endpoint = self._pj.pjsua_get_pjmedia_endpt()
        manager = self._pj.pjmedia_endpt_get_codec_mgr(endpoint) if endpoint else None
        if not manager:
            raise OSError("pjmedia has no codec manager (call after libInit)")
        self._check_layout(manager)
        status = self._pj.pjmedia_codec_mgr_register_factory(manager, ctypes.byref(self._factory))
        if status != _PJ_SUCCESS:
            raise OSError(f"pjmedia refused the Opus codec factory (status {status})")
        self._manager = manager

    def _check_layout(self, manager: int) -> None:
        # G.722's defaults are fixed by the standard and pjmedia (16 kHz, 64 kbit/s, PT 9, 10 ms frames two
        # to a packet, PLC on): read through our structures, they prove the layout before pjmedia writes
        # into ours.
        name = _PjStr(ctypes.cast(ctypes.c_char_p(b"G722"), _P), 4)
        count = ctypes.c_uint(1)
        found = (ctypes.POINTER(_CodecInfo) * 1)()
        if self._pj.pjmedia_codec_mgr_find_codecs_by_id(manager, ctypes.byref(name), ctypes.byref(count),
                                                        found, None) != _PJ_SUCCESS or count.value != 1:
            raise OSError("pjmedia has no G.722 to check its structures against")
        info = found[0].contents
        param = _CodecParam()
        self._pj.pjmedia_codec_mgr_get_default_param(manager, found[0], ctypes.byref(param))
        seen = (info.clock_rate, info.channel_cnt, info.pt, param.info.clock_rate, param.info.avg_bps,
                param.info.frm_ptime, param.info.pt, param.info.pcm_bits_per_sample, param.setting.frm_per_pkt,
                bool(param.setting.flags & _PLC))
        if seen != (16000, 1, 9, 16000, 64000, 10, 9, 16, 2, True):
            raise OSError(f"pjmedia's codec structures do not match pjmedia 2.15.1's (G.722 read as {seen})")

    def codec_count(self) -> int:
        with self._codecs_lock:
            return len(self._codecs)

    def follow_loss(self, stream: int, loss_percent: float) -> None:
        """Sizes a call's in-band FEC for the loss its far end reports (RTCP), through pjmedia's own
        codec-modify route; engine thread. `stream` is the call's pjmedia_stream."""
        param = _CodecParam()
        param.setting.packet_loss = max(0, min(30, round(loss_percent)))
        self._pj.pjmedia_stream_modify_codec_param(stream, ctypes.byref(param))

    # --- factory callbacks (pjmedia's threads); an exception never crosses into C ---

    def _guarded(self, function):
        def call(*args):
            try:
                return function(*args)
            except Exception:
                log.exception("the Opus codec failed in a pjmedia callback")
                return _PJMEDIA_CODEC_EFAILED
        return call

    def _per_codec(self, method):
        def call(codec, *args):
            with self._codecs_lock:
                state = self._codecs.get(codec)
            if state is None:
                return _PJ_EINVAL
            with state.lock:
                return method(state, *args)
        return self._guarded(call)

    def _test_alloc(self, factory, info) -> int:
        i = info.contents
        name = ctypes.string_at(i.encoding_name.ptr, i.encoding_name.slen).lower()
        if i.type != _PJMEDIA_TYPE_AUDIO or name != b"opus" or i.clock_rate not in _CLOCK_RATES_HZ:
            return _PJMEDIA_CODEC_EUNSUP
        return _PJ_SUCCESS

    def _default_attr(self, factory, info, attr) -> int:
        ctypes.memset(attr, 0, ctypes.sizeof(_CodecParam))
        a, s = attr.contents.info, attr.contents.setting
        a.pt = info.contents.pt & 0xFF
        a.clock_rate, a.channel_cnt = self.settings.clock_rate_hz, 1
        a.avg_bps, a.max_bps = self.settings.bitrate_bps, self.settings.clock_rate_hz * 2
        a.frm_ptime, a.frm_ptime_denum, a.pcm_bits_per_sample = _PTIME_MS, 1, 16
        a.max_rx_frame_size = _MAX_PACKET_BYTES  # any packet size the peer may switch to
        s.frm_per_pkt, s.flags = 1, _PLC
        s.packet_loss, s.complexity = self.settings.expected_loss_percent, self.settings.complexity
        self._fmtps.fill(s.dec_fmtp)
        return _PJ_SUCCESS

    def _enum_info(self, factory, count, codecs) -> int:
        if count.contents.value > 0:
            ctypes.memset(codecs, 0, ctypes.sizeof(_CodecInfo))
            first = codecs[0]
            first.type, first.pt = _PJMEDIA_TYPE_AUDIO, _PT_OPUS
            first.encoding_name = _PjStr(ctypes.addressof(self._encoding_name), 4)
            first.clock_rate, first.channel_cnt = 48000, 2  # what the rtpmap must say (RFC 7587 7)
            count.contents.value = 1
        return _PJ_SUCCESS

    def _alloc_codec(self, factory, info, p_codec) -> int:
        state = _Codec(self._opus, self.settings)
        state.struct.op = ctypes.pointer(self._codec_op)
        state.struct.factory = ctypes.addressof(self._factory)
        address = ctypes.addressof(state.struct)
        with self._codecs_lock:
            self._codecs[address] = state
        p_codec[0] = address
        return _PJ_SUCCESS

    def _dealloc_codec(self, factory, codec) -> int:
        with self._codecs_lock:
            self._codecs.pop(codec, None)
        return _PJ_SUCCESS

    # --- codec callbacks, under the codec's lock ---

    @staticmethod
    def _modify(codec: _Codec, attr) -> int:
        codec.set_expected_loss(int(attr.contents.setting.packet_loss))
        return _PJ_SUCCESS

    @staticmethod
    def _parse(codec: _Codec, packet, size, timestamp, frame_cnt, frames) -> int:
        status, count = codec.parse(packet, size, timestamp.contents.value, frame_cnt.contents.value, frames)
        if status == _PJ_SUCCESS:
            frame_cnt.contents.value = count
        return status
