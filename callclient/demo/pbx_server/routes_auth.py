"""wazo-auth on the test PBX: tokens by password (with an offline refresh token on request) or by refresh
token, their revocation, and refresh-token deletion.
"""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import TokenGrant
from callclient.demo.pbx_server.routes_base import JSON, Handler, Result, error_body

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer


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


AUTH_HANDLERS: dict[tuple[str, str, str], Handler] = {
    ("wazo-auth", "POST", "/0.1/token"): _post_token,
    ("wazo-auth", "DELETE", "/0.1/token/{token}"): _delete_token,
    ("wazo-auth", "DELETE", "/0.1/users/{user_uuid_or_me}/tokens/{client_id}"): _delete_refresh_token,
}
