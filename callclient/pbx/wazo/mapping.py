"""Wazo's JSON read into our values: tokens, profiles, CDRs, voicemail messages, conference rooms.

Everything here is pure (no I/O, no locks). A PBX answer of the wrong shape becomes PbxBadResponse naming what
was being read, never a KeyError/TypeError that would escape to a thread's top.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from callclient.pbx.errors import PbxBadResponse
from callclient.pbx.service import (
    CallDirection,
    CallRecord,
    ConferenceRoom,
    Session,
    SipLine,
    VoicemailCounts,
    VoicemailFolder,
    VoicemailMessage,
)

_TRANSPORTS = ("wss", "ws", "tls", "tcp", "udp")


def session_from_token(payload: Any, *, host: str, now: datetime, default_lifetime_s: int,
                       previous_refresh: str | None) -> Session:
    """wazo-auth's POST /token answer as a Session whose expiry is counted on our clock, not the PBX's."""
    try:
        data = payload["data"]
        token = data["token"]
        metadata = data.get("metadata") or {}
        user_uuid = metadata.get("pbx_user_uuid") or data.get("xivo_user_uuid") or metadata.get("uuid")
        if not isinstance(token, str) or not token or not user_uuid:
            raise ValueError("no token or no user in it")
        issued = parse_time(data.get("utc_issued_at"))
        expires = parse_time(data.get("utc_expires_at"))
        # Count the lifetime from our clock, not the PBX's: the two clocks may disagree.
        lifetime = (expires - issued) if issued and expires else timedelta(seconds=default_lifetime_s)
        refresh = data.get("refresh_token") or previous_refresh
    except (KeyError, TypeError, ValueError) as error:
        raise PbxBadResponse(host, "sign in", f"the token is malformed: {error}") from error
    return Session(token, refresh, now + lifetime, str(user_uuid))


def cdr_to_record(item: dict[str, Any], me: str) -> CallRecord:
    """One call-logd CDR seen from the user `me`: the direction and the other party are relative to them."""
    outgoing = item.get("source_user_uuid") == me and bool(me)
    if outgoing:
        name = item.get("destination_name") or item.get("requested_name") or ""
        number = item.get("destination_extension") or item.get("requested_extension") or ""
    else:
        name = item.get("source_name") or ""
        number = item.get("source_extension") or ""
    started = parse_time(item["start"])
    if started is None:
        raise ValueError("a call without a start time")
    details = item.get("destination_details") or {}
    return CallRecord(
        id=int(item["id"]),
        direction=CallDirection.OUTGOING if outgoing else CallDirection.INCOMING,
        answered=bool(item.get("answered")),
        other_name=str(name),
        other_number=str(number),
        started_at=started,
        duration_s=int(item.get("duration") or 0),
        conference=isinstance(details, dict) and details.get("type") in ("conference", "meeting"),
    )


def voicemail_message(item: dict[str, Any], folder: VoicemailFolder) -> VoicemailMessage:
    """One calld voicemail message (from GET /users/me/voicemails/messages)."""
    return VoicemailMessage(
        id=str(item["id"]),
        folder=folder,
        caller_name=str(item.get("caller_id_name") or ""),
        caller_number=str(item.get("caller_id_num") or ""),
        received_at=datetime.fromtimestamp(int(item["timestamp"]), UTC),
        duration_s=int(item.get("duration") or 0),
    )


def sip_line(endpoint: dict[str, Any], host: str, extension: str | None) -> SipLine:
    """A confd SIP endpoint (merged view) as the credentials the engine registers with."""
    auth = {str(k): str(v) for k, v in endpoint.get("auth_section_options") or []}
    if "username" not in auth or "password" not in auth:
        raise PbxBadResponse(host, "fetch your SIP account", "the line has no SIP username or password")
    transport_name = str((endpoint.get("transport") or {}).get("name") or "").lower()
    transport = next((t for t in _TRANSPORTS if t in transport_name), None)
    return SipLine(auth["username"], auth["password"], host, transport, extension)


def extension_numbers(item: dict[str, Any]) -> list[str]:
    """The numbers of a confd line or conference (its `extensions` relation)."""
    return [str(e["exten"]) for e in item.get("extensions") or [] if e.get("exten")]


def conference_room(item: dict[str, Any]) -> ConferenceRoom:
    numbers = extension_numbers(item)
    return ConferenceRoom(int(item["id"]), str(item.get("name") or ""), numbers[0] if numbers else None)


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # wazo-auth's utc_* times are naive UTC


def folder_of(kind: Any) -> VoicemailFolder | None:
    try:
        return VoicemailFolder(kind)
    except ValueError:
        return None  # "other" folders (Work, Family...) are not shown


def counts_of(messages: Iterable[tuple[str, str]]) -> VoicemailCounts:
    """Counts from (message id, folder type) pairs, as polling sees the box."""
    folders = [folder for _, folder in messages]
    return VoicemailCounts(folders.count("new"), folders.count("old"), folders.count("urgent"))


def path_part(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def describe(error: BaseException) -> str:
    return str(error) or type(error).__name__


class shape:  # noqa: N801 - used as a lower-case context manager, like contextlib's
    """Turns a KeyError/TypeError/ValueError while reading a PBX answer into PbxBadResponse."""

    def __init__(self, host: str, what: str) -> None:
        self._host, self._what = host, what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: object) -> bool:
        if error is not None and isinstance(error, (KeyError, TypeError, ValueError, AttributeError)):
            raise PbxBadResponse(self._host, f"fetch {self._what}", f"unexpected shape: {describe(error)}") \
                from error
        return False
