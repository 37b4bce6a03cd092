"""The directory on Wazo (wazo-dird): `WazoDirectory` makes the requests (lookup in the user's display profile,
reverse lookup for caller ID, the personal contacts), and the functions read dird's JSON into DirectoryEntry
values: lookup results (column headers + rows), reverse answers and personal contacts. The functions are pure:
junk becomes PbxBadResponse naming what was read (through `shape`).

A lookup answer is a table whose meaning is in `column_types` (name, number, callable, email, favorite,
personal, voicemail...), set by the PBX admin's display profile; columns without a type (company, title) are
recognised by their header. Each row carries `backend` (wazo = the PBX's own users, personal, phonebook,
ldap, csv...) and `relations` (user_uuid, source_entry_id).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callclient.pbx.service import (
    DirectoryEntry,
    DirectoryNumber,
    DirectoryOrigin,
    ImportResult,
    PersonalContactFields,
)
from callclient.pbx.wazo.config import DIRD
from callclient.pbx.wazo.mapping import path_part, shape

_NUMBER_TYPES = frozenset({"number", "callable", "mobile"})
_COMPANY_HEADERS = frozenset({"company", "organisation", "organization", "entreprise", "société", "department"})
_TITLE_HEADERS = frozenset({"title", "job title", "fonction", "position"})
_NAME_FIELDS = ("firstname", "lastname")
_PERSONAL_NUMBER_FIELDS = (("number", "work"), ("mobile", "mobile"), ("phone", "phone"), ("fax", "fax"))


def _text(value: Any) -> str:
    """dird sends None for an empty cell; anything else is shown as text."""
    if value is None:
        return ""
    return str(value).strip()


def origin_of_backend(backend: str) -> DirectoryOrigin:
    if backend == "wazo":
        return DirectoryOrigin.PBX_USER
    if backend == "personal":
        return DirectoryOrigin.PERSONAL
    return DirectoryOrigin.DIRECTORY


def lookup_entries(answer: Any) -> tuple[DirectoryEntry, ...]:
    """A `GET /directories/lookup/{profile}` answer as entries (rows without a name or a number are skipped)."""
    headers = [_text(h).lower() for h in answer["column_headers"]]
    types = [_text(t).lower() for t in answer.get("column_types") or [""] * len(headers)]
    if len(types) != len(headers):
        raise ValueError("column_types and column_headers differ in length")
    entries = []
    for row in answer["results"]:
        values = list(row["column_values"])
        if len(values) != len(headers):
            raise ValueError("a result row has a different number of columns than the headers")
        name, email, company, title = "", "", "", ""
        numbers: list[DirectoryNumber] = []
        for header, kind, value in zip(headers, types, values, strict=True):
            cell = _text(value)
            if not cell:
                continue
            if kind == "name" and not name:
                name = cell
            elif kind in _NUMBER_TYPES:
                if all(n.number != cell for n in numbers):
                    numbers.append(DirectoryNumber(cell, "work" if kind == "number" else header))
            elif kind == "email" and not email:
                email = cell
            elif not kind and header in _COMPANY_HEADERS and not company:
                company = cell
            elif not kind and header in _TITLE_HEADERS and not title:
                title = cell
        relations = row.get("relations") or {}
        if not isinstance(relations, dict):
            raise ValueError("relations is not an object")
        backend = _text(row.get("backend"))
        if not name and not numbers:
            continue
        entries.append(DirectoryEntry(
            name=name or numbers[0].number, numbers=tuple(numbers), origin=origin_of_backend(backend),
            source=_text(row.get("source")), entry_id=_text(relations.get("source_entry_id")),
            email=email, company=company, title=title, user_uuid=_text(relations.get("user_uuid")),
        ))
    return tuple(entries)


def reverse_entry(answer: Any, number: str) -> DirectoryEntry | None:
    """A `GET /directories/reverse/...` answer; None when nobody has the number. Real dird answers a miss
    with `display: null` (the spec says string, so a spec-true server may send ""): both mean no match."""
    display = _text(answer.get("display"))
    if not display:
        return None
    fields = answer.get("fields") or {}
    if not isinstance(fields, dict):
        raise ValueError("fields is not an object")
    source = _text(answer.get("source"))
    user_uuid = _text(fields.get("user_uuid"))
    # The reverse answer names the source, not its backend: the PBX's user source carries user_uuid.
    if "personal" in source.lower():
        origin = DirectoryOrigin.PERSONAL
    elif user_uuid:
        origin = DirectoryOrigin.PBX_USER
    else:
        origin = DirectoryOrigin.DIRECTORY
    exten = _text(answer.get("exten")) or number
    return DirectoryEntry(name=display, numbers=(DirectoryNumber(exten, "work"),), origin=origin, source=source,
                          entry_id=_text(fields.get("id")), email=_text(fields.get("email")),
                          company=_text(fields.get("company")), title=_text(fields.get("title")),
                          user_uuid=user_uuid)


def personal_entry(contact: Any) -> DirectoryEntry:
    """One personal contact (`/personal` item): free-form string attributes around an `id`."""
    if not isinstance(contact, dict):
        raise ValueError("a personal contact is not an object")
    name = " ".join(p for p in (_text(contact.get(f)) for f in _NAME_FIELDS) if p)
    numbers = tuple(DirectoryNumber(_text(contact[f]), label) for f, label in _PERSONAL_NUMBER_FIELDS
                    if _text(contact.get(f)))
    return DirectoryEntry(name=name or (numbers[0].number if numbers else _text(contact.get("email"))),
                          numbers=numbers, origin=DirectoryOrigin.PERSONAL, source="personal",
                          entry_id=_text(contact["id"]), email=_text(contact.get("email")),
                          company=_text(contact.get("company")))


def personal_body(fields: PersonalContactFields) -> dict[str, str]:
    """The JSON dird stores: only the attributes the user filled in (edits replace the whole contact)."""
    body = {"firstname": fields.firstname, "lastname": fields.lastname, "number": fields.number,
            "mobile": fields.mobile, "email": fields.email, "company": fields.company}
    return {key: value.strip() for key, value in body.items() if value.strip()}


def import_result(answer: Any) -> ImportResult:
    failed = []
    for failure in answer.get("failed") or []:
        errors = failure.get("errors") or []
        failed.append((int(failure.get("line", 0)), "; ".join(map(str, errors)) or "rejected"))
    return ImportResult(created=len(answer.get("created") or []), failed_lines=tuple(failed))


class WazoDirectory:
    """Requests go through the service's authenticated `call` (renewal, retries, errors naming the host)."""

    def __init__(self, call: Callable[..., Any], user_uuid: Callable[[], str], host: str, profile: str) -> None:
        self._call = call  # WazoService._call(method, base, path, *, what, **kwargs)
        self._user_uuid = user_uuid
        self._host = host
        self._profile = profile  # the dird display profile the admin set for this user (WazoConfig)

    def lookup(self, term: str) -> tuple[DirectoryEntry, ...]:
        """Every directory the admin put in the user's profile (PBX users, phonebooks, LDAP, personal)."""
        profile = path_part(self._profile)
        data = self._call("GET", DIRD, f"/directories/lookup/{profile}", params={"term": term},
                          what="search the company directory")
        with shape(self._host, "the company directory"):
            return lookup_entries(data)

    def reverse(self, number: str) -> DirectoryEntry | None:
        """Who has this number, as the PBX's directories know (caller ID)."""
        me = self._user_uuid()
        profile = path_part(self._profile)
        data = self._call("GET", DIRD, f"/directories/reverse/{profile}/{path_part(me)}",
                          params={"exten": number}, what="name the caller from the directory")
        with shape(self._host, "the directory's caller name"):
            return reverse_entry(data, number)

    def personal_contacts(self) -> tuple[DirectoryEntry, ...]:
        data = self._call("GET", DIRD, "/personal", what="fetch your personal contacts")
        with shape(self._host, "your personal contacts"):
            return tuple(personal_entry(item) for item in data["items"])

    def add_personal_contact(self, fields: PersonalContactFields) -> DirectoryEntry:
        data = self._call("POST", DIRD, "/personal", json_body=personal_body(fields),
                          what="add the personal contact")
        with shape(self._host, "the new personal contact"):
            return personal_entry(data)

    def edit_personal_contact(self, entry_id: str, fields: PersonalContactFields) -> DirectoryEntry:
        data = self._call("PUT", DIRD, f"/personal/{path_part(entry_id)}", json_body=personal_body(fields),
                          what="change the personal contact")
        with shape(self._host, "the changed personal contact"):
            return personal_entry(data)

    def delete_personal_contact(self, entry_id: str) -> None:
        self._call("DELETE", DIRD, f"/personal/{path_part(entry_id)}", what="delete the personal contact",
                   expect="none")

    def import_personal_contacts(self, csv_text: str) -> ImportResult:
        """CSV (header line of attribute names, comma-separated, quoted with ") into the personal contacts."""
        data = self._call("POST", DIRD, "/personal/import",
                          raw_body=(csv_text.encode("utf-8"), "text/csv; charset=utf-8"),
                          what="import contacts into your personal contacts")
        with shape(self._host, "the import result"):
            return import_result(data)
