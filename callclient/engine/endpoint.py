"""The pjsua2 Endpoint as CallClient runs it: its configuration, transports, codec order and its own callbacks.

Everything here is endpoint-wide and set once at start (codecs again when the user changes them): the
user agent and logging, the call media and jitter buffer, the SIP listeners with their TLS settings, the
codecs offered, and the pjsip module that refuses out-of-dialog MESSAGE. What happens to accounts and
calls afterwards is the core's business; the endpoint's callbacks only hand their news to it. Engine
thread only, like every pjsua2 call.
"""

from __future__ import annotations

import ctypes
import importlib
import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pjsua2 as pj

from callclient.engine import errors
from callclient.engine.opus_codec import OpusFactory
from callclient.engine.settings import EngineSettings, Transport
from callclient.engine.sip_guard import SipGuard
from callclient.engine.trust import default_ca_file

if TYPE_CHECKING:
    from callclient.engine.core import EngineCore

log = logging.getLogger(__name__)

# pjsua's compile-time ceiling PJSUA_MAX_CALLS is 4 in the pjsua2 wheel, and pjsua silently clamps a
# larger maxCalls to it; say the real number so status, UI and docs can state it.
MAX_CALLS = 4

# TLS 1.2 suites with forward secrecy (ECDHE) and authenticated encryption (GCM, ChaCha20-Poly1305), by
# IANA number, best first. Without a list pjsip offers OpenSSL 1.0.2's defaults, which include RSA key
# exchange (no forward secrecy: a stolen server key decrypts recorded calls' signalling and SDES keys)
# and CBC suites.
FORWARD_SECRET_CIPHERS: tuple[int, ...] = (
    0xC02C,  # ECDHE-ECDSA-AES256-GCM-SHA384
    0xC030,  # ECDHE-RSA-AES256-GCM-SHA384
    0xCCA9,  # ECDHE-ECDSA-CHACHA20-POLY1305
    0xCCA8,  # ECDHE-RSA-CHACHA20-POLY1305
    0xC02B,  # ECDHE-ECDSA-AES128-GCM-SHA256
    0xC02F,  # ECDHE-RSA-AES128-GCM-SHA256
)

# pjmedia_jb_discard_algo: PJMEDIA_JB_DISCARD_NONE, _STATIC, _PROGRESSIVE
_DISCARD_ALGORITHMS = {"none": 0, "static": 1, "progressive": 2}


class EngineEndpoint(pj.Endpoint):
    def __init__(self, core: EngineCore) -> None:
        super().__init__()
        self.core = core

    def onTransportState(self, prm: pj.OnTransportStateParam) -> None:
        tls = prm.tlsInfo
        if not tls.isEmpty():
            # The handshake's verification result: pjsua's failure text says only "certificate
            # verification error", the same for an untrusted issuer and a wrong name; these flags say which.
            self.core.note_certificate_status(str(tls.remoteAddr), int(tls.verifyStatus))
        if prm.state == pj.PJSIP_TP_STATE_DISCONNECTED:
            self.core.transport_lost()

    def onRejectedIncomingCall(self, prm: pj.OnRejectedIncomingCallParam) -> None:
        # pjsua refused an INVITE before any account saw it: all call slots taken, or the offer's media
        # cannot be accepted (SRTP required but not offered). The user must still learn someone called.
        self.core.incoming_policy.pjsua_refused(int(prm.statusCode), str(prm.reason), str(prm.localInfo),
                                                str(prm.remoteInfo), str(prm.rdata.srcAddress))

    def onIpChangeProgress(self, prm: pj.OnIpChangeProgressParam) -> None:
        if prm.status != pj.PJ_SUCCESS:
            log.warning("network change handling step %s failed: %s", prm.op, self.core.error_text(prm.status))


def endpoint_config(settings: EngineSettings, log_writer: pj.LogWriter) -> pj.EpConfig:
    """The configuration for libInit. pjsua2 keeps only a raw pointer to `log_writer`: the caller must
    keep it alive as long as the endpoint."""
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0  # all SIP work happens in the engine thread's libHandleEvents
    cfg.uaConfig.mainThreadOnly = False
    cfg.uaConfig.userAgent = settings.user_agent
    cfg.uaConfig.maxCalls = MAX_CALLS
    cfg.uaConfig.mwiUnsolicitedEnabled = True
    if settings.stun_servers:
        cfg.uaConfig.stunServer.extend(settings.stun_servers)
        cfg.uaConfig.stunIgnoreFailure = True
    level = max(settings.log_level, 5 if settings.sip_trace else 0)
    cfg.logConfig.writer = log_writer
    cfg.logConfig.level = level
    cfg.logConfig.consoleLevel = level  # the writer receives what passes the console level
    cfg.logConfig.msgLogging = settings.sip_trace
    cfg.logConfig.decor = pj.PJ_LOG_HAS_SENDER | pj.PJ_LOG_HAS_INDENT
    configure_media(cfg.medConfig, settings)
    return cfg


def configure_media(media: pj.MediaConfig, settings: EngineSettings) -> None:
    """The call media as the app runs it; bench/call_quality.py applies the same to its far ends."""
    media.clockRate = settings.clock_rate_hz
    media.sndClockRate = settings.clock_rate_hz
    media.ecTailLen = 0  # echo cancellation belongs to media/, next to the real device
    media.noVad = True
    jb = settings.jitter_buffer
    media.jbInit = jb.initial_prefetch_ms
    media.jbMinPre = jb.min_prefetch_ms
    media.jbMaxPre = jb.max_prefetch_ms
    media.jbMax = jb.max_ms
    if jb.discard != "progressive":
        _set_discard_algorithm(media, _DISCARD_ALGORITHMS[jb.discard])


