"""What every route module of the test PBX shares: the handler signature and its result, Wazo's error bodies
and the timestamp formats its services use. A handler takes (server, request, path params, body, token grant)
and returns (status, body, content type); the server checks both against the contract. Handlers are the
server's own code: they use its lock, token tables and event push directly.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import web

from callclient.demo.pbx_server.data import TokenGrant

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


class Handler(Protocol):
    """One route: answers a checked request from the server's data (path params by name, body parsed)."""

    def __call__(self, server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                 grant: TokenGrant | None, /) -> Result: ...
