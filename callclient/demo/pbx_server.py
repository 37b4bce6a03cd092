"""A local Wazo-like PBX for tests and the demo mode: wazo-auth, confd, call-logd, calld and websocketd on one
HTTP(S) port, with in-memory sample data, checked against Wazo's own published API specs.

Every request is matched to an operation of the vendored Swagger 2.0 specs (merged per service, as Wazo does at
run time) and its parameters and body are validated; every response body is validated against the operation's
documented schema. A mismatch is recorded in `PbxServer.violations` and answered with an error status, so the
client sees it and a test fixture fails on it: the client is tested against the documented contract.

Fault injection for tests: `fail_next`, `junk_next`, `delay_next`, `revoke_token`, `revoke_sessions`,
`push_event`; `websocket_enabled` turns the event websocket off (to exercise polling).

Run it alone:  python -m callclient.demo.pbx_server --port 8443 [--cert server.pem --key server.key]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import copy
import io
import json
import logging
import math
import os
import re
import secrets
import ssl
import struct
import threading
import time
import uuid
import wave
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import referencing.exceptions
import yaml
from aiohttp import WSCloseCode, WSMsgType, web
from openapi_spec_validator import validate as validate_spec
from openapi_spec_validator.validation import OpenAPIV2SpecValidator
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

log = logging.getLogger(__name__)

SPECS_ENV = "CALLCLIENT_WAZO_SPECS"
# Proxy prefix -> the directory of that service's spec fragments.
SERVICES = {
    "/api/auth": "wazo-auth",
    "/api/confd": "wazo-confd",
    "/api/call-logd": "wazo-call-logd",
    "/api/calld": "wazo-calld",
}
WEBSOCKET_PATH = "/api/websocketd/"

# Definitions and parameters that the vendored fragments reference but that live in plugins that were not
# vendored (extensions, voicemails, incalls, groups...). They are stubbed as open schemas so the merged document
# validates; any other dangling reference still fails the load. None of them is on a path the client reads,
# except ExtensionRelationBase (line and conference numbers), whose shape the client reads defensively.
NOT_VENDORED: dict[str, dict[str, Any]] = {
    "wazo-confd": {
        "definitions": (
            "ApplicationRelationBase", "BaseVoicemail", "EndpointCustom", "EndpointCustomRelationBase",
            "EndpointSccp", "EndpointSccpRelationBase", "ExtensionRelationBase", "GroupRelationBase",
            "IncallRelationBase", "IncallRelationExtensions", "QueueRelationBase", "SIPTransportRelation",
            "SwitchboardRelationBase", "TrunkRelationBase", "UserFallbacks", "Voicemail", "VoicemailItems",
            "VoicemailRelationBase",
        ),
        "parameters": {"customid": "custom_id", "sccpid": "sccp_id", "voicemailid": "voicemail_id"},
    },
    "wazo-calld": {"definitions": (), "parameters": {"CallID": "call_id"}},
}
# The same definition name in two fragments of one service: first loaded (sorted file order) wins. calld's
# meetings plugin declares a narrower Participant than its conferences plugin; neither is on our paths.
ALLOWED_DUPLICATES = {"wazo-calld": frozenset({"Participant"})}


class ContractViolation(Exception):
    """A request or response does not match the vendored Wazo API specs."""


# A verbatim copy of the specs ships with the app, so demo mode works when installed; the tests check it
# against the reference copy beside the repository, which is the source of truth.
PACKAGED_SPECS = Path(__file__).resolve().parent / "wazo_specs"


def reference_specs_dir() -> Path:
    """shared/reference/wazo beside the repository (as CI lays it out)."""
    return Path(__file__).resolve().parents[3] / "shared" / "reference" / "wazo"


def default_specs_dir() -> Path:
    """CALLCLIENT_WAZO_SPECS, else the reference specs beside the repository, else the packaged copy."""
    if os.environ.get(SPECS_ENV):
        return Path(os.environ[SPECS_ENV])
    reference = reference_specs_dir()
    return reference if reference.is_dir() else PACKAGED_SPECS


# -- the contract --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    service: str
    method: str
    template: str  # path template including the basePath, e.g. /1.0/users/me/cdr
    pattern: re.Pattern[str]
    parameters: tuple[dict[str, Any], ...]
    security: tuple[str, ...]  # names of the schemes of which one must be met; () = none needed
    path_names: tuple[str, ...]
    spec: dict[str, Any] = field(repr=False)


class ServiceSpec:
    def __init__(self, name: str, document: dict[str, Any]) -> None:
        self.name = name
        self.document = document
        self.base_path = document.get("basePath", "")
        self.operations: list[Operation] = []
        default_security = _security_names(document.get("security"))
        for template, item in (document.get("paths") or {}).items():
            shared = item.get("parameters") or []
            for method, op in item.items():
                if method == "parameters":
                    continue
                params = [self.resolve(p) for p in [*shared, *(op.get("parameters") or [])]]
                security = _security_names(op["security"]) if "security" in op else default_security
                full = self.base_path + template
                regex = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(full)) + "$"
                names = tuple(re.findall(r"\{([^}]+)\}", full))
                self.operations.append(Operation(name, method.upper(), full, re.compile(regex),
                                                 tuple(params), security, names, op))
        # Literal segments beat parameters: /users/me/cdr must not be taken as /users/{user_uuid}/cdr.
        self.operations.sort(key=lambda o: (o.template.count("{"), -len(o.template)))
        self._validators: dict[str, jsonschema.protocols.Validator] = {}

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            _, kind, name = node["$ref"].split("/", 2)
            node = self.document[kind][name]
        return node

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations:
            if op.method != method:
                continue
            found = op.pattern.match(path)
            if found:
                return op, dict(zip(op.path_names, found.groups(), strict=True))
        return None

    def validate(self, schema: dict[str, Any], value: Any, what: str) -> None:
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            # Swagger 2.0 schemas are a JSON Schema draft 4 subset; refs point into the merged document.
            root = {**schema, "definitions": self.document.get("definitions", {})}
            validator = jsonschema.Draft4Validator(root, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
            self._validators[key] = validator
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        if errors:
            first = errors[0]
            where = "/".join(map(str, first.absolute_path)) or "(root)"
            raise ContractViolation(f"{self.name}: {what} does not match the spec at {where}: {first.message}")


class WazoContract:
    """The vendored specs, merged per service and validated as Swagger 2.0 documents."""

    def __init__(self, services: dict[str, ServiceSpec]) -> None:
        self.services = services

    @classmethod
    def load(cls, specs_dir: Path | None = None) -> WazoContract:
        specs_dir = specs_dir or default_specs_dir()
        if not specs_dir.is_dir():
            raise FileNotFoundError(
                f"Wazo API specs not found in {specs_dir}; set {SPECS_ENV} to the directory of the vendored specs"
            )
        services = {}
        for prefix, name in SERVICES.items():
            document = merge_fragments(specs_dir / name, name)
            try:
                validate_spec(document, cls=OpenAPIV2SpecValidator)
            except referencing.exceptions.Unresolvable as error:
                raise ContractViolation(f"{name}: the merged spec has a dangling reference {error.ref}") from error
            except OpenAPIValidationError as error:
                raise ContractViolation(f"{name}: the merged spec is not valid Swagger 2.0: {error}"[:500]) \
                    from error
            services[prefix] = ServiceSpec(name, document)
        return cls(services)

    def service_for(self, path: str) -> tuple[str, ServiceSpec] | None:
        for prefix, spec in self.services.items():
            if path.startswith(prefix + "/"):
                return prefix, spec
        return None


def merge_fragments(directory: Path, name: str) -> dict[str, Any]:
    """The root `api.api.yml` with every plugin fragment's paths, definitions, parameters and responses."""
    files = sorted(directory.rglob("*.api.yml"))
    roots = [f for f in files if f.name == "api.api.yml"]
    if len(roots) != 1:
        raise ContractViolation(f"{directory}: expected one api.api.yml, found {len(roots)}")
    document = yaml.safe_load(roots[0].read_text())
    allowed = ALLOWED_DUPLICATES.get(name, frozenset())
    for fragment_file in files:
        if fragment_file == roots[0]:
            continue
        fragment = yaml.safe_load(fragment_file.read_text()) or {}
        for section in ("paths", "definitions", "parameters", "responses"):
            merged = document.setdefault(section, {})
            for key, value in (fragment.get(section) or {}).items():
                if key in merged and merged[key] != value:
                    if section == "definitions" and key in allowed:
                        continue
                    raise ContractViolation(f"{name}: {section}/{key} differs between fragments ({fragment_file})")
                merged.setdefault(key, value)
    stubs = NOT_VENDORED.get(name, {})
    for key in stubs.get("definitions", ()):
        document["definitions"].setdefault(key, {"description": "not vendored: any value"})
    for key, path_name in (stubs.get("parameters") or {}).items():
        document["parameters"].setdefault(key, {"name": path_name, "in": "path", "required": True, "type": "string"})
    return document


