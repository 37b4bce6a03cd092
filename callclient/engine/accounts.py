"""One SIP account: registration with plain-words state and a backoff that never storms."""

from __future__ import annotations

import ipaddress
import logging
import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pjsua2 as pj

from callclient.engine.addresses import AccountDomain, HostPort
from callclient.engine.events import RegistrationChanged, RegistrationState, RequestRefused
from callclient.engine.mwi import parse_message_summary
from callclient.engine.reasons import is_credentials_failure, registration_reason
from callclient.engine.settings import AccountSettings, SrtpPolicy, Transport

if TYPE_CHECKING:
    from callclient.engine.core import EngineCore

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


# pjsua_reg_use_proxy: PJSUA_REG_USE_OUTBOUND_PROXY only (the wheel's bindings do not export the name).
_REG_USE_GLOBAL_PROXY_ONLY = 1
# WWW-Authenticate / Proxy-Authenticate realm (RFC 3261 25.1 digest-cln "realm" quoted-string)
_CHALLENGE_REALM = re.compile(r'^(?:www|proxy)-authenticate\s*:\s*digest\s[^\r\n]*?\brealm\s*=\s*"([^"\r\n]*)"',
                              re.IGNORECASE | re.MULTILINE)


def challenge_realms(message: str) -> list[str]:
    """The digest realms a 401/407 response challenges for, in order."""
    head = message.split("\r\n\r\n", 1)[0]
    return list(dict.fromkeys(_CHALLENGE_REALM.findall(head)))


def account_domain(settings: AccountSettings) -> AccountDomain:
    """The hosts an account's requests may go to without the user confirming: its SIP domain and the
    registrar/outbound proxy it is configured with."""
    # Any port of the domain's own host: a bare number is dialled as sip:number@domain without one.
    hosts = [HostPort(HostPort.parse(settings.domain).host, None)]
    if settings.register:
        hosts.append(HostPort.parse(registrar_host(settings)))
    if settings.outbound_proxy:
        hosts.append(HostPort.parse(settings.outbound_proxy))
    return AccountDomain(tuple(dict.fromkeys(hosts)))


def transport_param(settings: AccountSettings) -> str:
    return "" if settings.transport is Transport.UDP else f";transport={settings.transport.value}"


