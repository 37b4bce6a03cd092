"""One SIP call on the engine thread: its state, media wiring, DTMF and transfers."""

from __future__ import annotations

import collections
import logging
import re
import time
from typing import TYPE_CHECKING

import pjsua2 as pj

from callclient.engine.accounts import registrar_host
from callclient.engine.addresses import party_from_header
from callclient.engine.events import (
    CallDirection,
    CallEnded,
    CallState,
    CallUpdated,
    DtmfReceived,
    MediaState,
    Party,
    TransferProgress,
    TransferRefused,
)
from callclient.engine.reasons import call_end_reason

if TYPE_CHECKING:
    from callclient.engine.accounts import SipAccount
    from callclient.engine.core import EngineCore

log = logging.getLogger(__name__)

_STATES = {
    pj.PJSIP_INV_STATE_NULL: CallState.CALLING,
    pj.PJSIP_INV_STATE_CALLING: CallState.CALLING,
    pj.PJSIP_INV_STATE_INCOMING: CallState.INCOMING,
    pj.PJSIP_INV_STATE_EARLY: CallState.EARLY,
    pj.PJSIP_INV_STATE_CONNECTING: CallState.CONNECTING,
    pj.PJSIP_INV_STATE_CONFIRMED: CallState.CONFIRMED,
    pj.PJSIP_INV_STATE_DISCONNECTED: CallState.DISCONNECTED,
}
_MEDIA = {
    pj.PJSUA_CALL_MEDIA_NONE: MediaState.NONE,
    pj.PJSUA_CALL_MEDIA_ACTIVE: MediaState.ACTIVE,
    pj.PJSUA_CALL_MEDIA_LOCAL_HOLD: MediaState.LOCAL_HOLD,
    pj.PJSUA_CALL_MEDIA_REMOTE_HOLD: MediaState.REMOTE_HOLD,
    pj.PJSUA_CALL_MEDIA_ERROR: MediaState.ERROR,
}
_DTMF_METHODS = {pj.PJSUA_DTMF_METHOD_RFC2833: "rfc4733", pj.PJSUA_DTMF_METHOD_SIP_INFO: "sip-info"}


