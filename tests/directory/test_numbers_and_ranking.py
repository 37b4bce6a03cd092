"""Numbers that match under the dial plan, and the merged, ranked search list."""

from __future__ import annotations

import pytest

from callclient.directory import Contact, NumberKeys, PhoneNumber, Rank, SourceKind, merge
from callclient.services.dialplan import DialPlan

FR = NumberKeys(DialPlan(outside_line_prefix="0", region="FR"))


@pytest.mark.parametrize("written", ["+33 1 23 45 67 89", "01 23 45 67 89", "0033 1 23 45 67 89", "01.23.45.67.89",
                                     "0 01 23 45 67 89", "+33 (0)1 23 45 67 89", "tel:+33123456789",
                                     "sip:0123456789@pbx.example.com"])
def test_five_ways_of_writing_one_number_have_one_key(written: str) -> None:
    assert FR.key(written) == "+33123456789"


def test_extensions_and_emergency_numbers_stay_as_typed() -> None:
    assert FR.key("1002") == "1002"
    assert FR.key("sip:1002@pbx") == "1002"
    assert FR.key("112") == "112"
    assert FR.key("1002") != FR.key("+331002")


def test_the_outside_line_prefix_is_stripped_only_where_the_plan_has_one() -> None:
    us = NumberKeys(DialPlan(outside_line_prefix="9", region="US"))
    assert us.key("9 1 212 555 1234") == us.key("+1 212-555-1234") == "+12125551234"
    no_prefix = NumberKeys(DialPlan(region="US"))
    assert no_prefix.key("912125551234") != "+12125551234"


def test_without_a_region_only_international_numbers_are_normalised() -> None:
    plain = NumberKeys(DialPlan())
    assert plain.key("+33 1 23 45 67 89") == "+33123456789"
    assert plain.key("01 23 45 67 89") == "0123456789"


def contact(name: str, *numbers: str, kind: SourceKind = SourceKind.DIRECTORY, source: str = "Company directory",
            company: str = "") -> Contact:
    return Contact(name, tuple(PhoneNumber(n) for n in numbers), kind, source, company=company)


def test_one_person_in_several_sources_is_one_result_named_by_the_most_trusted_source() -> None:
    results = merge([
        contact("Bob (mobile)", "+33 6 12 34 56 78", kind=SourceKind.ADDRESS_BOOK, source="Address book"),
        contact("Bob Durand", "1002", "06 12 34 56 78", kind=SourceKind.PBX_USER, company="Example Corp"),
        contact("B. Durand", "0612345678", kind=SourceKind.PERSONAL, source="Personal contacts"),
    ], "bob", FR)
    assert len(results) == 1
    bob = results[0]
    assert bob.name == "Bob Durand" and bob.kind is SourceKind.PBX_USER
    assert bob.sources == ("Company directory", "Personal contacts", "Address book")
    assert [n.number for n in bob.numbers] == ["1002", "06 12 34 56 78"]
    assert bob.company == "Example Corp"


def test_ranking_exact_extension_then_favorites_then_name_prefix_then_the_rest() -> None:
    results = merge([
        contact("Zed Other", "+33 1 10 02 00 00"),  # contains the digits: the rest
        contact("Ann Favourite", "1500", kind=SourceKind.FAVORITE, source="Favorites"),
        contact("Bob Durand", "1002", kind=SourceKind.PBX_USER),
        contact("Abel 1002nd", "+33 1 99 99 99 99"),
    ], "1002", FR)
    assert [r.rank for r in results] == [Rank.EXACT_EXTENSION, Rank.FAVORITE, Rank.NAME_PREFIX, Rank.OTHER]
    assert results[0].name == "Bob Durand"
    by_name = merge([contact("Carol Petit", "1003"), contact("Bernard Carol", "1050"),
                     contact("Xavier Ricard", "1060")], "car", FR)
    assert [(r.name, r.rank) for r in by_name] == [("Bernard Carol", Rank.NAME_PREFIX),
                                                   ("Carol Petit", Rank.NAME_PREFIX), ("Xavier Ricard", Rank.OTHER)]


def test_a_contact_linking_two_groups_merges_them() -> None:
    results = merge([contact("A", "1001"), contact("B", "+33 1 23 45 67 89"),
                     contact("A both", "1001", "0123456789", kind=SourceKind.PBX_USER)], "a", FR)
    assert len(results) == 1 and results[0].name == "A both"
