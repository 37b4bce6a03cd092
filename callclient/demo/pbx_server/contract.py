"""The contract: Wazo's vendored Swagger 2.0 specs, merged per service as Wazo does at run time, and the checks
of every request and response against them.

A mismatch raises ContractViolation; the server records it and answers with an error status, so the client is
tested against the documented contract and a test fixture fails on it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
from aiohttp import web

# yaml, referencing and openapi_spec_validator (with requests and urllib3: ~0.3 s) are imported where the specs
# are merged and validated: demo mode loads the merged contract from its cache and needs neither.

SPECS_ENV = "CALLCLIENT_WAZO_SPECS"
# Proxy prefix -> the directory of that service's spec fragments.
SERVICES = {
    "/api/auth": "wazo-auth",
    "/api/confd": "wazo-confd",
    "/api/call-logd": "wazo-call-logd",
    "/api/calld": "wazo-calld",
    "/api/dird": "wazo-dird",
    "/api/chatd": "wazo-chatd",
}

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
PACKAGED_SPECS = Path(__file__).resolve().parents[1] / "wazo_specs"


def reference_specs_dir() -> Path:
    """shared/reference/wazo beside the repository (as CI lays it out)."""
    return Path(__file__).resolve().parents[4] / "shared" / "reference" / "wazo"


def default_specs_dir() -> Path:
    """CALLCLIENT_WAZO_SPECS, else the reference specs beside the repository, else the packaged copy."""
    if os.environ.get(SPECS_ENV):
        return Path(os.environ[SPECS_ENV])
    reference = reference_specs_dir()
    return reference if reference.is_dir() else PACKAGED_SPECS



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
        import referencing.exceptions
        from openapi_spec_validator import validate as validate_spec
        from openapi_spec_validator.validation import OpenAPIV2SpecValidator
        from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

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
    import yaml

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


async def check_request(spec: ServiceSpec, op: Operation, request: web.Request,
                        path_params: dict[str, str]) -> Any:
    """The request's JSON body (or None), once its parameters, body and credentials match the operation."""
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
            consumes = op.spec.get("consumes") or spec.document.get("consumes") or ["application/json"]
            if request.content_type != "application/json" or "application/json" not in consumes:
                # dird's CSV import: the body is text in one of the declared content types and charsets.
                body = _text_body(raw, request, consumes, where)
                spec.validate(param.get("schema") or {}, body, f"{where} request body")
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


def _text_body(raw: bytes, request: web.Request, consumes: list[str], where: str) -> str:
    declared = {c.replace(" ", "").lower() for c in consumes}
    sent = request.headers.get("Content-Type", "").replace(" ", "").lower()
    if sent not in declared:
        raise ContractViolation(f"{where}: content type {sent or '(none)'} is not among {consumes}")
    charset = request.charset or "utf-8"
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError) as error:
        raise ContractViolation(f"{where}: the body is not {charset} text") from error


def check_response(spec: ServiceSpec, op: Operation, status: int, result: Any, content_type: str) -> None:
    """Raises ContractViolation unless the status and body are what the operation documents."""
    where = f"{spec.name} {op.method} {op.template} -> {status}"
    responses = op.spec.get("responses") or {}
    documented = responses.get(str(status)) or responses.get("default")
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