_FROM_HEADER = re.compile(r"^(?:from|f)\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)


def _from_uri(message: str) -> str:
    match = _FROM_HEADER.search(message.split("\r\n\r\n", 1)[0])
    return party_from_header(match.group(1).strip()).uri if match else ""


def op_param(status_code: int = 0, reason: str = "") -> pj.CallOpParam:
    prm = pj.CallOpParam(True)  # True: fill in default call settings (one audio stream)
    if status_code:
        prm.statusCode = status_code
    if reason:
        prm.reason = reason
    return prm


class SipCall(pj.Call):
    """Owned by the engine core, which keeps it alive until pjsua has finished with it."""

    def __init__(self, core: EngineCore, account: SipAccount, call_id: str, direction: CallDirection,
                 pjsua_call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(account, pjsua_call_id)
        self.core = core
        self.account = account
        self.call_id = call_id
        self.direction = direction
        self._info_digits: collections.deque[str] = collections.deque()  # SIP INFO DTMF still to send
        self._info_in_flight = False
        self._info_answered: object = None
        self.state = CallState.INCOMING if direction is CallDirection.INCOMING else CallState.CALLING
        self.media_state = MediaState.NONE
        self.remote = Party(uri="", display_name="", number="")
        self.muted = False
        self.waiting = False
        self.refused_silently = False  # refused by policy: never shown as ringing, only as ended
        self.ring_timer: object | None = None  # refuses an incoming call left ringing too long
        self.merged_with: set[SipCall] = set()
        self.connected_at: float | None = None
        self.ended = False
        self._audio: pj.AudioMedia | None = None
        # The audio's pjmedia_stream (a C pointer) while pjsua has one: what Opus's FEC follower modifies.
        self.stream: int | None = None
        self.stream_index = 0

    # --- queries ---

    def duration_s(self) -> float:
        return 0.0 if self.connected_at is None else time.monotonic() - self.connected_at

    def is_live(self) -> bool:
        return not self.ended

    def snapshot(self) -> CallUpdated:
        return CallUpdated(
            call_id=self.call_id,
            account_id=self.account.account_id,
            direction=self.direction,
            state=self.state,
            remote=self.remote,
            media=self.media_state,
            muted=self.muted,
            waiting=self.waiting,
        )

    def refresh_remote(self) -> None:
        try:
            self.remote = party_from_header(self.getInfo().remoteUri)
        except pj.Error as error:
            log.debug("no call info for %s: %s", self.call_id, error.reason)

    # --- commands (engine thread) ---

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        self._connect_audio()
        self.core.publish(self.snapshot())

    def send_dtmf(self, digits: str) -> str:
        """RFC 4733 events in the RTP stream; SIP INFO when the far end did not offer telephone-event."""
        prm = pj.CallSendDtmfParam()
        prm.digits = digits
        prm.method = pj.PJSUA_DTMF_METHOD_RFC2833
        try:
            self.sendDtmf(prm)
            return "rfc4733"
        except pj.Error as error:
            log.info("RFC 4733 DTMF refused on %s (%s); sending SIP INFO", self.call_id, error.reason)
        # One INFO at a time: pjsua would send every digit at once as parallel transactions, which the
        # network (or a busy far end) may deliver out of order; the next goes when the last is answered.
        self._info_digits.extend(digits)
        if not self._info_in_flight:
            self._send_next_info_digit()
        return "sip-info"

    def _send_next_info_digit(self) -> None:
        if not self._info_digits:
            self._info_in_flight = False
            return
        prm = pj.CallSendDtmfParam()
        prm.digits = self._info_digits.popleft()
        prm.method = pj.PJSUA_DTMF_METHOD_SIP_INFO
        self._info_in_flight = True
        try:
            self.sendDtmf(prm)
        except pj.Error as error:
            log.warning("SIP INFO DTMF failed on %s: %s", self.call_id, error.reason)
            self._info_digits.clear()
            self._info_in_flight = False

    def onCallTsxState(self, prm: pj.OnCallTsxStateParam) -> None:  # noqa: N802 - pjsua2's name
        event = prm.e
        if not self._info_in_flight or event.type != pj.PJSIP_EVENT_TSX_STATE:
            return
        tsx = event.body.tsxState.tsx
        if tsx.method == "INFO" and tsx.role == pj.PJSIP_ROLE_UAC and tsx.state in (
                pj.PJSIP_TSX_STATE_COMPLETED, pj.PJSIP_TSX_STATE_TERMINATED):
            if tsx.pjTransaction == self._info_answered:
                return  # COMPLETED then TERMINATED: one answer, one next digit
            self._info_answered = tsx.pjTransaction
            self._send_next_info_digit()

    def merge(self, other: SipCall) -> None:
        self.merged_with.add(other)
        other.merged_with.add(self)
        self._connect_audio()
        other._connect_audio()

    def split(self) -> None:
        for other in list(self.merged_with):
            other.merged_with.discard(self)
            if self._audio is not None and other._audio is not None:
                self._stop(self._audio, other._audio)
                self._stop(other._audio, self._audio)
        self.merged_with.clear()

    # --- media wiring ---

    def _connect_audio(self) -> None:
        """(Re)wire this call on the conference bridge: mic -> call, call -> speaker, call <-> merged calls."""
        audio = self._audio
        if audio is None:
            return
        capture, playback = self.core.audio.capture, self.core.audio.playback
        on_hold = self.media_state in (MediaState.LOCAL_HOLD, MediaState.NONE, MediaState.ERROR)
        if self.muted or on_hold:
            self._stop(capture, audio)
        else:
            capture.startTransmit(audio)
        if on_hold:
            self._stop(audio, playback)
        else:
            audio.startTransmit(playback)
        for other in self.merged_with:
            if other._audio is None:
                continue
            if on_hold:
                self._stop(audio, other._audio)
                self._stop(other._audio, audio)
            else:
                audio.startTransmit(other._audio)
                if not other.muted:
                    other._audio.startTransmit(audio)

    @staticmethod
    def _stop(source: pj.AudioMedia, sink: pj.AudioMedia) -> None:
        try:
            source.stopTransmit(sink)
        except pj.Error:
            pass  # not connected: nothing to undo

    # --- pjsua2 callbacks (engine thread) ---

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        info = self.getInfo()
        self.remote = party_from_header(info.remoteUri)
        state = _STATES.get(info.state, self.state)
        if self.direction is CallDirection.INCOMING and state is CallState.EARLY:
            state = CallState.INCOMING  # we sent 180: for the user it is still ringing here
        self.state = state
        if self.state is CallState.CONFIRMED and self.connected_at is None:
            self.connected_at = time.monotonic()
            self.waiting = False
        if self.state is CallState.DISCONNECTED:
            self._finish(int(info.lastStatusCode), str(info.lastReason))
            return
        if not self.refused_silently:
            self.core.publish(self.snapshot())

    def _finish(self, code: int, reason: str) -> None:
        if self.ended:
            return
        self.ended = True
        answered = self.connected_at is not None
        duration = self.duration_s()
        self.split()
        self._audio = None
        if not self.refused_silently:
            self.core.publish(self.snapshot())
        self.core.publish(
            CallEnded(
                call_id=self.call_id,
                account_id=self.account.account_id,
                direction=self.direction,
                remote=self.remote,
                code=code,
                reason=call_end_reason(code, reason, answered, self._certificate_status(),
                                       self.account.settings.outbound_proxy or self.account.settings.domain),
                duration_s=duration,
                answered=answered,
            )
        )
        self.core.call_finished(self)

    def _certificate_status(self) -> int:
        settings = self.account.settings
        return self.core.certificate_failure_for(settings.outbound_proxy or registrar_host(settings))

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        info = self.getInfo()
        state = MediaState.NONE
        for media in info.media:
            if media.type != pj.PJMEDIA_TYPE_AUDIO:
                continue
            state = _MEDIA.get(media.status, MediaState.ERROR)
            if media.status in (pj.PJSUA_CALL_MEDIA_ACTIVE, pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
                                pj.PJSUA_CALL_MEDIA_LOCAL_HOLD):
                self._audio = self.getAudioMedia(media.index)
            break
        self.media_state = state
        self._connect_audio()
        self.core.publish(self.snapshot())

    def onStreamCreated(self, prm: pj.OnStreamCreatedParam) -> None:
        self.stream, self.stream_index = int(prm.stream), int(prm.streamIdx)

    def onStreamDestroyed(self, prm: pj.OnStreamDestroyedParam) -> None:
        if int(prm.streamIdx) == self.stream_index:
            self.stream = None

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        self.core.publish(DtmfReceived(self.call_id, str(prm.digit), _DTMF_METHODS.get(prm.method, "rfc4733")))

    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:
        code = int(prm.statusCode)
        final = bool(prm.finalNotify)
        self.core.publish(TransferProgress(self.call_id, code, str(prm.reason), final))
        if final and 200 <= code < 300 and not self.ended:
            # The far end reached the transfer target: our leg has nothing more to carry (RFC 5589 6.1).
            self.hangup(op_param())

    def onCallTransferRequest(self, prm: pj.OnCallTransferRequestParam) -> None:
        target = str(prm.dstUri)
        if not self.account.domain.contains(target):
            # Following a REFER to another host would send it an INVITE (and our digest if it asked):
            # a far end must not steer us outside the account's domain.
            log.info("refused a REFER on %s to %s: outside the account's domain", self.call_id, target)
            prm.statusCode = 403
            self.core.publish(TransferRefused(self.call_id, target,
                                              "refused: the other party tried to transfer you outside your phone system"))
            return
        # We are the transferee: the REFER's target gets its own call object, so its events flow.
        prm.statusCode = 202
        prm.newCall = self.core.adopt_call(self.account, CallDirection.OUTGOING)

    def onCallReplaceRequest(self, prm: pj.OnCallReplaceRequestParam) -> None:
        source = str(prm.rdata.srcAddress)
        caller = _from_uri(str(prm.rdata.wholeMsg))
        if not self.account.accepts_requests_from(source) or not self.account.domain.contains(caller):
            log.info("refused an INVITE with Replaces for %s from %s (%s)", self.call_id, caller, source)
            prm.statusCode = 403
            prm.reason = "Forbidden"
            self.core.publish(TransferRefused(self.call_id, caller,
                                              "refused: a caller outside your phone system tried to take over this call"))
            return
        prm.statusCode = 200

    def onCallReplaced(self, prm: pj.OnCallReplacedParam) -> None:
        # An INVITE with Replaces took this call's place (attended transfer towards us).
        prm.newCall = self.core.adopt_call(self.account, CallDirection.INCOMING, prm.newCallId)