def _security_names(requirements: list[dict[str, Any]] | None) -> tuple[str, ...]:
    if not requirements:
        return ()
    names: list[str] = []
    for requirement in requirements:
        if not requirement:
            return ()  # `{}` among the alternatives: no authentication required
        names.extend(requirement)
    return tuple(names)


def _coerce(value: str, param: dict[str, Any], where: str) -> Any:
    kind = param.get("type", "string")
    try:
        if kind == "integer":
            result: Any = int(value)
        elif kind == "number":
            result = float(value)
        elif kind == "boolean":
            if value not in ("true", "false"):
                raise ValueError("not true/false")
            result = value == "true"
        elif kind == "array":
            items = param.get("items") or {"type": "string"}
            result = [_coerce(part, items, where) for part in value.split(",")]
        else:
            result = value
            if param.get("format") == "date-time":
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            if "pattern" in param and not re.search(param["pattern"], value):
                raise ValueError(f"does not match {param['pattern']}")
    except ValueError as error:
        raise ContractViolation(f"{where}: {value!r} is not a valid {kind} ({error})") from error
    if "enum" in param and result not in param["enum"]:
        raise ContractViolation(f"{where}: {value!r} is not one of {param['enum']}")
    return result


# -- sample data ---------------------------------------------------------------------------------------------


