"""The test/demo PBX server: wazo-auth, confd, call-logd, calld, dird, chatd and websocketd on one HTTP(S)
port, on its own thread and asyncio loop. Requests are checked against the contract (contract.py), answered by
the routes (routes.py assembles one module per service; chatd.py for presence) from the data (data.py),
unless a test injected a fault (faults.py).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import secrets
import ssl
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from callclient.demo.pbx_server.chatd import PresenceDesk
from callclient.demo.pbx_server.contract import (
    ContractViolation,
    Operation,
    ServiceSpec,
    WazoContract,
    check_request,
    check_response,
)
from callclient.demo.pbx_server.data import Message, PbxData, TokenGrant, User, cdr_entry, tone_wav
from callclient.demo.pbx_server.faults import Fault, Faults, Tamper
from callclient.demo.pbx_server.routes import HANDLERS
from callclient.demo.pbx_server.routes_base import JSON, error_body, local_iso, utc_iso

log = logging.getLogger(__name__)

WEBSOCKET_PATH = "/api/websocketd/"


@dataclass
class _Socket:
    ws: web.WebSocketResponse
    request: web.Request
    token: str
    user_uuid: str
    subscriptions: set[str] = field(default_factory=set)
    started: bool = False


class PbxServer:
    """The test/demo PBX on its own thread and asyncio loop. Public methods are safe from any thread."""

    def __init__(
        self,
        contract: WazoContract,
        data: PbxData | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        max_token_lifetime_s: int = 315360000,
    ) -> None:
        self.contract = contract
        self.data = data or PbxData.sample()
        self.host = host
        self.port = port
        self._ssl = ssl_context
        # Tokens never outlive this, whatever the client asks (wazo-auth has such a cap too); a test may lower
        # it while the server runs, to hand out short-lived tokens.
        self.max_token_lifetime_s = max_token_lifetime_s
        self._lock = threading.Lock()
        self._tokens: dict[str, TokenGrant] = {}
        self._refresh: dict[str, tuple[str, str]] = {}  # refresh token -> (user uuid, client id)
        self.faults = Faults()
        self._sockets: list[_Socket] = []
        self.violations: list[str] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # method, path, query: for assertions
        self.request_times: list[float] = []  # time.monotonic() of each entry in `requests`
        self.token_grants: list[str] = []  # "password" or "refresh_token", in order
        self.token_grant_times: list[float] = []  # time.monotonic() of each entry in `token_grants`
        self.token_swaps = 0
        self.websocket_enabled = True
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.presence = PresenceDesk(self)  # chatd presences and confd's DND service (chatd.py)
        self._feature_handlers = self.presence.handlers()

    # lifecycle
    @property
    def base_url(self) -> str:
        return f"{'https' if self._ssl else 'http'}://{self.host}:{self.port}"

    def start(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._start_site())
            except BaseException as error:  # reported to the starting thread below
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._stop_site())
            loop.close()

        self._thread = threading.Thread(target=run, name="test-pbx", daemon=True)
        self._thread.start()
        if not ready.wait(timeout=15):
            raise RuntimeError("the test PBX did not start within 15 s")
        if failure:
            raise RuntimeError(f"the test PBX could not start on {self.host}:{self.port}: {failure[0]}")

    def stop(self) -> None:
        self.presence.stop()
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=15)
        self._loop = self._thread = None

    def __enter__(self) -> PbxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _start_site(self) -> None:
        app = web.Application(client_max_size=2**20)
        app.router.add_route("GET", WEBSOCKET_PATH, self._websocket)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=self._ssl, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _stop_site(self) -> None:
        for socket in list(self._sockets):
            await socket.ws.close(code=WSCloseCode.GOING_AWAY)
        if self._runner is not None:
            await self._runner.cleanup()

    # fault injection and test controls
    def fail_next(self, status: int, path_contains: str | None = None, count: int = 1) -> None:
        self.faults.add(Fault("status", path_contains, count, status=status))

    def junk_next(self, path_contains: str | None = None, count: int = 1) -> None:
        self.faults.add(Fault("junk", path_contains, count))

    def delay_next(self, seconds: float, path_contains: str | None = None, count: int = 1) -> None:
        self.faults.add(Fault("delay", path_contains, count, delay_s=seconds))

    def tamper_next(self, tamper: Tamper, path_contains: str | None = None, count: int = 1) -> None:
        """The next matching requests are served as usual (tokens really are granted), then `tamper` rewrites
        the JSON body before it is sent, unchecked: a hostile or broken PBX, off the contract on purpose."""
        self.faults.add(Fault("tamper", path_contains, count, tamper=tamper))

    def issued_tokens(self) -> list[str]:
        with self._lock:
            return list(self._tokens)

    def revoke_token(self, token: str, close_websockets: bool = True) -> None:
        """The access token stops working at once (its websocket is closed with 4003, as websocketd does,
        unless `close_websockets` is False)."""
        with self._lock:
            self._tokens.pop(token, None)
        if close_websockets:
            self._call_on_loop(self._close_sockets(lambda s: s.token == token))

    def drop_websockets(self) -> None:
        """Every websocket's connection is cut with no close frame (a proxy restart, a lost route)."""
        self._call_on_loop(self._drop_sockets())

    def revoke_sessions(self, user_uuid: str) -> None:
        """Every access and refresh token of the user is revoked: the client must ask for the password."""
        with self._lock:
            for token in [t for t, g in self._tokens.items() if g.user_uuid == user_uuid]:
                del self._tokens[token]
            for refresh in [r for r, (u, _) in self._refresh.items() if u == user_uuid]:
                del self._refresh[refresh]
        self._call_on_loop(self._close_sockets(lambda s: s.user_uuid == user_uuid))

    def push_event(self, name: str, payload: dict[str, Any], user_uuid: str | None = None) -> int:
        """Sends a bus event to the started websockets subscribed to it; returns how many got it."""
        return self._call_on_loop(self._push(name, payload, user_uuid))

    def add_call(self, user_uuid: str, name: str, number: str, *, outgoing: bool = False, answered: bool = False,
                 duration: int = 0) -> dict[str, Any]:
        """A new call in the user's history, announced as call-logd does (call_log_user_created)."""
        with self._lock:
            me = self.data.users[user_uuid]
            entry = cdr_entry(max((c["id"] for c in self.data.cdrs), default=0) + 1, me, name, number, None,
                              datetime.now(UTC), outgoing, answered, duration)
            self.data.cdrs.append(entry)
        self.push_event("call_log_user_created", copy.deepcopy(entry), user_uuid)
        return entry

    def add_voicemail(self, user_uuid: str, caller_name: str, caller_number: str, seconds: float = 0.5) -> str:
        message_id = f"{int(time.time())}-{secrets.token_hex(4)}"
        with self._lock:
            self.data.messages[message_id] = Message(message_id, "new", caller_name, caller_number,
                                                     max(1, round(seconds)), int(time.time()),
                                                     tone_wav(seconds, 523.0))
        self.push_event("user_voicemail_message_created", self._message_event(user_uuid, message_id), user_uuid)
        return message_id

    def open_websockets(self) -> int:
        return len(self._sockets)

    def _message_event(self, user_uuid: str, message_id: str) -> dict[str, Any]:
        return {"user_uuid": user_uuid, "voicemail_id": self.data.voicemail_id, "message_id": message_id}

    def _call_on_loop(self, coroutine: Awaitable[Any]) -> Any:
        loop = self._loop
        if loop is None:
            coroutine.close()  # type: ignore[attr-defined]
            return 0
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=10)  # type: ignore[arg-type]

    async def _drop_sockets(self) -> None:
        for socket in list(self._sockets):
            if socket.request.transport is not None:
                socket.request.transport.abort()

    async def _close_sockets(self, which: Callable[[_Socket], bool]) -> None:
        for socket in [s for s in self._sockets if which(s)]:
            await socket.ws.close(code=4003, message=b"token revoked")

    async def _push(self, name: str, payload: dict[str, Any], user_uuid: str | None) -> int:
        frame = json.dumps({"op": "event", "code": 0, "data": {
            "name": name, "origin_uuid": "3f8e1b1c-0000-4000-8000-000000000001", "required_acl": f"events.{name}",
            "data": payload}})
        sent = 0
        for socket in list(self._sockets):
            if not socket.started or (user_uuid and socket.user_uuid != user_uuid):
                continue
            if name in socket.subscriptions or "*" in socket.subscriptions:
                await socket.ws.send_str(frame)
                sent += 1
        return sent

    def _violation(self, message: str) -> None:
        log.error("Wazo contract violation: %s", message)
        with self._lock:
            self.violations.append(message)

    # request handling
    def _grant_for(self, token: str | None) -> TokenGrant | None:
        if not token:
            return None
        with self._lock:
            grant = self._tokens.get(token)
        if grant is None or grant.expires_at <= time.time():
            return None
        return grant

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        with self._lock:
            self.requests.append((request.method, path, dict(request.query)))
            self.request_times.append(time.monotonic())
        found = self.contract.service_for(path)
        if found is None:
            self._violation(f"{request.method} {path}: not a Wazo API path")
            return web.json_response({"message": "no such API"}, status=404)
        prefix, spec = found
        local = path[len(prefix):]
        matched = spec.match(request.method, local)
        if matched is None:
            self._violation(f"{spec.name}: {request.method} {local} is not in the spec")
            return web.json_response({"message": "not in the spec"}, status=405)
        op, path_params = matched
        body: Any = None
        try:
            body = await check_request(spec, op, request, path_params)
        except ContractViolation as violation:
            self._violation(str(violation))
            return web.json_response({"message": str(violation), "error_id": "invalid-data"}, status=400)

        fault = self.faults.take(local)
        if fault is not None:
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay_s)
            elif fault.kind == "junk":
                return web.Response(status=200, body=b"<html><body>502 Bad Gateway</body>",
                                    content_type="application/json")
            elif fault.kind == "status":
                return web.json_response(error_body(spec.name, fault.status, "injected fault"), status=fault.status)

        key = (spec.name, op.method, op.template)
        handler = HANDLERS.get(key) or self._feature_handlers.get(key)
        if handler is None:
            return web.json_response({"message": "not implemented by the test PBX"}, status=501)
        grant = None
        if "wazo_auth_token" in op.security and "wazo_auth_basic" not in op.security:
            grant = self._grant_for(request.headers.get("X-Auth-Token"))
            if grant is None:
                return web.json_response(error_body(spec.name, 401, "Unauthorized"), status=401)
        status, result, content_type = handler(self, request, path_params, body, grant)
        if fault is not None and fault.tamper is not None and content_type == JSON:
            tampered = fault.tamper(copy.deepcopy(result))
            raw = tampered if isinstance(tampered, bytes) else json.dumps(tampered).encode()
            return web.Response(status=status, body=raw, content_type=JSON)
        return self._respond(spec, op, status, result, content_type)

    def _respond(self, spec: ServiceSpec, op: Operation, status: int, result: Any,
                 content_type: str) -> web.Response:
        try:
            check_response(spec, op, status, result, content_type)
        except ContractViolation as violation:
            self._violation(str(violation))
            return web.json_response({"message": f"test PBX bug: {violation}"}, status=500)
        if content_type == "application/json":
            if result is None:
                return web.Response(status=status)
            return web.json_response(result, status=status)
        return web.Response(status=status, body=result, content_type=content_type)

    # websocketd
    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.websocket_enabled:
            return web.json_response({"message": "websocketd is not running"}, status=404)
        for name in request.query:
            if name not in ("token", "version"):
                self._violation(f"websocketd: unknown query parameter {name!r}")
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        grant = self._grant_for(request.query.get("token"))
        if grant is None:
            await ws.close(code=4003, message=b"authentication failed")
            return ws
        socket = _Socket(ws, request, request.query["token"], grant.user_uuid)
        self._sockets.append(socket)
        try:
            await ws.send_json({"op": "init", "code": 0, "data": {"version": 2}})
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                await self._websocket_op(socket, message.data)
        finally:
            self._sockets.remove(socket)
        return ws

    async def _websocket_op(self, socket: _Socket, raw: str) -> None:
        try:
            frame = json.loads(raw)
            op, data = frame["op"], frame.get("data") or {}
        except (json.JSONDecodeError, KeyError, TypeError):
            self._violation(f"websocketd: malformed client frame {raw[:80]!r}")
            await socket.ws.send_json({"op": "error", "code": 1, "data": {"message": "malformed"}})
            return
        if op == "subscribe":
            if not isinstance(data.get("event_name"), str):
                self._violation("websocketd: subscribe without event_name")
            socket.subscriptions.add(str(data.get("event_name")))
            await socket.ws.send_json({"op": "subscribe", "code": 0})
        elif op == "start":
            socket.started = True
            await socket.ws.send_json({"op": "start", "code": 0})
        elif op == "token":
            grant = self._grant_for(data.get("token"))
            if grant is None:
                await socket.ws.close(code=4003, message=b"invalid token")
                return
            socket.token = data["token"]
            self.token_swaps += 1
            await socket.ws.send_json({"op": "token", "code": 0})
        elif op == "ping":
            await socket.ws.send_json({"op": "pong", "code": 0, "data": {"payload": data.get("payload")}})
        else:
            self._violation(f"websocketd: unknown op {op!r}")
            await socket.ws.send_json({"op": op, "code": 1})

    # auth
    def _record_grant(self, kind: str) -> None:
        with self._lock:
            self.token_grants.append(kind)
            self.token_grant_times.append(time.monotonic())

    def refresh_grant_times(self) -> list[float]:
        """When each token was granted for a refresh token (time.monotonic()), oldest first."""
        with self._lock:
            return [t for kind, t in zip(self.token_grants, self.token_grant_times, strict=True)
                    if kind == "refresh_token"]

    def _issue(self, user: User, lifetime_s: int, client_id: str | None, offline: bool) -> dict[str, Any]:
        lifetime_s = min(lifetime_s, self.max_token_lifetime_s)
        now = time.time()
        token = str(uuid.uuid4())
        grant = TokenGrant(user.uuid, now + lifetime_s, now, str(uuid.uuid4()))
        data: dict[str, Any] = {
            "token": token,
            "auth_id": user.uuid,
            "xivo_user_uuid": user.uuid,
            "xivo_uuid": "c5f7d2a9-1111-4a22-9b33-000000000042",
            "issued_at": local_iso(now),
            "expires_at": local_iso(now + lifetime_s),
            "utc_issued_at": utc_iso(now),
            "utc_expires_at": utc_iso(now + lifetime_s),
            "acl": ["default.user.me"],
            "session_uuid": grant.session_uuid,
            "metadata": {"uuid": user.uuid, "pbx_user_uuid": user.uuid, "tenant_uuid": self.data.tenant_uuid},
        }
        with self._lock:
            self._tokens[token] = grant
            if offline and client_id:
                refresh = secrets.token_hex(16)
                self._refresh = {r: v for r, v in self._refresh.items() if v != (user.uuid, client_id)}
                self._refresh[refresh] = (user.uuid, client_id)
                data["refresh_token"] = refresh
        return {"data": data}
