"""wazo-call-logd on the test PBX: the user's CDRs, with call-logd's search, since, direction, order and paging.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import TokenGrant
from callclient.demo.pbx_server.routes_base import JSON, Handler, Result, error_body

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer


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


CALL_LOGD_HANDLERS: dict[tuple[str, str, str], Handler] = {
    ("wazo-call-logd", "GET", "/1.0/users/me/cdr"): _list_cdr,
}
