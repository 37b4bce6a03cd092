"""A small pjsip module for what pjsua2's callbacks cannot do: refuse out-of-dialog MESSAGE, and put a
Server header on our responses.

pjsua answers every out-of-dialog MESSAGE with 200 before any callback runs (pjsua_im.c
im_on_rx_request), so anyone who reaches the port learns the phone is there and could flood the user;
CallClient has no messaging, so every such MESSAGE is refused with 403 before pjsua's IM module sees it.
pjsua adds no Server header to responses (RFC 3261 20.35), which makes OPTIONS replies anonymous to
monitoring; the configured User-Agent string is added as one.

pjsua2 wraps no module API, so this registers a `pjsip_module` through ctypes with the C functions the
wheel exports. Only one field is read by offset (pjsip_tx_data.msg), and it is found by checking which
candidate points at a response message with the status code pjsip itself reports; if none does, the
Server header is left out and a warning logged, never a guess.
"""

from __future__ import annotations

import ctypes
import importlib
import logging
import re

log = logging.getLogger(__name__)

# enum pjsip_module_priority (sip_module.h): after the transaction (16) and dialog (32) layers, so only
# requests outside any dialog reach us; before the application modules (64) where pjsua's IM module is.
_PRIORITY = 40
_PJSIP_RESPONSE_MSG = 1  # pjsip_msg_type_e
# Where pjsip_tx_data.msg may sit on 64-bit builds of pjsip 2.1x (after pool, obj_name[32], info,
# rx_timestamp, mgr, op_key, lock); each candidate is only a pointer field of tdata, so reading through
# it is safe while the check decides which one is the message.
_TX_MSG_OFFSETS = (392, 384, 400)
_INFO = re.compile(rb"^(Request|Response) msg (\S+?)/")


class _PjStr(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_char_p), ("slen", ctypes.c_ssize_t)]


_RxRequest = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_TxResponse = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)


class _PjsipModule(ctypes.Structure):
    # struct pjsip_module (sip_module.h)
    _fields_ = [
        ("prev", ctypes.c_void_p), ("next", ctypes.c_void_p),
        ("name", _PjStr), ("id", ctypes.c_int), ("priority", ctypes.c_int),
        ("load", ctypes.c_void_p), ("start", ctypes.c_void_p), ("stop", ctypes.c_void_p),
        ("unload", ctypes.c_void_p),
        ("on_rx_request", _RxRequest), ("on_rx_response", ctypes.c_void_p),
        ("on_tx_request", ctypes.c_void_p), ("on_tx_response", _TxResponse),
        ("on_tsx_state", ctypes.c_void_p),
    ]


def _pjsip() -> ctypes.CDLL:
    lib = ctypes.CDLL(importlib.import_module("pjsua2._pjsua2").__file__)
    lib.pjsua_get_pjsip_endpt.restype = ctypes.c_void_p
    lib.pjsip_endpt_register_module.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.pjsip_endpt_unregister_module.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.pjsip_rx_data_get_info.argtypes = [ctypes.c_void_p]
    lib.pjsip_rx_data_get_info.restype = ctypes.c_char_p
    lib.pjsip_tx_data_get_info.argtypes = [ctypes.c_void_p]
    lib.pjsip_tx_data_get_info.restype = ctypes.c_char_p
    lib.pjsip_endpt_respond_stateless.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                                                  ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    lib.pjsip_msg_find_hdr_by_name.argtypes = [ctypes.c_void_p, ctypes.POINTER(_PjStr), ctypes.c_void_p]
    lib.pjsip_msg_find_hdr_by_name.restype = ctypes.c_void_p
    lib.pjsip_generic_string_hdr_create.argtypes = [ctypes.c_void_p, ctypes.POINTER(_PjStr), ctypes.POINTER(_PjStr)]
    lib.pjsip_generic_string_hdr_create.restype = ctypes.c_void_p
    lib.pj_list_insert_after.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    return lib


