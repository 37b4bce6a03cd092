"""The Wazo Platform backend: wazo-auth, wazo-confd, wazo-call-logd and wazo-calld over HTTPS, events from
wazo-websocketd, with polling where the websocket is not available.

Threads: the caller's thread (the app's PBX worker) uses `self._http`; the update thread started by
`start_updates` owns its own HTTP client and websocket. The only state the two share is the session (tokens)
and the cached views, both behind `self._lock`; token renewal is serialised so that one refresh serves both.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import websockets
import websockets.exceptions

from callclient.pbx.errors import (
    PbxBadResponse,
    PbxError,
    PbxForbidden,
    PbxNotFound,
    PbxServerError,
    PbxTimeout,
    PbxTlsError,
    PbxUnauthorized,
    PbxUnreachable,
    SignInRequired,
)
from callclient.pbx.service import (
    CallDirection,
    CallRecord,
    Capabilities,
    ConferenceRoom,
    EventCallback,
    HistoryChanged,
    HistoryPage,
    HistoryQuery,
    MemoryTokenStore,
    PbxEvent,
    Profile,
    RecordingCache,
    ServiceState,
    Session,
    SessionRenewed,
    SipLine,
    StateChanged,
    TokenStore,
    UpdateMode,
    UpdateModeChanged,
    VoicemailChanged,
    VoicemailCounts,
    VoicemailFolder,
    VoicemailMessage,
)

log = logging.getLogger(__name__)

# Base paths behind Wazo's HTTPS proxy. confd's is 1.1: that is the basePath its own spec declares.
AUTH = "/api/auth/0.1"
CONFD = "/api/confd/1.1"
CALL_LOGD = "/api/call-logd/1.0"
CALLD = "/api/calld/1.0"
WEBSOCKETD = "/api/websocketd/"

# wazo-bus event names: call-logd's tests use call_log_user_created for a new history entry.
HISTORY_EVENTS = ("call_log_user_created",)
VOICEMAIL_EVENTS = (
    "user_voicemail_message_created",
    "user_voicemail_message_updated",
    "user_voicemail_message_deleted",
)
# wazo-websocketd closes with 4003 when the token is refused or has expired.
WEBSOCKET_AUTH_FAILED = 4003
_RETRIED_STATUSES = frozenset({502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE"})
_TRANSPORTS = ("wss", "ws", "tls", "tcp", "udp")


@dataclass(frozen=True)
class WazoConfig:
    base_url: str  # https://pbx.example.com[:port]
    client_id: str = "callclient"
    ca_file: str | None = None  # trust this CA instead of the system's; verification is never turned off
    connect_timeout_s: float = 5.0
    timeout_s: float = 15.0
    max_attempts: int = 3  # for idempotent requests, on network errors and 502/503/504
    backoff_base_s: float = 0.25
    backoff_max_s: float = 4.0
    token_lifetime_s: int = 3600
    renew_margin_s: float = 120.0  # renew this long before expiry (at most half the lifetime)
    poll_interval_s: float = 30.0
    poll_max_interval_s: float = 300.0
    websocket_ping_s: float = 20.0

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.base_url).hostname or self.base_url

    @property
    def websocket_url(self) -> str:
        parts = urllib.parse.urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return urllib.parse.urlunsplit((scheme, parts.netloc, WEBSOCKETD, "", ""))


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """One verifying context for HTTPS and the websocket: the given CA, or the system's trust store."""
    return ssl.create_default_context(cafile=ca_file)


