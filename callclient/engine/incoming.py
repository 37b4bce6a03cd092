"""What happens to a call that arrives: it rings, or it is refused and the user is told why.

`IncomingCallPolicy` is the one owner of that decision (engine thread only). In order: a call that did not
come through the account's PBX is refused 403 (a scanner, a ghost call, or someone trying auto-answer to
open the microphone), and reported at most once a minute per host; a call beyond the incoming slots is
refused 486, since one slot stays free for the user's own call; do-not-disturb refuses with the account's
configured code. Any other call rings (180), waiting beside a call already up, until the user answers it,
auto-answer does (only with no other call up), or the ring timeout refuses it 480. Calls pjsua refused
before any account saw them (every slot taken, no SRTP offered) are reported in the same words.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from callclient.engine.addresses import party_from_header
from callclient.engine.calls import SipCall, op_param
from callclient.engine.endpoint import MAX_CALLS
from callclient.engine.events import CallDirection, CallRefused, CallState, RefusalReason
from callclient.engine.settings import SrtpPolicy

if TYPE_CHECKING:
    from callclient.engine.accounts import SipAccount
    from callclient.engine.core import EngineCore

log = logging.getLogger(__name__)

# Incoming calls may take all slots but one: the last is kept for the user's own outgoing call, so
# callers (or a scanner that never cancels) can never lock the user out of placing a call.
MAX_INCOMING_CALLS = MAX_CALLS - 1
# A scanner sends INVITEs by the hundred: each is refused, but the user hears of one host's attempts at
# most once a minute, so the missed-call notices cannot be flooded.
_STRANGER_NOTICE_INTERVAL_S = 60.0


class IncomingCallPolicy:
    """Decides, for every call that arrives, whether it rings or is refused (see the module docstring)."""

    def __init__(self, core: EngineCore) -> None:
        self._core = core
        self._stranger_notified: dict[str, float] = {}  # source host -> when its last refusal was reported

    def call_arrived(self, account: SipAccount, pjsua_call_id: int, source: str) -> None:
        """An INVITE for `account` from `source` ("ip:port"), which pjsua has let through."""
        core = self._core
        others = [c for c in core.calls.values() if not c.ended]
        others_up = any(c.state is not CallState.DISCONNECTED for c in others)
        call = core.adopt_call(account, CallDirection.INCOMING, pjsua_call_id)
        call.refresh_remote()
        call.waiting = others_up
        if not account.accepts_requests_from(source):
            # Only the PBX may ring this phone: a direct INVITE is a scanner, a ghost call, or (with
            # auto-answer) someone trying to open the microphone.
            self._refuse(call, 403, RefusalReason.NOT_FROM_PBX, _not_from_pbx_text(source),
                         self._first_notice_from(source))
            return
        if len(others) >= MAX_INCOMING_CALLS:
            self._refuse(call, 486, RefusalReason.TOO_MANY_CALLS,
                         f"refused: {len(others)} calls were already up or ringing")
            return
        if account.dnd:
            self._refuse(call, int(account.settings.dnd_response), RefusalReason.DO_NOT_DISTURB,
                         "refused while do-not-disturb was on")
            return
        call.answer(op_param(180))
        call.ring_timer = core.call_later(core.settings.incoming_ring_timeout_s, lambda: self._ring_timeout(call))
        core.publish(call.snapshot())
        if account.settings.auto_answer and not others_up:
            call.answer(op_param(200))
        core.update_own_presence()

    def pjsua_refused(self, code: int, reason: str, local: str, remote: str, source: str) -> None:
        """pjsua answered an INVITE with `code` before any account saw it; `local` and `remote` are its
        To and From headers."""
        account = self._account_for(local)
        if account is None:
            return
        if not account.accepts_requests_from(source):
            # pjsua refused it first (e.g. no SRTP), but it is a stranger's call like any other.
            if self._first_notice_from(source):
                self._core.publish(CallRefused(account.account_id, party_from_header(remote),
                                               RefusalReason.NOT_FROM_PBX, code, _not_from_pbx_text(source)))
            return
        kind, words = RefusalReason.MEDIA_MISMATCH, f"refused: the caller's phone could not agree on audio ({code} {reason})"
        if code == 488 and account.settings.srtp is SrtpPolicy.MANDATORY:
            kind, words = RefusalReason.ENCRYPTION_REQUIRED, "refused: the caller's phone does not encrypt audio"
        elif code == 486:  # pjsua's answer when every call slot is taken
            kind, words = RefusalReason.TOO_MANY_CALLS, "refused: too many calls were already up or ringing"
        self._core.publish(CallRefused(account.account_id, party_from_header(remote), kind, code, words))

    def _refuse(self, call: SipCall, code: int, reason: RefusalReason, reason_text: str, notify: bool = True) -> None:
        """Refuse an incoming call without ringing; the user learns of it through CallRefused."""
        call.refused_silently = True
        log.info("refused a call from %s with %d: %s", call.remote.uri, code, reason_text)
        if notify:
            self._core.publish(CallRefused(call.account.account_id, call.remote, reason, code, reason_text))
        call.answer(op_param(code))

    def _first_notice_from(self, source: str) -> bool:
        """Whether a refusal of a stranger at `source` is reported: once a minute per host at most."""
        host = source.rsplit(":", 1)[0]
        now = time.monotonic()
        last = self._stranger_notified.get(host)
        if last is not None and now - last < _STRANGER_NOTICE_INTERVAL_S:
            return False
        self._stranger_notified[host] = now
        return True

    def _ring_timeout(self, call: SipCall) -> None:
        call.ring_timer = None
        if not call.ended and call.state is CallState.INCOMING:
            log.info("%s rang %.0f s unanswered: refusing it", call.call_id, self._core.settings.incoming_ring_timeout_s)
            call.answer(op_param(480))

    def _account_for(self, local_uri: str) -> SipAccount | None:
        user = party_from_header(local_uri).number
        for account in self._core.accounts.values():
            if account.settings.user == user:
                return account
        return next(iter(self._core.accounts.values()), None)


def _not_from_pbx_text(source: str) -> str:
    return f"refused: the call came straight from {source}, not through your phone system"
