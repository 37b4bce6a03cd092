"""SIP-only mode: a PBX with no API. History is not available (the view says it needs the PBX API), voicemail
is reached by calling the access number, and the counts come from SIP MWI (RFC 3842 message-summary), which
the engine receives and the app feeds in through `update_mwi`.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from callclient.pbx.errors import PbxApiRequired
from callclient.pbx.service import (
    Capabilities,
    ConferenceRoom,
    DirectoryEntry,
    EventCallback,
    HistoryPage,
    HistoryQuery,
    ImportResult,
    PersonalContactFields,
    Profile,
    ServiceState,
    Session,
    VoicemailChanged,
    VoicemailCounts,
    VoicemailFolder,
    VoicemailMessage,
)

log = logging.getLogger(__name__)


class SipOnlyService:
    """PbxService for a PBX without an API."""

    def __init__(self, *, sip_domain: str, voicemail_access_number: str | None,
                 on_event: EventCallback | None = None) -> None:
        self._domain = sip_domain
        self._access_number = voicemail_access_number
        self._on_event = on_event or (lambda event: None)
        self._lock = threading.Lock()
        self._counts: VoicemailCounts | None = None

    def __repr__(self) -> str:
        return f"SipOnlyService({self._domain!r})"

    @property
    def state(self) -> ServiceState:
        return ServiceState.NO_API

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(history=False, voicemail_list=False, conferences=False, realtime=False,
                            voicemail_access_number=self._access_number)

    def update_mwi(self, new: int, old: int, urgent_new: int = 0) -> None:
        """Counts from a SIP message-summary NOTIFY (Voice-Message: new/old (urgent_new/urgent_old))."""
        if min(new, old, urgent_new) < 0:
            raise ValueError(f"message counts cannot be negative: {new}/{old} ({urgent_new})")
        counts = VoicemailCounts(new=new, old=old, urgent=urgent_new)
        with self._lock:
            changed, self._counts = counts != self._counts, counts
        if changed:
            try:
                self._on_event(VoicemailChanged(counts=counts))
            except Exception:
                log.exception("PBX event listener failed on an MWI update")

    def voicemail_counts(self) -> VoicemailCounts:
        """The last MWI counts; zeros until the PBX sends its first NOTIFY."""
        with self._lock:
            return self._counts or VoicemailCounts(0, 0, 0)

    def sign_in(self, login: str, password: str) -> Session:
        raise PbxApiRequired(self._domain, "Signing in with email and password")

    def resume(self) -> bool:
        return False

    def sign_out(self) -> None:
        return None

    def profile(self) -> Profile:
        raise PbxApiRequired(self._domain, "Fetching your profile")

    def history(self, query: HistoryQuery | None = None) -> HistoryPage:
        raise PbxApiRequired(self._domain, "Call history")

    def missed_count(self, since: datetime | None = None) -> int:
        raise PbxApiRequired(self._domain, "The missed-call count")

    def voicemail_messages(self, folder: VoicemailFolder | None = None) -> tuple[VoicemailMessage, ...]:
        raise PbxApiRequired(self._domain, self._voicemail_feature())

    def recording(self, message_id: str) -> bytes:
        raise PbxApiRequired(self._domain, self._voicemail_feature())

    def mark_read(self, message_id: str) -> None:
        raise PbxApiRequired(self._domain, self._voicemail_feature())

    def move(self, message_id: str, folder: VoicemailFolder) -> None:
        raise PbxApiRequired(self._domain, self._voicemail_feature())

    def delete(self, message_id: str) -> None:
        raise PbxApiRequired(self._domain, self._voicemail_feature())

    def voicemail_played(self, message_id: str) -> None:
        return None  # nothing is downloaded without an API, so nothing is cached

    # No PBX directory: searches find nothing here (other sources still answer); edits need the API.
    def directory_lookup(self, term: str) -> tuple[DirectoryEntry, ...]:
        return ()

    def directory_reverse(self, number: str) -> DirectoryEntry | None:
        return None

    def personal_contacts(self) -> tuple[DirectoryEntry, ...]:
        return ()

    def add_personal_contact(self, fields: PersonalContactFields) -> DirectoryEntry:
        raise PbxApiRequired(self._domain, "Personal contacts on the PBX")

    def edit_personal_contact(self, entry_id: str, fields: PersonalContactFields) -> DirectoryEntry:
        raise PbxApiRequired(self._domain, "Personal contacts on the PBX")

    def delete_personal_contact(self, entry_id: str) -> None:
        raise PbxApiRequired(self._domain, "Personal contacts on the PBX")

    def import_personal_contacts(self, csv_text: str) -> ImportResult:
        raise PbxApiRequired(self._domain, "Importing contacts into the PBX")

    def conference_rooms(self) -> tuple[ConferenceRoom, ...]:
        return ()  # no list without an API; a room is still joined by dialling its number

    def cached_history(self) -> HistoryPage | None:
        return None

    def cached_voicemail(self) -> tuple[VoicemailMessage, ...] | None:
        return None

    def start_updates(self) -> None:
        return None  # MWI arrives through the SIP engine

    def close(self) -> None:
        return None

    def _voicemail_feature(self) -> str:
        if self._access_number:
            return f"Listing voicemail (call {self._access_number} to listen to your messages)"
        return "Listing voicemail"
