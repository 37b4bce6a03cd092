"""wazo-calld voicemail on the test PBX: the box and its folders, the messages, moving and deleting one (each
announced on the websocket as calld does) and its recording.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import FOLDERS, Message, TokenGrant, User
from callclient.demo.pbx_server.routes_base import JSON, Handler, Result, error_body

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer


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


CALLD_HANDLERS: dict[tuple[str, str, str], Handler] = {
    ("wazo-calld", "GET", "/1.0/users/me/voicemails"): _voicemail_box,
    ("wazo-calld", "GET", "/1.0/users/me/voicemails/messages"): _voicemail_messages,
    ("wazo-calld", "GET", "/1.0/users/me/voicemails/messages/{message_id}"): _get_message,
    ("wazo-calld", "PUT", "/1.0/users/me/voicemails/messages/{message_id}"): _update_message,
    ("wazo-calld", "DELETE", "/1.0/users/me/voicemails/messages/{message_id}"): _delete_message,
    ("wazo-calld", "GET", "/1.0/users/me/voicemails/messages/{message_id}/recording"): _get_recording,
}