def tone_wav(seconds: float, frequency_hz: float, rate_hz: int = 8000) -> bytes:
    """A small real WAV (16-bit mono PCM sine) to stand in for a voicemail recording."""
    frames = int(seconds * rate_hz)
    samples = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency_hz * n / rate_hz))) for n in range(frames)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate_hz)
        wav.writeframes(samples)
    return out.getvalue()


@dataclass
class User:
    uuid: str
    username: str
    email: str
    password: str
    firstname: str
    lastname: str
    line_id: int
    extension: str


@dataclass
class Line:
    id: int
    endpoint_uuid: str
    sip_username: str
    sip_password: str
    transport: str
    extension: str
    context: str = "default"


@dataclass
class Message:
    id: str
    folder: str  # new / old / urgent
    caller_id_name: str
    caller_id_num: str
    duration: int
    timestamp: int
    audio: bytes


@dataclass
class TokenGrant:
    user_uuid: str
    expires_at: float  # time.time()
    issued_at: float
    session_uuid: str


FOLDERS = {"new": (1, "inbox"), "old": (2, "old"), "urgent": (3, "urgent"), "other": (4, "work")}


@dataclass
class PbxData:
    """Everything the test PBX knows; mutate it only through PbxServer's methods while it runs."""

    users: dict[str, User] = field(default_factory=dict)
    lines: dict[int, Line] = field(default_factory=dict)
    cdrs: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[str, Message] = field(default_factory=dict)
    conferences: list[dict[str, Any]] = field(default_factory=list)
    voicemail_id: int = 1
    voicemail_number: str = "*98"
    tenant_uuid: str = "2c2a3f9e-8c56-4a7e-9cd8-5f4c3f7b6a01"

    @classmethod
    def sample(cls, sip_password: str = "alice-Secret-7431", password: str = "alice-pass-2024",
               now: datetime | None = None) -> PbxData:
        now = now or datetime.now(UTC)
        data = cls()
        alice = User("a1f0e5b2-7c1d-4e0a-9d37-0c4f5e6a7b01", "alice", "alice@example.com", password, "Alice",
                     "Martin", 1, "1001")
        data.users[alice.uuid] = alice
        data.lines[1] = Line(1, "5d3e1a2b-0f4c-4b8e-a1d2-3c4b5e6f7a81", "alice", sip_password, "transport-udp",
                             "1001")
        bob_uuid = "b2e1f6c3-8d2e-4f1b-8e48-1d5f6a7b8c02"
        people = [("Bob Durand", "1002", bob_uuid), ("Carol Petit", "1003", None), ("+33 1 23 45 67 89",
                  "+33123456789", None)]
        for n in range(1, 31):
            name, number, other_uuid = people[n % 3]
            start = now - timedelta(hours=3 * (31 - n))
            outgoing = n % 4 == 0
            answered = n % 5 != 0
            data.cdrs.append(cdr_entry(n, alice, name, number, other_uuid, start, outgoing, answered,
                                       duration=47 + n if answered else 0))
        conf_start = now - timedelta(minutes=30)
        data.cdrs.append(cdr_entry(31, alice, "Weekly team", "4000", None, conf_start, True, True, duration=1800,
                                   destination_type="conference"))
        for index, (name, number, folder, seconds) in enumerate(
            [("Bob Durand", "1002", "new", 1.0), ("Carol Petit", "1003", "new", 0.6),
             ("Reception", "+33123456789", "urgent", 0.8), ("Bob Durand", "1002", "old", 0.5)]
        ):
            message_id = f"1700000{index:03d}-0000000{index}"
            data.messages[message_id] = Message(message_id, folder, name, number, max(1, round(seconds)),
                                                int((now - timedelta(hours=index + 1)).timestamp()),
                                                tone_wav(seconds, 440 + 110 * index))
        data.conferences = [
            {"id": 1, "name": "Weekly team", "extensions": [{"id": 40, "exten": "4000", "context": "default"}]},
            {"id": 2, "name": "Sales", "extensions": [{"id": 41, "exten": "4001", "context": "default"}]},
        ]
        return data


