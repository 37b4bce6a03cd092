"""Everything the SIP engine reports, as immutable values.

pjsua2 callbacks run on the engine thread; each one is turned into one of these and handed to every
subscriber's queue, so the GUI, the control socket and the tests see the same stream and never touch a
pjsua2 object.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class RegistrationState(enum.StrEnum):
    UNREGISTERED = "unregistered"
    REGISTERING = "registering"
    # Registering again after sleep or a network change: was registered, is not yet again (never shown as
    # registered meanwhile, since the old binding may be gone or point at an address we no longer have).
    RECONNECTING = "reconnecting"
    REGISTERED = "registered"
    FAILED = "failed"
    NOT_REGISTERING = "not registering"  # account configured without a registrar (peer-to-peer / demo)


class CallState(enum.StrEnum):
    CALLING = "calling"  # outgoing, INVITE sent
    INCOMING = "incoming"  # ringing here
    EARLY = "early"  # outgoing, far end ringing (18x)
    CONNECTING = "connecting"
    CONFIRMED = "confirmed"
    DISCONNECTED = "disconnected"


class CallDirection(enum.StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


class MediaState(enum.StrEnum):
    NONE = "none"
    ACTIVE = "active"
    LOCAL_HOLD = "local hold"
    REMOTE_HOLD = "remote hold"
    ERROR = "error"


class PresenceState(enum.StrEnum):
    """A busy lamp. SIP presence (PIDF) gives the first five; a PBX's own presence (Wazo chatd) all of them."""

    UNKNOWN = "unknown"
    AVAILABLE = "available"  # idle
    BUSY = "busy"  # on the phone / busy activity: in a call
    AWAY = "away"
    OFFLINE = "offline"  # not registered, or shown as offline
    RINGING = "ringing"  # a call rings for them: it can be picked up
    ON_HOLD = "on hold"
    DND = "do not disturb"


@dataclass(frozen=True)
class Party:
    """The other end of a call as shown to the user."""

    uri: str
    display_name: str
    number: str  # the user part of the URI: an extension or phone number


@dataclass(frozen=True)
class EngineStarted:
    udp_port: int | None
    tcp_port: int | None
    tls_port: int | None


@dataclass(frozen=True)
class EngineStopped:
    pass


@dataclass(frozen=True)
class RegistrationChanged:
    account_id: str
    state: RegistrationState
    code: int  # the SIP status code of the last REGISTER transaction, 0 if none
    reason: str  # plain words a user can act on
    expires_s: int = 0
    retry_in_s: float | None = None  # when the next automatic attempt is due, if any


@dataclass(frozen=True)
class CallUpdated:
    call_id: str
    account_id: str
    direction: CallDirection
    state: CallState
    remote: Party
    media: MediaState
    muted: bool
    waiting: bool  # an incoming call that arrived while another call was up


@dataclass(frozen=True)
class CallEnded:
    call_id: str
    account_id: str
    direction: CallDirection
    remote: Party
    code: int  # final SIP status, e.g. 200 after a normal hang-up, 486 for busy
    reason: str  # plain words
    duration_s: float  # connected time; 0 for a call never answered
    answered: bool


@dataclass(frozen=True)
class DtmfReceived:
    call_id: str
    digit: str
    method: str  # "rfc4733" or "sip-info"


@dataclass(frozen=True)
class TransferProgress:
    call_id: str
    code: int  # status of the call the far end placed after our REFER (from NOTIFY sipfrag)
    reason: str
    final: bool


@dataclass(frozen=True)
class MessageSummary:
    """RFC 3842 message-summary for an account's mailbox."""

    account_id: str
    waiting: bool
    new: int
    old: int
    urgent_new: int = 0
    urgent_old: int = 0


@dataclass(frozen=True)
class PresenceChanged:
    uri: str
    state: PresenceState
    note: str
    account_id: str = ""  # the account whose subscription saw it: each account watches its own favorites


class RefusalReason(enum.StrEnum):
    """Why the engine refused a call on its own, without ringing."""

    NOT_FROM_PBX = "not from the PBX"
    TOO_MANY_CALLS = "too many calls"
    DO_NOT_DISTURB = "do not disturb"
    ENCRYPTION_REQUIRED = "encryption required"
    MEDIA_MISMATCH = "media mismatch"


@dataclass(frozen=True)
class CallRefused:
    """An incoming call the engine refused by policy: never rang. The UI shows it as a missed-call
    notice with `reason_text`; `code` is the SIP status sent to the caller."""

    account_id: str
    party: Party
    reason: RefusalReason
    code: int
    reason_text: str  # plain words for the notice, e.g. "refused while do-not-disturb was on"


@dataclass(frozen=True)
class TransferRefused:
    """A far end asked us (REFER, or INVITE with Replaces) to call or join a target outside the
    account's domain; it was refused with 403. Shown so the user knows a transfer did not happen."""

    call_id: str
    target: str  # the full Refer-To / caller URI, to be shown as plain text
    reason_text: str


@dataclass(frozen=True)
class RequestRefused:
    """An out-of-dialog SUBSCRIBE or MESSAGE from a host other than the account's PBX, refused with
    403. For the log and diagnostics, not for a notice (scanners send many)."""

    account_id: str
    method: str
    source: str  # "ip:port"
    code: int


@dataclass(frozen=True)
class EngineFault:
    """Something failed outside any request the app made (a callback, a timer)."""

    message: str


Event = (
    EngineStarted
    | EngineStopped
    | RegistrationChanged
    | CallUpdated
    | CallEnded
    | DtmfReceived
    | TransferProgress
    | MessageSummary
    | PresenceChanged
    | CallRefused
    | TransferRefused
    | RequestRefused
    | EngineFault
)
