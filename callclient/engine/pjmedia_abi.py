"""pjmedia 2.15.1's codec interface as ctypes sees it: the structures a codec factory and its codecs
exchange with pjmedia (codec.h, frame.h; 64-bit builds), the callback prototypes, and the library.

pjsua2's Python API cannot add a codec, but its library exports pjmedia's C API. These mirror that
release's headers; `callclient/engine/opus_codec.py` proves them against the running library (G.722's
defaults read back through them) before pjmedia writes into any of ours.
"""

from __future__ import annotations

import ctypes
import importlib

PJ_SUCCESS = 0
PJ_EINVAL = 70004
PJMEDIA_CODEC_EUNSUP = 220080
PJMEDIA_CODEC_EFAILED = 220081
PJMEDIA_CODEC_EFRMTOOSHORT = 220082
PJMEDIA_TYPE_AUDIO = 1
FRAME_NONE = 0
FRAME_AUDIO = 1
MAX_FMTP = 16  # PJMEDIA_CODEC_MAX_FMTP_CNT


class PjStr(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_void_p), ("slen", ctypes.c_ssize_t)]


class FmtpParam(ctypes.Structure):
    _fields_ = [("name", PjStr), ("val", PjStr)]


class Fmtp(ctypes.Structure):
    _fields_ = [("cnt", ctypes.c_uint8), ("param", FmtpParam * MAX_FMTP)]


class CodecInfo(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("pt", ctypes.c_uint), ("encoding_name", PjStr),
                ("clock_rate", ctypes.c_uint), ("channel_cnt", ctypes.c_uint)]


class ParamInfo(ctypes.Structure):
    _fields_ = [("clock_rate", ctypes.c_uint), ("channel_cnt", ctypes.c_uint), ("avg_bps", ctypes.c_uint32),
                ("max_bps", ctypes.c_uint32), ("max_rx_frame_size", ctypes.c_uint),
                ("frm_ptime", ctypes.c_uint16), ("frm_ptime_denum", ctypes.c_uint8),
                ("enc_ptime", ctypes.c_uint16), ("enc_ptime_denum", ctypes.c_uint8),
                ("pcm_bits_per_sample", ctypes.c_uint8), ("pt", ctypes.c_uint8), ("fmt_id", ctypes.c_uint)]


class ParamSetting(ctypes.Structure):
    # frm_per_pkt, then the bit fields vad:1 cng:1 penh:1 plc:1 reserved:1, which GCC packs into the
    # same 32-bit unit from bit 8: the byte after frm_per_pkt. Spelled as that byte, not as ctypes bit
    # fields, whose placement after a smaller member differs between Python versions.
    _fields_ = [("frm_per_pkt", ctypes.c_uint8), ("flags", ctypes.c_uint8), ("_pad", ctypes.c_uint16),
                ("enc_fmtp", Fmtp), ("dec_fmtp", Fmtp), ("packet_loss", ctypes.c_uint),
                ("complexity", ctypes.c_uint), ("cbr", ctypes.c_int)]


VAD, PLC = 0x01, 0x08


class CodecParam(ctypes.Structure):
    _fields_ = [("info", ParamInfo), ("setting", ParamSetting)]


class Frame(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("buf", ctypes.c_void_p), ("size", ctypes.c_size_t),
                ("timestamp", ctypes.c_uint64), ("bit_info", ctypes.c_uint32)]


_S = ctypes.c_int  # pj_status_t
_P = ctypes.c_void_p
InitFn = ctypes.CFUNCTYPE(_S, _P, _P)
OpenFn = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(CodecParam))
CloseFn = ctypes.CFUNCTYPE(_S, _P)
ModifyFn = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(CodecParam))
ParseFn = ctypes.CFUNCTYPE(_S, _P, _P, ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint64),
                          ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(Frame))
CodingFn = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(Frame), ctypes.c_uint, ctypes.POINTER(Frame))
RecoverFn = ctypes.CFUNCTYPE(_S, _P, ctypes.c_uint, ctypes.POINTER(Frame))
TestAllocFn = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(CodecInfo))
DefaultAttrFn = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(CodecInfo), ctypes.POINTER(CodecParam))
EnumInfoFn = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(CodecInfo))
AllocCodecFn = ctypes.CFUNCTYPE(_S, _P, ctypes.POINTER(CodecInfo), ctypes.POINTER(_P))
DeallocCodecFn = ctypes.CFUNCTYPE(_S, _P, _P)
DestroyFn = ctypes.CFUNCTYPE(_S)


class CodecOp(ctypes.Structure):
    _fields_ = [("init", InitFn), ("open", OpenFn), ("close", CloseFn), ("modify", ModifyFn), ("parse", ParseFn),
                ("encode", CodingFn), ("decode", CodingFn), ("recover", RecoverFn)]


class FactoryOp(ctypes.Structure):
    _fields_ = [("test_alloc", TestAllocFn), ("default_attr", DefaultAttrFn), ("enum_info", EnumInfoFn),
                ("alloc_codec", AllocCodecFn), ("dealloc_codec", DeallocCodecFn), ("destroy", DestroyFn)]


class PjmediaCodec(ctypes.Structure):
    _fields_ = [("prev", _P), ("next", _P), ("codec_data", _P), ("factory", _P), ("op", ctypes.POINTER(CodecOp))]


class PjmediaFactory(ctypes.Structure):
    _fields_ = [("prev", _P), ("next", _P), ("factory_data", _P), ("op", ctypes.POINTER(FactoryOp))]


def pjmedia_library() -> ctypes.CDLL:
    """The pjsua2 wheel's library, with the prototypes of the pjmedia functions CallClient calls."""
    lib = ctypes.CDLL(importlib.import_module("pjsua2._pjsua2").__file__)
    lib.pjsua_get_pjmedia_endpt.restype = _P
    lib.pjmedia_endpt_get_codec_mgr.argtypes = [_P]
    lib.pjmedia_endpt_get_codec_mgr.restype = _P
    lib.pjmedia_codec_mgr_register_factory.argtypes = [_P, _P]
    lib.pjmedia_codec_mgr_unregister_factory.argtypes = [_P, _P]
    lib.pjmedia_codec_mgr_find_codecs_by_id.argtypes = [_P, ctypes.POINTER(PjStr), ctypes.POINTER(ctypes.c_uint),
                                                        ctypes.POINTER(ctypes.POINTER(CodecInfo)), _P]
    lib.pjmedia_codec_mgr_get_default_param.argtypes = [_P, ctypes.POINTER(CodecInfo), ctypes.POINTER(CodecParam)]
    lib.pjmedia_stream_modify_codec_param.argtypes = [_P, ctypes.POINTER(CodecParam)]
    return lib