def cdr_entry(cdr_id: int, me: User, name: str, number: str, other_uuid: str | None, start: datetime,
              outgoing: bool, answered: bool, duration: int, destination_type: str = "user") -> dict[str, Any]:
    """A call-logd CDR between `me` and another party."""
    mine = {"name": f"{me.firstname} {me.lastname}", "extension": me.extension, "user_uuid": me.uuid}
    theirs = {"name": name, "extension": number, "user_uuid": other_uuid}
    source, destination = (mine, theirs) if outgoing else (theirs, mine)
    entry: dict[str, Any] = {
        "id": cdr_id,
        "start": start.isoformat(),
        "end": (start + timedelta(seconds=duration + 5)).isoformat(),
        "source_name": source["name"],
        "source_extension": source["extension"],
        "requested_name": destination["name"],
        "requested_extension": destination["extension"],
        "destination_name": destination["name"],
        "destination_extension": destination["extension"],
        "destination_details": {"type": destination_type},
        "duration": duration,
        "answered": answered,
        "call_direction": "internal" if other_uuid else ("outbound" if outgoing else "inbound"),
        "call_status": "answered" if answered else "unknown",
        "tags": [],
        "recordings": [],
    }
    if answered:
        entry["answer"] = (start + timedelta(seconds=5)).isoformat()
    for prefix, party in (("source", source), ("destination", destination)):
        if party["user_uuid"]:
            entry[f"{prefix}_user_uuid"] = party["user_uuid"]
    return entry


# -- faults --------------------------------------------------------------------------------------------------


@dataclass
class Fault:
    kind: str  # "status", "junk", "delay", "drop"
    path_contains: str | None
    remaining: int
    status: int = 500
    delay_s: float = 0.0

    def matches(self, path: str) -> bool:
        return self.remaining > 0 and (self.path_contains is None or self.path_contains in path)


@dataclass
class _Socket:
    ws: web.WebSocketResponse
    token: str
    user_uuid: str
    subscriptions: set[str] = field(default_factory=set)
    started: bool = False


