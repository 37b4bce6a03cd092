"""confd call forwarding on the test PBX: `/users/{uuid}/forwards` (all three, or one by name) and the
user's `ring_seconds`, each change announced on the websocket as confd does
(`users_forwards_<name>_updated`). `change_forward` is what a desk phone or the web app changing a
forward looks like to the app (tests and demo mode use it)."""

from __future__ import annotations

import asyncio
import copy
import functools
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import TokenGrant
from callclient.demo.pbx_server.routes_base import JSON, Handler, Result, error_body

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer

FORWARD_NAMES = ("busy", "noanswer", "unconditional")
DEFAULT_RING_SECONDS = 30  # confd's default


def forwards_of(server: PbxServer, user_uuid: str) -> dict[str, dict[str, Any]]:
    """The user's forwards (created off, as confd does); call with server._lock held."""
    return server.data.forwards.setdefault(
        user_uuid, {name: {"enabled": False, "destination": ""} for name in FORWARD_NAMES})


def ring_seconds_of(server: PbxServer, user_uuid: str) -> int:
    return server.data.ring_seconds.get(user_uuid, DEFAULT_RING_SECONDS)


def change_forward(server: PbxServer, user_uuid: str, name: str, enabled: bool, destination: str) -> None:
    """A forward changed by another client (a desk phone's *21, the web app): stored, then pushed."""
    with server._lock:
        forwards_of(server, user_uuid)[name] = {"enabled": enabled, "destination": destination}
    server.push_event(f"users_forwards_{name}_updated", _event(user_uuid, name, enabled, destination), user_uuid)


def _event(user_uuid: str, name: str, enabled: bool, destination: str) -> dict[str, Any]:
    return {"user_uuid": user_uuid, "enabled": enabled, "destination": destination}


def _own_user_only(handler: Handler) -> Handler:
    """`handler`, answered first with confd's 404/403 when the token's user may not touch `user_id`'s forwards
    or ring time (every route here is the user's own)."""

    @functools.wraps(handler)
    def checked(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                grant: TokenGrant | None) -> Result:
        assert grant is not None
        user_id = params["user_id"]
        if user_id not in server.data.users:
            return 404, error_body("wazo-confd", 404, "User not found"), JSON
        if user_id != grant.user_uuid:
            return 403, error_body("wazo-confd", 403, "Forbidden"), JSON
        return handler(server, request, params, body, grant)

    return checked


def _checked_forward(body: Any) -> tuple[bool, str] | str:
    """(enabled, destination) from a UserForward body, or what is wrong with it (confd answers 400)."""
    enabled = bool(body.get("enabled", False))
    destination = body.get("destination")
    if len(destination or "") > 128:
        return "Input Error - field 'destination': Longer than maximum length 128."
    return enabled, destination or ""


def _push_later(server: PbxServer, user_uuid: str, name: str, forward: dict[str, Any]) -> None:
    asyncio.get_running_loop().create_task(server._push(
        f"users_forwards_{name}_updated", _event(user_uuid, name, forward["enabled"], forward["destination"]),
        user_uuid))


@_own_user_only
def _list(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
          grant: TokenGrant | None) -> Result:
    with server._lock:
        return 200, copy.deepcopy(forwards_of(server, params["user_id"])), JSON


@_own_user_only
def _update_all(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                grant: TokenGrant | None) -> Result:
    user_uuid = params["user_id"]
    checked = {name: _checked_forward(body[name]) for name in FORWARD_NAMES if name in body}
    problem = next((c for c in checked.values() if isinstance(c, str)), None)
    if problem is not None:
        return 400, error_body("wazo-confd", 400, problem), JSON
    changed = []
    with server._lock:
        forwards = forwards_of(server, user_uuid)
        for name, (enabled, destination) in checked.items():  # type: ignore[misc]
            new = {"enabled": enabled, "destination": destination}
            if forwards[name] != new:
                forwards[name] = new
                changed.append(name)
    for name in changed:
        _push_later(server, user_uuid, name, forwards[name])
    return 204, None, JSON


@_own_user_only
def _get_one(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
             grant: TokenGrant | None) -> Result:
    with server._lock:
        return 200, dict(forwards_of(server, params["user_id"])[params["forward_name"]]), JSON


@_own_user_only
def _update_one(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                grant: TokenGrant | None) -> Result:
    checked = _checked_forward(body)
    if isinstance(checked, str):
        return 400, error_body("wazo-confd", 400, checked), JSON
    name, user_uuid = params["forward_name"], params["user_id"]
    with server._lock:
        forward = forwards_of(server, user_uuid)[name] = {"enabled": checked[0], "destination": checked[1]}
    _push_later(server, user_uuid, name, forward)
    return 204, None, JSON


@_own_user_only
def _update_user(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                 grant: TokenGrant | None) -> Result:
    """Only the ring time is kept (a partial update, as confd merges it); other fields are not the app's."""
    if "ring_seconds" in body:
        seconds = body["ring_seconds"]
        if not 0 <= seconds <= 10800:
            return 400, error_body("wazo-confd", 400, "Input Error - field 'ring_seconds': out of range"), JSON
        with server._lock:
            server.data.ring_seconds[params["user_id"]] = seconds
    return 204, None, JSON


FORWARD_HANDLERS: dict[tuple[str, str, str], Handler] = {
    ("wazo-confd", "GET", "/1.1/users/{user_id}/forwards"): _list,
    ("wazo-confd", "PUT", "/1.1/users/{user_id}/forwards"): _update_all,
    ("wazo-confd", "GET", "/1.1/users/{user_id}/forwards/{forward_name}"): _get_one,
    ("wazo-confd", "PUT", "/1.1/users/{user_id}/forwards/{forward_name}"): _update_one,
    ("wazo-confd", "PUT", "/1.1/users/{user_id}"): _update_user,
}
