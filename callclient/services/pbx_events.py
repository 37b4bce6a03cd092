"""The PBX: which service is in use (Wazo, or SIP-only), and its push events to whoever listens.

The backend calls `on_pbx_event` on its own update thread (the websocket, or polling when the websocket
is down); listeners (the windows' bridge) get each event there and cross to their own thread. `live` says
whether the websocket is up: while it is, nobody needs a polling timer, because a new history entry or
voicemail arrives as an event within a second. The windows ask for history and voicemail here too, so
they never hold the PBX client itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from callclient.pbx.service import (
    HistoryPage,
    HistoryQuery,
    PbxEvent,
    PbxService,
    ServiceState,
    UpdateMode,
    UpdateModeChanged,
    VoicemailCounts,
    VoicemailMessage,
)
from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, CALLER, ENGINE_EVENTS, PBX_UPDATES, WORKER, runs_on

log = logging.getLogger(__name__)


class PbxEvents:
    """`make_wazo(base_url, ca_file, on_event)` builds a Wazo client; `make_sip_only(on_event)` the API-less one."""

    def __init__(self, make_wazo: Callable[[str, str | None], Any], settings: Any,
                 voicemail_cache: Any = None) -> None:
        self._make_wazo = make_wazo
        self._settings = settings
        self._voicemail_cache = voicemail_cache
        self._service: PbxService | None = None
        self._listeners: list[Callable[[PbxEvent], None]] = []
        self._mode = UpdateMode.NONE
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- which service

    @property
    def service(self) -> PbxService | None:
        return self._service

    @runs_on(CALLER)
    def use(self, service: PbxService) -> None:
        old, self._service = self._service, service
        if old is not None and old is not service:
            old.close()

    @runs_on(WORKER)
    def use_wazo(self, base_url: str | None = None, ca_file: str | None = None) -> Any:
        """The Wazo client (made from the config's pbx.base_url when none is in use): sign-in needs one."""
        from callclient.pbx.wazo import WazoService

        if not isinstance(self._service, WazoService) or base_url is not None:
            pbx = self._settings.config.config.pbx
            self.use(self._make_wazo(base_url or pbx.base_url, ca_file if base_url else (pbx.ca_file or None)))
        return self._service

    @runs_on(CALLER)
    def resume_in_background(self) -> None:
        """Continues a saved PBX session (network calls: on a thread of its own)."""
        service = self._service

        def resume() -> None:
            try:
                if service is not None and service.resume():
                    service.start_updates()
            except Exception as error:  # offline or revoked: the PBX views say so; calls keep working
                log.warning("the PBX session could not be resumed: %s", error)

        threading.Thread(target=resume, name="pbx-resume", daemon=True).start()

    @runs_on(WORKER)
    def sign_out(self) -> None:
        if self._service is not None:
            self._service.sign_out()

    def stop(self) -> None:
        if self._service is not None:
            self._service.close()

    # ---------------------------------------------------------------- events

    @runs_on(CALLER)
    def subscribe(self, listener: Callable[[PbxEvent], None]) -> None:
        """`listener(PbxEvent)` on the PBX's update thread: cross to your own thread from there."""
        self._listeners.append(listener)

    @property
    def live(self) -> bool:
        """True while the PBX pushes its events (the websocket is up): no polling is needed then."""
        service = self._service
        return getattr(service, "update_mode", self._mode) is UpdateMode.WEBSOCKET

    @runs_on(PBX_UPDATES)
    def on_pbx_event(self, event: PbxEvent) -> None:
        if isinstance(event, UpdateModeChanged):
            self._mode = event.mode
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a PBX event listener failed")

    @runs_on(ENGINE_EVENTS)
    def message_summary(self, new: int, old: int, urgent_new: int) -> None:
        """SIP MWI counts (RFC 3842 NOTIFY) go into the PBX service, which turns them into a VoicemailChanged."""
        if self._service is not None:
            self._service.update_mwi(new, old, urgent_new)

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("policy.voicemail_cache") and self._voicemail_cache is not None:
            self._voicemail_cache.set_policy(cache_policy(change.config.config.policy.voicemail_cache))

    # ---------------------------------------------------------------- what the windows ask (blocking: workers)

    @property
    def state(self) -> ServiceState | None:
        return self._service.state if self._service is not None else None

    @runs_on(WORKER)
    def history(self, query: HistoryQuery | None = None) -> HistoryPage:
        return self._require().history(query)

    @runs_on(WORKER)
    def cached_history(self) -> HistoryPage | None:
        return self._service.cached_history() if self._service is not None else None

    @runs_on(WORKER)
    def voicemail_messages(self) -> tuple[VoicemailMessage, ...]:
        return self._require().voicemail_messages()

    @runs_on(WORKER)
    def cached_voicemail(self) -> tuple[VoicemailMessage, ...] | None:
        return self._service.cached_voicemail() if self._service is not None else None

    @runs_on(WORKER)
    def voicemail_counts(self) -> VoicemailCounts:
        return self._require().voicemail_counts()

    @runs_on(WORKER)
    def recording(self, message_id: str) -> bytes:
        return self._require().recording(message_id)

    @runs_on(WORKER)
    def mark_read(self, message_id: str) -> None:
        self._require().mark_read(message_id)

    @runs_on(WORKER)
    def delete(self, message_id: str) -> None:
        self._require().delete(message_id)

    @runs_on(WORKER)
    def voicemail_played(self, message_id: str) -> None:
        """The voicemail view played the message to the end: the cache policy decides about its offline copy."""
        self._require().voicemail_played(message_id)

    @property
    def capabilities(self) -> Any:
        """What the PBX in use offers (history, a voicemail list…), or None when there is none."""
        return self._service.capabilities if self._service is not None else None

    @property
    def available(self) -> bool:
        return self._service is not None

    def _require(self) -> PbxService:
        if self._service is None:
            raise RuntimeError("no phone system is set up")
        return self._service


def cache_policy(policy: str) -> Any:
    """'after-playback', 'never' or 'days:N' (the config's voicemail_cache policy) as the cache's policy."""
    from callclient.storage.voicemail_cache import Retention, VoicemailCachePolicy

    if policy == "never":
        return VoicemailCachePolicy(Retention.NEVER_CACHE)
    if policy.startswith("days:"):
        return VoicemailCachePolicy(Retention.AFTER_DAYS, days=int(policy.split(":", 1)[1]))
    return VoicemailCachePolicy(Retention.AFTER_PLAYBACK)
