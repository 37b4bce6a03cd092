"""The SIP engine's front: the thread-safe command API other threads call, and the engine thread it runs.

Only the engine thread touches pjsua2. Other threads call `SipEngine` methods, which queue a command
and return a Future; the engine thread runs queued commands between `libHandleEvents` polls, so every
pjsua2 callback and command runs on the same thread and none of them needs a lock. What lives on that
thread is `core.py`'s `EngineCore`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any, TypeVar

import pjsua2 as pj

from callclient.engine import connectivity, errors
from callclient.engine.accounts import transport_param
from callclient.engine.addresses import request_uri
from callclient.engine.audio import AudioBackend, NullAudio
from callclient.engine.calls import SipCall, op_param
from callclient.engine.core import POLL_MS, EngineCore
from callclient.engine.endpoint import set_codec_priorities
from callclient.engine.event_hub import EventHub, EventStream
from callclient.engine.events import EngineStopped, MediaState
from callclient.engine.quality import quality_of
from callclient.engine.settings import AccountSettings, EngineSettings, Transport
from callclient.engine.status import CallQuality, EngineStatus

log = logging.getLogger(__name__)

T = TypeVar("T")

OFFER_WAIT_S = 3.0  # how long a hold or resume waits for another SDP offer under way to finish
OFFER_RETRY_S = 0.05
_PJ_EINVALIDOP = 70013


class SipEngine:
    """Thread-safe front of the SIP engine. Every command returns a Future resolved on the engine thread."""

    def __init__(self, settings: EngineSettings, audio: AudioBackend | None = None) -> None:
        self.settings = settings
        self._hub = EventHub()
        self._core = EngineCore(settings, self._hub, audio or NullAudio())
        self._commands: queue.SimpleQueue[tuple[Callable[[], Any], Future]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._stopping = threading.Event()
        self.ports: dict[Transport, int] = {}

    # --- lifecycle ---

    def start(self, timeout_s: float = 15.0) -> None:
        if self._thread is not None:
            raise errors.EngineError("the SIP engine is already running")
        self._thread = threading.Thread(target=self._run, name="sip-engine", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout_s):
            raise errors.EngineError("the SIP engine did not start in time")
        if self._start_error is not None:
            self._thread.join(timeout_s)
            self._thread = None
            raise self._start_error
        self.ports = dict(self._core.ports)

    def stop(self, timeout_s: float = 15.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stopping.set()
        thread.join(timeout_s)
        if thread.is_alive():
            raise errors.EngineError("the SIP engine did not stop in time")
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._started.is_set() and not self._stopping.is_set()

    def subscribe(self) -> EventStream:
        return self._hub.subscribe()

    def _run(self) -> None:
        core = self._core
        try:
            core.start()
        except BaseException as error:  # reported to start()'s caller
            self._start_error = error if isinstance(error, errors.EngineError) else errors.EngineError(
                f"the SIP engine could not start: {getattr(error, 'reason', error)}"
            )
            try:
                core.stop()
            except Exception:
                log.exception("cleanup after a failed start")
            self._started.set()
            return
        self._started.set()
        ep = core.endpoint
        assert ep is not None
        try:
            while not self._stopping.is_set():
                ep.libHandleEvents(POLL_MS)
                core.release_finished_calls()
                core.run_due_timers()
                self._run_commands()
        finally:
            self._fail_pending(errors.EngineNotRunning("the SIP engine stopped"))
            # A traceback kept by a caller (a failed Future) keeps this frame alive; this frame must
            # not keep the Endpoint alive with it, or the next Endpoint in this process asserts.
            ep = None
            try:
                core.stop()
            finally:
                self._hub.publish(EngineStopped())

    def _run_commands(self) -> None:
        while True:
            try:
                action, future = self._commands.get_nowait()
            except queue.Empty:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(action())
            except pj.Error as error:
                future.set_exception(errors.CallOperationFailed(str(error.reason or error.title)))
            except errors.EngineError as error:
                # The user-facing message is the whole story; the frames would pin engine objects.
                future.set_exception(error.with_traceback(None))
            except BaseException as error:
                log.exception("engine command failed")
                future.set_exception(error)

    def _fail_pending(self, error: Exception) -> None:
        while True:
            try:
                _, future = self._commands.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(error)

    def _submit(self, action: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        if not self.running:
            future.set_exception(errors.EngineNotRunning("the SIP engine is not running"))
            return future
        self._commands.put((action, future))
        return future

    # --- accounts ---

    def add_account(self, settings: AccountSettings) -> Future[None]:
        return self._submit(lambda: self._core.add_account(settings))

    def remove_account(self, account_id: str) -> Future[None]:
        return self._submit(lambda: self._core.remove_account(account_id))

    def register(self, account_id: str) -> Future[None]:
        return self._submit(lambda: self._core.account(account_id).start_registration())

    def unregister(self, account_id: str) -> Future[None]:
        return self._submit(lambda: self._core.account(account_id).stop_registration())

    def set_dnd(self, enabled: bool, account_id: str | None = None) -> Future[None]:
        def apply() -> None:
            targets = [self._core.account(account_id)] if account_id else list(self._core.accounts.values())
            for account in targets:
                account.dnd = enabled

        return self._submit(apply)

    def network_changed(self) -> Future[None]:
        """The IP address or route may have changed (Wi-Fi switch, VPN, cable): pjsua re-registers and
        re-INVITEs calls; accounts show "reconnecting" until the registrar answers."""
        return self._submit(lambda: connectivity.handle_network_change(self._core))

    def prepare_for_sleep(self) -> Future[None]:
        """Un-REGISTERs every account before the computer sleeps (they register again on `woke_up`)."""
        return self._submit(lambda: connectivity.unregister_for_sleep(self._core))

    def woke_up(self) -> Future[None]:
        return self._submit(lambda: connectivity.register_after_wake(self._core))

    # --- calls ---

    def make_call(self, target: str, account_id: str | None = None, *,
                  allow_foreign_domain: bool = False) -> Future[str]:
        """Call a number, extension or SIP/tel URI. A SIP URI outside the account's domain (and its
        registrar/proxy) fails with errors.ForeignDomain unless `allow_foreign_domain` is True, which
        the caller passes only after the user confirmed the full target (ForeignDomain.uri)."""
        return self._submit(lambda: self._core.make_call(target, account_id, allow_foreign_domain))

    def answer(self, call_id: str | None = None) -> Future[str]:
        def apply() -> str:
            call = self._incoming(call_id)
            call.answer(op_param(200))
            return call.call_id

        return self._submit(apply)

    def reject(self, call_id: str | None = None, code: int = 486) -> Future[None]:
        """Refuse a ringing call: 486 Busy Here, or 603 Decline."""
        return self._submit(lambda: self._incoming(call_id).answer(op_param(code)))

    def hangup(self, call_id: str | None = None) -> Future[None]:
        return self._submit(lambda: self._core.call(call_id).hangup(op_param()))

    def hold(self, call_id: str | None = None) -> Future[None]:
        return self._submit_offer(lambda: self._core.call(call_id), lambda call: call.setHold(op_param()))

    def resume(self, call_id: str | None = None) -> Future[None]:
        def unhold(call: SipCall) -> None:
            prm = op_param()
            prm.opt.flag = pj.PJSUA_CALL_UNHOLD
            call.reinvite(prm)

        return self._submit_offer(lambda: self._held(call_id), unhold)

    def _submit_offer(self, find: Callable[[], SipCall], offer: Callable[[SipCall], None]) -> Future[None]:
        """A re-INVITE the user asked for. pjsua refuses a new SDP offer while another is under way
        (PJ_EINVALIDOP): its own codec-locking re-INVITE right after a peer answered with several codecs,
        or the far end's re-INVITE. The user's hold is not refused for that: it is sent as soon as the
        other offer is done, checked on the engine thread's clock, for up to OFFER_WAIT_S."""
        done: Future[None] = Future()
        deadline = time.monotonic() + OFFER_WAIT_S

        def attempt() -> None:
            try:
                call = find()
                try:
                    offer(call)
                except pj.Error as error:
                    if error.status == _PJ_EINVALIDOP and time.monotonic() < deadline and not call.ended:
                        self._core.call_later(OFFER_RETRY_S, attempt)
                        return
                    raise
            except pj.Error as error:
                done.set_exception(errors.CallOperationFailed(str(error.reason or error.title)))
            except errors.EngineError as error:
                done.set_exception(error.with_traceback(None))
            else:
                done.set_result(None)

        self._submit(attempt).add_done_callback(lambda started: _pass_failure(started, done))
        return done

    def set_mute(self, muted: bool, call_id: str | None = None) -> Future[None]:
        return self._submit(lambda: self._core.call(call_id).set_muted(muted))

    def send_dtmf(self, digits: str, call_id: str | None = None) -> Future[str]:
        if not digits or any(d not in "0123456789*#ABCDabcd" for d in digits):
            future: Future[str] = Future()
            future.set_exception(errors.EngineError(f"{digits!r} is not a DTMF sequence (0-9, *, #, A-D)"))
            return future
        return self._submit(lambda: self._core.call(call_id).send_dtmf(digits))

    def transfer(self, target: str, call_id: str | None = None) -> Future[None]:
        """Blind transfer (RFC 5589 section 6): REFER the far end to `target`."""
        def apply() -> None:
            call = self._core.call(call_id)
            uri = request_uri(target, call.account.settings.domain, transport_param(call.account.settings))
            call.xfer(uri, op_param())

        return self._submit(apply)

    def transfer_attended(self, call_id: str, to_call_id: str) -> Future[None]:
        """Attended transfer (RFC 5589 section 7): REFER `call_id`'s far end to `to_call_id`'s dialog with
        Replaces."""
        def apply() -> None:
            call, consult = self._core.call(call_id), self._core.call(to_call_id)
            call.xferReplaces(consult, op_param())

        return self._submit(apply)

    def merge(self, call_ids: Iterable[str]) -> Future[None]:
        """A local conference: every listed call hears every other and the user (resumes held ones)."""
        ids = list(call_ids)

        def apply() -> None:
            calls = [self._core.call(cid) for cid in ids]
            if len(calls) < 2:
                raise errors.EngineError("a conference needs at least two calls")
            for call in calls:
                if call.media_state is MediaState.LOCAL_HOLD:
                    prm = op_param()
                    prm.opt.flag = pj.PJSUA_CALL_UNHOLD
                    call.reinvite(prm)
            for i, call in enumerate(calls):
                for other in calls[i + 1:]:
                    call.merge(other)
            for call in calls:
                self._core.publish(call.snapshot())

        return self._submit(apply)

    def split(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._core.call(call_id).split())

    def hangup_all(self) -> Future[None]:
        def apply() -> None:
            for call in list(self._core.calls.values()):
                if not call.ended:
                    call.hangup(op_param())

        return self._submit(apply)

    def call_quality(self, call_id: str | None = None) -> Future[CallQuality]:
        return self._submit(lambda: quality_of(self._core.call(call_id)))

    # --- presence and state ---

    def watch_presence(self, uris: Iterable[str], account_id: str | None = None) -> Future[None]:
        """Makes these URIs the account's watched set (numbers and extensions are resolved in its domain);
        only that account's earlier set is replaced. No account: the registered one, else the first."""
        wanted = list(uris)
        return self._submit(lambda: self._core.watch(wanted, account_id))

    def status(self) -> Future[EngineStatus]:
        return self._submit(self._core.status)

    def set_codecs(self, codecs: Iterable[str]) -> Future[None]:
        """The codecs offered from the next call on, in order; codecs not named are disabled."""
        order = tuple(codecs)

        def apply() -> None:
            assert self._core.endpoint is not None
            set_codec_priorities(self._core.endpoint, order)

        return self._submit(apply)

    def codec_priorities(self) -> Future[dict[str, int]]:
        """Every codec pjsua knows and its priority (0: disabled)."""
        def read() -> dict[str, int]:
            assert self._core.endpoint is not None
            return {codec.codecId: codec.priority for codec in self._core.endpoint.codecEnum2()}

        return self._submit(read)

    # --- helpers on the engine thread ---

    def _incoming(self, call_id: str | None) -> SipCall:
        if call_id is not None:
            return self._core.call(call_id)
        ringing = list(self._core.incoming_calls())
        if not ringing:
            raise errors.UnknownCall("no call is ringing")
        return ringing[0]

    def _held(self, call_id: str | None) -> SipCall:
        if call_id is not None:
            return self._core.call(call_id)
        held = [c for c in self._core.calls.values() if not c.ended and c.media_state is MediaState.LOCAL_HOLD]
        if not held:
            raise errors.UnknownCall("no call is on hold")
        return held[-1]


def _pass_failure(source: Future[Any], target: Future[Any]) -> None:
    """`source` failed before it could settle `target` (the engine was not running, or stopped)."""
    error = source.exception()
    if error is not None and not target.done():
        target.set_exception(error)
