"""The PBX-service interface: what CallClient asks of an organisation's phone system, whatever its brand.

Values crossing this interface are frozen dataclasses; events reach the app through one callback, called on
the backend's own event thread (the UI bridge re-posts them to the GUI thread). Backends: `wazo.WazoService`
(Wazo Platform's REST APIs and its event websocket) and `sip_only.SipOnlyService` (no API at all).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable


class ServiceState(enum.StrEnum):
    SIGNED_OUT = "signed-out"
    ONLINE = "online"
    OFFLINE = "offline"  # the PBX cannot be reached: calls still work, PBX views show what was cached
    SIGN_IN_REQUIRED = "sign-in-required"  # session revoked or expired beyond renewal
    NO_API = "no-api"  # SIP-only: there is no PBX API to talk to


class UpdateMode(enum.StrEnum):
    NONE = "none"
    WEBSOCKET = "websocket"
    POLLING = "polling"


@dataclass(frozen=True)
class Session:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime  # UTC
    user_uuid: str


@dataclass(frozen=True)
class SipLine:
    username: str
    password: str = field(repr=False)
    domain: str  # the SIP domain / registrar host
    transport: str | None = None  # "udp", "tcp", "tls", "wss" when the PBX says; None when it does not
    extension: str | None = None


@dataclass(frozen=True)
class Profile:
    user_uuid: str
    first_name: str
    last_name: str
    email: str | None
    extensions: tuple[str, ...]
    lines: tuple[SipLine, ...]

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CallDirection(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


@dataclass(frozen=True)
class CallRecord:
    id: int
    direction: CallDirection
    answered: bool
    other_name: str
    other_number: str
    started_at: datetime
    duration_s: int
    conference: bool = False  # the call went to a conference room

    @property
    def missed(self) -> bool:
        return self.direction is CallDirection.INCOMING and not self.answered


@dataclass(frozen=True)
class HistoryQuery:
    offset: int = 0
    limit: int = 50
    search: str | None = None
    missed_only: bool = False


@dataclass(frozen=True)
class HistoryPage:
    records: tuple[CallRecord, ...]  # newest first
    next_offset: int | None  # pass as HistoryQuery.offset for the next page; None at the end
    total: int | None  # matching records on the PBX, when it says


class VoicemailFolder(enum.StrEnum):
    NEW = "new"
    OLD = "old"
    URGENT = "urgent"


@dataclass(frozen=True)
class VoicemailMessage:
    id: str
    folder: VoicemailFolder
    caller_name: str
    caller_number: str
    received_at: datetime
    duration_s: int


@dataclass(frozen=True)
class VoicemailCounts:
    new: int
    old: int
    urgent: int = 0


@dataclass(frozen=True)
class ConferenceRoom:
    id: int
    name: str
    number: str | None  # what to dial to join; None when the room has no extension


@dataclass(frozen=True)
class Capabilities:
    history: bool
    voicemail_list: bool  # False: reach voicemail by calling `voicemail_access_number`
    conferences: bool
    realtime: bool
    voicemail_access_number: str | None = None


class DirectoryOrigin(enum.StrEnum):
    """Where the PBX's directory found an entry: its own users, a directory the admin set up (phonebook,
    LDAP behind dird, CSV...), or the user's personal contacts kept on the PBX."""

    PBX_USER = "pbx-user"
    DIRECTORY = "directory"
    PERSONAL = "personal"


@dataclass(frozen=True)
class DirectoryNumber:
    number: str
    label: str = ""  # "work", "mobile"... as the PBX labels the column


@dataclass(frozen=True)
class DirectoryEntry:
    """One contact as the PBX's directory returns it (wazo-dird lookup/reverse/personal)."""

    name: str
    numbers: tuple[DirectoryNumber, ...]
    origin: DirectoryOrigin
    source: str = ""  # the PBX's name for the directory it came from (dird's source name)
    entry_id: str = ""  # the id within that source (personal contacts: the id to edit or delete)
    email: str = ""
    company: str = ""
    title: str = ""
    user_uuid: str = ""  # set for the PBX's own users


@dataclass(frozen=True)
class PersonalContactFields:
    """What the user types for a personal contact on the PBX."""

    firstname: str = ""
    lastname: str = ""
    number: str = ""
    mobile: str = ""
    email: str = ""
    company: str = ""


@dataclass(frozen=True)
class ImportResult:
    created: int
    failed_lines: tuple[tuple[int, str], ...]  # (CSV line number, what was wrong)


# Events, delivered through the `on_event` callback on the backend's event thread.
@dataclass(frozen=True)
class StateChanged:
    state: ServiceState
    reason: str = ""