# -- the server ----------------------------------------------------------------------------------------------


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
        self._max_lifetime_s = max_token_lifetime_s
        self._lock = threading.Lock()
        self._tokens: dict[str, TokenGrant] = {}
        self._refresh: dict[str, tuple[str, str]] = {}  # refresh token -> (user uuid, client id)
        self._faults: list[Fault] = []
        self._sockets: list[_Socket] = []
        self.violations: list[str] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # method, path, query: for assertions
        self.request_times: list[float] = []  # time.monotonic() of each entry in `requests`
        self.token_grants: list[str] = []  # "password" or "refresh_token", in order
        self.token_swaps = 0
        self.websocket_enabled = True
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

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
        self._add_fault(Fault("status", path_contains, count, status=status))

    def junk_next(self, path_contains: str | None = None, count: int = 1) -> None:
        self._add_fault(Fault("junk", path_contains, count))

    def delay_next(self, seconds: float, path_contains: str | None = None, count: int = 1) -> None:
        self._add_fault(Fault("delay", path_contains, count, delay_s=seconds))

    def _add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def issued_tokens(self) -> list[str]:
        with self._lock:
            return list(self._tokens)

    def revoke_token(self, token: str) -> None:
        """The access token stops working at once (its websocket is closed with 4003, as websocketd does)."""
        with self._lock:
            self._tokens.pop(token, None)
        self._call_on_loop(self._close_sockets(lambda s: s.token == token))

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
            body = await self._check_request(spec, op, request, path_params)
        except ContractViolation as violation:
            self._violation(str(violation))
            return web.json_response({"message": str(violation), "error_id": "invalid-data"}, status=400)

        fault = self._take_fault(local)
        if fault is not None:
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay_s)
            elif fault.kind == "junk":
                return web.Response(status=200, body=b"<html><body>502 Bad Gateway</body>",
                                    content_type="application/json")
            elif fault.kind == "status":
                return web.json_response(_error_body(spec.name, fault.status, "injected fault"), status=fault.status)

        handler = _HANDLERS.get((spec.name, op.method, op.template))
        if handler is None:
            return web.json_response({"message": "not implemented by the test PBX"}, status=501)
        grant = None
        if "wazo_auth_token" in op.security and "wazo_auth_basic" not in op.security:
            grant = self._grant_for(request.headers.get("X-Auth-Token"))
            if grant is None:
                return web.json_response(_error_body(spec.name, 401, "Unauthorized"), status=401)
        status, result, content_type = handler(self, request, path_params, body, grant)
        return self._respond(spec, op, status, result, content_type)

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    async def _check_request(self, spec: ServiceSpec, op: Operation, request: web.Request,
                             path_params: dict[str, str]) -> Any:
        where = f"{spec.name} {op.method} {op.template}"
        declared = {(p["in"], p["name"]) for p in op.parameters}
        for name in request.query:
            if ("query", name) not in declared:
                raise ContractViolation(f"{where}: undocumented query parameter {name!r}")
        body: Any = None
        raw = await request.read()
        for param in op.parameters:
            location, name = param["in"], param["name"]
            label = f"{where} {location} parameter {name!r}"
            if location == "path":
                _coerce(path_params[name], param, label)
            elif location in ("query", "header"):
                source = request.query if location == "query" else request.headers
                if name in source:
                    _coerce(source[name], param, label)
                elif param.get("required"):
                    raise ContractViolation(f"{label} is required")
            elif location == "body":
                if not raw:
                    if param.get("required"):
                        raise ContractViolation(f"{where}: the body is required")
                    continue
                try:
                    body = json.loads(raw)
                except json.JSONDecodeError as error:
                    raise ContractViolation(f"{where}: the body is not JSON") from error
                spec.validate(param.get("schema") or {}, body, f"{where} request body")
        if raw and body is None and not any(p["in"] == "body" for p in op.parameters):
            raise ContractViolation(f"{where}: a body was sent where the spec declares none")
        if op.security and not _meets_security(op.security, request, body):
            raise ContractViolation(f"{where}: no credentials of kind {', '.join(op.security)}")
        return body

    def _respond(self, spec: ServiceSpec, op: Operation, status: int, result: Any,
                 content_type: str) -> web.Response:
        where = f"{spec.name} {op.method} {op.template} -> {status}"
        responses = op.spec.get("responses") or {}
        documented = responses.get(str(status)) or responses.get("default")
        try:
            if documented is None:
                if status < 400:
                    raise ContractViolation(f"{where}: status not documented")
                # Wazo's specs leave out most 401/403s; their bodies must still be the service's Error.
                documented = {"schema": {"$ref": "#/definitions/Error"}}
            documented = spec.resolve(documented)
            schema = documented.get("schema")
            if content_type == "application/json":
                if schema is not None:
                    spec.validate(schema, result, f"{where} response")
                elif result is not None:
                    raise ContractViolation(f"{where}: a body where the spec declares none")
            else:
                produces = op.spec.get("produces") or spec.document.get("produces") or []
                if content_type not in produces:
                    raise ContractViolation(f"{where}: {content_type} is not among {produces}")
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
        socket = _Socket(ws, request.query["token"], grant.user_uuid)
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
    def _issue(self, user: User, lifetime_s: int, client_id: str | None, offline: bool) -> dict[str, Any]:
        lifetime_s = min(lifetime_s, self._max_lifetime_s)
        now = time.time()
        token = str(uuid.uuid4())
        grant = TokenGrant(user.uuid, now + lifetime_s, now, str(uuid.uuid4()))
        data: dict[str, Any] = {
            "token": token,
            "auth_id": user.uuid,
            "xivo_user_uuid": user.uuid,
            "xivo_uuid": "c5f7d2a9-1111-4a22-9b33-000000000042",
            "issued_at": _local_iso(now),
            "expires_at": _local_iso(now + lifetime_s),
            "utc_issued_at": _utc_iso(now),
            "utc_expires_at": _utc_iso(now + lifetime_s),
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


def _meets_security(schemes: tuple[str, ...], request: web.Request, body: Any) -> bool:
    if "wazo_auth_token" in schemes and request.headers.get("X-Auth-Token"):
        return True
    if "wazo_auth_basic" in schemes:
        if request.headers.get("Authorization", "").startswith("Basic "):
            return True
        # wazo-auth takes a refresh token instead of Basic credentials on POST /token.
        if isinstance(body, dict) and body.get("refresh_token"):
            return True
    return False


def _error_body(service: str, status: int, message: str) -> dict[str, Any]:
    if service == "wazo-auth":
        return {"reason": [message], "timestamp": [_utc_iso(time.time())], "status_code": status}
    return {"message": message, "error_id": message.lower().replace(" ", "-"), "details": {},
            "timestamp": time.time()}


def _utc_iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None).isoformat()


