"""WazoService: the PbxService interface on Wazo Platform's REST APIs, composed of the session (session.py),
requests (http.py), JSON mapping (mapping.py), caches (caches.py), the update thread (updates.py) and one
client per API area: history (call-logd), voicemail (calld), directory (dird), forwards (confd), presence
(chatd). This module owns the service state, the authenticated request every client goes through (`_call`),
the profile read at sign-in and the conference list, and hands each PbxService method to its client.

Threads: the caller's thread (the app's PBX worker) uses `self._client`; the update thread started by
`start_updates` owns its own HTTP client and websocket. They share the session and the caches, each of which
locks itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from callclient.pbx.errors import PbxError, PbxUnauthorized
from callclient.pbx.service import (
    CallRecord,
    Capabilities,
    ConferenceRoom,
    DirectoryEntry,
    EventCallback,
    HistoryPage,
    HistoryQuery,
    ImportResult,
    MemoryTokenStore,
    PbxEvent,
    PersonalContactFields,
    Profile,
    RecordingCache,
    ServiceState,
    Session,
    StateChanged,
    TokenStore,
    UpdateMode,
    VoicemailCounts,
    VoicemailFolder,
    VoicemailMessage,
)
from callclient.pbx.wazo.caches import CachedViews, OfflineRecordings
from callclient.pbx.wazo.config import CALL_LOGD, CALLD, CONFD, WazoConfig
from callclient.pbx.wazo.directory import WazoDirectory
from callclient.pbx.wazo.forwards import WazoForwards
from callclient.pbx.wazo.history import WazoHistory
from callclient.pbx.wazo.http import WazoHttp
from callclient.pbx.wazo.mapping import cdr_to_record, conference_room, extension_numbers, shape, sip_line
from callclient.pbx.wazo.presence import PRESENCE_EVENTS, WazoPresence
from callclient.pbx.wazo.session import SessionKeeper
from callclient.pbx.wazo.updates import Snapshot, UpdateLoop
from callclient.pbx.wazo.voicemail import WazoVoicemail

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class WazoService:
    """PbxService for Wazo Platform. Blocking methods: call them off the GUI thread."""

    def __init__(
        self,
        config: WazoConfig,
        *,
        account_id: str,
        token_store: TokenStore | None = None,
        recording_cache: RecordingCache | None = None,
        on_event: EventCallback | None = None,
        on_secret: Callable[[str], None] | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._config = config
        self._on_event = on_event or (lambda event: None)
        self._on_secret = on_secret or (lambda secret: None)  # registers tokens with the log redaction filter
        self._state_lock = threading.Lock()
        self._state = ServiceState.SIGNED_OUT
        self._http = WazoHttp(config, self._reachability)
        self._client = self._http.new_client()
        self._sessions = SessionKeeper(config, self._http, self._client, token_store or MemoryTokenStore(),
                                       clock=clock, on_secret=self._on_secret, set_state=self._set_state,
                                       emit=self._emit)
        self._views = CachedViews()
        self._updates: UpdateLoop | None = None
        me = self._signed_in_user_uuid
        self._history = WazoHistory(self._call, me, self.host, self._views)
        self._voicemail = WazoVoicemail(self._call, self.host, self._views,
                                        OfflineRecordings(recording_cache, account_id), self._emit)
        self._directory = WazoDirectory(self._call, me, self.host, config.directory_profile)
        self.presence = WazoPresence(self.host, self._call, me, self._emit)

    def __repr__(self) -> str:
        return f"WazoService({self._config.base_url!r}, state={self._state.value})"

    # -- state ------------------------------------------------------------------------------------------------
    @property
    def state(self) -> ServiceState:
        return self._state

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(history=True, voicemail_list=True, conferences=True, realtime=True)

    @property
    def host(self) -> str:
        return self._config.host

    @property
    def session(self) -> Session | None:
        return self._sessions.current

    def _set_state(self, state: ServiceState, reason: str = "") -> None:
        with self._state_lock:
            if self._state is state:
                return
            self._state = state
        log.info("PBX %s is now %s%s", self.host, state.value, f": {reason}" if reason else "")
        self._emit(StateChanged(state, reason))

    def _reachability(self, failure: PbxError | None) -> None:
        if failure is not None:
            self._set_state(ServiceState.OFFLINE, str(failure))
        elif self._state is ServiceState.OFFLINE:
            self._set_state(ServiceState.ONLINE, "the PBX answers again")

    def _emit(self, event: PbxEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a broken listener must not kill the update thread
            log.exception("PBX event listener failed on %s", type(event).__name__)

    # -- session ----------------------------------------------------------------------------------------------
    def sign_in(self, login: str, password: str) -> Session:
        return self._sessions.sign_in(login, password)

    def resume(self) -> bool:
        return self._sessions.resume()

    def sign_out(self) -> None:
        self.stop_updates()
        self._views.clear()
        self._sessions.sign_out()

    def renewal_due_in_s(self) -> float | None:
        return self._sessions.renewal_due_in_s()

    def _signed_in_user_uuid(self) -> str:
        return self._sessions.fresh().user_uuid

    def _call(self, method: str, base: str, path: str, *, what: str, client: httpx.Client | None = None,
              **kwargs: Any) -> Any:
        """An authenticated request: renews the session before expiry, and once more on a 401."""
        client = client or self._client
        session = self._sessions.fresh()
        try:
            return self._http.send(client, method, base, path, what=what, token=session.access_token, **kwargs)
        except PbxUnauthorized:
            # The access token was revoked or expired early: one renewal, then one retry.
            session = self._sessions.renew(session)
            try:
                return self._http.send(client, method, base, path, what=what, token=session.access_token,
                                       **kwargs)
            except PbxUnauthorized:
                self._sessions.require_sign_in("the PBX refused the renewed session")

    # -- profile ----------------------------------------------------------------------------------------------
    def profile(self) -> Profile:
        session = self._sessions.fresh()
        user = self._call("GET", CONFD, f"/users/{session.user_uuid}", what="fetch your profile")
        with shape(self.host, "your profile"):
            lines = []
            extensions: list[str] = []
            for line_ref in user.get("lines") or []:
                line = self._call("GET", CONFD, f"/lines/{int(line_ref['id'])}", what="fetch your phone line")
                numbers = extension_numbers(line)
                extensions.extend(n for n in numbers if n not in extensions)
                endpoint_ref = line.get("endpoint_sip")
                if not endpoint_ref:
                    continue  # SCCP or custom lines carry no SIP credentials for us
                endpoint = self._call("GET", CONFD, f"/endpoints/sip/{endpoint_ref['uuid']}",
                                      params={"view": "merged"}, what="fetch your SIP account")
                line_credentials = sip_line(endpoint, self.host, numbers[0] if numbers else None)
                self._on_secret(line_credentials.password)
                lines.append(line_credentials)
            return Profile(
                user_uuid=str(user.get("uuid") or session.user_uuid),
                first_name=str(user.get("firstname") or ""),
                last_name=str(user.get("lastname") or ""),
                email=user.get("email") or None,
                extensions=tuple(extensions),
                lines=tuple(lines),
            )

    # -- history (call-logd; history.py) --------------------------------------------------------------------
    def history(self, query: HistoryQuery | None = None) -> HistoryPage:
        return self._history.page(query)

    def missed_count(self, since: datetime | None = None) -> int:
        return self._history.missed_count(since)

    def cached_history(self) -> HistoryPage | None:
        return self._history.cached()

    # -- voicemail (calld; voicemail.py) ------------------------------------------------------------------------
    def voicemail_counts(self) -> VoicemailCounts:
        return self._voicemail.counts()

    def update_mwi(self, new: int, old: int, urgent_new: int = 0) -> None:
        self._voicemail.update_mwi(new, old, urgent_new)

    def voicemail_messages(self, folder: VoicemailFolder | None = None) -> tuple[VoicemailMessage, ...]:
        return self._voicemail.messages(folder)

    def cached_voicemail(self) -> tuple[VoicemailMessage, ...] | None:
        return self._voicemail.cached()

    def recording(self, message_id: str) -> bytes:
        return self._voicemail.recording(message_id)

    def mark_read(self, message_id: str) -> None:
        self._voicemail.mark_read(message_id)

    def move(self, message_id: str, folder: VoicemailFolder) -> None:
        self._voicemail.move(message_id, folder)

    def delete(self, message_id: str) -> None:
        self._voicemail.delete(message_id)

    def voicemail_played(self, message_id: str) -> None:
        self._voicemail.played(message_id)

    # -- conferences ------------------------------------------------------------------------------------------
    def conference_rooms(self) -> tuple[ConferenceRoom, ...]:
        data = self._call("GET", CONFD, "/conferences", params={"order": "name", "direction": "asc"},
                          what="list conference rooms")
        with shape(self.host, "the conference rooms"):
            return tuple(conference_room(item) for item in data["items"])

    # -- directory (wazo-dird; directory.py) ------------------------------------------------------------------
    def directory_lookup(self, term: str) -> tuple[DirectoryEntry, ...]:
        return self._directory.lookup(term)

    def directory_reverse(self, number: str) -> DirectoryEntry | None:
        return self._directory.reverse(number)

    def personal_contacts(self) -> tuple[DirectoryEntry, ...]:
        return self._directory.personal_contacts()

    def add_personal_contact(self, fields: PersonalContactFields) -> DirectoryEntry:
        return self._directory.add_personal_contact(fields)

    def edit_personal_contact(self, entry_id: str, fields: PersonalContactFields) -> DirectoryEntry:
        return self._directory.edit_personal_contact(entry_id, fields)

    def delete_personal_contact(self, entry_id: str) -> None:
        self._directory.delete_personal_contact(entry_id)

    def import_personal_contacts(self, csv_text: str) -> ImportResult:
        return self._directory.import_personal_contacts(csv_text)

    # -- call forwarding (confd; forwards.py) -------------------------------------------------------------
    @property
    def forwards(self) -> WazoForwards:
        return WazoForwards(self._call, self._signed_in_user_uuid, self.host)

    # -- real-time updates ------------------------------------------------------------------------------------
    def start_updates(self) -> None:
        if self._updates is None:
            self._updates = UpdateLoop(self._config, self._http, self._sessions, emit=self._emit,
                                       snapshot=self._poll_snapshot, record_from_event=self._record_from_event,
                                       message_deleted=self._voicemail.message_gone, bus_events=PRESENCE_EVENTS,
                                       on_bus_event=self.presence.on_bus_event,
                                       on_events_missed=self.presence.on_events_missed)
            self._updates.start()

    def stop_updates(self) -> None:
        updates, self._updates = self._updates, None
        if updates is not None:
            updates.stop()

    @property
    def update_mode(self) -> UpdateMode:
        return self._updates.mode if self._updates else UpdateMode.NONE

    def close(self) -> None:
        self.stop_updates()
        self._client.close()

    # for the update thread
    def _poll_snapshot(self, client: httpx.Client) -> Snapshot:
        """The newest history id and the voicemail (id, folder) pairs: what polling compares."""
        data = self._call("GET", CALL_LOGD, "/users/me/cdr", client=client, what="check for new calls",
                          params={"limit": 1, "offset": 0, "order": "start", "direction": "desc"})
        box = self._call("GET", CALLD, "/users/me/voicemails", client=client, what="check for new voicemail")
        with shape(self.host, "the update check"):
            newest = int(data["items"][0]["id"]) if data["items"] else None
            messages = frozenset(
                (str(m["id"]), str(folder.get("type")))
                for folder in box.get("folders") or []
                for m in folder.get("messages") or []
            )
        return newest, messages

    def _record_from_event(self, payload: Any) -> CallRecord | None:
        session = self._sessions.current
        try:
            return cdr_to_record(payload, session.user_uuid if session else "")
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            log.info("History event without a readable call record (%s); the view will refetch", error)
            return None
