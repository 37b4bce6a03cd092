"""The REST routes the test PBX implements: wazo-auth tokens, confd users/lines/endpoints/conferences,
call-logd CDRs and calld voicemail. Each handler takes (server, request, path params, body, token grant) and
returns (status, body, content type); the server checks both against the contract. Handlers are the server's
own code: they use its lock, token tables and event push directly.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import csv
import io
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import FOLDERS, Line, Message, TokenGrant, User

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer

Result = tuple[int, Any, str]
JSON = "application/json"


def error_body(service: str, status: int, message: str) -> dict[str, Any]:
    if service == "wazo-auth":
        return {"reason": [message], "timestamp": [utc_iso(time.time())], "status_code": status}
    return {"message": message, "error_id": message.lower().replace(" ", "-"), "details": {},
            "timestamp": time.time()}


def utc_iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None).isoformat()


def local_iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).isoformat()


def _post_token(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                grant: TokenGrant | None) -> Result:
    body = body or {}
    lifetime = int(body.get("expiration", 7200))
    client_id = body.get("client_id")
    if body.get("refresh_token"):
        with server._lock:
            owner = server._refresh.get(body["refresh_token"])
        if owner is None or owner[1] != client_id:
            return 401, error_body("wazo-auth", 401, "Authentication Failed"), JSON
        server._record_grant("refresh_token")
        return 200, server._issue(server.data.users[owner[0]], lifetime, None, False), JSON
    header = request.headers.get("Authorization", "")
    try:
        login, _, password = base64.b64decode(header.removeprefix("Basic ")).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return 401, error_body("wazo-auth", 401, "Authentication Failed"), JSON
    user = next((u for u in server.data.users.values()
                 if login in (u.username, u.email) and secrets.compare_digest(u.password, password)), None)
    if user is None:
        return 401, error_body("wazo-auth", 401, "Authentication Failed"), JSON
    offline = body.get("access_type") == "offline"
    if offline and not client_id:
        return 400, error_body("wazo-auth", 400, "client_id is required with access_type offline"), JSON
    server._record_grant("password")
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
        return 404, error_body("wazo-auth", 404, "No such refresh token"), JSON
    return 204, None, JSON


def _get_user(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
              grant: TokenGrant | None) -> Result:
    assert grant is not None
    user = server.data.users.get(params["user_id"])
    if user is None:
        return 404, error_body("wazo-confd", 404, "User not found"), JSON
    if user.uuid != grant.user_uuid:
        return 403, error_body("wazo-confd", 403, "Forbidden"), JSON
    line = server.data.lines[user.line_id]
    return 200, {
        "id": 1, "uuid": user.uuid, "firstname": user.firstname, "lastname": user.lastname, "email": user.email,
        "username": user.username, "tenant_uuid": server.data.tenant_uuid, "enabled": True,
        "ring_seconds": server.data.ring_seconds.get(user.uuid, 30),
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
        return 404, error_body("wazo-confd", 404, "Line not found"), JSON
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
        return 404, error_body("wazo-confd", 404, "Endpoint not found"), JSON
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
        return 400, error_body("wazo-call-logd", 400, f"cannot order by {order}"), JSON
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
        return 400, error_body("wazo-calld", 400, f"cannot order by {key}"), JSON
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
        return 404, error_body("wazo-calld", 404, "No such message"), JSON
    return 200, _message_full(server, message, server.data.users[grant.user_uuid]), JSON


def _update_message(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                    grant: TokenGrant | None) -> Result:
    assert grant is not None
    message = _message_or_404(server, params["message_id"])
    if message is None:
        return 404, error_body("wazo-calld", 404, "No such message"), JSON
    kind = next((k for k, (folder_id, _) in FOLDERS.items() if folder_id == body["folder_id"]), None)
    if kind is None:
        return 400, error_body("wazo-calld", 400, "No such folder"), JSON
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
        return 404, error_body("wazo-calld", 404, "No such message"), JSON
    asyncio.get_running_loop().create_task(server._push(
        "user_voicemail_message_deleted", server._message_event(grant.user_uuid, message.id), grant.user_uuid))
    return 204, None, JSON


def _get_recording(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                   grant: TokenGrant | None) -> Result:
    message = _message_or_404(server, params["message_id"])
    if message is None:
        return 404, error_body("wazo-calld", 404, "No such message"), JSON
    return 200, message.audio, "audio/wav"


# ------------------------------------------------------------------ wazo-dird
# The display profile a Wazo admin sets up by default: what each column is, by type. Company and title
# have no dird type (real dird sends null there; the spec wants strings, so this server sends "").
LOOKUP_HEADERS = ["Name", "Number", "Mobile", "Email", "Company", "Title"]
LOOKUP_TYPES = ["name", "number", "callable", "email", "", ""]
DIRD_PROFILES = ("default",)
_SEARCHED = ("name", "number", "mobile", "email", "company")


def _dird_error(status: int, message: str) -> dict[str, Any]:
    return {"reason": [message], "timestamp": [time.time()], "status_code": status}


def _lookup_row(entry: dict[str, str]) -> dict[str, Any]:
    return {"column_values": [entry["name"], entry["number"], entry["mobile"], entry["email"], entry["company"],
                              entry["title"]],
            "relations": {"xivo_id": "demo", "user_uuid": entry["user_uuid"], "source_entry_id": entry["id"]},
            "source": entry["source"], "backend": entry["backend"]}


def _personal_as_entry(contact: dict[str, str]) -> dict[str, str]:
    name = " ".join(p for p in (contact.get("firstname", ""), contact.get("lastname", "")) if p)
    return {"id": contact["id"], "name": name, "number": contact.get("number", ""),
            "mobile": contact.get("mobile", ""), "email": contact.get("email", ""),
            "company": contact.get("company", ""), "title": "", "backend": "personal", "source": "personal",
            "user_uuid": ""}


def _dird_entries(server: PbxServer, user_uuid: str) -> list[dict[str, str]]:
    with server._lock:
        personal = [_personal_as_entry(c) for c in server.data.personal.get(user_uuid, {}).values()]
    return [*server.data.directory, *personal]


def _lookup(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
            grant: TokenGrant | None) -> Result:
    assert grant is not None
    if params["profile"] not in DIRD_PROFILES:
        return 404, _dird_error(404, f"No such profile: {params['profile']}"), JSON
    term = request.query["term"].lower()
    found = [e for e in _dird_entries(server, grant.user_uuid) if any(term in e[k].lower() for k in _SEARCHED)]
    return 200, {"term": request.query["term"], "column_headers": LOOKUP_HEADERS, "column_types": LOOKUP_TYPES,
                 "results": [_lookup_row(e) for e in found]}, JSON


def _reverse(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
             grant: TokenGrant | None) -> Result:
    assert grant is not None
    if params["user_uuid"] != grant.user_uuid:
        return 403, {"message": "Forbidden", "error_id": "forbidden", "details": {}, "timestamp": time.time()}, JSON
    exten = request.query["exten"]
    # dird's reverse is an exact match on the sources' number columns (first_matched_columns).
    for entry in _dird_entries(server, grant.user_uuid):
        if exten in (entry["number"].replace(" ", ""), entry["mobile"].replace(" ", "")) or \
                exten in (entry["number"], entry["mobile"]):
            first, _, last = entry["name"].partition(" ")
            fields = {"firstname": first, "lastname": last, "number": entry["number"], "reverse": entry["name"],
                      "email": entry["email"], "company": entry["company"], "title": entry["title"]}
            if entry["user_uuid"]:
                fields["user_uuid"] = entry["user_uuid"]
            if entry["backend"] == "personal":
                fields["id"] = entry["id"]
            return 200, {"display": entry["name"], "exten": exten, "source": entry["source"], "fields": fields}, JSON
    # Real dird answers a miss with display/source null; the spec declares strings, so "" here.
    return 200, {"display": "", "exten": exten, "source": "", "fields": {}}, JSON


def _personal_contacts(server: PbxServer, grant: TokenGrant | None) -> dict[str, dict[str, str]]:
    assert grant is not None
    return server.data.personal.setdefault(grant.user_uuid, {})


def _list_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                   grant: TokenGrant | None) -> Result:
    with server._lock:
        items = [dict(c) for c in _personal_contacts(server, grant).values()]
    return 200, {"items": items}, JSON


def _clean_contact(body: Any) -> dict[str, str] | None:
    if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
        return None
    return {k: v for k, v in body.items() if k != "id" and v}


def _duplicate(contacts: dict[str, dict[str, str]], contact: dict[str, str], except_id: str = "") -> bool:
    return any({k: v for k, v in c.items() if k != "id"} == contact for i, c in contacts.items() if i != except_id)


def _add_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                  grant: TokenGrant | None) -> Result:
    contact = _clean_contact(body)
    if contact is None:
        return 400, _dird_error(400, "Contact attributes must be strings"), JSON
    with server._lock:
        contacts = _personal_contacts(server, grant)
        if _duplicate(contacts, contact):
            return 409, _dird_error(409, "Adding this contact would create a duplicate"), JSON
        contact = {"id": str(uuid.uuid4()), **contact}
        contacts[contact["id"]] = contact
    return 201, dict(contact), JSON


def _get_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                  grant: TokenGrant | None) -> Result:
    with server._lock:
        contact = _personal_contacts(server, grant).get(params["contact_id"])
    if contact is None:
        return 404, _dird_error(404, "The personal contact does not exist"), JSON
    return 200, dict(contact), JSON


def _edit_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                   grant: TokenGrant | None) -> Result:
    contact = _clean_contact(body)
    if contact is None:
        return 400, _dird_error(400, "Contact attributes must be strings"), JSON
    with server._lock:
        contacts = _personal_contacts(server, grant)
        if params["contact_id"] not in contacts:
            return 404, _dird_error(404, "The personal contact does not exist"), JSON
        if _duplicate(contacts, contact, except_id=params["contact_id"]):
            return 409, _dird_error(409, "Editing this contact would create a duplicate"), JSON
        contacts[params["contact_id"]] = {"id": params["contact_id"], **contact}
        return 200, dict(contacts[params["contact_id"]]), JSON


def _delete_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                     grant: TokenGrant | None) -> Result:
    with server._lock:
        if _personal_contacts(server, grant).pop(params["contact_id"], None) is None:
            return 404, _dird_error(404, "The personal contact does not exist"), JSON
    return 204, None, JSON


def _import_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                     grant: TokenGrant | None) -> Result:
    rows = list(csv.reader(io.StringIO(body or "")))
    if not rows or not rows[0]:
        return 400, _dird_error(400, "The CSV has no header line"), JSON
    header, created, failed = rows[0], [], []
    with server._lock:
        contacts = _personal_contacts(server, grant)
        for line, row in enumerate(rows[1:], start=1):
            if len(row) != len(header):
                failed.append({"line": line, "errors": [f"expected {len(header)} fields, found {len(row)}"]})
                continue
            contact = {k: v for k, v in zip(header, row, strict=True) if v}
            if not contact or _duplicate(contacts, contact):
                failed.append({"line": line, "errors": ["empty or duplicate contact"]})
                continue
            contact = {"id": str(uuid.uuid4()), **contact}
            contacts[contact["id"]] = contact
            created.append(dict(contact))
    if not created:
        return 400, _dird_error(400, "No contact could be imported"), JSON
    return 201, {"created": created, "failed": failed}, JSON


Handler = Callable[["PbxServer", web.Request, dict[str, str], Any, "TokenGrant | None"], Result]
HANDLERS: dict[tuple[str, str, str], Handler] = {
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
    ("wazo-dird", "GET", "/0.1/directories/lookup/{profile}"): _lookup,
    ("wazo-dird", "GET", "/0.1/directories/reverse/{profile}/{user_uuid}"): _reverse,
    ("wazo-dird", "GET", "/0.1/personal"): _list_personal,
    ("wazo-dird", "POST", "/0.1/personal"): _add_personal,
    ("wazo-dird", "POST", "/0.1/personal/import"): _import_personal,
    ("wazo-dird", "GET", "/0.1/personal/{contact_id}"): _get_personal,
    ("wazo-dird", "PUT", "/0.1/personal/{contact_id}"): _edit_personal,
    ("wazo-dird", "DELETE", "/0.1/personal/{contact_id}"): _delete_personal,
}
