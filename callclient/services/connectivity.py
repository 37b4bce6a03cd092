"""Staying registered across sleep and network changes: the one owner of "when do we register again".

Before the computer sleeps every registered account un-REGISTERs (the PBX then sends calls to voicemail or
the user's other phones, not into a sleeping laptop), and the sleep waits for the un-REGISTERs (up to
`UNREGISTER_WAIT_S`, under logind's delay lock); on wake each registers again. On an address or route change
the engine re-registers through pjsua's handleIpChange, which also re-INVITEs calls. Meanwhile accounts
report "reconnecting" through the ordinary registration events, never their old "registered".
"""

from __future__ import annotations

import logging
import queue
import time
from typing import Any

from callclient.services.threads import CALLER, runs_on

log = logging.getLogger(__name__)

UNREGISTER_WAIT_S = 3.0  # within logind's default 5 s InhibitDelayMaxSec


class Connectivity:
    def __init__(self, engine: Any, follow_sleep: bool = True, follow_network: bool = True) -> None:
        self._engine = engine
        self._follow_sleep = follow_sleep
        self._follow_network = follow_network
        self._sleep: Any = None
        self._network: Any = None

    @runs_on(CALLER)
    def start(self) -> None:
        from callclient.desktop.network import NetworkWatch
        from callclient.desktop.sleep import SleepWatch

        if self._follow_sleep:
            sleep = SleepWatch(self._before_sleep, self._after_wake)
            self._sleep = sleep if sleep.start() else None
        if self._follow_network:
            network = NetworkWatch(self._network_changed)
            self._network = network if network.start() else None

    @runs_on(CALLER)
    def stop(self) -> None:
        for watch in (self._sleep, self._network):
            if watch is not None:
                watch.stop()
        self._sleep = self._network = None

    def _before_sleep(self) -> None:
        """On the sleep watch's thread; returns when the accounts are unregistered (or it is time to let go)."""
        from callclient.engine.events import RegistrationChanged, RegistrationState

        status = self._engine.status().result(UNREGISTER_WAIT_S)
        registered = {a.account_id for a in status.accounts if a.state is RegistrationState.REGISTERED}
        stream = self._engine.subscribe()
        try:
            self._engine.prepare_for_sleep().result(UNREGISTER_WAIT_S)
            deadline = time.monotonic() + UNREGISTER_WAIT_S
            while registered:
                try:
                    event = stream.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    log.warning("going to sleep before the registrar confirmed the un-REGISTER of %s",
                                ", ".join(sorted(registered)))
                    return
                if isinstance(event, RegistrationChanged) and event.state in (RegistrationState.UNREGISTERED,
                                                                              RegistrationState.FAILED):
                    registered.discard(event.account_id)
        finally:
            stream.close()

    def _after_wake(self) -> None:
        self._engine.woke_up().result(UNREGISTER_WAIT_S)

    def _network_changed(self, changes: list[Any]) -> None:
        self._engine.network_changed().result(UNREGISTER_WAIT_S)


__all__ = ["Connectivity"]