class SipGuard:
    """Registered on the engine thread after libInit; unregistered before libDestroy."""

    def __init__(self, server: str) -> None:
        self._lib = _pjsip()
        self._server = server.encode()
        # Everything pjsip points at must live as long as the module: the struct, its name, the callbacks.
        self._name = b"mod-callclient-guard"
        self._module = _PjsipModule()
        self._module.name = _PjStr(self._name, len(self._name))
        self._module.id = -1
        self._module.priority = _PRIORITY
        self._on_rx = _RxRequest(self._on_rx_request)
        self._on_tx = _TxResponse(self._on_tx_response)
        self._module.on_rx_request = self._on_rx
        self._module.on_tx_response = self._on_tx
        self._server_name = _PjStr(b"Server", 6)
        self._server_value = _PjStr(self._server, len(self._server))
        self._msg_offset: int | None = None
        self._offset_checked = False
        self._endpoint: int | None = None
        self.refused_messages = 0

    def register(self) -> None:
        endpoint = self._lib.pjsua_get_pjsip_endpt()
        status = self._lib.pjsip_endpt_register_module(endpoint, ctypes.byref(self._module))
        if status != 0:
            raise OSError(f"pjsip refused the guard module (status {status})")
        self._endpoint = endpoint

    def unregister(self) -> None:
        if self._endpoint is not None:
            self._lib.pjsip_endpt_unregister_module(self._endpoint, ctypes.byref(self._module))
            self._endpoint = None

    # --- pjsip callbacks (engine thread); an exception must never cross into C ---

    def _on_rx_request(self, rdata: int) -> int:
        try:
            match = _INFO.match(self._lib.pjsip_rx_data_get_info(rdata) or b"")
            if match is None or match.group(2) != b"MESSAGE":
                return 0  # PJ_FALSE: not ours, pjsua carries on
            self._lib.pjsip_endpt_respond_stateless(self._endpoint, rdata, 403, None, None, None)
            self.refused_messages += 1
            log.info("refused an out-of-dialog MESSAGE with 403 (CallClient has no messaging)")
            return 1  # PJ_TRUE: handled, pjsua's IM module never answers 200
        except Exception:
            log.exception("SIP guard failed on an incoming request")
            return 0

    def _on_tx_response(self, tdata: int) -> int:
        try:
            msg = self._response_msg(tdata)
            if msg is not None and not self._lib.pjsip_msg_find_hdr_by_name(msg, ctypes.byref(self._server_name), None):
                cseq = self._lib.pjsip_msg_find_hdr_by_name(msg, ctypes.byref(_PjStr(b"CSeq", 4)), None)
                if cseq:
                    pool = ctypes.c_void_p.from_address(tdata + 16).value  # tdata.pool, after the list links
                    header = self._lib.pjsip_generic_string_hdr_create(pool, ctypes.byref(self._server_name),
                                                                       ctypes.byref(self._server_value))
                    if header:
                        self._lib.pj_list_insert_after(cseq, header)
        except Exception:
            log.exception("SIP guard failed on an outgoing response")
        return 0  # PJ_SUCCESS: send it

    def _response_msg(self, tdata: int) -> int | None:
        info = self._lib.pjsip_tx_data_get_info(tdata) or b""
        match = re.match(rb"^Response msg (\d+)/", info)
        if match is None:
            return None
        code = int(match.group(1))
        offsets = (self._msg_offset,) if self._offset_checked else _TX_MSG_OFFSETS
        for offset in offsets:
            if offset is None:
                return None
            msg = ctypes.c_void_p.from_address(tdata + offset).value
            if msg and ctypes.c_int.from_address(msg).value == _PJSIP_RESPONSE_MSG \
                    and ctypes.c_int.from_address(msg + 8).value == code:
                self._msg_offset, self._offset_checked = offset, True
                return msg
        if not self._offset_checked:
            self._offset_checked = True
            log.warning("this pjsip's tx_data layout is unknown: responses go out without a Server header")
        return None