def backoff_delay_s(attempt: int, base_s: float, max_s: float) -> float:
    """Exponential backoff with full jitter (attempt 0 is the first retry), so clients that lost the PBX
    together do not come back in lockstep."""
    return random.uniform(0, min(max_s, base_s * (2**attempt)))


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
        self._account_id = account_id
        self._tokens = token_store or MemoryTokenStore()
        self._recordings = recording_cache
        self._on_event = on_event or (lambda event: None)
        self._on_secret = on_secret or (lambda secret: None)  # registers tokens with the log redaction filter
        self._clock = clock
        self._tls = tls_context(config.ca_file)
        self._http = self._new_http_client()
        self._lock = threading.RLock()
        self._renew_lock = threading.Lock()
        self._session: Session | None = None
        self._state = ServiceState.SIGNED_OUT
        self._history: HistoryPage | None = None
        self._voicemail: tuple[VoicemailMessage, ...] | None = None
        self._folder_ids: dict[VoicemailFolder, int] = {}
        self._mwi: VoicemailCounts | None = None
        self._updates: _UpdateLoop | None = None

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
        with self._lock:
            return self._session

    def _set_state(self, state: ServiceState, reason: str = "") -> None:
        with self._lock:
            if self._state is state:
                return
            self._state = state
        log.info("PBX %s is now %s%s", self.host, state.value, f": {reason}" if reason else "")
        self._emit(StateChanged(state, reason))

    def _emit(self, event: PbxEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a broken listener must not kill the update thread
            log.exception("PBX event listener failed on %s", type(event).__name__)

    # -- session ----------------------------------------------------------------------------------------------
    def sign_in(self, login: str, password: str) -> Session:
        self._on_secret(password)
        body = {
            "access_type": "offline",
            "client_id": self._config.client_id,
            "expiration": self._config.token_lifetime_s,
        }
        try:
            data = self._send(
                self._http, "POST", AUTH, "/token", what="sign in", auth=None, json_body=body,
                basic=(login, password),
            )
        except PbxUnauthorized:
            self._set_state(ServiceState.SIGNED_OUT, "wrong credentials")
            raise
        session = self._session_from(data, previous_refresh=None)
        self._adopt(session)
        return session

    def resume(self) -> bool:
        session = self._tokens.load_session()
        if session is None:
            return False
        self._on_secret(session.access_token)
        if session.refresh_token:
            self._on_secret(session.refresh_token)
        with self._lock:
            self._session = session
        self._set_state(ServiceState.ONLINE)
        return True

    def sign_out(self) -> None:
        self.stop_updates()
        with self._lock:
            session, self._session = self._session, None
            self._history, self._voicemail = None, None
        self._tokens.clear_session()
        if session is not None:
            # Revoke on the PBX too, best effort: signing out must work offline.
            for path in (f"/users/me/tokens/{self._config.client_id}", f"/token/{session.access_token}"):
                try:
                    self._send(self._http, "DELETE", AUTH, path, what="sign out", auth=session, expect="none",
                               attempts=1)
                except PbxError as error:
                    log.warning("Could not revoke the session on %s: %s", self.host, error)
        self._set_state(ServiceState.SIGNED_OUT)

    def _adopt(self, session: Session) -> None:
        self._on_secret(session.access_token)
        if session.refresh_token:
            self._on_secret(session.refresh_token)
        with self._lock:
            self._session = session
        self._tokens.save_session(session)
        self._set_state(ServiceState.ONLINE)

    def _session_from(self, payload: Any, previous_refresh: str | None) -> Session:
        try:
            data = payload["data"]
            token = data["token"]
            metadata = data.get("metadata") or {}
            user_uuid = metadata.get("pbx_user_uuid") or data.get("xivo_user_uuid") or metadata.get("uuid")
            if not isinstance(token, str) or not token or not user_uuid:
                raise ValueError("no token or no user in it")
            issued = _parse_time(data.get("utc_issued_at"))
            expires = _parse_time(data.get("utc_expires_at"))
            # Count the lifetime from our clock, not the PBX's: the two clocks may disagree.
            lifetime = (expires - issued) if issued and expires else timedelta(seconds=self._config.token_lifetime_s)
            refresh = data.get("refresh_token") or previous_refresh
        except (KeyError, TypeError, ValueError) as error:
            raise PbxBadResponse(self.host, "sign in", f"the token is malformed: {error}") from error
        return Session(token, refresh, self._clock() + lifetime, str(user_uuid))

    def _renew(self, stale: Session) -> Session:
        """A fresh session from the refresh token; SignInRequired when there is none or the PBX refuses it."""
        with self._renew_lock:
            with self._lock:
                current = self._session
            if current is None:
                raise SignInRequired(self.host, "signed out")
            if current.access_token != stale.access_token:
                return current  # another thread renewed it meanwhile
            if not current.refresh_token:
                self._require_sign_in("no refresh token")
            body = {
                "refresh_token": current.refresh_token,
                "client_id": self._config.client_id,
                "expiration": self._config.token_lifetime_s,
            }
            try:
                data = self._send(self._http, "POST", AUTH, "/token", what="renew the session", auth=None,
                                  json_body=body)
            except (PbxUnauthorized, PbxForbidden, PbxNotFound) as error:
                self._require_sign_in(str(error))
            except PbxBadResponse as error:
                if error.status == 400:  # older wazo-auth versions answer 400 to an unknown refresh token
                    self._require_sign_in("the refresh token was refused")
                raise
            session = self._session_from(data, previous_refresh=current.refresh_token)
            self._adopt(session)
            log.info("Renewed the session on %s until %s", self.host, session.expires_at.isoformat())
            self._emit(SessionRenewed(session.expires_at))
            return session

    def _require_sign_in(self, reason: str) -> None:
        with self._lock:
            self._session = None
        self._tokens.clear_session()
        self._set_state(ServiceState.SIGN_IN_REQUIRED, reason)
        raise SignInRequired(self.host)

    def _fresh_session(self) -> Session:
        with self._lock:
            session = self._session
        if session is None:
            if self._state is ServiceState.SIGN_IN_REQUIRED:
                raise SignInRequired(self.host)
            raise SignInRequired(self.host, "not signed in")
        lifetime_margin = timedelta(seconds=self._config.renew_margin_s)
        if self._clock() >= session.expires_at - lifetime_margin:
            return self._renew(session)
        return session

    def renewal_due_in_s(self) -> float | None:
        with self._lock:
            session = self._session
        if session is None:
            return None
        due = session.expires_at - timedelta(seconds=self._config.renew_margin_s) - self._clock()
        return max(0.0, due.total_seconds())

    # -- HTTP -------------------------------------------------------------------------------------------------
    def _new_http_client(self) -> httpx.Client:
        timeout = httpx.Timeout(self._config.timeout_s, connect=self._config.connect_timeout_s)
        return httpx.Client(base_url=self._config.base_url, verify=self._tls, timeout=timeout,
                            headers={"Accept": "application/json"}, follow_redirects=False)

    def _call(self, method: str, base: str, path: str, *, what: str, client: httpx.Client | None = None,
              **kwargs: Any) -> Any:
        """An authenticated request: renews the session before expiry, and once more on a 401."""
        client = client or self._http
        session = self._fresh_session()
        try:
            return self._send(client, method, base, path, what=what, auth=session, **kwargs)
        except PbxUnauthorized:
            # The access token was revoked or expired early: one renewal, then one retry.
            session = self._renew(session)
            try:
                return self._send(client, method, base, path, what=what, auth=session, **kwargs)
            except PbxUnauthorized:
                self._require_sign_in("the PBX refused the renewed session")

    def _send(
        self,
        client: httpx.Client,
        method: str,
        base: str,
        path: str,
        *,
        what: str,
        auth: Session | None,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        basic: tuple[str, str] | None = None,
        expect: str = "json",
        attempts: int | None = None,
    ) -> Any:
        attempts = attempts or (self._config.max_attempts if method in _IDEMPOTENT else 1)
        headers = {"X-Auth-Token": auth.access_token} if auth else {}
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = client.request(method, base + path, params=params, json=json_body, headers=headers,
                                          auth=basic)
            except httpx.TimeoutException as error:
                failure: PbxError = PbxTimeout(self.host, self._config.timeout_s)
                cause: Exception = error
            except httpx.TransportError as error:
                tls = _ssl_error(error)
                if tls is not None:
                    raise PbxTlsError(self.host, tls) from error
                failure, cause = PbxUnreachable(self.host, _network_reason(error)), error
            else:
                if response.status_code in _RETRIED_STATUSES and not last:
                    log.info("%s answered %d to %s; retrying", self.host, response.status_code, what)
                    time.sleep(backoff_delay_s(attempt, self._config.backoff_base_s, self._config.backoff_max_s))
                    continue
                result = self._result(response, what, expect)
                if self._state is ServiceState.OFFLINE:
                    self._set_state(ServiceState.ONLINE, "the PBX answers again")
                return result
            if last:
                self._set_state(ServiceState.OFFLINE, str(failure))
                raise failure from cause
            log.info("%s: %s; retrying", what, failure)
            time.sleep(backoff_delay_s(attempt, self._config.backoff_base_s, self._config.backoff_max_s))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _result(self, response: httpx.Response, what: str, expect: str) -> Any:
        status = response.status_code
        if status == 401:
            raise PbxUnauthorized(self.host, _error_message(response))
        if status == 403:
            raise PbxForbidden(self.host, what)
        if status == 404:
            raise PbxNotFound(self.host, what)
        if status >= 500:
            raise PbxServerError(self.host, status, what)
        if status >= 300:
            raise PbxBadResponse(self.host, what, f"HTTP {status}: {_error_message(response) or 'no reason given'}",
                                 status=status)
        if expect == "none":
            return None
        if expect == "bytes":
            return response.content
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise PbxBadResponse(self.host, what, "not JSON") from error

    # -- profile ----------------------------------------------------------------------------------------------
    def profile(self) -> Profile:
        session = self._fresh_session()
        user = self._call("GET", CONFD, f"/users/{session.user_uuid}", what="fetch your profile")
        with _shape(self.host, "your profile"):
            lines = []
            extensions: list[str] = []
            for line_ref in user.get("lines") or []:
                line = self._call("GET", CONFD, f"/lines/{int(line_ref['id'])}", what="fetch your phone line")
                numbers = [str(e["exten"]) for e in line.get("extensions") or [] if e.get("exten")]
                extensions.extend(n for n in numbers if n not in extensions)
                endpoint_ref = line.get("endpoint_sip")
                if not endpoint_ref:
                    continue  # SCCP or custom lines carry no SIP credentials for us
                endpoint = self._call("GET", CONFD, f"/endpoints/sip/{endpoint_ref['uuid']}",
                                      params={"view": "merged"}, what="fetch your SIP account")
                lines.append(self._sip_line(endpoint, numbers[0] if numbers else None))
            return Profile(
                user_uuid=str(user.get("uuid") or session.user_uuid),
                first_name=str(user.get("firstname") or ""),
                last_name=str(user.get("lastname") or ""),
                email=user.get("email") or None,
                extensions=tuple(extensions),
                lines=tuple(lines),
            )

    def _sip_line(self, endpoint: dict[str, Any], extension: str | None) -> SipLine:
        auth = {str(k): str(v) for k, v in endpoint.get("auth_section_options") or []}
        if "username" not in auth or "password" not in auth:
            raise PbxBadResponse(self.host, "fetch your SIP account", "the line has no SIP username or password")
        self._on_secret(auth["password"])
        transport_name = str((endpoint.get("transport") or {}).get("name") or "").lower()
        transport = next((t for t in _TRANSPORTS if t in transport_name), None)
        return SipLine(auth["username"], auth["password"], self.host, transport, extension)

    # -- history ----------------------------------------------------------------------------------------------
    def history(self, query: HistoryQuery | None = None) -> HistoryPage:
        query = query or HistoryQuery()
        me = self._fresh_session().user_uuid
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
            with _shape(self.host, "your call history"):
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
        with self._lock:
            self._history = page
        return page

    def missed_count(self, since: datetime | None = None) -> int:
        me = self._fresh_session().user_uuid
        count, offset = 0, 0
        while True:
            params: dict[str, Any] = {"limit": 100, "offset": offset, "order": "start", "direction": "desc"}
            if since is not None:
                params["from"] = since.astimezone(UTC).isoformat()
            data = self._call("GET", CALL_LOGD, "/users/me/cdr", params=params, what="count your missed calls")
            with _shape(self.host, "your call history"):
                items = list(data["items"])
                count += sum(1 for item in items if cdr_to_record(item, me).missed)
                total = int(data.get("filtered", data.get("total", 0)))
            offset += len(items)
            if not items or offset >= total:
                return count

    def cached_history(self) -> HistoryPage | None:
        with self._lock:
            return self._history

    # -- voicemail --------------------------------------------------------------------------------------------
    def voicemail_counts(self) -> VoicemailCounts:
        box = self._call("GET", CALLD, "/users/me/voicemails", what="fetch your voicemail box")
        with _shape(self.host, "your voicemail box"):
            counts = {folder: 0 for folder in VoicemailFolder}
            ids: dict[VoicemailFolder, int] = {}
            for folder in box.get("folders") or []:
                kind = _folder(folder.get("type"))
                if kind is None:
                    continue
                ids[kind] = int(folder["id"])
                counts[kind] += len(folder.get("messages") or [])
        with self._lock:
            self._folder_ids = ids
        return VoicemailCounts(counts[VoicemailFolder.NEW], counts[VoicemailFolder.OLD], counts[VoicemailFolder.URGENT])

    def update_mwi(self, new: int, old: int, urgent_new: int = 0) -> None:
        """SIP MWI says the box changed: announce the counts at once (MWI arrives even when the API is offline),
        so views update their badges and refetch the list."""
        if min(new, old, urgent_new) < 0:
            raise ValueError(f"message counts cannot be negative: {new}/{old} ({urgent_new})")
        counts = VoicemailCounts(new=new, old=old, urgent=urgent_new)
        with self._lock:
            changed, self._mwi = counts != self._mwi, counts
        if changed:
            self._emit(VoicemailChanged(counts=counts))

    def voicemail_messages(self, folder: VoicemailFolder | None = None) -> tuple[VoicemailMessage, ...]:
        data = self._call("GET", CALLD, "/users/me/voicemails/messages",
                          params={"order": "timestamp", "direction": "desc"}, what="fetch your voicemail")
        with _shape(self.host, "your voicemail"):
            messages = []
            for item in data["items"]:
                kind = _folder(item["folder"]["type"])
                if kind is None:
                    continue
                with self._lock:
                    self._folder_ids.setdefault(kind, int(item["folder"]["id"]))
                messages.append(VoicemailMessage(
                    id=str(item["id"]),
                    folder=kind,
                    caller_name=str(item.get("caller_id_name") or ""),
                    caller_number=str(item.get("caller_id_num") or ""),
                    received_at=datetime.fromtimestamp(int(item["timestamp"]), UTC),
                    duration_s=int(item.get("duration") or 0),
                ))
        messages.sort(key=lambda m: m.received_at, reverse=True)
        everything = tuple(messages)
        with self._lock:
            self._voicemail = everything
        return everything if folder is None else tuple(m for m in everything if m.folder is folder)

    def cached_voicemail(self) -> tuple[VoicemailMessage, ...] | None:
        with self._lock:
            return self._voicemail

    def recording(self, message_id: str) -> bytes:
        """The message's audio (WAV): from the offline cache when it holds it, else from the PBX (and cached)."""
        if self._recordings is not None:
            cached = self._recordings.get(self._account_id, message_id)
            if cached is not None:
                return cached
        path = f"/users/me/voicemails/messages/{_path_part(message_id)}/recording"
        audio = self._call("GET", CALLD, path, what="download the voicemail message", expect="bytes")
        if not audio.startswith(b"RIFF"):
            raise PbxBadResponse(self.host, "download the voicemail message", "the recording is not a WAV file")
        if self._recordings is not None:
            try:
                self._recordings.put(self._account_id, message_id, audio)
            except Exception as error:  # the audio is in hand: a cache failure only costs a later download
                log.warning("Could not cache voicemail %s: %s", message_id, error)
        return audio

    def mark_read(self, message_id: str) -> None:
        self.move(message_id, VoicemailFolder.OLD)

    def move(self, message_id: str, folder: VoicemailFolder) -> None:
        folder_id = self._folder_id(folder)
        self._call("PUT", CALLD, f"/users/me/voicemails/messages/{_path_part(message_id)}",
                   json_body={"folder_id": folder_id}, what="move the voicemail message", expect="none")
        with self._lock:
            if self._voicemail is not None:
                self._voicemail = tuple(replace(m, folder=folder) if m.id == message_id else m
                                        for m in self._voicemail)

    def delete(self, message_id: str) -> None:
        self._call("DELETE", CALLD, f"/users/me/voicemails/messages/{_path_part(message_id)}",
                   what="delete the voicemail message", expect="none")
        with self._lock:
            if self._voicemail is not None:
                self._voicemail = tuple(m for m in self._voicemail if m.id != message_id)

    def _folder_id(self, folder: VoicemailFolder) -> int:
        with self._lock:
            known = self._folder_ids.get(folder)
        if known is None:
            self.voicemail_counts()  # learns the box's folder ids
            with self._lock:
                known = self._folder_ids.get(folder)
        if known is None:
            raise PbxNotFound(self.host, f"find the '{folder.value}' voicemail folder")
        return known

    # -- conferences ------------------------------------------------------------------------------------------
    def conference_rooms(self) -> tuple[ConferenceRoom, ...]:
        data = self._call("GET", CONFD, "/conferences", params={"order": "name", "direction": "asc"},
                          what="list conference rooms")
        with _shape(self.host, "the conference rooms"):
            rooms = []
            for item in data["items"]:
                numbers = [str(e["exten"]) for e in item.get("extensions") or [] if e.get("exten")]
                rooms.append(ConferenceRoom(int(item["id"]), str(item.get("name") or ""),
                                            numbers[0] if numbers else None))
            return tuple(rooms)

    # -- real-time updates ------------------------------------------------------------------------------------
    def start_updates(self) -> None:
        if self._updates is None:
            self._updates = _UpdateLoop(self)
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
        self._http.close()

    # for the update thread
    def _poll_snapshot(self, client: httpx.Client) -> tuple[int | None, frozenset[tuple[str, str]]]:
        """The newest history id and the voicemail (id, folder) pairs: what polling compares."""
        data = self._call("GET", CALL_LOGD, "/users/me/cdr", client=client, what="check for new calls",
                          params={"limit": 1, "offset": 0, "order": "start", "direction": "desc"})
        box = self._call("GET", CALLD, "/users/me/voicemails", client=client, what="check for new voicemail")
        with _shape(self.host, "the update check"):
            newest = int(data["items"][0]["id"]) if data["items"] else None
            messages = frozenset(
                (str(m["id"]), str(folder.get("type")))
                for folder in box.get("folders") or []
                for m in folder.get("messages") or []
            )
        return newest, messages

    def _record_from_event(self, payload: Any) -> CallRecord | None:
        with self._lock:
            me = self._session.user_uuid if self._session else ""
        try:
            return cdr_to_record(payload, me)
        except (KeyError, TypeError, ValueError) as error:
            log.info("History event without a readable call record (%s); the view will refetch", error)
            return None


class _UpdateLoop:
    """The update thread: wazo-websocketd when it answers, else polling with backoff. Owns its asyncio loop,
    its websocket and its own HTTP client."""

    def __init__(self, service: WazoService) -> None:
        self._service = service
        self._config = service._config
        self._stop = threading.Event()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="pbx-updates", daemon=True)
        self.mode = UpdateMode.NONE
        self.token_swaps = 0
        self._established = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:
                pass  # the loop closed between the check and the call: the thread is ending anyway
        self._thread.join(timeout=10)
        if self._thread.is_alive():
            log.warning("The PBX update thread did not stop within 10 s")

    def _set_mode(self, mode: UpdateMode) -> None:
        if mode is not self.mode:
            self.mode = mode
            log.info("PBX updates now by %s", mode.value)
            self._service._emit(UpdateModeChanged(mode))

    def _run(self) -> None:
        http = self._service._new_http_client()
        try:
            asyncio.run(self._main(http))
        except SignInRequired:
            log.info("PBX updates stopped: sign-in required")
        finally:
            http.close()

    async def _pause(self, seconds: float) -> None:
        assert self._wake is not None
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass

    async def _main(self, http: httpx.Client) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        interval = self._config.poll_interval_s
        snapshot = None
        drops = 0  # websocket sessions in a row that were opened, then lost
        while not self._stop.is_set():
            self._established = False
            try:
                await self._websocket_session()
                continue  # stopped, or closed cleanly: the loop condition decides
            except SignInRequired:
                raise
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException, PbxError) as error:
                if self._established and drops < 3:
                    # It was up (a token swap refused, a proxy restart): reconnect before falling back.
                    drops += 1
                    log.info("PBX websocket lost (%s); reconnecting", _describe(error))
                    await self._pause(backoff_delay_s(drops, self._config.backoff_base_s, self._config.backoff_max_s))
                    continue
                drops = 0
                log.info("PBX websocket unavailable (%s); polling", _describe(error))
            if self._stop.is_set():
                break
            self._set_mode(UpdateMode.POLLING)
            try:
                current = await asyncio.to_thread(self._service._poll_snapshot, http)
            except SignInRequired:
                raise
            except PbxError as error:
                interval = min(interval * 2, self._config.poll_max_interval_s)
                log.info("PBX poll failed (%s); next in %.1f s", error, interval)
            else:
                interval = self._config.poll_interval_s
                if snapshot is not None:
                    self._compare(snapshot, current)
                snapshot = current
            await self._pause(interval)

    def _compare(self, before: tuple[int | None, frozenset], after: tuple[int | None, frozenset]) -> None:
        if before[0] != after[0]:
            self._service._emit(HistoryChanged())
        if before[1] != after[1]:
            self._service._emit(VoicemailChanged(counts=_counts_of(after[1])))

    async def _websocket_session(self) -> None:
        session = await asyncio.to_thread(self._service._fresh_session)
        query = urllib.parse.urlencode({"token": session.access_token, "version": 2})
        url = f"{self._config.websocket_url}?{query}"
        ssl_context = self._service._tls if url.startswith("wss:") else None
        async with websockets.connect(url, ssl=ssl_context, open_timeout=self._config.connect_timeout_s,
                                      ping_interval=self._config.websocket_ping_s, close_timeout=2,
                                      max_size=2**20) as ws:
            first = await self._receive(ws, timeout=self._config.timeout_s)
            if first.get("op") != "init":
                raise PbxBadResponse(self._service.host, "open the event stream", f"began with {first.get('op')!r}")
            self._established = True
            for name in (*HISTORY_EVENTS, *VOICEMAIL_EVENTS):
                await ws.send(json.dumps({"op": "subscribe", "data": {"event_name": name}}))
            await ws.send(json.dumps({"op": "start"}))
            while not self._stop.is_set():
                due = self._service.renewal_due_in_s()
                if due is not None and due <= 0:
                    try:
                        session = await asyncio.to_thread(self._service._fresh_session)
                    except SignInRequired:
                        raise
                    await ws.send(json.dumps({"op": "token", "data": {"token": session.access_token}}))
                    self.token_swaps += 1
                    continue
                wait = min(due if due is not None else 60.0, 60.0)
                receive = asyncio.ensure_future(self._receive(ws, timeout=None))
                assert self._wake is not None
                woken = asyncio.ensure_future(self._wake.wait())
                done, _ = await asyncio.wait({receive, woken}, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
                woken.cancel()
                if receive not in done:
                    receive.cancel()
                    continue
                self._handle(receive.result())

    async def _receive(self, ws: Any, timeout: float | None) -> dict[str, Any]:
        try:
            raw = await asyncio.wait_for(ws.recv(), timeout=timeout)
        except websockets.exceptions.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            if code == WEBSOCKET_AUTH_FAILED:
                # Token refused: renew (SignInRequired if the refresh token is gone too), then reconnect.
                with self._service._lock:
                    stale = self._service._session
                if stale is not None:
                    await asyncio.to_thread(self._service._renew, stale)
            raise
        try:
            frame = json.loads(raw)
        except (json.JSONDecodeError, TypeError) as error:
            raise PbxBadResponse(self._service.host, "the event stream", "a frame is not JSON") from error
        if not isinstance(frame, dict):
            raise PbxBadResponse(self._service.host, "the event stream", "a frame is not an object")
        self._set_mode(UpdateMode.WEBSOCKET)
        return frame

    def _handle(self, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        if op != "event":
            if frame.get("code") not in (0, None):
                log.warning("wazo-websocketd refused %r: %s", op, frame.get("data"))
            return
        message = frame.get("data") or {}
        name = message.get("name")
        payload = message.get("data") or {}
        if name in HISTORY_EVENTS:
            self._service._emit(HistoryChanged(self._service._record_from_event(payload)))
        elif name in VOICEMAIL_EVENTS:
            message_id = payload.get("message_id") if isinstance(payload, dict) else None
            self._service._emit(VoicemailChanged(message_id=str(message_id) if message_id else None))


def cdr_to_record(item: dict[str, Any], me: str) -> CallRecord:
    """One call-logd CDR seen from the user `me`: the direction and the other party are relative to them."""
    outgoing = item.get("source_user_uuid") == me and bool(me)
    if outgoing:
        name = item.get("destination_name") or item.get("requested_name") or ""
        number = item.get("destination_extension") or item.get("requested_extension") or ""
    else:
        name = item.get("source_name") or ""
        number = item.get("source_extension") or ""
    started = _parse_time(item["start"])
    if started is None:
        raise ValueError("a call without a start time")
    details = item.get("destination_details") or {}
    return CallRecord(
        id=int(item["id"]),
        direction=CallDirection.OUTGOING if outgoing else CallDirection.INCOMING,
        answered=bool(item.get("answered")),
        other_name=str(name),
        other_number=str(number),
        started_at=started,
        duration_s=int(item.get("duration") or 0),
        conference=isinstance(details, dict) and details.get("type") in ("conference", "meeting"),
    )


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # wazo-auth's utc_* times are naive UTC


def _folder(kind: Any) -> VoicemailFolder | None:
    try:
        return VoicemailFolder(kind)
    except ValueError:
        return None  # "other" folders (Work, Family...) are not shown


def _counts_of(messages: Iterable[tuple[str, str]]) -> VoicemailCounts:
    folders = [folder for _, folder in messages]
    return VoicemailCounts(folders.count("new"), folders.count("old"), folders.count("urgent"))


def _path_part(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    if isinstance(body, dict):
        message = body.get("message") or body.get("reason")
        if isinstance(message, list):
            message = "; ".join(map(str, message))
        return str(message or "")
    return ""


def _ssl_error(error: BaseException) -> str | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or "certificate verify failed"
        if isinstance(seen, ssl.SSLError):
            return seen.reason or str(seen)
        seen = seen.__cause__ or seen.__context__
    text = str(error)
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return text
    return None


def _network_reason(error: httpx.TransportError) -> str:
    text = str(error) or type(error).__name__
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host name"
    return text


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__


class _shape:
    """Turns a KeyError/TypeError/ValueError while reading a PBX answer into PbxBadResponse."""

    def __init__(self, host: str, what: str) -> None:
        self._host, self._what = host, what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: object) -> bool:
        if error is not None and isinstance(error, (KeyError, TypeError, ValueError, AttributeError)):
            raise PbxBadResponse(self._host, f"fetch {self._what}", f"unexpected shape: {_describe(error)}") \
                from error
        return False
