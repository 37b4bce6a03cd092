"""The LDAP source against a real slapd on loopback (3000 entries): search, caller ID across number spellings,
StartTLS and LDAPS with verification, the bind password, and servers that are down, slow or talk junk."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callclient.directory import SourceFailed, SourceKind
from callclient.directory.sources.ldap import LdapDirectory, parse_attribute_map
from callclient.config.schema import KEYS
from tests.fixtures.net import free_port
from tests.fixtures.slapd import BASE_DN, BIND_DN, BIND_PASSWORD, Slapd, slapd_fixture
from tests.fixtures.tls import Pki

ATTRIBUTES = parse_attribute_map(KEYS["directory.ldap_attributes"].default)


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[Slapd]:
    yield from slapd_fixture(tmp_path_factory.mktemp("slapd"), pki)


@pytest.fixture
def make_ldap(slapd: Slapd) -> Callable[..., LdapDirectory]:
    def make(url: str | None = None, **options: object) -> LdapDirectory:
        settings: dict[str, object] = {
            "search_filter": KEYS["directory.ldap_filter"].default,
            "reverse_filter": KEYS["directory.ldap_reverse_filter"].default,
            "attributes": ATTRIBUTES, "bind_dn": BIND_DN, "password": lambda: BIND_PASSWORD,
            "ca_file": str(slapd.ca_file), "timeout_s": 2.0, "region": "FR"}
        settings.update(options)
        return LdapDirectory(url or slapd.ldap_url, f"ou=people,{BASE_DN}", **settings)  # type: ignore[arg-type]

    return make


def test_search_over_starttls_finds_people_with_their_details(make_ldap: Callable[..., LdapDirectory]) -> None:
    found = make_ldap().search("larsen")
    assert [c.name for c in found] == ["Ingrid Larsen"]
    ingrid = found[0]
    assert ingrid.kind is SourceKind.DIRECTORY and ingrid.source == "LDAP 127.0.0.1"
    assert [(n.number, n.label) for n in ingrid.numbers] == [("+33 1 45 67 89 01", "work"),
                                                            ("+33 6 70 80 90 10", "mobile")]
    assert (ingrid.company, ingrid.title, ingrid.email) == ("Example Corp", "CFO", "ingrid.larsen@example.com")
    assert [c.name for c in make_ldap().search("Tomás")] == ["Tomás Ortega"]


def test_a_broad_search_is_capped_not_refused(make_ldap: Callable[..., LdapDirectory]) -> None:
    assert len(make_ldap(size_limit=40).search("anna")) == 40


def test_ldaps_works_and_filter_characters_in_the_term_are_escaped(slapd: Slapd,
                                                                 make_ldap: Callable[..., LdapDirectory]) -> None:
    assert [c.name for c in make_ldap(slapd.ldaps_url).search("Larsen")] == ["Ingrid Larsen"]
    assert make_ldap().search("*)(cn=*") == []


@pytest.mark.parametrize("calling", ["+33145678901", "01 45 67 89 01", "0145678901", "+33 6 70 80 90 10"])
def test_caller_id_matches_however_the_number_arrives(make_ldap: Callable[..., LdapDirectory], calling: str) -> None:
    found = make_ldap().reverse(calling)
    assert found is not None and found.name == "Ingrid Larsen"


def test_an_unknown_number_is_no_match(make_ldap: Callable[..., LdapDirectory]) -> None:
    assert make_ldap().reverse("+49 30 1234567") is None


def test_an_untrusted_certificate_is_refused_with_a_clear_message(
        slapd: Slapd, pki: Pki, make_ldap: Callable[..., LdapDirectory]) -> None:
    for url in (slapd.ldap_url, slapd.ldaps_url):
        with pytest.raises(SourceFailed, match="certificate|TLS"):
            make_ldap(url, ca_file=str(pki.other_ca_file)).search("larsen")


def test_a_wrong_or_missing_bind_password_names_the_problem(make_ldap: Callable[..., LdapDirectory]) -> None:
    with pytest.raises(SourceFailed, match="refused the bind DN or password"):
        make_ldap(password=lambda: "wrong").search("larsen")
    with pytest.raises(SourceFailed, match="no password .* in the keychain"):
        make_ldap(password=lambda: None).search("larsen")


def test_a_server_that_is_down_is_named(make_ldap: Callable[..., LdapDirectory]) -> None:
    with pytest.raises(SourceFailed, match="cannot reach 127.0.0.1"):
        make_ldap(f"ldap://127.0.0.1:{free_port('tcp')}").search("larsen")


class SilentServer:
    """Accepts LDAP connections on loopback and then says nothing (`junk` None) or sends junk bytes."""

    def __init__(self, junk: bytes | None) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.junk = junk
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            if self.junk is not None:
                connection.recv(4096)
                connection.sendall(self.junk)

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def silent_server() -> Iterator[Callable[[bytes | None], SilentServer]]:
    made: list[SilentServer] = []

    def make(junk: bytes | None) -> SilentServer:
        made.append(SilentServer(junk))
        return made[-1]

    yield make
    for server in made:
        server.close()


def test_a_slow_server_times_out_with_a_message(make_ldap: Callable[..., LdapDirectory],
                                                silent_server: Callable[[bytes | None], SilentServer]) -> None:
    server = silent_server(None)
    with pytest.raises(SourceFailed, match="no answer from 127.0.0.1:.* within 1 s"):
        make_ldap(f"ldap://127.0.0.1:{server.port}", timeout_s=1.0, starttls=False).search("larsen")


def test_junk_from_the_server_is_a_clear_failure(make_ldap: Callable[..., LdapDirectory],
                                                 silent_server: Callable[[bytes | None], SilentServer]) -> None:
    server = silent_server(b"\x30\x84\xff\xff\xff\xffHTTP/1.1 400 Bad Request\r\n\r\n" * 4)
    with pytest.raises(SourceFailed, match="LDAP 127.0.0.1"):
        make_ldap(f"ldap://127.0.0.1:{server.port}", timeout_s=1.0, starttls=False).search("larsen")
