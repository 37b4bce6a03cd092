"""WazoService: the PbxService interface on Wazo Platform's REST APIs, composed of the session (session.py),
requests (http.py), JSON mapping (mapping.py), caches (caches.py) and the update thread (updates.py).

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

from callclient.pbx.errors import PbxBadResponse, PbxError, PbxNotFound, PbxUnauthorized
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
    VoicemailChanged,
    VoicemailCounts,
    VoicemailFolder,
    VoicemailMessage,
)
from callclient.pbx.wazo.caches import CachedViews, OfflineRecordings
from callclient.pbx.wazo.config import CALL_LOGD, CALLD, CONFD, DIRD, WazoConfig
from callclient.pbx.wazo import directory as dird
from callclient.pbx.wazo.forwards import WazoForwards
from callclient.pbx.wazo.http import WazoHttp
from callclient.pbx.wazo.mapping import (
    cdr_to_record,
    conference_room,
    extension_numbers,
    folder_of,
    path_part,
    shape,
    sip_line,
    voicemail_message,
)
from callclient.pbx.wazo.presence import PRESENCE_EVENTS, WazoPresence
from callclient.pbx.wazo.session import SessionKeeper
from callclient.pbx.wazo.updates import Snapshot, UpdateLoop

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
        self._recordings = OfflineRecordings(recording_cache, account_id)
        self._updates: UpdateLoop | None = None
        self.presence = WazoPresence(self.host, self._call, lambda: self._sessions.fresh().user_uuid, self._emit)

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

    # -- history ----------------------------------------------------------------------------------------------
    def history(self, query: HistoryQuery | None = None) -> HistoryPage:
        query = query or HistoryQuery()
        me = self._sessions.fresh().user_uuid
        records: list[CallRecord] = []
        offset = query.offset
        total: int | None = None
        # call-logd has no "answered" filter: for missed-only, read pages until this one is full.
        batch = query.limit if not query.missed_only else max(query.limit, 50)
        while True:
            params: dict[str, Any] = {"limit": batch, "offset": offset, "order": "start", "direction": "desc"}
            if query.search:
                params["search"] = query.search
            data = self._call("GET", CALL_LOGD, "/users/me/cdr", params=params, what="fetch your call history")
            with shape(self.host, "your call history"):
                items = list(data["items"])
                total = int(data.get("filtered", data.get("total", 0)))
                for index, item in enumerate(items):
                    record = cdr_to_record(item, me)
                    if query.missed_only and not record.missed:
                        continue
                    records.append(record)
                    if len(records) == query.limit:
                        next_offset = offset + index + 1
                        return self._keep_history(query, records, next_offset if next_offset < total else None,
                                                  total)
            offset += len(items)
            if not items or offset >= total:
                return self._keep_history(query, records, None, total)

    def _keep_history(self, query: HistoryQuery, records: list[CallRecord], next_offset: int | None,
                      total: int) -> HistoryPage:
        page = HistoryPage(tuple(records), next_offset, None if query.missed_only else total)
        self._views.keep_history(page)
        return page

    def missed_count(self, since: datetime | None = None) -> int:
        me = self._sessions.fresh().user_uuid
        count, offset = 0, 0
        while True:
            params: dict[str, Any] = {"limit": 100, "offset": offset, "order": "start", "direction": "desc"}
            if since is not None:
                params["from"] = since.astimezone(UTC).isoformat()
            data = self._call("GET", CALL_LOGD, "/users/me/cdr", params=params, what="count your missed calls")
            with shape(self.host, "your call history"):
                items = list(data["items"])
                count += sum(1 for item in items if cdr_to_record(item, me).missed)
                total = int(data.get("filtered", data.get("total", 0)))
            offset += len(items)
            if not items or offset >= total:
                return count

    def cached_history(self) -> HistoryPage | None:
        return self._views.history

    # -- voicemail --------------------------------------------------------------------------------------------
    def voicemail_counts(self) -> VoicemailCounts:
        box = self._call("GET", CALLD, "/users/me/voicemails", what="fetch your voicemail box")
        with shape(self.host, "your voicemail box"):
            counts = {folder: 0 for folder in VoicemailFolder}
            ids: dict[VoicemailFolder, int] = {}
            for folder in box.get("folders") or []:
                kind = folder_of(folder.get("type"))
                if kind is None:
                    continue
                ids[kind] = int(folder["id"])
                counts[kind] += len(folder.get("messages") or [])
        self._views.keep_folder_ids(ids)
        return VoicemailCounts(counts[VoicemailFolder.NEW], counts[VoicemailFolder.OLD], counts[VoicemailFolder.URGENT])

    def update_mwi(self, new: int, old: int, urgent_new: int = 0) -> None:
        """SIP MWI says the box changed: announce the counts at once (MWI arrives even when the API is offline),
        so views update their badges and refetch the list."""
        if min(new, old, urgent_new) < 0:
            raise ValueError(f"message counts cannot be negative: {new}/{old} ({urgent_new})")
        counts = VoicemailCounts(new=new, old=old, urgent=urgent_new)
        if self._views.mwi_changed(counts):
            self._emit(VoicemailChanged(counts=counts))

    def voicemail_messages(self, folder: VoicemailFolder | None = None) -> tuple[VoicemailMessage, ...]:
        data = self._call("GET", CALLD, "/users/me/voicemails/messages",
                          params={"order": "timestamp", "direction": "desc"}, what="fetch your voicemail")
        with shape(self.host, "your voicemail"):
            messages = []
            for item in data["items"]:
                kind = folder_of(item["folder"]["type"])
                if kind is None:
                    continue
                self._views.learn_folder_id(kind, int(item["folder"]["id"]))
                messages.append(voicemail_message(item, kind))
        messages.sort(key=lambda m: m.received_at, reverse=True)
        everything = tuple(messages)
        before = self._views.voicemail or ()
        self._views.keep_voicemail(everything)
        # Messages deleted elsewhere (another phone, the PBX's own menu) go from the offline cache too; one moved
        # to a folder we do not list goes as well, which costs at most a download.
        for gone in {m.id for m in before} - {m.id for m in everything}:
            self._recordings.remove(gone)
        return everything if folder is None else tuple(m for m in everything if m.folder is folder)

    def cached_voicemail(self) -> tuple[VoicemailMessage, ...] | None:
        return self._views.voicemail

    def recording(self, message_id: str) -> bytes:
        """The message's audio (WAV): from the offline cache when it holds it, else from the PBX (and cached)."""
        cached = self._recordings.get(message_id)
        if cached is not None:
            return cached
        path = f"/users/me/voicemails/messages/{path_part(message_id)}/recording"
        audio = self._call("GET", CALLD, path, what="download the voicemail message", expect="bytes")
        if not audio.startswith(b"RIFF"):
            raise PbxBadResponse(self.host, "download the voicemail message", "the recording is not a WAV file")
        self._recordings.put(message_id, audio)
        return audio

    def mark_read(self, message_id: str) -> None:
        self.move(message_id, VoicemailFolder.OLD)

    def move(self, message_id: str, folder: VoicemailFolder) -> None:
        folder_id = self._folder_id(folder)
        self._call("PUT", CALLD, f"/users/me/voicemails/messages/{path_part(message_id)}",
                   json_body={"folder_id": folder_id}, what="move the voicemail message", expect="none")
        self._views.message_moved(message_id, folder)

    def delete(self, message_id: str) -> None:
        """Deletes the message on the PBX and its offline copy (also when the PBX no longer had it)."""
        try:
            self._call("DELETE", CALLD, f"/users/me/voicemails/messages/{path_part(message_id)}",
                       what="delete the voicemail message", expect="none")
        except PbxNotFound:
            self._message_gone(message_id)  # deleted elsewhere already: the user's wish holds either way
            raise
        self._message_gone(message_id)

    def voicemail_played(self, message_id: str) -> None:
        """The voicemail view calls this when the user has heard the message to the end: the cache policy
        then decides (after-playback, the default, deletes the offline copy at once). No request is made."""
        self._recordings.played(message_id)

    def _message_gone(self, message_id: str) -> None:
        self._views.message_deleted(message_id)
        self._recordings.remove(message_id)

    def _folder_id(self, folder: VoicemailFolder) -> int:
        known = self._views.folder_id(folder)
        if known is None:
            self.voicemail_counts()  # learns the box's folder ids
            known = self._views.folder_id(folder)
        if known is None:
            raise PbxNotFound(self.host, f"find the '{folder.value}' voicemail folder")
        return known

    # -- conferences ------------------------------------------------------------------------------------------
    def conference_rooms(self) -> tuple[ConferenceRoom, ...]:
        data = self._call("GET", CONFD, "/conferences", params={"order": "name", "direction": "asc"},
                          what="list conference rooms")
        with shape(self.host, "the conference rooms"):
            return tuple(conference_room(item) for item in data["items"])

    # -- directory (wazo-dird) ----------------------------------------------------------------------------
    def directory_lookup(self, term: str) -> tuple[DirectoryEntry, ...]:
        """Every directory the admin put in the user's profile (PBX users, phonebooks, LDAP, personal)."""
        profile = path_part(self._config.directory_profile)
        data = self._call("GET", DIRD, f"/directories/lookup/{profile}", params={"term": term},
                          what="search the company directory")
        with shape(self.host, "the company directory"):
            return dird.lookup_entries(data)

    def directory_reverse(self, number: str) -> DirectoryEntry | None:
        """Who has this number, as the PBX's directories know (caller ID)."""
        me = self._sessions.fresh().user_uuid
        profile = path_part(self._config.directory_profile)
        data = self._call("GET", DIRD, f"/directories/reverse/{profile}/{path_part(me)}",
                          params={"exten": number}, what="name the caller from the directory")
        with shape(self.host, "the directory's caller name"):
            return dird.reverse_entry(data, number)

    def personal_contacts(self) -> tuple[DirectoryEntry, ...]:
        data = self._call("GET", DIRD, "/personal", what="fetch your personal contacts")
        with shape(self.host, "your personal contacts"):
            return tuple(dird.personal_entry(item) for item in data["items"])

    def add_personal_contact(self, fields: PersonalContactFields) -> DirectoryEntry:
        data = self._call("POST", DIRD, "/personal", json_body=dird.personal_body(fields),
                          what="add the personal contact")
        with shape(self.host, "the new personal contact"):
            return dird.personal_entry(data)

    def edit_personal_contact(self, entry_id: str, fields: PersonalContactFields) -> DirectoryEntry:
        data = self._call("PUT", DIRD, f"/personal/{path_part(entry_id)}", json_body=dird.personal_body(fields),
                          what="change the personal contact")
        with shape(self.host, "the changed personal contact"):
            return dird.personal_entry(data)

    def delete_personal_contact(self, entry_id: str) -> None:
        self._call("DELETE", DIRD, f"/personal/{path_part(entry_id)}", what="delete the personal contact",
                   expect="none")

    def import_personal_contacts(self, csv_text: str) -> ImportResult:
        """CSV (header line of attribute names, comma-separated, quoted with ") into the personal contacts."""
        data = self._call("POST", DIRD, "/personal/import",
                          raw_body=(csv_text.encode("utf-8"), "text/csv; charset=utf-8"),
                          what="import contacts into your personal contacts")
        with shape(self.host, "the import result"):
            return dird.import_result(data)

    # -- call forwarding (confd; forwards.py) -------------------------------------------------------------
    @property
    def forwards(self) -> WazoForwards:
        return WazoForwards(self._call, lambda: self._sessions.fresh().user_uuid, self.host)

    # -- real-time updates ------------------------------------------------------------------------------------
    def start_updates(self) -> None:
        if self._updates is None:
            self._updates = UpdateLoop(self._config, self._http, self._sessions, emit=self._emit,
                                       snapshot=self._poll_snapshot, record_from_event=self._record_from_event,
                                       message_deleted=self._message_gone, bus_events=PRESENCE_EVENTS,
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
