"""wazo-dird on the test PBX: directory lookup and reverse lookup over the company directory and the user's
personal contacts, and the personal contacts themselves (list, add, edit, delete, CSV import).
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from typing import TYPE_CHECKING, Any

from aiohttp import web

from callclient.demo.pbx_server.data import TokenGrant
from callclient.demo.pbx_server.routes_base import JSON, Handler, Result

if TYPE_CHECKING:
    from callclient.demo.pbx_server.server import PbxServer


# The display profile a Wazo admin sets up by default: what each column is, by type. Company and title
# have no dird type (real dird sends null there; the spec wants strings, so this server sends "").
LOOKUP_HEADERS = ["Name", "Number", "Mobile", "Email", "Company", "Title"]
LOOKUP_TYPES = ["name", "number", "callable", "email", "", ""]
DIRD_PROFILES = ("default",)
_SEARCHED = ("name", "number", "mobile", "email", "company")


def _dird_error(status: int, message: str) -> dict[str, Any]:
    return {"reason": [message], "timestamp": [time.time()], "status_code": status}


def _lookup_row(entry: dict[str, str]) -> dict[str, Any]:
    return {"column_values": [entry["name"], entry["number"], entry["mobile"], entry["email"], entry["company"],
                              entry["title"]],
            "relations": {"xivo_id": "demo", "user_uuid": entry["user_uuid"], "source_entry_id": entry["id"]},
            "source": entry["source"], "backend": entry["backend"]}


def _personal_as_entry(contact: dict[str, str]) -> dict[str, str]:
    name = " ".join(p for p in (contact.get("firstname", ""), contact.get("lastname", "")) if p)
    return {"id": contact["id"], "name": name, "number": contact.get("number", ""),
            "mobile": contact.get("mobile", ""), "email": contact.get("email", ""),
            "company": contact.get("company", ""), "title": "", "backend": "personal", "source": "personal",
            "user_uuid": ""}


def _dird_entries(server: PbxServer, user_uuid: str) -> list[dict[str, str]]:
    with server._lock:
        personal = [_personal_as_entry(c) for c in server.data.personal.get(user_uuid, {}).values()]
    return [*server.data.directory, *personal]


def _lookup(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
            grant: TokenGrant | None) -> Result:
    assert grant is not None
    if params["profile"] not in DIRD_PROFILES:
        return 404, _dird_error(404, f"No such profile: {params['profile']}"), JSON
    term = request.query["term"].lower()
    found = [e for e in _dird_entries(server, grant.user_uuid) if any(term in e[k].lower() for k in _SEARCHED)]
    return 200, {"term": request.query["term"], "column_headers": LOOKUP_HEADERS, "column_types": LOOKUP_TYPES,
                 "results": [_lookup_row(e) for e in found]}, JSON


def _reverse(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
             grant: TokenGrant | None) -> Result:
    assert grant is not None
    if params["user_uuid"] != grant.user_uuid:
        return 403, {"message": "Forbidden", "error_id": "forbidden", "details": {}, "timestamp": time.time()}, JSON
    exten = request.query["exten"]
    # dird's reverse is an exact match on the sources' number columns (first_matched_columns).
    for entry in _dird_entries(server, grant.user_uuid):
        if exten in (entry["number"].replace(" ", ""), entry["mobile"].replace(" ", "")) or \
                exten in (entry["number"], entry["mobile"]):
            first, _, last = entry["name"].partition(" ")
            fields = {"firstname": first, "lastname": last, "number": entry["number"], "reverse": entry["name"],
                      "email": entry["email"], "company": entry["company"], "title": entry["title"]}
            if entry["user_uuid"]:
                fields["user_uuid"] = entry["user_uuid"]
            if entry["backend"] == "personal":
                fields["id"] = entry["id"]
            return 200, {"display": entry["name"], "exten": exten, "source": entry["source"], "fields": fields}, JSON
    # Real dird answers a miss with display/source null; the spec declares strings, so "" here.
    return 200, {"display": "", "exten": exten, "source": "", "fields": {}}, JSON


def _personal_contacts(server: PbxServer, grant: TokenGrant | None) -> dict[str, dict[str, str]]:
    assert grant is not None
    return server.data.personal.setdefault(grant.user_uuid, {})


def _list_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                   grant: TokenGrant | None) -> Result:
    with server._lock:
        items = [dict(c) for c in _personal_contacts(server, grant).values()]
    return 200, {"items": items}, JSON


def _clean_contact(body: Any) -> dict[str, str] | None:
    if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
        return None
    return {k: v for k, v in body.items() if k != "id" and v}


def _duplicate(contacts: dict[str, dict[str, str]], contact: dict[str, str], except_id: str = "") -> bool:
    return any({k: v for k, v in c.items() if k != "id"} == contact for i, c in contacts.items() if i != except_id)


def _add_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                  grant: TokenGrant | None) -> Result:
    contact = _clean_contact(body)
    if contact is None:
        return 400, _dird_error(400, "Contact attributes must be strings"), JSON
    with server._lock:
        contacts = _personal_contacts(server, grant)
        if _duplicate(contacts, contact):
            return 409, _dird_error(409, "Adding this contact would create a duplicate"), JSON
        contact = {"id": str(uuid.uuid4()), **contact}
        contacts[contact["id"]] = contact
    return 201, dict(contact), JSON


def _get_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                  grant: TokenGrant | None) -> Result:
    with server._lock:
        contact = _personal_contacts(server, grant).get(params["contact_id"])
    if contact is None:
        return 404, _dird_error(404, "The personal contact does not exist"), JSON
    return 200, dict(contact), JSON


def _edit_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                   grant: TokenGrant | None) -> Result:
    contact = _clean_contact(body)
    if contact is None:
        return 400, _dird_error(400, "Contact attributes must be strings"), JSON
    with server._lock:
        contacts = _personal_contacts(server, grant)
        if params["contact_id"] not in contacts:
            return 404, _dird_error(404, "The personal contact does not exist"), JSON
        if _duplicate(contacts, contact, except_id=params["contact_id"]):
            return 409, _dird_error(409, "Editing this contact would create a duplicate"), JSON
        contacts[params["contact_id"]] = {"id": params["contact_id"], **contact}
        return 200, dict(contacts[params["contact_id"]]), JSON


def _delete_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                     grant: TokenGrant | None) -> Result:
    with server._lock:
        if _personal_contacts(server, grant).pop(params["contact_id"], None) is None:
            return 404, _dird_error(404, "The personal contact does not exist"), JSON
    return 204, None, JSON


def _import_personal(server: PbxServer, request: web.Request, params: dict[str, str], body: Any,
                     grant: TokenGrant | None) -> Result:
    rows = list(csv.reader(io.StringIO(body or "")))
    if not rows or not rows[0]:
        return 400, _dird_error(400, "The CSV has no header line"), JSON
    header, created, failed = rows[0], [], []
    with server._lock:
        contacts = _personal_contacts(server, grant)
        for line, row in enumerate(rows[1:], start=1):
            if len(row) != len(header):
                failed.append({"line": line, "errors": [f"expected {len(header)} fields, found {len(row)}"]})
                continue
            contact = {k: v for k, v in zip(header, row, strict=True) if v}
            if not contact or _duplicate(contacts, contact):
                failed.append({"line": line, "errors": ["empty or duplicate contact"]})
                continue
            contact = {"id": str(uuid.uuid4()), **contact}
            contacts[contact["id"]] = contact
            created.append(dict(contact))
    if not created:
        return 400, _dird_error(400, "No contact could be imported"), JSON
    return 201, {"created": created, "failed": failed}, JSON


DIRD_HANDLERS: dict[tuple[str, str, str], Handler] = {
    ("wazo-dird", "GET", "/0.1/directories/lookup/{profile}"): _lookup,
    ("wazo-dird", "GET", "/0.1/directories/reverse/{profile}/{user_uuid}"): _reverse,
    ("wazo-dird", "GET", "/0.1/personal"): _list_personal,
    ("wazo-dird", "POST", "/0.1/personal"): _add_personal,
    ("wazo-dird", "POST", "/0.1/personal/import"): _import_personal,
    ("wazo-dird", "GET", "/0.1/personal/{contact_id}"): _get_personal,
    ("wazo-dird", "PUT", "/0.1/personal/{contact_id}"): _edit_personal,
    ("wazo-dird", "DELETE", "/0.1/personal/{contact_id}"): _delete_personal,
}
