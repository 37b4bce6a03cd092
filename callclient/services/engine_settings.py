"""The SIP engine's side of a settings change: codecs from the next call on; transports at the next start.

Codecs apply at once (pjsua2 reads the priorities when it builds the next offer). The local ports, bind
address, TLS trust, STUN servers and keep-alive interval are read when the engine starts its transports:
a change to them is saved and applies at the next start of CallClient, which the notice says.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, runs_on

log = logging.getLogger(__name__)


class EngineSettingsFollower:
    def __init__(self, engine: Any, notice: Callable[[str], None]) -> None:
        self._engine = engine
        self._notice = notice

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("codecs.order"):
            self._engine.set_codecs(change.config.config.codecs).result(15)
            log.info("codecs offered from the next call on: %s", ", ".join(change.config.config.codecs))
        transports = sorted(key for key in change.keys if key.startswith("sip."))
        if transports:
            self._notice(f"{', '.join(transports)} changed: this applies the next time CallClient starts.")
