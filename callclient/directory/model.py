"""The values every directory source hands back, and the one interface each source implements."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class SourceKind(enum.StrEnum):
    """Where a contact comes from. The order of `CALLER_ID_PRIORITY` says whose name wins for a number."""

    PBX_USER = "pbx-user"  # a colleague: the PBX's own user
    DIRECTORY = "directory"  # the company directory: dird phonebooks, LDAP / Active Directory
    PERSONAL = "personal"  # the user's personal contacts (on the PBX)
    ADDRESS_BOOK = "address-book"  # the desktop's address book (vCard, CardDAV), after consent
    FAVORITE = "favorite"
    HISTORY = "history"  # a name the PBX saw on a past call


# PBX user > directory > personal > address book (issue 13); favorites and history only name a number nobody
# else knows.
CALLER_ID_PRIORITY: tuple[SourceKind, ...] = (SourceKind.PBX_USER, SourceKind.DIRECTORY, SourceKind.PERSONAL,
                                              SourceKind.ADDRESS_BOOK, SourceKind.FAVORITE, SourceKind.HISTORY)


@dataclass(frozen=True)
class PhoneNumber:
    number: str  # as the source wrote it: shown to the user, dialled through the dial plan
    label: str = ""  # work, mobile, home...


@dataclass(frozen=True)
class Contact:
    name: str
    numbers: tuple[PhoneNumber, ...]
    kind: SourceKind
    source: str  # the source's name as the user knows it: "Company directory", "LDAP ldap.example.com"...
    company: str = ""
    title: str = ""
    email: str = ""
    entry_id: str = ""  # the id within its source (personal contacts: what to edit or delete)
    user_uuid: str = ""  # the PBX's own users: whose busy lamp (chatd presence) this contact has

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "numbers": [{"number": n.number, "label": n.label} for n in self.numbers],
                "kind": self.kind.value, "source": self.source, "company": self.company, "title": self.title,
                "email": self.email, "entry_id": self.entry_id, "user_uuid": self.user_uuid}

    @classmethod
    def from_json(cls, value: dict[str, object]) -> Contact:
        numbers = value.get("numbers") or []
        assert isinstance(numbers, list)
        return cls(name=str(value["name"]), numbers=tuple(PhoneNumber(str(n["number"]), str(n.get("label", "")))
                                                          for n in numbers),
                   kind=SourceKind(str(value["kind"])), source=str(value["source"]),
                   company=str(value.get("company", "")), title=str(value.get("title", "")),
                   email=str(value.get("email", "")), entry_id=str(value.get("entry_id", "")),
                   user_uuid=str(value.get("user_uuid", "")))


class SourceFailed(Exception):
    """A source could not answer; the message names the source and what the user can do. Other sources
    keep answering."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class Source(Protocol):
    """One place contacts come from. Methods may block (network): the directory service calls remote ones
    on its worker threads. Each raises SourceFailed with a message for the user, never anything else."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> SourceKind: ...

    @property
    def remote(self) -> bool:
        """True when answering takes the network (run off the caller's thread, results cached)."""
        ...

    def search(self, term: str) -> list[Contact]: ...

    def reverse(self, number: str) -> Contact | None: ...

    def list(self) -> list[Contact]:
        """Everything the source holds, for the offline cache; [] where a source cannot list (a large LDAP)."""
        ...
