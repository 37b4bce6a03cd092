"""The shipped path: a whole Core (as the GUI and `callclient --headless` run it) signed in to the test PBX
finds colleagues and names callers through its directory service; signing out removes the cached directory
from the encrypted store."""

from __future__ import annotations

from callclient.demo.pbx_server import PbxServer
from tests.fixtures.tls import Pki
from tests.pbx.conftest import ALICE_LOGIN, ALICE_PASSWORD
from tests.services.conftest import CoreHome


def test_a_signed_in_core_searches_the_pbx_directory_and_sign_out_forgets_it(
        core_home: CoreHome, pbx: PbxServer, pki: Pki) -> None:
    core_home.config_file.write_text(f"""
[pbx]
kind = "wazo"
base_url = "{pbx.base_url}"
ca_file = "{pki.ca_file}"

[dialplan]
region = "FR"
outside_line_prefix = "0"
""")
    core = core_home.start()
    core.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    assert core.services is not None and core.services.directory is not None
    directory = core.services.directory

    answer = directory.lookup_verb("durand")
    bob = next(r for r in answer["results"] if r["name"] == "Bob Durand")
    assert bob["kind"] == "pbx-user" and bob["sources"] == ["Company directory"]
    assert any(path.startswith("/api/dird/0.1/directories/lookup/default") for _, path, _ in pbx.requests)

    who = directory.whois_verb("0 01 23 45 67 89")  # the reception, with the outside-line prefix
    assert who["found"] and who["name"] == "Reception"
    assert directory.caller_id("+33 1 23 45 67 89").name == "Reception"  # cached: named without the network

    assert core.store is not None
    assert core.store.read("SELECT count(*) FROM directory_cache")[0][0] > 0
    core.sign_out()
    assert core.store.read("SELECT count(*) FROM directory_cache")[0][0] == 0
    assert directory.caller_id("+33 1 23 45 67 89") is None