def _local_iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).isoformat()


# -- endpoint handlers: (server, request, path params, body, token grant) -> (status, body, content type) ----------

Result = tuple[int, Any, str]
JSON = "application/json"


def _post_token(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                grant: TokenGrant | None) -> Result:
    body = body or {}
    lifetime = int(body.get("expiration", 7200))
    client_id = body.get("client_id")
    if body.get("refresh_token"):
        with server._lock:
            owner = server._refresh.get(body["refresh_token"])
        if owner is None or owner[1] != client_id:
            return 401, _error_body("wazo-auth", 401, "Authentication Failed"), JSON
        server.token_grants.append("refresh_token")
        return 200, server._issue(server.data.users[owner[0]], lifetime, None, False), JSON
    header = request.headers.get("Authorization", "")
    try:
        login, _, password = base64.b64decode(header.removeprefix("Basic ")).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return 401, _error_body("wazo-auth", 401, "Authentication Failed"), JSON
    user = next((u for u in server.data.users.values()
                 if login in (u.username, u.email) and secrets.compare_digest(u.password, password)), None)
    if user is None:
        return 401, _error_body("wazo-auth", 401, "Authentication Failed"), JSON
    offline = body.get("access_type") == "offline"
    if offline and not client_id:
        return 400, _error_body("wazo-auth", 400, "client_id is required with access_type offline"), JSON
    server.token_grants.append("password")
    return 200, server._issue(user, lifetime, client_id, offline), JSON


def _delete_token(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                  grant: TokenGrant | None) -> Result:
    with server._lock:
        server._tokens.pop(params["token"], None)
    return 200, None, JSON


def _delete_refresh_token(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                          grant: TokenGrant | None) -> Result:
    assert grant is not None
    user_uuid = grant.user_uuid if params["user_uuid_or_me"] == "me" else params["user_uuid_or_me"]
    with server._lock:
        found = [r for r, v in server._refresh.items() if v == (user_uuid, params["client_id"])]
        for refresh in found:
            del server._refresh[refresh]
    if not found:
        return 404, _error_body("wazo-auth", 404, "No such refresh token"), JSON
    return 204, None, JSON


def _get_user(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
              grant: TokenGrant | None) -> Result:
    assert grant is not None
    user = server.data.users.get(params["user_id"])
    if user is None:
        return 404, _error_body("wazo-confd", 404, "User not found"), JSON
    if user.uuid != grant.user_uuid:
        return 403, _error_body("wazo-confd", 403, "Forbidden"), JSON
    line = server.data.lines[user.line_id]
    return 200, {
        "id": 1, "uuid": user.uuid, "firstname": user.firstname, "lastname": user.lastname, "email": user.email,
        "username": user.username, "tenant_uuid": server.data.tenant_uuid, "enabled": True,
        "lines": [{"id": line.id, "name": line.sip_username,
                   "endpoint_sip": {"uuid": line.endpoint_uuid, "name": line.sip_username, "label": "alice"},
                   "extensions": [{"id": 10, "exten": line.extension, "context": line.context}]}],
        "voicemail": {"id": server.data.voicemail_id, "name": f"{user.firstname} {user.lastname}"},
        "groups": [], "queues": [], "incalls": [], "switchboards": [],
    }, JSON


def _owned_line(server: PbxServer, grant: TokenGrant | None, line_id: int) -> Line | None:
    assert grant is not None
    line = server.data.lines.get(line_id)
    user = server.data.users[grant.user_uuid]
    return line if line is not None and user.line_id == line.id else None


def _get_line(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
              grant: TokenGrant | None) -> Result:
    line = _owned_line(server, grant, int(params["line_id"]))
    if line is None:
        return 404, _error_body("wazo-confd", 404, "Line not found"), JSON
    return 200, {
        "id": line.id, "name": line.sip_username, "context": line.context, "protocol": "sip",
        "tenant_uuid": server.data.tenant_uuid, "position": 1, "registrar": "default",
        "endpoint_sip": {"uuid": line.endpoint_uuid, "name": line.sip_username, "label": line.sip_username},
        "extensions": [{"id": 10, "exten": line.extension, "context": line.context}],
        "users": [{"uuid": grant.user_uuid}] if grant else [],
    }, JSON


