"""The test PBX's presence: wazo-chatd's presences (list, get, update) and wazo-confd's do-not-disturb
service, with the websocket events the real services push (`chatd_presence_updated`,
`users_services_dnd_updated`). `PresenceDesk` is also the "desk phone" a test drives: it changes a user's
line or status as the PBX itself would, and pushes the event. In demo mode a timer makes colleagues' lines
ring, talk and hold on their own, so the busy lamps visibly move.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import TokenGrant

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer

log = logging.getLogger(__name__)

JSON = "application/json"
USER_STATES = ("available", "away", "unavailable", "invisible")
LINE_STATES = ("available", "ringing", "progressing", "talking", "holding", "unavailable")
PRESENCE_EVENT = "chatd_presence_updated"
DND_EVENT = "users_services_dnd_updated"
# What a demo colleague's line does next: a call rings, is answered, is sometimes held, ends.
_DEMO_NEXT = {"available": ("ringing", "progressing"), "ringing": ("talking", "available"),
              "progressing": ("talking",), "talking": ("holding", "available", "talking"),
              "holding": ("talking",), "unavailable": ("available",)}


def _error(status: int, message: str) -> dict[str, Any]:
    return {"message": message, "error_id": message.lower().replace(" ", "-"), "details": {}}


class PresenceDesk:
    """Every user's chatd presence. Public methods are safe from any thread."""

    def __init__(self, server: PbxServer) -> None:
        self._server = server
        self._lock = threading.Lock()
        self._presences: dict[str, dict[str, Any]] = {}
        data = server.data
        line_ids = iter(range(100, 100000))
        for entry in data.directory:
            user_uuid = entry.get("user_uuid")
            if entry.get("backend") == "wazo" and user_uuid and user_uuid not in self._presences:
                self._presences[user_uuid] = self._initial(user_uuid, next(line_ids))
        for user in data.users.values():
            self._presences.setdefault(user.uuid, self._initial(user.uuid, user.line_id))
        self._demo_stop = threading.Event()
        self._demo_thread: threading.Thread | None = None

    def _initial(self, user_uuid: str, line_id: int) -> dict[str, Any]:
        return {"uuid": user_uuid, "tenant_uuid": self._server.data.tenant_uuid, "state": "available",
                "status": "", "do_not_disturb": False, "line_state": "available",
                "lines": [{"id": line_id, "state": "available"}], "mobile": False, "connected": True,
                "last_activity": datetime.now(UTC).replace(tzinfo=None).isoformat()}

    # ------------------------------------------------------------------ what tests (and the demo) do

    def get(self, user_uuid: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._presences[user_uuid])

    def user_uuids(self) -> list[str]:
        with self._lock:
            return list(self._presences)

    def set(self, user_uuid: str, *, state: str | None = None, line_state: str | None = None,
            dnd: bool | None = None, status: str | None = None) -> dict[str, Any]:
        """Changes a user's presence as the PBX would (their desk phone, the web app) and pushes the events."""
        if state is not None and state not in USER_STATES:
            raise ValueError(f"{state!r} is not a chatd user state")
        if line_state is not None and line_state not in LINE_STATES:
            raise ValueError(f"{line_state!r} is not a chatd line state")
        with self._lock:
            presence = self._presences[user_uuid]
            dnd_changed = dnd is not None and dnd != presence["do_not_disturb"]
            if state is not None:
                presence["state"] = state
                presence["last_activity"] = datetime.now(UTC).replace(tzinfo=None).isoformat()
            if line_state is not None:
                presence["line_state"] = line_state
                for line in presence["lines"]:
                    line["state"] = line_state
            if dnd is not None:
                presence["do_not_disturb"] = dnd
            if status is not None:
                presence["status"] = status
            snapshot = copy.deepcopy(presence)
        if dnd_changed:
            self._push(DND_EVENT, {"user_uuid": user_uuid, "tenant_uuid": snapshot["tenant_uuid"],
                                   "enabled": snapshot["do_not_disturb"]}, user_uuid)
        self._push(PRESENCE_EVENT, snapshot)
        return snapshot

    def _push(self, name: str, payload: dict[str, Any], user_uuid: str | None = None) -> None:
        # A route runs on the server's loop: waiting there for the loop to push would deadlock.
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not None and running is self._server._loop:
            running.create_task(self._server._push(name, payload, user_uuid))
        else:
            self._server.push_event(name, payload, user_uuid)

    def start_demo_activity(self, interval_s: float = 2.5, users: int = 6, seed: int | None = None) -> None:
        """Colleagues' lines change on their own (demo mode): every `interval_s` one of the first `users`
        colleagues moves to a next line state. Off unless asked (tests drive presences themselves)."""
        if self._demo_thread is not None:
            return
        me = set(self._server.data.users)
        colleagues = [u for u in self.user_uuids() if u not in me][:users]
        chance = random.Random(seed)

        def run() -> None:
            while not self._demo_stop.wait(interval_s):
                user = chance.choice(colleagues)
                now = self.get(user)["line_state"]
                try:
                    self.set(user, line_state=chance.choice(_DEMO_NEXT.get(now, ("available",))))
                except Exception:  # the server stopping under us ends the demo quietly
                    log.debug("demo presence change failed", exc_info=True)

        self._demo_thread = threading.Thread(target=run, name="demo-presence", daemon=True)
        self._demo_thread.start()

    def stop(self) -> None:
        self._demo_stop.set()
        thread, self._demo_thread = self._demo_thread, None
        if thread is not None:
            thread.join(timeout=5)

    # ------------------------------------------------------------------ routes

    def _list(self, server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
              grant: TokenGrant | None) -> tuple[int, Any, str]:
        wanted = [u for u in request.query.get("user_uuid", "").split(",") if u]
        with self._lock:
            items = [copy.deepcopy(p) for u, p in self._presences.items() if not wanted or u in wanted]
        return 200, {"items": items, "filtered": len(items), "total": len(self._presences)}, JSON

    def _get(self, server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
             grant: TokenGrant | None) -> tuple[int, Any, str]:
        user_uuid = self._user(params["user_uuid"], grant)
        with self._lock:
            presence = copy.deepcopy(self._presences.get(user_uuid or ""))
        if not presence:
            return 404, _error(404, "No such user"), JSON
        return 200, presence, JSON

    def _update(self, server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                grant: TokenGrant | None) -> tuple[int, Any, str]:
        user_uuid = self._user(params["user_uuid"], grant)
        if user_uuid is None or user_uuid not in self._presences:
            return 404, _error(404, "No such user"), JSON
        if grant is None or grant.user_uuid != user_uuid:
            return 403, _error(403, "Unauthorized"), JSON  # default.user.me: only your own presence
        self.set(user_uuid, state=body["state"], status=body.get("status"))
        return 204, None, JSON

    def _get_dnd(self, server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                 grant: TokenGrant | None) -> tuple[int, Any, str]:
        user_uuid = self._user(params["user_id"], grant)
        if user_uuid is None or grant is None or grant.user_uuid != user_uuid:
            return 404, _error(404, "No such user"), JSON
        return 200, {"enabled": self.get(user_uuid)["do_not_disturb"]}, JSON

    def _update_dnd(self, server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                    grant: TokenGrant | None) -> tuple[int, Any, str]:
        user_uuid = self._user(params["user_id"], grant)
        if user_uuid is None or grant is None or grant.user_uuid != user_uuid:
            return 404, _error(404, "No such user"), JSON
        self.set(user_uuid, dnd=bool(body["enabled"]))
        return 204, None, JSON

    def _user(self, given: str, grant: TokenGrant | None) -> str | None:
        if given == "me":
            return grant.user_uuid if grant is not None else None
        return given

    def handlers(self) -> dict[tuple[str, str, str], Callable[..., tuple[int, Any, str]]]:
        return {
            ("wazo-chatd", "GET", "/1.0/users/presences"): self._list,
            ("wazo-chatd", "GET", "/1.0/users/{user_uuid}/presences"): self._get,
            ("wazo-chatd", "PUT", "/1.0/users/{user_uuid}/presences"): self._update,
            ("wazo-confd", "GET", "/1.1/users/{user_id}/services/{service_name}"): self._service,
            ("wazo-confd", "PUT", "/1.1/users/{user_id}/services/{service_name}"): self._service,
        }

    def _service(self, server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                 grant: TokenGrant | None) -> tuple[int, Any, str]:
        if params["service_name"] != "dnd":
            return 404, _error(404, "Service not served by the test PBX"), JSON
        if request.method == "GET":
            return self._get_dnd(server, request, params, body, grant)
        return self._update_dnd(server, request, params, body, grant)
