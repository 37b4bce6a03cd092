"""Update checks as the privacy policy promises them, through Core as it ships: the admin's file names a feed,
Core checks it over verified HTTPS, tells the front ends of a newer version through the news stream, and
refuses what it cannot trust. With no feed configured, the app makes no request at all.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from callclient import __version__
from callclient.app import Core, CoreOptions
from callclient.services.updates import LAST_CHECK_KEY, UpdateAvailable, version_tuple
from callclient.storage.keychain import Keychain, system_keyring
from tests.config.provisioning_server import Answer, ProvisioningServer
from tests.fixtures.headless import private_dirs
from tests.fixtures.tls import Pki
from tests.privacy.observers import Audit, ProcessWatch

WAIT_S = 20.0


class LogLines(logging.Handler):
    """The update service's log records, and a wait for one that contains some words."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self._changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._changed:
            self.lines.append(record.getMessage())
            self._changed.notify_all()

    def wait_for(self, words: str, timeout_s: float = WAIT_S) -> str:
        with self._changed:
            found = self._changed.wait_for(lambda: next((l for l in self.lines if words in l), None), timeout_s)
        assert found, f"no log line with {words!r} within {timeout_s} s; saw {self.lines}"
        return found


def newer_version() -> str:
    numbers = list(version_tuple(__version__))
    numbers[1] += 1
    return ".".join(str(n) for n in numbers[:3])


def signed_feed(key: Ed25519PrivateKey, **fields: str) -> bytes:
    text = json.dumps(fields)
    return json.dumps({"feed": text, "signature": base64.b64encode(key.sign(text.encode())).decode()}).encode()


class Home:
    """A user's home and an admin file for Cores started in this process, with the release key the test made."""

    def __init__(self, root: Path, admin_file: Path) -> None:
        self.root = root
        self.admin_file = admin_file
        self.release_key = Ed25519PrivateKey.generate()
        self.keychain_service = f"CallClient-upd-{secrets.token_hex(4)}"
        self.cores: list[Core] = []

    def admin(self, text: str) -> None:
        self.admin_file.write_text(text)

    def start(self) -> Core:
        public = self.release_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        core = Core(CoreOptions(config_file=self.root / "user.toml", demo=False, use_sound_devices=False,
                                keychain_service=self.keychain_service, update_public_key=public))
        self.cores.append(core)
        core.start()
        return core

    def stop(self, core: Core) -> None:
        core.stop()
        self.cores.remove(core)


@pytest.fixture
def home(tmp_path: Path, secret_service, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:  # noqa: ANN001
    root = tmp_path / "home"
    for name, value in private_dirs(root, tmp_path / "admin.toml", "cc-upd-run-").items():
        monkeypatch.setenv(name, value)
    made = Home(root, tmp_path / "admin.toml")
    yield made
    for core in list(made.cores):
        core.stop()
    Keychain(system_keyring(), service=made.keychain_service).delete_everything()


@pytest.fixture
def feed_server(pki: Pki) -> Iterator[ProvisioningServer]:
    server = ProvisioningServer(pki)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def update_log() -> Iterator[LogLines]:
    handler = LogLines()
    logger = logging.getLogger("callclient.services.updates")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)


def admin_feed(home: Home, server: ProvisioningServer, pki: Pki) -> None:
    home.admin(f'[policy]\nupdate_check_url = "{server.url}"\nupdate_ca_file = "{pki.ca_file}"\n')


def next_update(core: Core) -> UpdateAvailable:
    stream = core.services.news.subscribe()
    if core.services.updates.latest is not None:  # announced before the test subscribed
        return core.services.updates.latest
    while True:
        item = stream.get(timeout=WAIT_S)
        if isinstance(item, UpdateAvailable):
            return item


