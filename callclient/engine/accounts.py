"""One SIP account: registration with plain-words state and a backoff that never storms."""

from __future__ import annotations

import logging
import random
from typing import TYPE_CHECKING

import pjsua2 as pj

from callclient.engine.events import RegistrationChanged, RegistrationState
from callclient.engine.mwi import parse_message_summary
from callclient.engine.reasons import is_credentials_failure, registration_reason
from callclient.engine.settings import AccountSettings, SrtpPolicy, Transport

if TYPE_CHECKING:
    from callclient.engine.engine import _EngineCore

log = logging.getLogger(__name__)

_SRTP_USE = {
    SrtpPolicy.OFF: pj.PJMEDIA_SRTP_DISABLED,
    SrtpPolicy.OPTIONAL: pj.PJMEDIA_SRTP_OPTIONAL,
    SrtpPolicy.MANDATORY: pj.PJMEDIA_SRTP_MANDATORY,
}


def registrar_host(settings: AccountSettings) -> str:
    host = settings.registrar or settings.domain
    if settings.port and ":" not in host.rsplit("]", 1)[-1]:
        host = f"{host}:{settings.port}"
    return host


def transport_param(settings: AccountSettings) -> str:
    return "" if settings.transport is Transport.UDP else f";transport={settings.transport.value}"


def account_config(settings: AccountSettings, transport_id: int, stun_enabled: bool,
                   keepalive_interval_s: int = 15) -> pj.AccountConfig:
    cfg = pj.AccountConfig()
    name = settings.display_name.replace('"', "")
    cfg.idUri = f'"{name}" <{settings.aor}>' if name else settings.aor
    tp = transport_param(settings)
    if settings.register:
        cfg.regConfig.registrarUri = f"sip:{registrar_host(settings)}{tp}"
    cfg.regConfig.registerOnAdd = False  # the engine starts registration itself, after wiring events
    cfg.regConfig.timeoutSec = settings.registration_expiry_s
    # pjsua's own retry is a fixed interval; ours is exponential with jitter, and never retries a
    # credentials failure. Zero turns pjsua's off so only one schedule exists.
    cfg.regConfig.retryIntervalSec = 0
    cfg.regConfig.firstRetryIntervalSec = 0
    cfg.regConfig.dropCallsOnFail = False
    cfg.sipConfig.transportId = transport_id
    if settings.outbound_proxy:
        cfg.sipConfig.proxies.append(f"sip:{settings.outbound_proxy};lr{tp}")
    if settings.password or settings.auth_user:
        cfg.sipConfig.authCreds.append(
            pj.AuthCredInfo("digest", "*", settings.auth_user or settings.user, 0, settings.password)
        )
    cfg.natConfig.sipStunUse = pj.PJSUA_STUN_USE_DEFAULT if stun_enabled else pj.PJSUA_STUN_USE_DISABLED
    cfg.natConfig.mediaStunUse = cfg.natConfig.sipStunUse
    cfg.natConfig.udpKaIntervalSec = keepalive_interval_s  # keeps NAT bindings to the registrar open
    cfg.natConfig.iceEnabled = settings.ice.enabled
    if settings.ice.turn_server:
        cfg.natConfig.turnEnabled = True
        cfg.natConfig.turnServer = settings.ice.turn_server
        cfg.natConfig.turnUserName = settings.ice.turn_username
        cfg.natConfig.turnPassword = settings.ice.turn_password
        cfg.natConfig.turnPasswordType = 0  # plain password (PJ_STUN_PASSWD_PLAIN)
        cfg.natConfig.turnConnType = {
            Transport.UDP: pj.PJ_TURN_TP_UDP,
            Transport.TCP: pj.PJ_TURN_TP_TCP,
            Transport.TLS: pj.PJ_TURN_TP_TLS,
        }[settings.ice.turn_transport]
    cfg.mediaConfig.transportConfig.port = 0  # any free RTP port, so two apps on one host never clash
    cfg.mediaConfig.srtpUse = _SRTP_USE[settings.srtp]
    # 0 lets SDES keys travel over UDP/TCP signalling; 1 demands TLS on the first hop (RFC 4568 7.1).
    cfg.mediaConfig.srtpSecureSignaling = 1 if settings.srtp_requires_tls else 0
    cfg.mwiConfig.enabled = settings.subscribe_mwi and settings.register
    cfg.presConfig.publishEnabled = False
    return cfg


