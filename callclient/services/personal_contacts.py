"""Personal contacts kept on the PBX: the only owner of adding, editing, deleting and importing them.

The PBX holds them (every device of the user sees the same list); each change is mirrored into the
directory's offline copy (callclient/services/directory_contacts.py) at once, so a search or caller ID
finds the new name, and an edited or deleted contact does not linger there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callclient.directory.model import Contact
from callclient.directory.sources.pbx import PERSONAL_SOURCE, contact_from_entry
from callclient.pbx.service import ImportResult, PersonalContactFields
from callclient.services.directory_contacts import CachedContacts
from callclient.services.threads import WORKER, runs_on


class PersonalContacts:
    """`pbx()` is the PbxService in use (None: no phone system set up, so every change is refused)."""

    def __init__(self, contacts: CachedContacts, pbx: Callable[[], Any]) -> None:
        self._contacts = contacts
        self._pbx = pbx

    @runs_on(WORKER)
    def add(self, fields: PersonalContactFields) -> Contact:
        """"Add to contacts" (from history, voicemail or a number typed): kept on the PBX, cached here."""
        entry = self._require_pbx().add_personal_contact(fields)
        contact = contact_from_entry(entry)
        self._contacts.remember(contact.source, [contact])
        self._contacts.index_fresh()
        return contact

    @runs_on(WORKER)
    def edit(self, entry_id: str, fields: PersonalContactFields) -> Contact:
        contact = contact_from_entry(self._require_pbx().edit_personal_contact(entry_id, fields))
        self._refresh()
        return contact

    @runs_on(WORKER)
    def delete(self, entry_id: str) -> None:
        self._require_pbx().delete_personal_contact(entry_id)
        self._refresh()

    @runs_on(WORKER)
    def import_csv(self, csv_text: str) -> ImportResult:
        result = self._require_pbx().import_personal_contacts(csv_text)
        self._refresh()
        return result

    def _require_pbx(self) -> Any:
        service = self._pbx()
        if service is None:
            raise RuntimeError("no phone system is set up")
        return service

    def _refresh(self) -> None:
        """The PBX's list replaces the cached personal contacts (an edited or deleted one must not linger)."""
        entries = self._require_pbx().personal_contacts()
        contacts = [contact_from_entry(e) for e in entries]
        self._contacts.replace(PERSONAL_SOURCE, contacts)
        self._contacts.rebuild_index()