@dataclass(frozen=True)
class UpdateModeChanged:
    mode: UpdateMode


@dataclass(frozen=True)
class HistoryChanged:
    record: CallRecord | None = None  # the new entry when the PBX sent it


@dataclass(frozen=True)
class VoicemailChanged:
    message_id: str | None = None
    counts: VoicemailCounts | None = None  # set when the counts are known (SIP MWI, or after a refetch)


@dataclass(frozen=True)
class SessionRenewed:
    expires_at: datetime


PbxEvent = StateChanged | UpdateModeChanged | HistoryChanged | VoicemailChanged | SessionRenewed
EventCallback = Callable[[PbxEvent], None]


@runtime_checkable
class TokenStore(Protocol):
    """Where a session's tokens are kept between runs (the keychain, provided by storage)."""

    def save_session(self, session: Session) -> None: ...

    def load_session(self) -> Session | None: ...

    def clear_session(self) -> None: ...


@runtime_checkable
class RecordingCache(Protocol):
    """Voicemail audio kept for offline playback (storage's encrypted VoicemailCache fits this)."""

    def get(self, account_id: str, message_id: str) -> bytes | None: ...

    def put(self, account_id: str, message_id: str, audio: bytes) -> object: ...

    def played(self, account_id: str, message_id: str) -> None:
        """The message was heard to the end: the cache's retention policy decides whether its copy goes now."""
        ...

    def remove(self, account_id: str, message_id: str) -> None:
        """The message no longer exists: its copy goes whatever the policy."""
        ...


class MemoryTokenStore:
    """Keeps the session in memory only: what a backend uses when the app gives it no keychain."""

    def __init__(self) -> None:
        self._session: Session | None = None

    def save_session(self, session: Session) -> None:
        self._session = session

    def load_session(self) -> Session | None:
        return self._session

    def clear_session(self) -> None:
        self._session = None


class PbxService(Protocol):
    """What the app may ask of the organisation's phone system. Methods block: call them off the GUI thread."""

    @property
    def state(self) -> ServiceState: ...

    @property
    def capabilities(self) -> Capabilities: ...

    def sign_in(self, login: str, password: str) -> Session: ...

    def resume(self) -> bool:
        """Continue the session kept in the token store; False when there is none (the user must sign in)."""
        ...

    def sign_out(self) -> None: ...

    def profile(self) -> Profile: ...

    def history(self, query: HistoryQuery | None = None) -> HistoryPage: ...

    def missed_count(self, since: datetime | None = None) -> int: ...

    def voicemail_counts(self) -> VoicemailCounts: ...

    def update_mwi(self, new: int, old: int, urgent_new: int = 0) -> None:
        """Counts from a SIP message-summary NOTIFY (the engine receives it; the app feeds it in here)."""
        ...

    def voicemail_messages(self, folder: VoicemailFolder | None = None) -> tuple[VoicemailMessage, ...]: ...

    def recording(self, message_id: str) -> bytes: ...

    def mark_read(self, message_id: str) -> None: ...

    def move(self, message_id: str, folder: VoicemailFolder) -> None: ...

    def delete(self, message_id: str) -> None:
        """Deletes the message on the PBX, and its offline copy with it."""
        ...

    def voicemail_played(self, message_id: str) -> None:
        """Call when the user has heard the message to the end: applies the offline cache's policy (with
        "after playback", the default, the cached copy is deleted at once). Works offline."""
        ...

    def conference_rooms(self) -> tuple[ConferenceRoom, ...]: ...

    def cached_history(self) -> HistoryPage | None:
        """The last history page fetched, for views shown while offline."""
        ...

    def cached_voicemail(self) -> tuple[VoicemailMessage, ...] | None: ...

    # The PBX's directory (empty / None where the PBX has none; personal-contact edits then raise
    # PbxApiRequired).
    def directory_lookup(self, term: str) -> tuple[DirectoryEntry, ...]: ...

    def directory_reverse(self, number: str) -> DirectoryEntry | None: ...

    def personal_contacts(self) -> tuple[DirectoryEntry, ...]: ...

    def add_personal_contact(self, fields: PersonalContactFields) -> DirectoryEntry: ...

    def edit_personal_contact(self, entry_id: str, fields: PersonalContactFields) -> DirectoryEntry: ...

    def delete_personal_contact(self, entry_id: str) -> None: ...

    def import_personal_contacts(self, csv_text: str) -> ImportResult: ...

    def start_updates(self) -> None:
        """Start real-time updates (websocket, or polling where there is none) on the backend's own thread."""
        ...

    def close(self) -> None: ...
