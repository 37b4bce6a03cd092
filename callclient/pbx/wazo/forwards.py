"""Call forwarding on Wazo: confd's `/users/{uuid}/forwards` (busy, noanswer, unconditional, each
`{enabled, destination}`) and the user's `ring_seconds` (how long the phones ring before the no-answer
forward applies), plus the bus events confd sends when a forward is edited.

Requests go through the service's authenticated `call` (renewal, retries, errors naming the host), so this
module only knows the paths and the JSON shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callclient.pbx.errors import PbxBadResponse
from callclient.pbx.forwards import Forward, ForwardKind, Forwards
from callclient.pbx.wazo.config import CONFD
from callclient.pbx.wazo.mapping import path_part

# wazo-bus: confd publishes users_forwards_<name>_updated (UserForward*EditedEvent) to the user's websocket
# whenever a forward is changed, from any client.
FORWARD_EVENTS = tuple(f"users_forwards_{kind.value}_updated" for kind in ForwardKind)
RING_SECONDS_RANGE = (5, 120)  # what the no-answer delay may be set to here (confd's default is 30)

Call = Callable[..., Any]  # WazoService._call(method, base, path, *, what, **kwargs)


def kind_of_event(name: str) -> ForwardKind | None:
    for kind in ForwardKind:
        if name == f"users_forwards_{kind.value}_updated":
            return kind
    return None


class WazoForwards:
    def __init__(self, call: Call, user_uuid: Callable[[], str], host: str) -> None:
        self._call = call
        self._user_uuid = user_uuid
        self._host = host

    def read(self) -> Forwards:
        me = path_part(self._user_uuid())
        data = self._call("GET", CONFD, f"/users/{me}/forwards", what="read your call forwarding")
        user = self._call("GET", CONFD, f"/users/{me}", what="read your ring time")
        try:
            ring = user.get("ring_seconds") if isinstance(user, dict) else None
            return Forwards(_forward(data, "unconditional"), _forward(data, "busy"), _forward(data, "noanswer"),
                            int(ring) if isinstance(ring, int) and not isinstance(ring, bool) else None)
        except (TypeError, ValueError, AttributeError) as error:
            raise PbxBadResponse(self._host, "read your call forwarding", f"unexpected answer ({error})") from error

    def write(self, forwards: Forwards, ring_seconds_changed: bool) -> None:
        """All three forwards in one request (confd applies them together), then the ring time if it changed."""
        me = path_part(self._user_uuid())
        body = {kind.value: _body(forwards.of(kind)) for kind in ForwardKind}
        self._call("PUT", CONFD, f"/users/{me}/forwards", json_body=body, what="change your call forwarding",
                   expect="none")
        if ring_seconds_changed and forwards.ring_seconds is not None:
            # confd merges a user update, but the spec's User requires firstname: send the one it has.
            user = self._call("GET", CONFD, f"/users/{me}", what="read your ring time")
            firstname = user.get("firstname") if isinstance(user, dict) else None
            if not isinstance(firstname, str):
                raise PbxBadResponse(self._host, "read your ring time", "the user has no first name")
            self._call("PUT", CONFD, f"/users/{me}",
                       json_body={"firstname": firstname, "ring_seconds": forwards.ring_seconds},
                       what="change how long your phones ring", expect="none")

    def write_one(self, kind: ForwardKind, forward: Forward) -> None:
        me = path_part(self._user_uuid())
        self._call("PUT", CONFD, f"/users/{me}/forwards/{kind.value}", json_body=_body(forward),
                   what=f"change your {_words(kind)} forwarding", expect="none")


def _forward(data: Any, name: str) -> Forward:
    item = data.get(name) or {}
    destination = item.get("destination")
    return Forward(bool(item.get("enabled")), str(destination) if destination is not None else "")


def _body(forward: Forward) -> dict[str, Any]:
    # The spec types destination as a string (not nullable): "" stands for none.
    return {"enabled": forward.enabled, "destination": forward.destination}


def _words(kind: ForwardKind) -> str:
    return {ForwardKind.UNCONDITIONAL: "unconditional", ForwardKind.BUSY: "busy",
            ForwardKind.NO_ANSWER: "no-answer"}[kind]
