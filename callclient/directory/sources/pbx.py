"""The PBX's directory (Wazo dird) as a source: company users, the admin's phonebooks, personal contacts."""

from __future__ import annotations

from collections.abc import Callable

from callclient.directory.model import Contact, PhoneNumber, SourceFailed, SourceKind
from callclient.directory.numbers import NumberKeys
from callclient.pbx.errors import PbxError
from callclient.pbx.service import DirectoryEntry, DirectoryOrigin, PbxService

_KINDS = {DirectoryOrigin.PBX_USER: SourceKind.PBX_USER, DirectoryOrigin.DIRECTORY: SourceKind.DIRECTORY,
          DirectoryOrigin.PERSONAL: SourceKind.PERSONAL}
NAME = "Company directory"
PERSONAL_SOURCE = "Personal contacts"


def contact_from_entry(entry: DirectoryEntry) -> Contact:
    kind = _KINDS[entry.origin]
    source = PERSONAL_SOURCE if kind is SourceKind.PERSONAL else NAME
    return Contact(name=entry.name, numbers=tuple(PhoneNumber(n.number, n.label) for n in entry.numbers),
                   kind=kind, source=source, company=entry.company, title=entry.title, email=entry.email,
                   entry_id=entry.entry_id, user_uuid=entry.user_uuid)


class PbxDirectory:
    """`pbx()` is the PBX service in use right now (it changes on sign-in and sign-out), or None."""

    kind = SourceKind.DIRECTORY
    remote = True

    def __init__(self, pbx: Callable[[], PbxService | None], keys: Callable[[], NumberKeys] | None = None) -> None:
        self._pbx = pbx
        self._keys = keys

    @property
    def name(self) -> str:
        return NAME

    def _service(self) -> PbxService:
        service = self._pbx()
        if service is None:
            raise SourceFailed(NAME, "no phone system is set up")
        return service

    def search(self, term: str) -> list[Contact]:
        try:
            return [contact_from_entry(e) for e in self._service().directory_lookup(term)]
        except PbxError as error:
            raise SourceFailed(NAME, str(error)) from error

    def reverse(self, number: str) -> Contact | None:
        """dird matches the number exactly as its sources store it: ask as the number came, then in its
        normalised form (+E.164, the outside-line prefix dropped) when that differs."""
        spellings = [number]
        if self._keys is not None:
            normalised = self._keys().key(number)
            if normalised != number:
                spellings.append(normalised)
        for spelling in spellings:
            try:
                entry = self._service().directory_reverse(spelling)
            except PbxError as error:
                raise SourceFailed(NAME, str(error)) from error
            if entry is not None:
                return contact_from_entry(entry)
        return None

    def list(self) -> list[Contact]:
        """The personal contacts (dird cannot list the whole company directory; searches fill the cache)."""
        try:
            return [contact_from_entry(e) for e in self._service().personal_contacts()]
        except PbxError as error:
            raise SourceFailed(NAME, str(error)) from error