def _set_discard_algorithm(media: pj.MediaConfig, algorithm: int) -> None:
    """pjsua2's Python binding cannot assign the enum (SWIG wants a pjmedia_jb_discard_algo, no constant
    is exported), but MediaConfig reads itself from JSON: write it out, change the one field, read it
    back. Needs pjlib (after libCreate)."""
    document = pj.JsonDocument()
    document.writeObject(media)
    text = re.sub(r'("jbDiscardAlgo":\s*)\d+', rf"\g<1>{algorithm}", document.saveString())
    changed = pj.JsonDocument()
    changed.loadString(text)
    media.readObject(changed.getRootContainer())


def install_sip_guard(user_agent: str) -> SipGuard | None:
    """The pjsip module refusing out-of-dialog MESSAGE; the caller keeps it until after libDestroy
    (pjsip unregisters it there, and its struct must outlive that)."""
    try:
        guard = SipGuard(user_agent)
        guard.register()
    except (OSError, AttributeError) as error:
        # A pjsua2 build that exports no pjsip symbols: MESSAGE is then answered 200 by pjsua.
        log.warning("cannot refuse out-of-dialog MESSAGE or add a Server header here: %s", error)
        return None
    return guard


def install_opus() -> OpusFactory | None:
    """Opus for calls (pjsua2's build has none); the caller keeps the factory until after libDestroy. Without
    libopus, or with a pjsua2 whose structures differ, calls simply go on without Opus."""
    try:
        factory = OpusFactory()
        factory.register()
    except (OSError, AttributeError) as error:
        log.warning("Opus is not available for calls: %s", error)
        return None
    return factory


def create_transports(ep: pj.Endpoint, settings: EngineSettings) -> tuple[dict[Transport, int], dict[Transport, int]]:
    """Opens the enabled SIP listeners: each transport's pjsua id, and the local port it got."""
    s = settings
    transports: dict[Transport, int] = {}
    ports: dict[Transport, int] = {}
    wanted = [
        (Transport.UDP, s.enable_udp, s.udp_port, pj.PJSIP_TRANSPORT_UDP),
        (Transport.TCP, s.enable_tcp, s.tcp_port, pj.PJSIP_TRANSPORT_TCP),
        (Transport.TLS, s.enable_tls, s.tls_port, pj.PJSIP_TRANSPORT_TLS),
    ]
    for kind, enabled, port, pj_type in wanted:
        if not enabled:
            continue
        tcfg = pj.TransportConfig()
        tcfg.port = port
        if s.bind_address:
            tcfg.boundAddress = s.bind_address
        if s.public_address:
            tcfg.publicAddress = s.public_address  # Via and Contact name the address peers must use
        if kind is Transport.TLS:
            tls = tcfg.tlsConfig
            tls.CaListFile = default_ca_file(s.tls_ca_file)
            tls.verifyServer = s.tls_verify_server
            tls.method = pj.PJSIP_TLSV1_2_METHOD  # the bundled OpenSSL 1.0.2 has nothing newer
            offered = forward_secret_ciphers(ep.utilSslGetAvailableCiphers())
            if offered:
                for suite in offered:
                    tls.ciphers.append(suite)
            else:
                log.warning("no ECDHE/AEAD TLS cipher suite in this OpenSSL: offering its defaults")
        try:
            tp_id = ep.transportCreate(pj_type, tcfg)
        except pj.Error as error:
            raise errors.TransportFailed(
                f"cannot open the SIP {kind.value.upper()} port {port or '(any)'}: {error.reason}"
            ) from None
        transports[kind] = tp_id
        ports[kind] = _port_of(ep.transportGetInfo(tp_id).localName)
    return transports, ports


def forward_secret_ciphers(available: Iterable[int]) -> list[int]:
    """The ECDHE/AEAD suites this pjsip's OpenSSL has, in our order of preference."""
    have = set(available)
    return [suite for suite in FORWARD_SECRET_CIPHERS if suite in have]


def set_codec_priorities(ep: pj.Endpoint, codecs: Iterable[str]) -> None:
    """Offers exactly `codecs` (name prefixes, best first), in that order; every other codec is disabled."""
    order = [c.lower() for c in codecs]
    for codec in ep.codecEnum2():
        name = codec.codecId.lower()
        rank = next((i for i, want in enumerate(order) if name.startswith(want)), None)
        # pjsua's default favours speex; only the configured list may be offered, in its order.
        ep.codecSetPriority(codec.codecId, 0 if rank is None else 254 - rank)


def silence_pjlib_console() -> None:
    """pjlib prints its start-up lines (pj_init, endpoint creation) on stdout inside libCreate, before
    libInit can install our log writer; `callclient --headless` promises `callclient-ready` as its first
    line. pjsua2 has no setting that applies before libCreate, so pjlib's global log level is set to 0
    directly (pj_log_set_level only stores an int); libInit then sets the configured level and writer."""
    try:
        pjlib = ctypes.CDLL(importlib.import_module("pjsua2._pjsua2").__file__)
        pjlib.pj_log_set_level(ctypes.c_int(0))
    except (OSError, AttributeError, ImportError) as error:
        log.debug("cannot quieten pjlib before libCreate: %s", error)


def _port_of(local_name: str) -> int:
    return int(local_name.rsplit(":", 1)[1])