def _get_endpoint_sip(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                      grant: TokenGrant | None) -> Result:
    assert grant is not None
    line = server.data.lines.get(server.data.users[grant.user_uuid].line_id)
    if line is None or line.endpoint_uuid != params["sip_uuid"]:
        return 404, _error_body("wazo-confd", 404, "Endpoint not found"), JSON
    return 200, {
        "uuid": line.endpoint_uuid, "name": line.sip_username, "label": line.sip_username,
        "tenant_uuid": server.data.tenant_uuid,
        "auth_section_options": [["username", line.sip_username], ["password", line.sip_password]],
        "endpoint_section_options": [["callerid", f'"{line.sip_username}" <{line.extension}>']],
        "aor_section_options": [["max_contacts", "1"]],
        "transport": {"uuid": "7e2b0d6c-2a1f-4e55-9c0a-6b5d4c3b2a10", "name": line.transport},
        "templates": [],
    }, JSON


def _list_conferences(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                      grant: TokenGrant | None) -> Result:
    items = copy.deepcopy(server.data.conferences)
    reverse = request.query.get("direction") == "desc"
    items.sort(key=lambda c: str(c.get(request.query.get("order", "id"), c["id"])), reverse=reverse)
    return 200, {"items": [{**c, "tenant_uuid": server.data.tenant_uuid} for c in items], "total": len(items)}, JSON


def _list_cdr(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
              grant: TokenGrant | None) -> Result:
    assert grant is not None
    me = grant.user_uuid
    query = request.query
    with server._lock:
        mine = [c for c in server.data.cdrs if me in (c.get("source_user_uuid"), c.get("destination_user_uuid"))]
    total = len(mine)
    if "search" in query:
        term = query["search"].lower()
        mine = [c for c in mine if any(term in str(c.get(k, "")).lower() for k in
                                       ("source_name", "source_extension", "destination_name",
                                        "destination_extension", "requested_name", "requested_extension"))]
    if "from" in query:
        since = datetime.fromisoformat(query["from"].replace("Z", "+00:00"))
        mine = [c for c in mine if datetime.fromisoformat(c["start"]) >= since]
    if "call_direction" in query:
        mine = [c for c in mine if c["call_direction"] == query["call_direction"]]
    order = query.get("order", "start")
    if order not in ("start", "id", "duration", "answered"):
        return 400, _error_body("wazo-call-logd", 400, f"cannot order by {order}"), JSON
    mine.sort(key=lambda c: c[order], reverse=query.get("direction", "asc") == "desc")
    filtered = len(mine)
    offset = int(query.get("offset", 0))
    limit = int(query.get("limit", 1000))
    return 200, {"items": mine[offset:offset + limit], "total": total, "filtered": filtered}, JSON


def _voicemail_box(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                   grant: TokenGrant | None) -> Result:
    assert grant is not None
    user = server.data.users[grant.user_uuid]
    with server._lock:
        messages = list(server.data.messages.values())
    folders = []
    for kind, (folder_id, name) in FOLDERS.items():
        folders.append({"id": folder_id, "name": name, "type": kind,
                        "messages": [_message_base(m) for m in messages if m.folder == kind]})
    return 200, {"id": server.data.voicemail_id, "number": server.data.voicemail_number,
                 "name": f"{user.firstname} {user.lastname}", "accesstype": "personal", "folders": folders}, JSON


def _message_base(message: Message) -> dict[str, Any]:
    return {"id": message.id, "caller_id_name": message.caller_id_name, "caller_id_num": message.caller_id_num,
            "duration": message.duration, "timestamp": message.timestamp, "empty": False}


def _message_full(server: PbxServer, message: Message, user: User) -> dict[str, Any]:
    folder_id, name = FOLDERS[message.folder]
    return {**_message_base(message), "folder": {"id": folder_id, "name": name, "type": message.folder},
            "voicemail": {"id": server.data.voicemail_id, "name": f"{user.firstname} {user.lastname}",
                          "accesstype": "personal"}}


def _voicemail_messages(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                        grant: TokenGrant | None) -> Result:
    assert grant is not None
    user = server.data.users[grant.user_uuid]
    with server._lock:
        messages = list(server.data.messages.values())
    key = request.query.get("order", "timestamp")
    if key not in ("timestamp", "duration", "caller_id_name", "caller_id_num"):
        return 400, _error_body("wazo-calld", 400, f"cannot order by {key}"), JSON
    messages.sort(key=lambda m: getattr(m, key), reverse=request.query.get("direction", "asc") == "desc")
    offset = int(request.query.get("offset", 0))
    limit = int(request.query.get("limit", len(messages) or 1))
    items = [_message_full(server, m, user) for m in messages[offset:offset + limit]]
    return 200, {"items": items, "total": len(messages)}, JSON


