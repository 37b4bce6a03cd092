"""Everything that lives on the engine thread: the Endpoint's life, and the accounts, calls and watched
addresses it holds.

`EngineCore` starts the pjsua2 Endpoint (configured by `endpoint.py`) and stops it in the order pjsua2
needs; in between it keeps the registries of accounts, calls and presence subscriptions, the engine
thread's timers, and runs the commands `SipEngine` queued. What to do with an arriving call is
`incoming.py`'s decision. Nothing here may be called from another thread.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import time
from collections.abc import Callable, Iterable

import pjsua2 as pj

from callclient.engine import errors
from callclient.engine.accounts import SipAccount, account_config, transport_param
from callclient.engine.addresses import party_from_header, request_uri
from callclient.engine.audio import AudioBackend
from callclient.engine.calls import SipCall, op_param
from callclient.engine.endpoint import (
    MAX_CALLS,
    EngineEndpoint,
    create_transports,
    endpoint_config,
    install_opus,
    install_sip_guard,
    set_codec_priorities,
    silence_pjlib_console,
)
from callclient.engine.event_hub import EventHub
from callclient.engine.events import (
    CallDirection,
    CallState,
    EngineFault,
    EngineStarted,
    Event,
    MediaState,
    RegistrationState,
)
from callclient.engine.incoming import MAX_INCOMING_CALLS, IncomingCallPolicy
from callclient.engine.presence import Watched, own_status
from callclient.engine.settings import AccountSettings, EngineSettings, Transport
from callclient.engine.opus_codec import OpusFactory
from callclient.engine.opus_fec import OpusFecFollower
from callclient.engine.sip_guard import SipGuard
from callclient.engine.status import AccountStatus, CallStatus, EngineStatus
from callclient.logs import PjsipLogWriter

log = logging.getLogger(__name__)

POLL_MS = 10
_SHUTDOWN_HANGUP_S = 3.0
_SHUTDOWN_UNREGISTER_S = 3.0


class EngineCore:
    """Everything that lives on the engine thread."""

    def __init__(self, settings: EngineSettings, hub: EventHub, audio: AudioBackend) -> None:
        self.settings = settings
        self.hub = hub
        self.audio = audio
        self.endpoint: EngineEndpoint | None = None
        self.accounts: dict[str, SipAccount] = {}
        self.calls: dict[str, SipCall] = {}
        self.watched: dict[tuple[str, str], Watched] = {}  # (account_id, uri): each account's own set
        self.transports: dict[Transport, int] = {}
        self.ports: dict[Transport, int] = {}
        self.incoming_policy = IncomingCallPolicy(self)
        self._finished: list[SipCall] = []
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._timer_ids = itertools.count(1)
        self._call_ids = itertools.count(1)
        self._log_writer = PjsipLogWriter()  # pjsua2 keeps only a raw pointer: we own it
        # The last TLS handshake's certificate verification flags per server ("ip:port"), 0 when it passed;
        # failure reasons name the cause from them.
        self.certificate_status: dict[str, int] = {}
        self.last_certificate_failure = 0
        self._on_the_phone = False
        self._guard: SipGuard | None = None
        self.opus: OpusFactory | None = None
        self.opus_fec = OpusFecFollower(self)

    # --- services for accounts and calls ---

    def publish(self, event: Event) -> None:
        self.hub.publish(event)

    def call_later(self, delay_s: float, action: Callable[[], None]) -> int:
        timer_id = next(self._timer_ids)
        heapq.heappush(self._timers, (time.monotonic() + delay_s, timer_id, action))
        return timer_id

    def cancel_timer(self, timer_id: object) -> None:
        # Dropped at once, not when due: a timer's action may hold a call or account, and a pjsua2 object
        # kept alive past libDestroy (then collected on another thread) aborts the process.
        kept = [t for t in self._timers if t[1] != timer_id]
        if len(kept) != len(self._timers):
            heapq.heapify(kept)
            self._timers = kept

    def run_due_timers(self) -> None:
        now = time.monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, timer_id, action = heapq.heappop(self._timers)
            try:
                action()
            except Exception as error:  # a timer must never kill the engine thread
                log.exception("engine timer failed")
                self.publish(EngineFault(f"internal error in a timer: {error}"))

    def error_text(self, status: int) -> str:
        assert self.endpoint is not None
        try:
            return self.endpoint.utilStrError(status)
        except pj.Error:
            return f"error {status}"

    def new_call_id(self) -> str:
        return f"call-{next(self._call_ids)}"

    def adopt_call(self, account: SipAccount, direction: CallDirection, pjsua_call_id: int = pj.PJSUA_INVALID_ID
                   ) -> SipCall:
        call = SipCall(self, account, self.new_call_id(), direction, pjsua_call_id)
        self.calls[call.call_id] = call
        return call

    def call_finished(self, call: SipCall) -> None:
        self.calls.pop(call.call_id, None)
        if call.ring_timer is not None:
            self.cancel_timer(call.ring_timer)
            call.ring_timer = None
        # pjsua is still inside this call's callback: the object must outlive it. It is dropped on the
        # next loop turn, once pjsua has released the call slot (pjsua2 asserts otherwise).
        self._finished.append(call)
        self.update_own_presence()

    def release_finished_calls(self) -> None:
        if self._finished:
            self._finished.clear()

    def note_certificate_status(self, remote: str, verify_status: int) -> None:
        self.certificate_status[remote] = verify_status
        self.last_certificate_failure = verify_status  # the latest handshake's outcome, 0 if it passed
        if verify_status:
            log.warning("TLS certificate of %s failed verification (flags 0x%x)", remote, verify_status)

    def certificate_failure_for(self, server: str) -> int:
        """Verification flags of `server` ("ip:port") from its last handshake; for a server known by host
        name (filed under an address we cannot tell), those of the latest handshake."""
        if server in self.certificate_status:
            return self.certificate_status[server]
        return self.last_certificate_failure

    def transport_lost(self) -> None:
        for account in self.accounts.values():
            if account.settings.transport is not Transport.UDP:
                account.reregister_after_transport_loss()

    def update_own_presence(self) -> None:
        busy = any(c.state is CallState.CONFIRMED for c in self.calls.values())
        if busy == self._on_the_phone:
            return
        self._on_the_phone = busy
        for account in self.accounts.values():
            try:
                account.setOnlineStatus(own_status(busy))
            except pj.Error as error:
                log.debug("could not update presence of %s: %s", account.account_id, error.reason)

    # --- lifecycle ---

    def start(self) -> None:
        ep = EngineEndpoint(self)
        self.endpoint = ep
        silence_pjlib_console()
        ep.libCreate()
        ep.libInit(endpoint_config(self.settings, self._log_writer))  # after libCreate: it needs pjlib
        self._guard = install_sip_guard(self.settings.user_agent)
        self.opus = install_opus()
        if self.opus is not None:
            self.opus_fec.start()
        self.transports, self.ports = create_transports(ep, self.settings)
        ep.audDevManager().setNullDev()
        ep.libStart()
        set_codec_priorities(ep, self.settings.codecs)
        self.audio.open(ep)
        self.publish(
            EngineStarted(
                udp_port=self.ports.get(Transport.UDP),
                tcp_port=self.ports.get(Transport.TCP),
                tls_port=self.ports.get(Transport.TLS),
            )
        )

    def stop(self) -> None:
        ep = self.endpoint
        if ep is None:
            return
        self.opus_fec.stop()
        self._hang_up_everything(ep)
        self._release_objects()
        # No local of this frame may still hold a pjsua2 object here: one deleted after libDestroy
        # asserts (pjsua_call_set_user_data with max_calls reset to 0).
        self.endpoint = None
        try:
            # The un-REGISTERs have been answered (or given up on) above: no second wait in pjsua's destroy.
            ep.libDestroy(pj.PJSUA_DESTROY_NO_RX_MSG)
        finally:
            ep.core = None  # type: ignore[assignment]
            self._guard = None  # pjsip unregistered it in libDestroy; its struct had to outlive that
            self.opus = None  # likewise the Opus factory, which pjmedia destroyed there

    def _hang_up_everything(self, ep: pj.Endpoint) -> None:
        for call in list(self.calls.values()):
            if not call.ended:
                try:
                    call.hangup(op_param())
                except pj.Error as error:
                    log.debug("hangup during shutdown: %s", error.reason)
        deadline = time.monotonic() + _SHUTDOWN_HANGUP_S
        while any(not c.ended for c in self.calls.values()) and time.monotonic() < deadline:
            ep.libHandleEvents(POLL_MS)

    def _release_objects(self) -> None:
        """Drop every pjsua2 object in the order pjsua2 needs: bridge ports, buddies, calls, accounts.

        Each step is attempted even if one before it failed, so every object dies on this thread and
        none is left for a garbage collection on another thread (pjlib asserts on unknown threads).
        """
        steps: list[tuple[str, Callable[[], None]]] = [
            ("dropping timers", self._timers.clear),  # their actions may hold calls and accounts
            ("closing the audio device ports", self.audio.close),
            ("dropping presence subscriptions", self.watched.clear),
            ("releasing calls", self.calls.clear),
            ("releasing ended calls", self._finished.clear),
            ("un-REGISTERing", self._unregister_all),
            ("removing accounts", self._shutdown_accounts),
        ]
        for what, step in steps:
            try:
                step()
            except Exception:
                log.exception("shutdown: %s failed", what)

    def _unregister_all(self) -> None:
        """Un-REGISTERs every registered account and waits (a few seconds at most) for the registrars'
        answers, so that pjsua's destroy need not wait: its own wait sleeps a second after the
        un-REGISTERs whatever they answer, which every quit paid."""
        ep = self.endpoint
        leaving = []
        for account in self.accounts.values():
            account.wanted = False
            account.cancel_retry()
            try:
                if account.settings.register and account.getInfo().regIsActive:
                    account.unregister_answered = False
                    account.setRegistration(False)
                    leaving.append(account)
            except pj.Error as error:
                log.debug("un-REGISTER of %s during shutdown: %s", account.account_id, error.reason)
        deadline = time.monotonic() + _SHUTDOWN_UNREGISTER_S
        while ep is not None and time.monotonic() < deadline and not all(a.unregister_answered for a in leaving):
            ep.libHandleEvents(POLL_MS)
        for account in leaving:
            if not account.unregister_answered:
                log.info("the registrar did not answer %s's un-REGISTER before quitting", account.account_id)

    def _shutdown_accounts(self) -> None:
        while self.accounts:
            _, account = self.accounts.popitem()
            account.wanted = False
            account.cancel_retry()
            try:
                account.shutdown()  # queues the un-REGISTER
            finally:
                del account

    # --- commands ---

    def add_account(self, settings: AccountSettings) -> None:
        if settings.account_id in self.accounts:
            raise errors.EngineError(f"an account named {settings.account_id!r} already exists")
        tp_id = self.transports.get(settings.transport)
        if tp_id is None:
            raise errors.TransportFailed(f"the {settings.transport.value.upper()} transport is turned off")
        account = SipAccount(self, settings)

        def config_for(realms: tuple[str, ...]) -> pj.AccountConfig:
            return account_config(settings, tp_id, bool(self.settings.stun_servers), self.settings.keepalive_interval_s,
                                  realms, self.settings.bind_address, self.settings.public_address)

        account.config_for = config_for
        cfg = config_for(account.realms)
        try:
            account.create(cfg, False)
        except pj.Error as error:
            raise errors.EngineError(f"account {settings.account_id!r} is not valid: {error.reason}") from None
        self.accounts[settings.account_id] = account
        # pjsua starts every account "offline" for watchers; a running softphone is available.
        account.setOnlineStatus(own_status(self._on_the_phone))
        account.start_registration()

    def remove_account(self, account_id: str) -> None:
        account = self.account(account_id)
        for call in [c for c in self.calls.values() if c.account is account]:
            if not call.ended:
                call.hangup(op_param())
        for key, buddy in list(self.watched.items()):
            if buddy.account is account:
                del self.watched[key]
        account.stop_registration()
        del self.accounts[account_id]
        account.shutdown()

    def account(self, account_id: str | None) -> SipAccount:
        if account_id is None:
            for account in self.accounts.values():
                if account.state is RegistrationState.REGISTERED:
                    return account
            if self.accounts:
                return next(iter(self.accounts.values()))
            raise errors.UnknownAccount("no SIP account is set up")
        try:
            return self.accounts[account_id]
        except KeyError:
            raise errors.UnknownAccount(f"there is no account {account_id!r}") from None

    def call(self, call_id: str | None) -> SipCall:
        if call_id is None:
            live = [c for c in self.calls.values() if not c.ended]
            if not live:
                raise errors.UnknownCall("there is no call")
            # The current call: the newest one that is up, else the newest one at all.
            up = [c for c in live if c.state is CallState.CONFIRMED and c.media_state is not MediaState.LOCAL_HOLD]
            return (up or live)[-1]
        try:
            call = self.calls[call_id]
        except KeyError:
            raise errors.UnknownCall(f"there is no call {call_id!r}") from None
        return call

    def make_call(self, target: str, account_id: str | None, allow_foreign_domain: bool = False) -> str:
        account = self.account(account_id)
        uri = request_uri(target, account.settings.domain, transport_param(account.settings))
        if self.endpoint is not None and self.endpoint.utilVerifySipUri(uri) != pj.PJ_SUCCESS:
            raise errors.InvalidTarget(f"{target!r} does not make a valid SIP address ({uri})")
        if not allow_foreign_domain and not account.domain.contains(uri):
            raise errors.ForeignDomain(
                f"{uri} is outside your account's domain ({account.domain.describe()}): "
                "call it only if you trust that address", uri)
        call = self.adopt_call(account, CallDirection.OUTGOING)
        call.remote = party_from_header(f"<{uri}>")
        call.waiting = False
        try:
            call.makeCall(uri, op_param())
        except pj.Error as error:
            del self.calls[call.call_id]
            raise errors.CallOperationFailed(f"could not call {target}: {error.reason}") from None
        self.publish(call.snapshot())
        return call.call_id

    def incoming_calls(self) -> Iterable[SipCall]:
        return (c for c in self.calls.values() if c.state is CallState.INCOMING and not c.ended)

    def status(self) -> EngineStatus:
        accounts = tuple(
            AccountStatus(a.account_id, a.settings.aor, a.state, a.code, a.reason, a.dnd)
            for a in self.accounts.values()
        )
        calls = tuple(
            CallStatus(
                call_id=c.call_id,
                account_id=c.account.account_id,
                direction=c.direction,
                state=c.state,
                remote=c.remote,
                duration_s=round(c.duration_s(), 1),
                media=c.media_state,
                muted=c.muted,
                merged=bool(c.merged_with),
            )
            for c in self.calls.values()
            if not c.ended
        )
        return EngineStatus(accounts, calls, max_calls=MAX_CALLS, max_incoming_calls=MAX_INCOMING_CALLS)

    def watch(self, uris: Iterable[str], account_id: str | None) -> None:
        """Makes `uris` the watched set of one account; other accounts' subscriptions stay as they are."""
        wanted = list(dict.fromkeys(uris))
        if not wanted and not self.accounts:
            return  # nobody watches anything
        account = self.account(account_id)
        for key, buddy in list(self.watched.items()):
            if buddy.account is account and key[1] not in wanted:
                del self.watched[key]  # ~Buddy unsubscribes
        for uri in wanted:
            key = (account.account_id, uri)
            if key in self.watched:
                continue
            target = request_uri(uri, account.settings.domain, transport_param(account.settings))
            buddy = Watched(self, uri, account)
            cfg = pj.BuddyConfig()
            cfg.uri = target
            cfg.subscribe = True
            buddy.create(account, cfg)
            self.watched[key] = buddy
