"""The engine's events to the services, on a thread of their own: the only owner of who hears them, in what order.

The engine emits immutable events (callclient/engine/events.py) into a queue. This thread hands each to the
services that follow it — call actions first (the one record of live calls), then accounts, refusals and
the ringer — and only then to the front ends through the news, so a view reading a service on an event
sees the service already updated. It ends with the engine (EngineStopped).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from callclient.engine import events as ev
from callclient.services import Services
from callclient.services.threads import CALLER, ENGINE_EVENTS, runs_on

log = logging.getLogger(__name__)


class EngineEventPump:
    """`stream` is the engine's event queue (SipEngine.subscribe())."""

    def __init__(self, stream: Any, services: Services) -> None:
        self._stream = stream
        self._services = services
        self._thread = threading.Thread(target=self._run, name="core-events", daemon=True)

    @runs_on(CALLER)
    def start(self) -> None:
        self._thread.start()

    @runs_on(CALLER)
    def join(self, timeout_s: float) -> None:
        """Waits for the engine's last event (after the engine stops)."""
        self._thread.join(timeout_s)

    @runs_on(ENGINE_EVENTS)
    def _run(self) -> None:
        """Hands each engine event to the services that follow it, in order, then to the front ends."""
        services = self._services
        followers = [services.calls.on_engine_event, services.accounts.on_engine_event,
                     services.refusals.on_engine_event]
        if services.alerting is not None:
            followers.append(services.alerting.on_engine_event)
        while True:
            event = self._stream.get()
            if isinstance(event, ev.EngineStopped):
                services.news.publish(event)
                return
            for follow in followers:
                try:
                    follow(event)
                except Exception:  # one follower failing must not stop the others hearing of calls
                    log.exception("a service failed on %s", type(event).__name__)
            if isinstance(event, ev.MessageSummary):
                services.pbx.message_summary(event.new, event.old, event.urgent_new)
            services.news.publish(event)
