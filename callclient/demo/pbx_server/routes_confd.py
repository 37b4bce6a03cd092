"""wazo-confd on the test PBX: the signed-in user, their line and SIP endpoint (the credentials the app
registers with), and the conference rooms. Call forwarding, also confd, is forwards.py.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import Line, TokenGrant
from callclient.demo.pbx_server.routes_base import JSON, Handler, Result, error_body

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer


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


CONFD_HANDLERS: dict[tuple[str, str, str], Handler] = {
    ("wazo-confd", "GET", "/1.1/users/{user_id}"): _get_user,
    ("wazo-confd", "GET", "/1.1/lines/{line_id}"): _get_line,
    ("wazo-confd", "GET", "/1.1/endpoints/sip/{sip_uuid}"): _get_endpoint_sip,
    ("wazo-confd", "GET", "/1.1/conferences"): _list_conferences,
}
