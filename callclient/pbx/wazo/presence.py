"""Presence on Wazo: colleagues' busy lamps and the user's own status from wazo-chatd, the do-not-disturb
service from wazo-confd, and the websocket events that push their changes.

chatd keeps two things per user: `state` (what the user says: available, away, unavailable, invisible) and
`line_state` (what their phone does: ringing, talking...). Do-not-disturb is a confd user service; chatd
reports it as `do_not_disturb`, and confd announces each change as `users_services_dnd_updated`
(wazo-bus UserServiceDNDEditedEvent).

Threads: `presences`, `my_presence`, `set_*` block on the network (the presence service's worker);
`on_bus_event` runs on the PBX update thread and only parses and emits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from callclient.pbx.errors import PbxBadResponse, PbxForbidden
from callclient.pbx.presence import (
    DndUpdated,
    LineState,
    PbxPresence,
    PresenceUpdated,
    PresencesStale,
    UserState,
)
from callclient.pbx.wazo.config import CONFD
from callclient.pbx.wazo.mapping import path_part, shape

log = logging.getLogger(__name__)

CHATD = "/api/chatd/1.0"
PRESENCE_EVENT = "chatd_presence_updated"
DND_EVENT = "users_services_dnd_updated"
PRESENCE_EVENTS = (PRESENCE_EVENT, DND_EVENT)
# chatd takes a comma-separated uuid list in one query parameter; keep URLs well under proxies' limits.
_UUIDS_PER_REQUEST = 50


class StatusRefused(Exception):
    """The PBX refused a status or do-not-disturb change; the message says which and why."""


def presence_of(item: Any) -> PbxPresence:
    """One chatd Presence object; KeyError/ValueError/TypeError when it is not one."""
    return PbxPresence(
        user_uuid=str(item["uuid"]),
        state=UserState(item["state"]),
        line_state=LineState(item.get("line_state") or "unavailable"),
        dnd=bool(item.get("do_not_disturb", False)),
        status=str(item.get("status") or ""),
    )


class WazoPresence:
    """`call(method, base, path, what=..., **kw)` is WazoService's authenticated request; `me()` the signed-in
    user's uuid; `emit` the service's event callback."""

    def __init__(self, host: str, call: Callable[..., Any], me: Callable[[], str],
                 emit: Callable[[object], None]) -> None:
        self._host = host
        self._call = call
        self._me = me
        self._emit = emit
        self._unreadable_logged = False

    @property
    def my_uuid(self) -> str:
        return self._me()

    def presences(self, user_uuids: Iterable[str]) -> tuple[PbxPresence, ...]:
        wanted = list(dict.fromkeys(u for u in user_uuids if u))
        found: list[PbxPresence] = []
        for start in range(0, len(wanted), _UUIDS_PER_REQUEST):
            chunk = wanted[start:start + _UUIDS_PER_REQUEST]
            data = self._call("GET", CHATD, "/users/presences", params={"user_uuid": ",".join(chunk)},
                              what="fetch your colleagues' presence")
            with shape(self._host, "your colleagues' presence"):
                found.extend(presence_of(item) for item in data["items"])
        return tuple(found)

    def my_presence(self) -> PbxPresence:
        me = self._me()
        data = self._call("GET", CHATD, f"/users/{path_part(me)}/presences", what="fetch your status")
        with shape(self._host, "your status"):
            return presence_of(data)

    def set_my_state(self, state: UserState) -> None:
        self._refusable("PUT", CHATD, f"/users/{path_part(self._me())}/presences", {"state": state.value},
                        f"set your status to {state.value}")

    def dnd(self) -> bool:
        data = self._call("GET", CONFD, f"/users/{path_part(self._me())}/services/dnd",
                          what="fetch your do-not-disturb setting")
        with shape(self._host, "your do-not-disturb setting"):
            return bool(data["enabled"])

    def set_dnd(self, enabled: bool) -> None:
        self._refusable("PUT", CONFD, f"/users/{path_part(self._me())}/services/dnd", {"enabled": enabled},
                        f"turn do not disturb {'on' if enabled else 'off'}")

    def _refusable(self, method: str, base: str, path: str, body: dict[str, Any], what: str) -> None:
        try:
            self._call(method, base, path, json_body=body, what=what, expect="none")
        except PbxForbidden as error:
            raise StatusRefused(str(error)) from error
        except PbxBadResponse as error:
            if error.status is not None and 400 <= error.status < 500:
                raise StatusRefused(f"{self._host} refused to {what} (HTTP {error.status}).") from error
            raise

    # ------------------------------------------------------------------ the update thread

    def on_bus_event(self, name: str, payload: Any) -> None:
        try:
            if name == PRESENCE_EVENT:
                self._emit(PresenceUpdated(presence_of(payload)))
            elif name == DND_EVENT:
                user = payload.get("user_uuid") or payload.get("user_id")
                self._emit(DndUpdated(str(user), bool(payload["enabled"])))
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            if not self._unreadable_logged:  # a broken PBX may send thousands: one line says it
                self._unreadable_logged = True
                log.warning("ignored an unreadable %s event from %s (%s)", name, self._host, error)

    def on_events_missed(self) -> None:
        self._emit(PresencesStale())
