"""Call actions: the one place that answers, declines, hangs up, holds, mutes, sends tones, transfers and
places calls — for the window, the control socket, the CLI, and later headset buttons and hotkeys alike.

It also keeps the one record of the live calls (`LiveCalls`), fed from the engine's events on Core's
events thread before anyone else hears of them: alerting, the call view and the control socket read it,
none keeps its own. Commands return the engine's Futures (resolved on the engine thread); nothing here
blocks except the `*_now` conveniences the control socket uses from its own threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from callclient.engine import events as ev
from callclient.engine.errors import ForeignDomain
from callclient.engine.status import CallQuality, EngineStatus
from callclient.services.dialplan import DialPlan
from callclient.services.threads import ANY_THREAD, ENGINE_EVENTS, runs_on

log = logging.getLogger(__name__)


class LiveCalls:
    """The calls that are up or ringing, by id, and which one the user is on ("current")."""

    def __init__(self) -> None:
        self._calls: dict[str, ev.CallUpdated] = {}
        self._current: str | None = None
        self._lock = threading.Lock()

    @runs_on(ENGINE_EVENTS)
    def follow(self, event: object) -> None:
        with self._lock:
            if isinstance(event, ev.CallUpdated):
                if event.state is ev.CallState.DISCONNECTED:
                    return
                self._calls[event.call_id] = event
                current = self._calls.get(self._current or "")
                if event.state is not ev.CallState.INCOMING and (
                        current is None or current.state is ev.CallState.INCOMING
                        # a call taken off hold (or answered while the other waits on hold) becomes current
                        or (event.media is ev.MediaState.ACTIVE and current.media is ev.MediaState.LOCAL_HOLD
                            and event.call_id != self._current)):
                    self._current = event.call_id
            elif isinstance(event, ev.CallEnded):
                self._calls.pop(event.call_id, None)
                if self._current == event.call_id:
                    self._current = next((c.call_id for c in self._calls.values()
                                          if c.state is not ev.CallState.INCOMING), None)

    def all(self) -> dict[str, ev.CallUpdated]:
        with self._lock:
            return dict(self._calls)

    def answered(self) -> dict[str, ev.CallUpdated]:
        """Calls past ringing here: what the call view shows (a ringing call belongs to the incoming window)."""
        with self._lock:
            return {i: c for i, c in self._calls.items() if c.state is not ev.CallState.INCOMING}

    def ringing(self) -> list[ev.CallUpdated]:
        with self._lock:
            return [c for c in self._calls.values() if c.state is ev.CallState.INCOMING]

    @property
    def current_id(self) -> str | None:
        with self._lock:
            return self._current

    def select(self, call_id: str) -> bool:
        with self._lock:
            if call_id in self._calls and self._calls[call_id].state is not ev.CallState.INCOMING:
                self._current = call_id
                return True
            return False


class CallActions:
    """`dialplan()` gives the dial plan in force (None: dial as typed); `key_clicked(digit)` plays key feedback."""

    def __init__(self, engine: Any, dialplan: Callable[[], DialPlan | None] = lambda: None,
                 key_clicked: Callable[[str], None] | None = None) -> None:
        self._engine = engine
        self._dialplan = dialplan
        self._key_clicked = key_clicked
        self.calls = LiveCalls()
        # Whoever owns do-not-disturb (services/my_status.py: the user's status, on the PBX where there is one).
        # Set by Core; `set_dnd` asks it, so the CLI and scripts change the status, not only the engine.
        self.dnd_owner: Callable[[bool], Future[None]] | None = None

    @runs_on(ENGINE_EVENTS)
    def on_engine_event(self, event: object) -> None:
        self.calls.follow(event)

    # ---------------------------------------------------------------- placing and answering

    @runs_on(ANY_THREAD)
    def place_call(self, target: str, account_id: str | None = None, *,
                   allow_foreign_domain: bool = False) -> Future[str]:
        """The Future fails with ForeignDomain (services.types; `.uri` is the full target) when the target is
        outside the account's domain: a front end shows that URI to the user and calls again with
        `allow_foreign_domain=True` only if the user confirms; a script must pass it deliberately."""
        plan = self._dialplan()
        dialled = plan.dial_string(target) if plan is not None else target
        if dialled != target:
            log.info("dialling %s as %s (dial plan)", target, dialled)
        placed = self._engine.make_call(dialled, account_id or None, allow_foreign_domain=allow_foreign_domain)
        placed.add_done_callback(_log_foreign_refusal)
        return placed

    @runs_on(ANY_THREAD)
    def answer(self, call_id: str | None = None) -> Future[str]:
        """Answers `call_id` (or the ringing call), holding the call the user is on first: never two live calls."""
        target = call_id or self._ringing_id()
        if target is not None and self.calls.answered() and self.calls.current_id not in (None, target):
            return self.hold_and_answer(target)
        return self._engine.answer(target)

    @runs_on(ANY_THREAD)
    def hold_and_answer(self, call_id: str) -> Future[str]:
        current = self.calls.current_id
        if current is None or current == call_id:
            return self._engine.answer(call_id)
        answered: Future[str] = Future()

        def then_answer(_held: Future) -> None:  # on the engine thread: submit, never wait
            if _held.exception() is not None:
                log.info("holding %s before answering failed: %s", current, _held.exception())
            _chain(self._engine.answer(call_id), answered)

        self._engine.hold(current).add_done_callback(then_answer)
        return answered

    @runs_on(ANY_THREAD)
    def decline(self, call_id: str | None = None, code: int = 603) -> Future[None]:
        return self._engine.reject(call_id or self._ringing_id(), code)

    # ---------------------------------------------------------------- the call the user is on

    @runs_on(ANY_THREAD)
    def hang_up(self, call_id: str | None = None) -> Future[None]:
        return self._engine.hangup(call_id or self.calls.current_id)

    @runs_on(ANY_THREAD)
    def hold(self, call_id: str | None = None) -> Future[None]:
        return self._engine.hold(call_id or self.calls.current_id)

    @runs_on(ANY_THREAD)
    def resume(self, call_id: str | None = None) -> Future[None]:
        return self._engine.resume(call_id or self.calls.current_id)

    @runs_on(ANY_THREAD)
    def set_mute(self, muted: bool, call_id: str | None = None) -> Future[None]:
        return self._engine.set_mute(muted, call_id or self.calls.current_id)

    @runs_on(ANY_THREAD)
    def toggle_mute(self, call_id: str | None = None) -> Future[None]:
        call = self.calls.all().get(call_id or self.calls.current_id or "")
        return self.set_mute(not (call.muted if call is not None else False), call_id)

    @runs_on(ANY_THREAD)
    def send_dtmf(self, digits: str, call_id: str | None = None) -> Future[str]:
        if self._key_clicked is not None:
            for digit in digits:
                self._key_clicked(digit)
        return self._engine.send_dtmf(digits, call_id or self.calls.current_id)

    @runs_on(ANY_THREAD)
    def transfer(self, target: str, call_id: str | None = None) -> Future[None]:
        plan = self._dialplan()
        return self._engine.transfer(plan.dial_string(target) if plan is not None else target,
                                     call_id or self.calls.current_id)

    @runs_on(ANY_THREAD)
    def transfer_attended(self, call_id: str, to_call_id: str) -> Future[None]:
        return self._engine.transfer_attended(call_id, to_call_id)

    @runs_on(ANY_THREAD)
    def merge(self, call_ids: list[str] | None = None) -> Future[None]:
        return self._engine.merge(call_ids if call_ids is not None else list(self.calls.answered()))

    @runs_on(ANY_THREAD)
    def select(self, call_id: str) -> bool:
        return self.calls.select(call_id)

    @runs_on(ANY_THREAD)
    def set_dnd(self, enabled: bool) -> Future[None]:
        """Do not disturb as the user asks for it (the CLI's `dnd`): the owner decides (my status)."""
        if self.dnd_owner is not None:
            return self.dnd_owner(enabled)
        return self._engine.set_dnd(enabled)

    @runs_on(ANY_THREAD)
    def apply_dnd(self, enabled: bool) -> Future[None]:
        """The engine's local policy (refuse before ringing): for the DND owner only."""
        return self._engine.set_dnd(enabled)

    @runs_on(ANY_THREAD)
    def hang_up_all(self) -> Future[None]:
        return self._engine.hangup_all()

    # ---------------------------------------------------------------- what is going on

    @runs_on(ANY_THREAD)
    def status(self) -> Future[EngineStatus]:
        return self._engine.status()

    @runs_on(ANY_THREAD)
    def quality(self, call_id: str) -> Future[CallQuality]:
        return self._engine.call_quality(call_id)

    @property
    def running(self) -> bool:
        return bool(self._engine.running)

    def _ringing_id(self) -> str | None:
        ringing = self.calls.ringing()
        return ringing[0].call_id if ringing else None


def _log_foreign_refusal(placed: Future) -> None:
    error = None if placed.cancelled() else placed.exception()
    if isinstance(error, ForeignDomain):
        log.warning("not calling %s without the user's confirmation: %s", error.uri, error)


def _chain(source: Future, target: Future) -> None:
    def copy(done: Future) -> None:
        if done.cancelled():
            target.cancel()
        elif done.exception() is not None:
            target.set_exception(done.exception())
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)