def _message_or_404(server: PbxServer, message_id: str) -> Message | None:
    with server._lock:
        return server.data.messages.get(message_id)


def _get_message(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                 grant: TokenGrant | None) -> Result:
    assert grant is not None
    message = _message_or_404(server, params["message_id"])
    if message is None:
        return 404, _error_body("wazo-calld", 404, "No such message"), JSON
    return 200, _message_full(server, message, server.data.users[grant.user_uuid]), JSON


def _update_message(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                    grant: TokenGrant | None) -> Result:
    assert grant is not None
    message = _message_or_404(server, params["message_id"])
    if message is None:
        return 404, _error_body("wazo-calld", 404, "No such message"), JSON
    kind = next((k for k, (folder_id, _) in FOLDERS.items() if folder_id == body["folder_id"]), None)
    if kind is None:
        return 400, _error_body("wazo-calld", 400, "No such folder"), JSON
    with server._lock:
        message.folder = kind
    asyncio.get_running_loop().create_task(server._push(
        "user_voicemail_message_updated", server._message_event(grant.user_uuid, message.id), grant.user_uuid))
    return 204, None, JSON


def _delete_message(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                    grant: TokenGrant | None) -> Result:
    assert grant is not None
    with server._lock:
        message = server.data.messages.pop(params["message_id"], None)
    if message is None:
        return 404, _error_body("wazo-calld", 404, "No such message"), JSON
    asyncio.get_running_loop().create_task(server._push(
        "user_voicemail_message_deleted", server._message_event(grant.user_uuid, message.id), grant.user_uuid))
    return 204, None, JSON


def _get_recording(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                   grant: TokenGrant | None) -> Result:
    message = _message_or_404(server, params["message_id"])
    if message is None:
        return 404, _error_body("wazo-calld", 404, "No such message"), JSON
    return 200, message.audio, "audio/wav"


Handler = Callable[[PbxServer, web.Request, dict[str, str], Any, "TokenGrant | None"], Result]
_HANDLERS: dict[tuple[str, str, str], Handler] = {
    ("wazo-auth", "POST", "/0.1/token"): _post_token,
    ("wazo-auth", "DELETE", "/0.1/token/{token}"): _delete_token,
    ("wazo-auth", "DELETE", "/0.1/users/{user_uuid_or_me}/tokens/{client_id}"): _delete_refresh_token,
    ("wazo-confd", "GET", "/1.1/users/{user_id}"): _get_user,
    ("wazo-confd", "GET", "/1.1/lines/{line_id}"): _get_line,
    ("wazo-confd", "GET", "/1.1/endpoints/sip/{sip_uuid}"): _get_endpoint_sip,
    ("wazo-confd", "GET", "/1.1/conferences"): _list_conferences,
    ("wazo-call-logd", "GET", "/1.0/users/me/cdr"): _list_cdr,
    ("wazo-calld", "GET", "/1.0/users/me/voicemails"): _voicemail_box,
    ("wazo-calld", "GET", "/1.0/users/me/voicemails/messages"): _voicemail_messages,
    ("wazo-calld", "GET", "/1.0/users/me/voicemails/messages/{message_id}"): _get_message,
    ("wazo-calld", "PUT", "/1.0/users/me/voicemails/messages/{message_id}"): _update_message,
    ("wazo-calld", "DELETE", "/1.0/users/me/voicemails/messages/{message_id}"): _delete_message,
    ("wazo-calld", "GET", "/1.0/users/me/voicemails/messages/{message_id}/recording"): _get_recording,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A local Wazo-like PBX with sample data, for the demo mode.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--cert", help="PEM certificate chain: serve HTTPS")
    parser.add_argument("--key", help="PEM private key for --cert")
    parser.add_argument("--specs", type=Path, help=f"vendored Wazo specs (default: ${SPECS_ENV} or shared/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    contract = WazoContract.load(args.specs)
    data = PbxData.sample()
    server = PbxServer(contract, data, host=args.host, port=args.port, ssl_context=context)
    server.start()
    user = next(iter(data.users.values()))
    print(f"Test PBX on {server.base_url} — sign in as {user.email} / {user.password}", flush=True)
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if server.violations:
            print(f"{len(server.violations)} contract violations:", *server.violations, sep="\n")
    return 1 if server.violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
