"""Call forwarding, kept on the phone system: the one owner of what the app believes the user's forwards
are. The PBX's answer is the truth: every change is sent, then read back, and what was read is what the
windows show (so a refused change never leaves a forward shown that the PBX does not have).

Destinations go through the dial plan (callclient/services/dialplan.py) before they reach the PBX: the
PBX dials them as stored, so they carry the outside-line prefix the user's phone would dial, and junk
(letters, an emergency number, a number that cannot exist) is refused here with a message naming it.

Changes made elsewhere (a desk phone's feature code, the web app) arrive as `ForwardsChanged` on the PBX's
update thread, and after a websocket gap or a sign-in; the forwards are then read again on this service's
own thread and published as `ForwardingChanged` on the news stream.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any


from callclient.pbx.errors import PbxBadResponse, PbxError
from callclient.pbx.forwards import Forward, ForwardKind, Forwards, ForwardsChanged
from callclient.pbx.service import ServiceState, StateChanged
from callclient.services.dialplan import EXTENSION_MAX_DIGITS, DialPlan
from callclient.services.threads import ANY_THREAD, CALLER, PBX_UPDATES, WORKER, runs_on

log = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"[\s().\-/]")
_DIAL_STRING = re.compile(r"^\+?[0-9*#]+$")
MAX_DESTINATION_DIGITS = 20  # E.164 allows 15 digits; prefixes and feature codes add a few
RING_SECONDS_RANGE = (5, 120)


class ForwardingRefused(Exception):
    """A forwarding change that cannot be made; the message says why in words a user can act on."""


@dataclass(frozen=True)
class ForwardingChanged:
    """News: the user's forwards as the PBX now has them; None when no PBX holds forwards (signed out,
    SIP-only). `problem`: why the last change was refused, when it was."""

    forwards: Forwards | None
    problem: str = ""


class Forwarding:
    def __init__(self, pbx: Any, dialplan: Callable[[], DialPlan], publish: Callable[[object], None]) -> None:
        self._pbx = pbx  # services.pbx_events.PbxEvents: the PBX in use now (it changes at sign-in)
        self._dialplan = dialplan
        self._publish = publish
        self._lock = threading.Lock()
        self._current: Forwards | None = None
        self._worker: ThreadPoolExecutor | None = None

    # ---------------------------------------------------------------- life

    @runs_on(CALLER)
    def start(self) -> None:
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="forwarding")
        if self.available:
            self.refresh_in_background()

    @runs_on(CALLER)
    def stop(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown(wait=True, cancel_futures=True)

    # ---------------------------------------------------------------- state

    @property
    def available(self) -> bool:
        """Whether the PBX in use stores forwards and is signed in (Wazo); SIP-only accounts have none."""
        service = self._pbx.service
        return service is not None and hasattr(service, "forwards") and service.state in (
            ServiceState.ONLINE, ServiceState.OFFLINE)

    @property
    def current(self) -> Forwards | None:
        """The forwards as last read from the PBX (None before the first read, or without a PBX)."""
        with self._lock:
            return self._current

    # ---------------------------------------------------------------- reading

    @runs_on(WORKER)
    def refresh(self) -> Forwards:
        """Reads the forwards from the PBX, keeps and publishes them. Raises ForwardingRefused."""
        try:
            forwards = self._backend().read()
        except PbxError as error:
            raise ForwardingRefused(f"Could not read your call forwarding: {error}") from error
        self._keep(forwards)
        return forwards

    @runs_on(ANY_THREAD)
    def refresh_in_background(self) -> Future[Forwards] | None:
        worker = self._worker
        if worker is None:
            return None
        try:
            future = worker.submit(self.refresh)
        except RuntimeError:
            return None  # shutting down
        future.add_done_callback(_log_failure)
        return future

    @runs_on(PBX_UPDATES)
    def on_pbx_event(self, event: object) -> None:
        """Forwards changed on the PBX, a websocket gap, or a sign-in/out: read again (never on this thread,
        which carries every other PBX event)."""
        if isinstance(event, ForwardsChanged):
            self.refresh_in_background()
        elif isinstance(event, StateChanged):
            if event.state is ServiceState.ONLINE:
                self.refresh_in_background()
            elif event.state in (ServiceState.SIGNED_OUT, ServiceState.SIGN_IN_REQUIRED, ServiceState.NO_API):
                self._keep(None)

    # ---------------------------------------------------------------- changing

    @runs_on(ANY_THREAD)
    def destination_for(self, typed: str) -> str:
        """What the PBX should dial for the destination the user typed, or ForwardingRefused naming the
        problem. Extensions stay as typed; outside numbers get the dial plan's prefix and region rules."""
        text = typed.strip()
        if not text:
            raise ForwardingRefused("Enter the number or extension to forward your calls to.")
        shown = text if len(text) <= 40 else text[:39] + "…"
        number = _SEPARATORS.sub("", text)
        if not _DIAL_STRING.match(number):
            raise ForwardingRefused(f"“{_printable(shown)}” is not a phone number or extension: calls can be "
                                    "forwarded only to digits (with + in front, or * and #).")
        digits = number.lstrip("+")
        if len(digits) > MAX_DESTINATION_DIGITS:
            raise ForwardingRefused(f"“{shown}” is too long for a phone number ({len(digits)} digits).")
        plan = self._dialplan()
        if plan.is_emergency(number):
            raise ForwardingRefused(f"Calls cannot be forwarded to the emergency number {number}.")
        national = len(number) > EXTENSION_MAX_DIGITS and number.isdigit() and bool(plan.region)
        if number.startswith("+") or national:
            import phonenumbers  # on first use, not at start-up (~40 ms)

            try:
                parsed = phonenumbers.parse(number, plan.region if national else None)
            except phonenumbers.NumberParseException:
                parsed = None
            if parsed is None or not phonenumbers.is_possible_number(parsed):
                raise ForwardingRefused(f"“{shown}” is not a possible phone number.")
        return plan.dial_string(number)

    @runs_on(WORKER)
    def apply(self, forwards: Forwards) -> Forwards:
        """Sends all three forwards (and the ring time) to the PBX, then reads back what it stored.

        Destinations of enabled forwards are checked first (ForwardingRefused before any request); a PBX
        refusal raises ForwardingRefused after the forwards were read again, so `current` is the PBX's."""
        checked = self._checked(forwards)
        before = self.current
        ring_changed = checked.ring_seconds is not None and (
            before is None or before.ring_seconds != checked.ring_seconds)
        return self._write(lambda backend: backend.write(checked, ring_changed))

    @runs_on(WORKER)
    def forward_all_to(self, typed: str) -> Forwards:
        """The tray's "Forward all calls to…": unconditional forwarding on, the other forwards untouched."""
        return self._change_one(ForwardKind.UNCONDITIONAL, Forward(True, self.destination_for(typed)))

    @runs_on(WORKER)
    def stop_forwarding_all(self) -> Forwards:
        """Unconditional forwarding off; its destination stays on the PBX for next time."""
        current = self.current or self.refresh()
        return self._change_one(ForwardKind.UNCONDITIONAL, replace(current.unconditional, enabled=False))

    def _change_one(self, kind: ForwardKind, forward: Forward) -> Forwards:
        return self._write(lambda backend: backend.write_one(kind, forward))

    def _write(self, write: Callable[[Any], None]) -> Forwards:
        """Hands the PBX's forwards backend one change, then reads back what the PBX stored; a PBX refusal
        becomes ForwardingRefused (see `_refused`)."""
        backend = self._backend()
        try:
            write(backend)
        except PbxError as error:
            raise self._refused(error) from error
        return self.refresh()

    def _checked(self, forwards: Forwards) -> Forwards:
        checked = forwards
        for kind in ForwardKind:
            forward = forwards.of(kind)
            if forward.enabled:
                try:
                    destination = self.destination_for(forward.destination)
                except ForwardingRefused as refused:
                    raise ForwardingRefused(f"{_label(kind)}: {refused}") from None
                checked = checked.with_forward(kind, Forward(True, destination))
            elif forward.destination.strip():
                checked = checked.with_forward(kind, Forward(False, forward.destination.strip()))
        if checked.ring_seconds is not None and not (
                RING_SECONDS_RANGE[0] <= checked.ring_seconds <= RING_SECONDS_RANGE[1]):
            raise ForwardingRefused(f"Ring for {RING_SECONDS_RANGE[0]} to {RING_SECONDS_RANGE[1]} seconds before "
                                    f"forwarding, not {checked.ring_seconds}.")
        return checked

    def _refused(self, error: PbxError) -> ForwardingRefused:
        """The PBX said no: read its state again (best effort) so the windows show what it kept."""
        if isinstance(error, PbxBadResponse) and error.status == 400:
            detail = re.search(r"\(HTTP 400: (.*)\); try again later\.$", str(error))
            message = (f"The phone system refused this forwarding: {detail.group(1) if detail else 'invalid data'}"
                       " (400 Bad Request).")
        else:
            message = f"Call forwarding was not changed: {error}"
        try:
            forwards = self._backend().read()
        except PbxError as reread:
            log.info("forwards not read back after a refusal: %s", reread)
            forwards = self.current
        self._keep(forwards, problem=message)
        return ForwardingRefused(message)

    # ---------------------------------------------------------------- internals

    def _backend(self) -> Any:
        service = self._pbx.service
        if service is None or not hasattr(service, "forwards"):
            raise ForwardingRefused("Call forwarding is kept on the phone system, and this account has no "
                                    "phone-system sign-in (SIP only): set it on your desk phone instead.")
        return service.forwards

    def _keep(self, forwards: Forwards | None, problem: str = "") -> None:
        with self._lock:
            changed = forwards != self._current
            self._current = forwards
        if changed or problem:
            self._publish(ForwardingChanged(forwards, problem))


def _label(kind: ForwardKind) -> str:
    return {ForwardKind.UNCONDITIONAL: "Forward all calls", ForwardKind.BUSY: "Forward when busy",
            ForwardKind.NO_ANSWER: "Forward when not answered"}[kind]


def _printable(text: str) -> str:
    """Control and bidi characters shown as � (a message quoting what was typed or pasted)."""
    return "".join("\ufffd" if not ch.isprintable() or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069
                   else ch for ch in text)


def _log_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.info("call forwarding not read: %s", future.exception())
