"""The Wazo backend's dird calls against the spec-checked test PBX: lookup, reverse, personal CRUD, CSV import,
and dird errors turned into PbxErrors that name the problem."""

from __future__ import annotations

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.pbx.errors import PbxBadResponse, PbxNotFound, PbxServerError
from callclient.pbx.service import DirectoryOrigin, PersonalContactFields
from callclient.pbx.wazo import WazoService


def test_lookup_finds_colleagues_phonebook_and_personal_contacts_with_their_origin(service: WazoService) -> None:
    found = service.directory_lookup("durand")
    bob = next(e for e in found if e.name == "Bob Durand")
    assert bob.origin is DirectoryOrigin.PBX_USER
    assert bob.numbers[0].number == "1002" and bob.user_uuid
    assert bob.company == "Example Corp"
    marc = service.directory_lookup("olivier")
    assert [e.origin for e in marc] == [DirectoryOrigin.PERSONAL]
    customers = service.directory_lookup("Garage Lambert")
    assert any(e.origin is DirectoryOrigin.DIRECTORY for e in customers)


def test_reverse_names_a_colleague_and_misses_an_unknown_number(service: WazoService) -> None:
    bob = service.directory_reverse("1002")
    assert bob is not None and bob.name == "Bob Durand" and bob.origin is DirectoryOrigin.PBX_USER
    assert service.directory_reverse("+4930999999") is None


def test_reverse_reads_real_dirds_null_display_as_no_match(pbx: PbxServer, service: WazoService) -> None:
    pbx.tamper_next(lambda body: {**body, "display": None, "source": None}, "/directories/reverse")
    assert service.directory_reverse("555") is None


def test_personal_contacts_add_edit_delete_round_trip(service: WazoService) -> None:
    added = service.add_personal_contact(PersonalContactFields(firstname="Zoé", lastname="Nguyen",
                                                                number="+33 6 98 76 54 32", company="Vertex Ltd"))
    assert added.name == "Zoé Nguyen" and added.origin is DirectoryOrigin.PERSONAL and added.entry_id
    assert any(e.entry_id == added.entry_id for e in service.personal_contacts())
    edited = service.edit_personal_contact(added.entry_id, PersonalContactFields(firstname="Zoé", lastname="Nguyen",
                                                                                  number="0698765432"))
    assert edited.numbers[0].number == "0698765432" and edited.company == ""
    service.delete_personal_contact(added.entry_id)
    assert all(e.entry_id != added.entry_id for e in service.personal_contacts())
    with pytest.raises(PbxNotFound):
        service.delete_personal_contact(added.entry_id)


def test_csv_import_creates_contacts_and_reports_bad_lines(service: WazoService) -> None:
    result = service.import_personal_contacts(
        "firstname,lastname,number\r\nAnna,Weber,+49 30 1234567\r\nbroken line,with,too,many\r\n"
        "Jean,\"Dupont, fils\",0145678901\r\n")
    assert result.created == 2
    assert [line for line, _ in result.failed_lines] == [2]
    names = {e.name for e in service.personal_contacts()}
    assert {"Anna Weber", "Jean Dupont, fils"} <= names


def test_dird_down_or_junk_is_a_clear_pbx_error(pbx: PbxServer, service: WazoService) -> None:
    pbx.fail_next(503, "/directories/lookup", count=3)
    with pytest.raises(PbxServerError):
        service.directory_lookup("bob")
    pbx.junk_next("/directories/lookup")
    with pytest.raises(PbxBadResponse, match="not JSON"):
        service.directory_lookup("bob")
    pbx.tamper_next(lambda body: {**body, "results": [{"column_values": ["only one"]}]}, "/directories/lookup")
    with pytest.raises(PbxBadResponse, match="company directory"):
        service.directory_lookup("bob")
