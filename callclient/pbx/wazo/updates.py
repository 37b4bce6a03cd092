"""Real-time updates from the PBX: wazo-websocketd events when it answers, else polling with backoff.

Threads: everything here runs on the "pbx-updates" thread, which owns its asyncio loop, its websocket and its
own HTTP client; blocking calls into the session run in `asyncio.to_thread`. `stop()` is called from outside.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import urllib.parse
from collections.abc import Callable
from typing import Any

import httpx
import websockets
import websockets.exceptions

from callclient.pbx.errors import PbxBadResponse, PbxError, SignInRequired
from callclient.pbx.forwards import ForwardsChanged
from callclient.pbx.service import (
    CallRecord,
    HistoryChanged,
    PbxEvent,
    UpdateMode,
    UpdateModeChanged,
    VoicemailChanged,
)
from callclient.pbx.wazo.config import WazoConfig
from callclient.pbx.wazo.forwards import FORWARD_EVENTS, kind_of_event
from callclient.pbx.wazo.http import WazoHttp, backoff_delay_s
from callclient.pbx.wazo.mapping import counts_of, describe
from callclient.pbx.wazo.session import SessionKeeper

log = logging.getLogger(__name__)

# wazo-bus event names: call-logd's tests use call_log_user_created for a new history entry.
HISTORY_EVENTS = ("call_log_user_created",)
VOICEMAIL_EVENTS = (
    "user_voicemail_message_created",
    "user_voicemail_message_updated",
    "user_voicemail_message_deleted",
)
# wazo-websocketd closes with 4003 when the token is refused or has expired.
WEBSOCKET_AUTH_FAILED = 4003

# What polling compares: the newest history id and the voicemail (message id, folder type) pairs.
Snapshot = tuple[int | None, frozenset[tuple[str, str]]]


class UpdateLoop:
    """The update thread. `snapshot` fetches what polling compares (with the client it is given);
    `record_from_event` reads a history event's payload; `message_deleted` is told of a voicemail message
    deleted on the PBX (its offline copy must go)."""

    def __init__(
        self,
        config: WazoConfig,
        http: WazoHttp,
        sessions: SessionKeeper,
        *,
        emit: Callable[[PbxEvent], None],
        snapshot: Callable[[httpx.Client], Snapshot],
        record_from_event: Callable[[Any], CallRecord | None],
        message_deleted: Callable[[str], None],
        bus_events: tuple[str, ...] = (),
        on_bus_event: Callable[[str, Any], None] | None = None,
        on_events_missed: Callable[[], None] | None = None,
    ) -> None:
        self._config = config
        self._http = http
        self._sessions = sessions
        self._emit = emit
        self._snapshot = snapshot
        self._record_from_event = record_from_event
        self._message_deleted = message_deleted
        # Further events a feature module reads (presence.py: chatd presences, confd's DND service).
        self._bus_events = bus_events
        self._on_bus_event = on_bus_event
        self._on_events_missed = on_events_missed
        self._stop = threading.Event()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="pbx-updates", daemon=True)
        self.mode = UpdateMode.NONE
        self.token_swaps = 0
        self._established = False  # this websocket session got as far as websocketd's "init"
        self._renewed_after_refusal = False  # websocketd refused the token (4003) and we renewed it since
        self._missed_events = False  # a websocket was lost: what websocketd pushed meanwhile went nowhere

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
            self._emit(UpdateModeChanged(mode))

    def _run(self) -> None:
        http = self._http.new_client()
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
            self._established = self._renewed_after_refusal = False
            try:
                await self._websocket_session()
                continue  # stopped, or closed cleanly: the loop condition decides
            except SignInRequired:
                raise
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException, PbxError) as error:
                if (self._established or self._renewed_after_refusal) and drops < 3:
                    # It was up (a token swap refused, a proxy restart), or it refused a token that is now
                    # renewed (a revoked token whose socket dropped before its 4003 reached us): reconnect
                    # before falling back.
                    drops += 1
                    self._missed_events = True
                    log.info("PBX websocket lost (%s); reconnecting", describe(error))
                    await self._pause(backoff_delay_s(drops, self._config.backoff_base_s, self._config.backoff_max_s))
                    continue
                drops = 0
                log.info("PBX websocket unavailable (%s); polling", describe(error))
            except Exception:  # a bug or junk not yet mapped to a PbxError must not end live updates
                drops = 0
                log.exception("PBX websocket failed unexpectedly; polling")
            if self._stop.is_set():
                break
            self._set_mode(UpdateMode.POLLING)
            try:
                current = await asyncio.to_thread(self._snapshot, http)
            except SignInRequired:
                raise
            except PbxError as error:
                interval = min(interval * 2, self._config.poll_max_interval_s)
                log.info("PBX poll failed (%s); next in %.1f s", error, interval)
            except Exception:  # as above: log it, back off, keep polling
                interval = min(interval * 2, self._config.poll_max_interval_s)
                log.exception("PBX poll failed unexpectedly; next in %.1f s", interval)
            else:
                interval = self._config.poll_interval_s
                if snapshot is not None:
                    self._compare(snapshot, current)
                snapshot = current
            await self._pause(interval)

    def _compare(self, before: Snapshot, after: Snapshot) -> None:
        if before[0] != after[0]:
            self._emit(HistoryChanged())
        if before[1] != after[1]:
            self._emit(VoicemailChanged(counts=counts_of(after[1])))

    async def _websocket_session(self) -> None:
        session = await asyncio.to_thread(self._sessions.fresh)
        query = urllib.parse.urlencode({"token": session.access_token, "version": 2})
        url = f"{self._config.websocket_url}?{query}"
        ssl_context = self._http.tls if url.startswith("wss:") else None
        async with websockets.connect(url, ssl=ssl_context, open_timeout=self._config.connect_timeout_s,
                                      ping_interval=self._config.websocket_ping_s, close_timeout=2,
                                      max_size=2**20) as ws:
            first = await self._receive(ws, timeout=self._config.timeout_s)
            if first.get("op") != "init":
                raise PbxBadResponse(self._http.host, "open the event stream", f"began with {first.get('op')!r}")
            self._established = True
            for name in (*HISTORY_EVENTS, *VOICEMAIL_EVENTS, *FORWARD_EVENTS, *self._bus_events):
                await ws.send(json.dumps({"op": "subscribe", "data": {"event_name": name}}))
            await ws.send(json.dumps({"op": "start"}))
            if self._missed_events:
                # websocketd pushes to the socket it has: events sent to the lost one (it may still have
                # counted it open) are gone, so the views refetch what may have changed in the gap.
                self._missed_events = False
                self._emit(HistoryChanged())
                self._emit(VoicemailChanged())
                if self._on_events_missed is not None:
                    self._on_events_missed()
                self._emit(ForwardsChanged())
            sent_token = session.access_token
            while not self._stop.is_set():
                due = self._sessions.renewal_due_in_s()
                if due is not None and due <= 0:
                    # After a failed renewal this is the same token, and the schedule has moved on (backoff).
                    session = await asyncio.to_thread(self._sessions.fresh)
                    if session.access_token != sent_token:
                        await ws.send(json.dumps({"op": "token", "data": {"token": session.access_token}}))
                        sent_token = session.access_token
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
                stale = self._sessions.current
                if stale is not None:
                    await asyncio.to_thread(self._sessions.renew, stale)
                    self._renewed_after_refusal = True
            raise
        try:
            frame = json.loads(raw)
        except (json.JSONDecodeError, TypeError) as error:
            raise PbxBadResponse(self._http.host, "the event stream", "a frame is not JSON") from error
        if not isinstance(frame, dict):
            raise PbxBadResponse(self._http.host, "the event stream", "a frame is not an object")
        self._set_mode(UpdateMode.WEBSOCKET)
        return frame

    def _handle(self, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        if op != "event":
            if frame.get("code") not in (0, None):
                log.warning("wazo-websocketd refused %r: %s", op, frame.get("data"))
            return
        message = frame.get("data")
        if not isinstance(message, dict):
            log.info("wazo-websocketd sent an event without a data object; ignored")
            return
        name = message.get("name")
        payload = message.get("data") or {}
        if name in HISTORY_EVENTS:
            self._emit(HistoryChanged(self._record_from_event(payload)))
        elif name in VOICEMAIL_EVENTS:
            message_id = payload.get("message_id") if isinstance(payload, dict) else None
            if message_id and name == "user_voicemail_message_deleted":
                self._message_deleted(str(message_id))
            self._emit(VoicemailChanged(message_id=str(message_id) if message_id else None))
        elif name in self._bus_events and self._on_bus_event is not None:
            self._on_bus_event(str(name), payload)
        elif name in FORWARD_EVENTS:
            self._emit(ForwardsChanged(kind_of_event(name)))