def account_config(settings: AccountSettings, transport_id: int, stun_enabled: bool,
                   keepalive_interval_s: int = 15, realms: tuple[str, ...] = (),
                   bind_address: str = "", public_address: str = "") -> pj.AccountConfig:
    """pjsua's configuration for an account.

    `realms` are the digest realms the password may answer: the configured one, or those the
    registrar's first challenge named. Never "*": that answers any server's challenge, and a link or
    REFER to a hostile host would collect a crackable digest of the password.
    """
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
    elif settings.register:
        # Without an outbound proxy every request still leaves through the registrar, at its host:port:
        # a call to sip:1002@domain would otherwise go wherever DNS (or port 5060) says.
        cfg.sipConfig.proxies.append(f"sip:{registrar_host(settings)};lr{tp}")
        cfg.regConfig.proxyUse = _REG_USE_GLOBAL_PROXY_ONLY  # REGISTER already goes there
    if settings.password or settings.auth_user:
        for realm in realms or credential_realms(settings):
            cfg.sipConfig.authCreds.append(
                pj.AuthCredInfo("digest", realm, settings.auth_user or settings.user, 0, settings.password)
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
    if bind_address:
        cfg.mediaConfig.transportConfig.boundAddress = bind_address  # RTP/RTCP where SIP listens
    if public_address:
        cfg.mediaConfig.transportConfig.publicAddress = public_address  # the SDP c= line says this
    cfg.mediaConfig.srtpUse = _SRTP_USE[settings.srtp]
    # 0 lets SDES keys travel over UDP/TCP signalling; 1 demands TLS on the first hop (RFC 4568 7.1).
    cfg.mediaConfig.srtpSecureSignaling = 1 if settings.srtp_requires_tls else 0
    cfg.mwiConfig.enabled = settings.subscribe_mwi and settings.register
    cfg.presConfig.publishEnabled = False
    return cfg


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def credential_realms(settings: AccountSettings) -> tuple[str, ...]:
    """Realms the password answers before any challenge: the configured one, else the SIP domain (the
    realm most registrars use, so the usual first registration needs no extra round trip)."""
    return (settings.realm or settings.domain,)


class SipAccount(pj.Account):
    """Lives on the engine thread; every callback becomes an event and returns."""

    def __init__(self, core: EngineCore, settings: AccountSettings) -> None:
        super().__init__()
        self.core = core
        self.settings = settings
        self.state = RegistrationState.UNREGISTERED if settings.register else RegistrationState.NOT_REGISTERING
        self.code = 0
        self.reason = ""
        self.dnd = False
        self.wanted = settings.register  # whether the user wants this account registered
        self.asleep = False  # unregistered for the computer's sleep; registers again on wake
        self.unregister_answered = False  # the registrar's final word after wanted went False (shutdown waits)
        self._failures = 0
        self._retry_timer: object | None = None
        self.domain = account_domain(settings)
        self.realms: tuple[str, ...] = credential_realms(settings)
        # A configured realm is never replaced; a guessed one (the domain) once, by the registrar's own.
        self._realm_settled = bool(settings.realm)
        # Where the registrar (or the outbound proxy in front of it) answered from, "ip:port". Calls,
        # presence subscriptions and messages are taken only from these for an account that registers.
        configured = [registrar_host(settings)] if settings.register else []
        configured += [settings.outbound_proxy] if settings.outbound_proxy else []
        self.registrar_sources: set[str] = {
            str(h) for h in map(HostPort.parse, configured) if h.port is not None and _is_ip(h.host)
        }
        self.config_for: Callable[[tuple[str, ...]], pj.AccountConfig] | None = None

    def accepts_requests_from(self, source: str) -> bool:
        """Whether an out-of-dialog request (INVITE, SUBSCRIBE, MESSAGE) from `source` ("ip:port") may be
        served: from the registrar/proxy for an account that registers; from anyone for a registrar-less
        (peer-to-peer) account, which has nobody else to take calls from."""
        if not self.settings.register:
            return True
        return str(HostPort.parse(source)) in self.registrar_sources

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

    def unregister_for_sleep(self) -> None:
        """Before the computer sleeps: un-REGISTER (expires=0) so the PBX stops sending calls into the void,
        remembering that the user wants the account registered. Every other path then treats it as an
        account the user stopped: no retries while asleep."""
        if not (self.settings.register and self.wanted):
            return
        self.asleep = True
        self.stop_registration()

    def wake(self) -> None:
        """After sleep: wanted again; handleIpChange (called next) registers, on fresh transports."""
        if self.asleep:
            self.asleep, self.wanted = False, True
            self.network_changed()

    def network_changed(self) -> None:
        """pjsua re-registers on its own after handleIpChange; until it has, say so honestly."""
        if not (self.settings.register and self.wanted):
            return
        self.cancel_retry()  # pjsua's re-registration is the attempt now; a failure schedules the next
        self._failures = 0
        self._publish(RegistrationState.RECONNECTING, self.code, "reconnecting after a network change")

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

    def _learn_realms(self, challenge: str) -> bool:
        """The registrar's first challenge names the realm the password belongs to. When it is not the
        one guessed (the domain), answer the registrar's realm too, and still no other. True when the
        credentials changed and modify() has sent a new REGISTER."""
        if self._realm_settled or self.config_for is None or not (self.settings.password or self.settings.auth_user):
            return False
        self._realm_settled = True  # once: a registrar that keeps changing realm is not followed around
        realms = tuple(challenge_realms(challenge))
        if not realms or set(realms) <= set(self.realms):
            return False
        # The domain stays too: it is the account's own, and a proxy in front may challenge in it.
        self.realms = tuple(dict.fromkeys((*realms, *self.realms)))
        log.info("registrar of %s challenges for realm(s) %s", self.account_id, ", ".join(realms))
        self.modify(self.config_for(realms))
        return True

    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        code, text, expires = int(prm.code), str(prm.reason), int(prm.expiration)
        if not self.wanted:
            self.unregister_answered = True  # pjsua answered challenges itself: this is the final word
        source = str(prm.rdata.srcAddress) if code else ""
        if source and (200 <= code < 300 or code in (401, 407)):
            self.registrar_sources.add(str(HostPort.parse(source)))
        if code in (401, 407) and self.wanted and self._learn_realms(str(prm.rdata.wholeMsg)):
            return  # modify() with the new credentials has already sent the next REGISTER
        if prm.status == pj.PJ_SUCCESS and 200 <= code < 300:
            self._realm_settled = True  # the realm in use is the registrar's
            if expires > 0 and self.wanted:
                self._failures = 0
                self._publish(RegistrationState.REGISTERED, code, "registered", expires_s=expires)
            elif expires > 0 and self.settings.register:
                # pjsua's handleIpChange re-registers every account that has a registrar, also one the user
                # (or the computer's sleep) unregistered: take that binding back at once.
                log.info("%s was registered by a network change while it should not be; unregistering",
                         self.account_id)
                self.setRegistration(False)
            else:
                self._publish(RegistrationState.UNREGISTERED, code, "not registered")
            return
        if not self.wanted:
            self._publish(RegistrationState.UNREGISTERED, code, "not registered")
            return
        if code == 0 or prm.status != pj.PJ_SUCCESS:
            text = text or self.core.error_text(prm.status)
        server = self.settings.outbound_proxy or registrar_host(self.settings)
        reason = registration_reason(code, text, self.settings.aor, registrar_host(self.settings),
                                     self.core.certificate_failure_for(server))
        log.warning("registration of %s failed: %s", self.account_id, reason)
        if is_credentials_failure(code, text):
            self.cancel_retry()
            self._publish(RegistrationState.FAILED, code, reason)
        else:
            self._schedule_retry(code, reason)

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        self.core.incoming_policy.call_arrived(self, prm.callId, str(prm.rdata.srcAddress))

    def onIncomingSubscribe(self, prm: pj.OnIncomingSubscribeParam) -> None:
        # pjsua answers 200 and NOTIFYs our status by default: anyone who reaches the port could follow
        # when the user is on the phone. Only the PBX (which relays colleagues' busy lamps) is served.
        source = str(prm.rdata.srcAddress)
        if not self.accepts_requests_from(source):
            log.info("refused a presence SUBSCRIBE for %s from %s", self.account_id, source)
            prm.code = 403
            prm.reason = "Forbidden"
            self.core.publish(RequestRefused(self.account_id, "SUBSCRIBE", source, 403))

    def onMwiInfo(self, prm: pj.OnMwiInfoParam) -> None:
        source = str(prm.rdata.srcAddress)
        if not self.accepts_requests_from(source):
            # pjsua takes unsolicited message-summary NOTIFYs from anyone: a stranger could light the
            # voicemail lamp with made-up counts ("call your bank back").
            log.info("ignored a message-summary NOTIFY for %s from %s, not the PBX", self.account_id, source)
            return
        summary = parse_message_summary(self.account_id, prm.rdata.wholeMsg)
        if summary is None:
            log.warning("ignored a message-summary NOTIFY for %s without Messages-Waiting", self.account_id)
            return
        self.core.publish(summary)

