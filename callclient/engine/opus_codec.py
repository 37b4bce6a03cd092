"""Opus in pjsua2's calls: a pjmedia codec factory registered through ctypes.

The pjsua2 wheel is built without Opus, and its Python API cannot add a codec. Its library still exports
pjmedia's C API, and pjmedia's stream already knows Opus by name (the 48 kHz RTP clock, the clock rate
negotiated from maxplaybackrate/sprop-maxcapturerate, RFC 4733 durations), so a factory registered with
`pjmedia_codec_mgr_register_factory` is all Opus needs: pjmedia keeps RTP, SRTP, the tuned jitter
buffer, DTMF, hold and the SDP offer/answer; Opus itself is callclient/engine/opus_frames.py. This
module is the factory: what pjsua offers in the SDP (fmtp), a codec per call, and the callbacks'
guard (an exception never crosses into C).

The structures (callclient/engine/pjmedia_abi.py) mirror pjmedia 2.15.1's headers; pyproject pins
pjsua2-python to that release, and `OpusFactory.register` reads G.722's default parameters back through
the same structures and refuses to register if they do not read as G.722 (a changed layout would
otherwise corrupt memory). The callbacks run on pjmedia's threads (clock and RTP receive), each under the
codec's lock since ctypes releases the GIL inside every libopus call.
"""

from __future__ import annotations

import ctypes
import logging
import threading

from callclient.engine.opus_frames import MAX_PACKET_BYTES, PTIME_MS, OpusCodec, OpusSettings, libopus
from callclient.engine.pjmedia_abi import (
    PJ_EINVAL,
    PJ_SUCCESS,
    PJMEDIA_CODEC_EFAILED,
    PJMEDIA_CODEC_EUNSUP,
    PJMEDIA_TYPE_AUDIO,
    PLC,
    AllocCodecFn,
    CodecInfo,
    CodecOp,
    CodecParam,
    CodingFn,
    CloseFn,
    DeallocCodecFn,
    DefaultAttrFn,
    DestroyFn,
    EnumInfoFn,
    FactoryOp,
    Fmtp,
    InitFn,
    ModifyFn,
    OpenFn,
    ParseFn,
    PjmediaFactory,
    PjStr,
    RecoverFn,
    TestAllocFn,
    pjmedia_library,
)

log = logging.getLogger(__name__)

CODEC_ID = "opus/48000/2"  # pjsua's name for it: encoding name / RTP clock rate / channels (RFC 7587)

_PT_OPUS = 119  # PJMEDIA_RTP_PT_OPUS; pjmedia renumbers dynamic types in the SDP it writes
_CLOCK_RATES_HZ = (8000, 12000, 16000, 24000, 48000)


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

    def fill(self, fmtp: Fmtp) -> None:
        fmtp.cnt = len(self._strings) // 2
        for i in range(fmtp.cnt):
            name, value = self._strings[2 * i], self._strings[2 * i + 1]
            fmtp.param[i].name = PjStr(ctypes.addressof(name), len(name.value))
            fmtp.param[i].val = PjStr(ctypes.addressof(value), len(value.value))