class SipAccount(pj.Account):
    """Lives on the engine thread; every callback becomes an event and returns."""

    def __init__(self, core: _EngineCore, settings: AccountSettings) -> None:
        super().__init__()
        self.core = core
        self.settings = settings
        self.state = RegistrationState.UNREGISTERED if settings.register else RegistrationState.NOT_REGISTERING
        self.code = 0
        self.reason = ""
        self.dnd = False
        self.wanted = settings.register  # whether the user wants this account registered
        self._failures = 0
        self._retry_timer: object | None = None

    @property
    def account_id(self) -> str:
        return self.settings.account_id

    # --- commands (engine thread) ---

    def start_registration(self) -> None:
        if not self.settings.register:
            self._publish(RegistrationState.NOT_REGISTERING, 0, "registration is off for this account")
            return
        self.wanted = True
        self.cancel_retry()
        self._publish(RegistrationState.REGISTERING, self.code, "registering")
        self.setRegistration(True)

    def stop_registration(self) -> None:
        self.wanted = False
        self.cancel_retry()
        self._failures = 0
        if self.settings.register and self.getInfo().regIsActive:
            self.setRegistration(False)
        else:
            self._publish(RegistrationState.UNREGISTERED, 0, "not registered")

    def reregister_after_transport_loss(self) -> None:
        """A TCP/TLS connection to the registrar dropped: the binding may be gone with it."""
        if self.wanted and self.state is RegistrationState.REGISTERED:
            self._schedule_retry(self.code or 503, "the connection to the registrar was lost")

    def cancel_retry(self) -> None:
        if self._retry_timer is not None:
            self.core.cancel_timer(self._retry_timer)
            self._retry_timer = None

    def _schedule_retry(self, code: int, reason: str) -> None:
        backoff = self.settings.backoff
        delay = min(backoff.cap_s, backoff.base_s * 2 ** self._failures)
        delay *= 1 + random.uniform(-backoff.jitter, backoff.jitter)
        self._failures += 1
        self.cancel_retry()
        self._retry_timer = self.core.call_later(delay, self._retry)
        self._publish(RegistrationState.FAILED, code, reason, retry_in_s=delay)

    def _retry(self) -> None:
        self._retry_timer = None
        if self.wanted:
            log.info("registration retry %d for %s", self._failures, self.account_id)
            self._publish(RegistrationState.REGISTERING, self.code, "registering")
            try:
                self.setRegistration(True)
            except pj.Error as error:
                self._schedule_retry(503, registration_reason(503, error.reason, self.settings.aor, registrar_host(self.settings)))

    def _publish(self, state: RegistrationState, code: int, reason: str, *, expires_s: int = 0,
                 retry_in_s: float | None = None) -> None:
        self.state, self.code, self.reason = state, code, reason
        self.core.publish(
            RegistrationChanged(self.account_id, state, code, reason, expires_s=expires_s, retry_in_s=retry_in_s)
        )

    # --- pjsua2 callbacks (engine thread) ---

    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        code, text, expires = int(prm.code), str(prm.reason), int(prm.expiration)
        if prm.status == pj.PJ_SUCCESS and 200 <= code < 300:
            if expires > 0 and self.wanted:
                self._failures = 0
                self._publish(RegistrationState.REGISTERED, code, "registered", expires_s=expires)
            else:
                self._publish(RegistrationState.UNREGISTERED, code, "not registered")
            return
        if not self.wanted:
            self._publish(RegistrationState.UNREGISTERED, code, "not registered")
            return
        if code == 0 or prm.status != pj.PJ_SUCCESS:
            text = text or self.core.error_text(prm.status)
        reason = registration_reason(code, text, self.settings.aor, registrar_host(self.settings))
        log.warning("registration of %s failed: %s", self.account_id, reason)
        if is_credentials_failure(code, text):
            self.cancel_retry()
            self._publish(RegistrationState.FAILED, code, reason)
        else:
            self._schedule_retry(code, reason)

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        self.core.incoming_call(self, prm.callId)

    def onMwiInfo(self, prm: pj.OnMwiInfoParam) -> None:
        summary = parse_message_summary(self.account_id, prm.rdata.wholeMsg)
        if summary is None:
            log.warning("ignored a message-summary NOTIFY for %s without Messages-Waiting", self.account_id)
            return
        self.core.publish(summary)

