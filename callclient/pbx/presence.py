"""Presence as a PBX knows it (Wazo chatd): each user's own state and their line's state, the user's
do-not-disturb service, and the push events that carry changes. Backend-neutral values: the presence and
my-status services read these, never the Wazo JSON."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class UserState(enum.StrEnum):
    """What the user says about themselves (chatd `state`)."""

    AVAILABLE = "available"
    AWAY = "away"
    UNAVAILABLE = "unavailable"  # chatd's word for "do not disturb me"
    INVISIBLE = "invisible"  # signed in, shown to others as offline


class LineState(enum.StrEnum):
    """What the user's phone line is doing (chatd `line_state`: its busiest line)."""

    AVAILABLE = "available"  # registered and idle
    RINGING = "ringing"
    PROGRESSING = "progressing"  # dialling out
    TALKING = "talking"
    HOLDING = "holding"
    UNAVAILABLE = "unavailable"  # no device registered


@dataclass(frozen=True)
class PbxPresence:
    user_uuid: str
    state: UserState
    line_state: LineState
    dnd: bool = False
    status: str = ""  # the user's own words ("back at 2"): remote text, shown as plain text


@dataclass(frozen=True)
class PresenceUpdated:
    """A user's presence changed on the PBX (chatd_presence_updated)."""

    presence: PbxPresence


@dataclass(frozen=True)
class DndUpdated:
    """A user's do-not-disturb service was turned on or off on the PBX (confd users_services_dnd_updated)."""

    user_uuid: str
    enabled: bool


@dataclass(frozen=True)
class PresencesStale:
    """The event stream was lost for a while: presences pushed meanwhile went nowhere, so refetch them."""


class PresenceUnavailable(Exception):
    """The PBX in use offers no presence (SIP-only): lamps come from SIP presence, DND stays local."""
