"""Wazo's JSON read into our values: tokens, profiles, CDRs, voicemail messages, conference rooms.

Everything here is pure (no I/O, no locks). A PBX answer of the wrong shape becomes PbxBadResponse naming what
was being read, never a KeyError/TypeError that would escape to a thread's top.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterable
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


# wazo-auth's own ceiling on a token's lifetime (ten years): anything longer is junk, not a long session.
MAX_TOKEN_LIFETIME = timedelta(seconds=315_360_000)


def session_from_token(payload: Any, *, host: str, what: str, now: datetime, asked_lifetime_s: int,
                       previous_refresh: str | None) -> Session:
    """wazo-auth's POST /token answer as a Session whose expiry is counted on our clock, not the PBX's.

    Every field is checked before use: a PBX answering junk gets a PbxBadResponse naming the field, never an
    AttributeError or OverflowError that would end the thread that asked (issue 12, item 13)."""

    def malformed(problem: str) -> PbxBadResponse:
        return PbxBadResponse(host, what, f"the token {problem}")

    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise malformed("answer has no 'data' object")
    token = data.get("token")
    if not isinstance(token, str) or not token:
        raise malformed("has no 'token' string")
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise malformed("'metadata' is not an object")
    user_uuid = metadata.get("pbx_user_uuid") or data.get("xivo_user_uuid") or metadata.get("uuid")
    if not isinstance(user_uuid, str) or not user_uuid:
        raise malformed("names no user ('pbx_user_uuid' or 'xivo_user_uuid')")
    refresh = data.get("refresh_token")
    if refresh is not None and not (isinstance(refresh, str) and refresh):
        raise malformed("'refresh_token' is not a string")
    issued = _token_time(data, "utc_issued_at", malformed)
    expires = _token_time(data, "utc_expires_at", malformed)
    asked = timedelta(seconds=asked_lifetime_s)
    if issued is None or expires is None:
        lifetime = asked  # older wazo-auth versions: it granted what we asked for
    else:
        # Count the lifetime from our clock, not the PBX's: the two clocks may disagree.
        lifetime = expires - issued
        if lifetime <= timedelta(0):
            raise malformed(f"lifetime is not positive ({lifetime.total_seconds():g} s from 'utc_issued_at' "
                            "to 'utc_expires_at')")
        if lifetime > MAX_TOKEN_LIFETIME:
            raise malformed(f"lifetime is out of range ({lifetime.total_seconds():.0f} s)")
        # Never plan on more than we asked for: renewal then stays on the schedule we chose.
        lifetime = min(lifetime, asked)
    try:
        expires_at = now + lifetime
    except OverflowError as error:
        raise malformed("expiry is out of range") from error
    return Session(token, refresh or previous_refresh, expires_at, user_uuid)


def _token_time(data: dict[str, Any], key: str, malformed: Callable[[str], PbxBadResponse]) -> datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise malformed(f"'{key}' is not a date-time string")
    try:
        return parse_time(value)
    except (ValueError, OverflowError) as error:
        raise malformed(f"'{key}' is not a date-time ({value[:40]!r})") from error


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
