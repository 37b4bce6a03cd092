"""The desktop's address book: vCard 3 and 4 files (malformed cards reported, never crashing or logged in
full), CardDAV against a real Radicale over HTTPS, and consent through the shipped Core: nothing is read
before the user allows it, and revoking it deletes the encrypted copy."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.directory import SourceFailed, SourceKind
from callclient.directory.sources.address_book import CardDavBook, VCardFiles
from tests.fixtures.opened_files import OpenedFiles
from tests.fixtures.radicale import USERS, Radicale, start_radicale
from tests.fixtures.tls import Pki
from tests.services.conftest import CoreHome

VCARD3 = """BEGIN:VCARD\r
VERSION:3.0\r
UID:5b9d6c1e-2f0a-4d3b-8c7e-1a2b3c4d5e6f\r
FN:Hélène Garnier\r
N:Garnier;Hélène;;;\r
ORG:Cabinet Fontaine\r
TITLE:Notary\r
TEL;TYPE=WORK,VOICE:+33 4 72 00 11 22\r
TEL;TYPE=CELL:06 55 44 33 22\r
EMAIL:helene@fontaine.example\r
END:VCARD\r
"""
VCARD4 = """BEGIN:VCARD
VERSION:4.0
FN:Kenji Watanabe
TEL;VALUE=uri;TYPE="voice,home":tel:+81-3-1234-5678
UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1
END:VCARD
"""
MALFORMED = """BEGIN:VCARD
VERSION:3.0
FN:Secret Broken Person
TEL;TYPE=WORK:+33 1 99 88 77 66
N:;;;
 this continuation line follows nothing valid: ;;;
BEGIN:VCARD
END:VCARD
"""


def test_vcard_3_and_4_files_and_folders_are_read(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "helene.vcf").write_text(VCARD3)
    (tmp_path / "kenji.vcf").write_text(VCARD4)
    contacts = {c.name: c for c in VCardFiles([str(tmp_path / "book"), str(tmp_path / "kenji.vcf")]).list()}
    helene = contacts["Hélène Garnier"]
    assert helene.kind is SourceKind.ADDRESS_BOOK and helene.source == "Address book"
    assert [(n.number, n.label) for n in helene.numbers] == [("+33 4 72 00 11 22", "work"), ("06 55 44 33 22", "mobile")]
    assert (helene.company, helene.title) == ("Cabinet Fontaine", "Notary")
    assert [(n.number, n.label) for n in contacts["Kenji Watanabe"].numbers] == [("+81-3-1234-5678", "home")]


def test_a_malformed_card_is_reported_by_file_and_number_and_the_others_still_count(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    book = tmp_path / "mixed.vcf"
    book.write_text(VCARD3 + "BEGIN:VCARD\nVERSION:3.0\nFN;ENCODING=QUOTED-PRINTABLE:=ZZ\nTEL;TYPE=WORK:=\n"
                    "BDAY:not-a-date\x00\nEND:VCARD\n" + "BEGIN:VCARD\nVERSION:3.0\n N:broken continuation\n"
                    "FN Secret Broken Person\nEND:VCARD\n" + VCARD4)
    source = VCardFiles([str(book)])
    with caplog.at_level(logging.WARNING):
        names = {c.name for c in source.list()}
    assert {"Hélène Garnier", "Kenji Watanabe"} <= names
    assert source.problems and all(str(book) in p and "card" in p for p in source.problems)
    assert "Secret Broken Person" not in caplog.text and "Secret Broken Person" not in " ".join(source.problems)


def test_a_file_that_is_not_an_address_book_is_a_clear_failure(tmp_path: Path) -> None:
    junk = tmp_path / "photo.vcf"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with pytest.raises(SourceFailed, match="no vCard in it"):
        VCardFiles([str(junk)]).list()
    with pytest.raises(SourceFailed, match="cannot be read"):
        VCardFiles([str(tmp_path / "missing.vcf")]).list()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[Radicale]:
    server = start_radicale(tmp_path_factory.mktemp("radicale"), pki)
    yield server
    server.stop()


def test_a_carddav_address_book_is_read_over_verified_https(radicale: Radicale) -> None:
    url = radicale.make_address_book("alice", [VCARD3, VCARD4])
    book = CardDavBook(url, "alice", lambda: USERS["alice"], ca_file=str(radicale.ca_file))
    assert {c.name for c in book.list()} == {"Hélène Garnier", "Kenji Watanabe"}
    assert book.name == "Address book 127.0.0.1"


def test_carddav_wrong_password_or_untrusted_certificate_is_named(radicale: Radicale, pki: Pki) -> None:
    url = radicale.make_address_book("alice", [VCARD3])
    with pytest.raises(SourceFailed, match="refused the user name or password"):
        CardDavBook(url, "alice", lambda: "wrong", ca_file=str(radicale.ca_file)).list()
    with pytest.raises(SourceFailed, match="certificate is not trusted"):
        CardDavBook(url, "alice", lambda: USERS["alice"], ca_file=str(pki.other_ca_file)).list()
    with pytest.raises(SourceFailed, match="no password in the keychain"):
        CardDavBook(url, "alice", lambda: None, ca_file=str(radicale.ca_file)).list()


def test_the_address_book_is_never_read_before_consent_and_revoking_deletes_the_copy(
        core_home: CoreHome, tmp_path: Path) -> None:
    book = tmp_path / "contacts.vcf"
    book.write_text(VCARD3)
    core_home.config_file.write_text(f'[directory]\nvcard_paths = ["{book}"]\n\n[dialplan]\nregion = "FR"\n')
    opened = OpenedFiles()
    try:
        core = core_home.start()
        assert core.services is not None and core.services.directory is not None
        directory = core.services.directory
        assert directory.loaded.wait(10)
        assert directory.whois("+33 4 72 00 11 22") is None
        assert str(book) not in opened.paths, "the address book was read before the user allowed it"

        changed = core.services.settings.change({"directory.address_book_allowed": True}, by="settings window")
        assert changed.touches("directory.address_book_allowed")
        from tests.fixtures.net import wait_until

        wait_until(lambda: directory.caller_id("04 72 00 11 22") is not None, 10, "the address book to be read")
        helene = directory.caller_id("+33472001122")
        assert helene is not None and helene.name == "Hélène Garnier" and helene.kind is SourceKind.ADDRESS_BOOK
        assert str(book) in opened.paths
        assert core.store is not None
        assert core.store.read("SELECT count(*) FROM directory_cache WHERE source = 'Address book'")[0][0] == 1
        assert "Garnier".encode() not in core.store.path.read_bytes(), "the store file is encrypted"

        core.services.settings.change({"directory.address_book_allowed": False}, by="settings window")
        assert directory.caller_id("+33472001122") is None
        assert core.store.read("SELECT count(*) FROM directory_cache WHERE source = 'Address book'")[0][0] == 0
    finally:
        opened.on = False
