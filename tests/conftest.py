"""Real components the tests share, started on loopback and stopped at the end."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callclient.storage.keychain import Keychain, system_keyring
from tests.fixtures import frozen_build
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.keyring_service import revive_dead_keyrings
from tests.fixtures.keyring_service import secret_service  # noqa: F401 - the real Secret Service, for every suite
from tests.fixtures.sip_peer import SipPeer
from tests.fixtures.tls import Pki, make_pki

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUILD_TESTS = "tests/desktop/test_installable_build.py"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """When the installable build's tests are selected, the build starts now in the background and its tests
    run last (see tests/fixtures/frozen_build.py)."""
    building = [item for item in items if item.nodeid.startswith(BUILD_TESTS)]
    if building and not config.option.collectonly:
        items[:] = [item for item in items if not item.nodeid.startswith(BUILD_TESTS)] + building
        frozen_build.start()


def pytest_runtest_setup(item: pytest.Item) -> None:
    for bus in revive_dead_keyrings():
        print(f"\ngnome-keyring-daemon on {bus} had died; started again before {item.nodeid}", file=sys.stderr)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    frozen_build.stop()

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


@pytest.fixture
def far_end(kamailio: Kamailio) -> Iterator[Callable[..., SipPeer]]:
    """Starts pjsua2 far ends registered as the given users."""
    peers: list[SipPeer] = []

    def start(*users: str, auto_answer: bool = False, codecs: str = "PCMU/8000", srtp: str = "off") -> SipPeer:
        specs = [dict(user=u, password=SIP_USERS[u], domain=kamailio.domain, registrar=kamailio.address())
                 for u in users]
        peer = SipPeer(specs, auto_answer=auto_answer, codecs=codecs, srtp=srtp)
        peers.append(peer)
        for user in users:
            peer.expect(lambda e, u=user: e["ev"] == "registration" and e["account"] == u and e["code"] == 200,
                        what=f"{user} registered")
        return peer

    yield start
    for peer in peers:
        peer.close()


@pytest.fixture
def keychain(secret_service) -> Iterator[Keychain]:  # noqa: F811
    """CallClient's keychain on the real Secret Service, under a service name of its own for this test."""
    chain = Keychain(system_keyring(), service=f"CallClient-test-{secrets.token_hex(4)}")
    yield chain
    chain.delete_everything()