def test_a_newer_signed_version_is_announced_and_the_feed_is_read_at_most_once_a_day(
        home: Home, feed_server: ProvisioningServer, pki: Pki, update_log: LogLines) -> None:
    admin_feed(home, feed_server, pki)
    feed_server.answer = Answer(content_type="application/json", body=signed_feed(
        home.release_key, version=newer_version(), notes="Fixes <b>echo</b>.",
        download_page="https://downloads.example.com/callclient"))

    core = home.start()
    update = next_update(core)
    assert update == UpdateAvailable(newer_version(), "Fixes <b>echo</b>.", "https://downloads.example.com/callclient")
    assert len(feed_server.requests) == 1
    last_check = core.preferences.get(LAST_CHECK_KEY)
    assert isinstance(last_check, float), "the time of the check is kept in the encrypted store"
    home.stop(core)

    # A restart the same day reads the stored time and waits for tomorrow instead of asking again.
    update_log.lines.clear()
    core = home.start()
    update_log.wait_for("next update check in")
    home.stop(core)
    assert len(feed_server.requests) == 1, "a second start within a day made no request"


@pytest.mark.parametrize(("what", "make_body", "logged"), [
    ("a feed signed with another key",
     lambda key: signed_feed(Ed25519PrivateKey.generate(), version="99.0", download_page="https://x.example"),
     "signature does not verify"),
    ("an older version (a downgrade)",
     lambda key: signed_feed(key, version="0.0.1", download_page="https://x.example"),
     "downgrade"),
    ("junk", lambda key: b"\x00<html>not a feed" * 50, "not a signed feed"),
    ("a signed feed whose download page is not https",
     lambda key: signed_feed(key, version="99.0", download_page="http://x.example/evil"),
     "not an https:// URL"),
])
def test_a_feed_that_cannot_be_trusted_is_refused_with_a_log_line_and_the_user_hears_nothing(
        home: Home, feed_server: ProvisioningServer, pki: Pki, update_log: LogLines,
        what: str, make_body, logged: str) -> None:  # noqa: ANN001
    admin_feed(home, feed_server, pki)
    feed_server.answer = Answer(content_type="application/json", body=make_body(home.release_key))
    core = home.start()
    stream = core.services.news.subscribe()
    line = update_log.wait_for("refused")
    assert logged in line, line
    home.stop(core)
    assert core.services.updates.latest is None
    seen = []
    while True:
        try:
            seen.append(stream.get(timeout=0))
        except Exception:  # queue.Empty: everything published is read
            break
    assert not any(isinstance(item, UpdateAvailable) for item in seen), what


def test_a_feed_behind_a_certificate_the_app_does_not_trust_is_not_read(
        home: Home, feed_server: ProvisioningServer, pki: Pki, update_log: LogLines) -> None:
    home.admin(f'[policy]\nupdate_check_url = "{feed_server.url}"\nupdate_ca_file = "{pki.other_ca_file}"\n')
    feed_server.answer = Answer(content_type="application/json", body=signed_feed(
        home.release_key, version="99.0", download_page="https://x.example"))
    core = home.start()
    assert "CERTIFICATE_VERIFY_FAILED" in update_log.wait_for("not fetched")
    home.stop(core)
    assert core.services.updates.latest is None


def test_no_request_is_made_when_the_admin_names_no_feed_even_if_the_user_file_does(
        home: Home, feed_server: ProvisioningServer) -> None:
    """The privacy policy's promise: update checks are the organisation's decision, and off means silent."""
    (home.root / "user.toml").write_text(f'[policy]\nupdate_check_url = "{feed_server.url}"\n')
    audit, watch = Audit.install(), ProcessWatch()
    watch.start()
    audit.on = True
    try:
        core = home.start()
        assert core.config.config.policy.update_check_url == "off", "a user's own file cannot turn checks on"
        watch.sample()
        home.stop(core)  # stop joins every thread the Core started: anything it would send is sent by now
    finally:
        audit.on = False
        watch.finish()
    assert feed_server.requests == []
    assert audit.connects == [] and audit.lookups == [], (audit.connects, audit.lookups)
    assert watch.remote == set(), watch.remote
