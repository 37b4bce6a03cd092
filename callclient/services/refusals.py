"""Calls the engine refused by policy (SRTP required but not offered, do-not-disturb, not from the PBX, too
many calls): they never rang, so without this the user would never learn that someone tried to reach them.

This service is the only owner of those notices. It keeps them in memory for this run only — call history
stays on the PBX and nothing of it is stored on the device — until the user dismisses them, and keeps none
while the admin has turned the notices off (`policy.refused_call_notices = false`). The window reads
`notices()` when the engine's `CallRefused` reaches it through the news (the core-events pump hands each
event to this service before the front ends hear of it).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from callclient.engine.events import CallRefused, Party, RefusalReason
from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, ENGINE_EVENTS, runs_on

SETTING = "policy.refused_call_notices"
# A flood of refused calls (a scanner the engine did not rate-limit, say) keeps only the latest ones:
# enough for a person to read, bounded in memory.
MAX_NOTICES = 50


@dataclass(frozen=True)
class RefusedCall:
    notice_id: int
    account_id: str
    party: Party
    reason: RefusalReason
    code: int  # the SIP status sent to the caller
    reason_text: str  # the engine's words: "refused while do-not-disturb was on"
    refused_at: float  # time.time()


class RefusedCalls:
    def __init__(self, notices_wanted: Callable[[], bool]) -> None:
        """`notices_wanted()` reads `policy.refused_call_notices` from the configuration in force."""
        self._notices_wanted = notices_wanted
        self._lock = threading.Lock()
        self._notices: list[RefusedCall] = []
        self._ids = itertools.count(1)

    @runs_on(ENGINE_EVENTS)
    def on_engine_event(self, event: object) -> None:
        if not isinstance(event, CallRefused) or not self._notices_wanted():
            return
        notice = RefusedCall(next(self._ids), event.account_id, event.party, event.reason, event.code,
                             event.reason_text, time.time())
        with self._lock:
            self._notices.append(notice)
            del self._notices[:-MAX_NOTICES]

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        """Turning the notices off also drops the ones already kept: the admin said not to show them."""
        if change.touches(SETTING) and not self._notices_wanted():
            self.dismiss_all()

    @runs_on(ANY_THREAD)
    def notices(self) -> tuple[RefusedCall, ...]:
        """The refused calls not dismissed yet, oldest first."""
        with self._lock:
            return tuple(self._notices)

    @runs_on(ANY_THREAD)
    def dismiss(self, notice_id: int) -> None:
        with self._lock:
            self._notices = [n for n in self._notices if n.notice_id != notice_id]

    @runs_on(ANY_THREAD)
    def dismiss_all(self) -> None:
        with self._lock:
            self._notices.clear()
