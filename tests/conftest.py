"""Real components the tests share, started on loopback and stopped at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki, make_pki

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIP_USERS = {
    "alice": "alice-Secret-7431",
    "bob": "bob-Secret-2290",
    "carol": "carol-Secret-5521",
    "dave": "dave-Secret-8812",
    "erin": "erin-Secret-1187",
}


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def kamailio(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[Kamailio]:
    """One registrar/proxy for every test that does not restart it."""
    server = Kamailio(tmp_path_factory.mktemp("kamailio"), SIP_USERS, pki.cert_file, pki.key_file)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_kamailio(tmp_path: Path, pki: Pki) -> Iterator[Kamailio]:
    """A registrar of the test's own, for tests that stop or restart it."""
    server = Kamailio(tmp_path / "kamailio", SIP_USERS, pki.cert_file, pki.key_file)
    server.start()
    yield server
    server.stop()