class OpusFactory:
    """Registered on the engine thread after libInit; kept until after libDestroy, which calls its
    `destroy` (pjmedia holds pointers to its structures and callbacks until then)."""

    def __init__(self, settings: OpusSettings = OpusSettings()) -> None:
        self.settings = settings
        self._pj = pjmedia_library()
        self._opus = libopus()
        self._fmtps = _Fmtps(settings)
        self._encoding_name = ctypes.create_string_buffer(b"opus")
        self._codecs: dict[int, OpusCodec] = {}  # by the address of the pjmedia_codec pjmedia holds
        self._codecs_lock = threading.Lock()
        self._codec_op = CodecOp(
            InitFn(self._guarded(lambda codec, pool: PJ_SUCCESS)),
            OpenFn(self._per_codec(lambda c, attr: c.open(attr.contents))),
            CloseFn(self._per_codec(lambda c: PJ_SUCCESS)),
            ModifyFn(self._per_codec(self._modify)),
            ParseFn(self._per_codec(self._parse)),
            CodingFn(self._per_codec(lambda c, src, cap, out: c.encode(src.contents, cap, out.contents))),
            CodingFn(self._per_codec(lambda c, src, cap, out: c.decode(src.contents, out.contents))),
            RecoverFn(self._per_codec(lambda c, cap, out: c.recover(out.contents))),
        )
        self._factory_op = FactoryOp(
            TestAllocFn(self._guarded(self._test_alloc)),
            DefaultAttrFn(self._guarded(self._default_attr)),
            EnumInfoFn(self._guarded(self._enum_info)),
            AllocCodecFn(self._guarded(self._alloc_codec)),
            DeallocCodecFn(self._guarded(self._dealloc_codec)),
            DestroyFn(self._guarded(lambda: PJ_SUCCESS)),
        )
        self._factory = PjmediaFactory()
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
        if status != PJ_SUCCESS:
            raise OSError(f"pjmedia refused the Opus codec factory (status {status})")
        self._manager = manager

    def _check_layout(self, manager: int) -> None:
        # G.722's defaults are fixed by the standard and pjmedia (16 kHz, 64 kbit/s, PT 9, 10 ms frames two
        # to a packet, PLC on): read through our structures, they prove the layout before pjmedia writes
        # into ours.
        name = PjStr(ctypes.cast(ctypes.c_char_p(b"G722"), ctypes.c_void_p), 4)
        count = ctypes.c_uint(1)
        found = (ctypes.POINTER(CodecInfo) * 1)()
        if self._pj.pjmedia_codec_mgr_find_codecs_by_id(manager, ctypes.byref(name), ctypes.byref(count),
                                                        found, None) != PJ_SUCCESS or count.value != 1:
            raise OSError("pjmedia has no G.722 to check its structures against")
        info = found[0].contents
        param = CodecParam()
        self._pj.pjmedia_codec_mgr_get_default_param(manager, found[0], ctypes.byref(param))
        seen = (info.clock_rate, info.channel_cnt, info.pt, param.info.clock_rate, param.info.avg_bps,
                param.info.frm_ptime, param.info.pt, param.info.pcm_bits_per_sample, param.setting.frm_per_pkt,
                bool(param.setting.flags & PLC))
        if seen != (16000, 1, 9, 16000, 64000, 10, 9, 16, 2, True):
            raise OSError(f"pjmedia's codec structures do not match pjmedia 2.15.1's (G.722 read as {seen})")

    def codec_count(self) -> int:
        with self._codecs_lock:
            return len(self._codecs)

    def follow_loss(self, stream: int, loss_percent: float) -> None:
        """Sizes a call's in-band FEC for the loss its far end reports (RTCP), through pjmedia's own
        codec-modify route; engine thread. `stream` is the call's pjmedia_stream."""
        param = CodecParam()
        param.setting.packet_loss = max(0, min(30, round(loss_percent)))
        self._pj.pjmedia_stream_modify_codec_param(stream, ctypes.byref(param))

    # --- factory callbacks (pjmedia's threads); an exception never crosses into C ---

    def _guarded(self, function):
        def call(*args):
            try:
                return function(*args)
            except Exception:
                log.exception("the Opus codec failed in a pjmedia callback")
                return PJMEDIA_CODEC_EFAILED
        return call

    def _per_codec(self, method):
        def call(codec, *args):
            with self._codecs_lock:
                state = self._codecs.get(codec)
            if state is None:
                return PJ_EINVAL
            with state.lock:
                return method(state, *args)
        return self._guarded(call)

    def _test_alloc(self, factory, info) -> int:
        i = info.contents
        name = ctypes.string_at(i.encoding_name.ptr, i.encoding_name.slen).lower()
        if i.type != PJMEDIA_TYPE_AUDIO or name != b"opus" or i.clock_rate not in _CLOCK_RATES_HZ:
            return PJMEDIA_CODEC_EUNSUP
        return PJ_SUCCESS

    def _default_attr(self, factory, info, attr) -> int:
        ctypes.memset(attr, 0, ctypes.sizeof(CodecParam))
        a, s = attr.contents.info, attr.contents.setting
        a.pt = info.contents.pt & 0xFF
        a.clock_rate, a.channel_cnt = self.settings.clock_rate_hz, 1
        a.avg_bps, a.max_bps = self.settings.bitrate_bps, self.settings.clock_rate_hz * 2
        a.frm_ptime, a.frm_ptime_denum, a.pcm_bits_per_sample = PTIME_MS, 1, 16
        a.max_rx_frame_size = MAX_PACKET_BYTES  # any packet size the peer may switch to
        s.frm_per_pkt, s.flags = 1, PLC
        s.packet_loss, s.complexity = self.settings.expected_loss_percent, self.settings.complexity
        self._fmtps.fill(s.dec_fmtp)
        return PJ_SUCCESS

    def _enum_info(self, factory, count, codecs) -> int:
        if count.contents.value > 0:
            ctypes.memset(codecs, 0, ctypes.sizeof(CodecInfo))
            first = codecs[0]
            first.type, first.pt = PJMEDIA_TYPE_AUDIO, _PT_OPUS
            first.encoding_name = PjStr(ctypes.addressof(self._encoding_name), 4)
            first.clock_rate, first.channel_cnt = 48000, 2  # what the rtpmap must say (RFC 7587 7)
            count.contents.value = 1
        return PJ_SUCCESS

    def _alloc_codec(self, factory, info, p_codec) -> int:
        state = OpusCodec(self._opus, self.settings)
        state.struct.op = ctypes.pointer(self._codec_op)
        state.struct.factory = ctypes.addressof(self._factory)
        address = ctypes.addressof(state.struct)
        with self._codecs_lock:
            self._codecs[address] = state
        p_codec[0] = address
        return PJ_SUCCESS

    def _dealloc_codec(self, factory, codec) -> int:
        with self._codecs_lock:
            self._codecs.pop(codec, None)
        return PJ_SUCCESS

    # --- codec callbacks, under the codec's lock ---

    @staticmethod
    def _modify(codec: OpusCodec, attr) -> int:
        codec.set_expected_loss(int(attr.contents.setting.packet_loss))
        return PJ_SUCCESS

    @staticmethod
    def _parse(codec: OpusCodec, packet, size, timestamp, frame_cnt, frames) -> int:
        status, count = codec.parse(packet, size, timestamp.contents.value, frame_cnt.contents.value, frames)
        if status == PJ_SUCCESS:
            frame_cnt.contents.value = count
        return status
