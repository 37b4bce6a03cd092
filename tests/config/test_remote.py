"""Remote provisioning against a local HTTPS server with a test CA."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from callclient.config import load_config
from callclient.config.remote import PROVISIONING_ACCOUNT
from callclient.storage.keychain import SecretKind
from tests.config.conftest import Files
from tests.config.provisioning_server import Answer, ProvisioningServer
from tests.fixtures.tls import Pki

REMOTE = b'[ui]\ntheme = "dark"\n[policy]\nrecording_allowed = true\n[locks]\nkeys = ["ui.theme"]\n'


@pytest.fixture
def server(pki: Pki) -> Iterator[ProvisioningServer]:
    running = ProvisioningServer(pki)
    running.start()
    yield running
    running.stop()


def admin_file(files: Files, server: ProvisioningServer, ca_file: str, auth: str = "none") -> None:
    files.system.write_text(f'[provisioning]\nurl = "{server.url}"\nca_file = "{ca_file}"\nauth = "{auth}"\n'
                            'username = "desk"\n[ui]\ntheme = "light"\n')


def test_the_remote_layer_sits_above_the_system_file_and_can_lock(files: Files, server: ProvisioningServer,
                                                                  pki: Pki, keychain) -> None:
    admin_file(files, server, str(pki.ca_file))
    server.answer = Answer(body=REMOTE, etag='"v1"')
    files.user.write_text('[ui]\ntheme = "system"\n')
    loaded = load_config(files.sources(), keychain=keychain)
    assert loaded.config.ui.theme == "dark"
    assert loaded.origin("ui.theme") == f"remote ({server.url})"
    assert loaded.config.policy.recording_allowed is True
    assert any("ui.theme is locked" in w for w in loaded.warnings)


def test_a_304_reuses_the_cached_copy_and_the_cache_is_encrypted(files: Files, server: ProvisioningServer,
                                                                 pki: Pki, keychain) -> None:
    admin_file(files, server, str(pki.ca_file))
    server.answer = Answer(body=REMOTE, etag='"v1"')
    load_config(files.sources(), keychain=keychain)
    cache = files.root / "cache" / "provisioning.cache"
    assert cache.exists() and b"theme" not in cache.read_bytes()
    loaded = load_config(files.sources(), keychain=keychain)
    assert server.requests[-1].headers.get("if-none-match") == '"v1"'
    assert "if-modified-since" in server.requests[-1].headers
    assert loaded.config.ui.theme == "dark" and loaded.remote_problem is None


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (Answer(status=401), "refused the credentials (401)"),
        (Answer(status=500, body=b"oops"), "answered 500"),
        (Answer(body=b"<html>login</html>", content_type="text/html"), "is text/html, not a TOML file"),
        (Answer(body=REMOTE, truncate=True), "cut off"),
        (Answer(body=b'[ui]\ntheme = "purple"\n'), "ui.theme: 'purple' is not allowed"),
    ],
)
def test_a_failed_fetch_names_the_problem_and_the_last_good_copy_stays(files: Files, server: ProvisioningServer,
                                                                       pki: Pki, keychain, answer: Answer,
                                                                       problem: str) -> None:
    admin_file(files, server, str(pki.ca_file))
    server.answer = Answer(body=REMOTE, etag='"v1"')
    load_config(files.sources(), keychain=keychain)
    server.answer = answer
    loaded = load_config(files.sources(), keychain=keychain)
    assert problem in loaded.remote_problem
    assert loaded.remote_problem.startswith("using the last good remote config")
    assert loaded.config.ui.theme == "dark", "the cached admin layer is still in force"


def test_with_nothing_cached_a_failure_falls_back_to_the_files(files: Files, server: ProvisioningServer, pki: Pki,
                                                                keychain) -> None:
    admin_file(files, server, str(pki.ca_file))
    server.answer = Answer(status=503)
    loaded = load_config(files.sources(), keychain=keychain)
    assert "nothing cached" in loaded.remote_problem and "503" in loaded.remote_problem
    assert loaded.config.ui.theme == "light"


def test_a_server_that_does_not_answer_times_out(files: Files, server: ProvisioningServer, pki: Pki,
                                                 keychain, monkeypatch) -> None:
    import callclient.config.sources as sources_module
    from callclient.config.remote import RemoteSource

    admin_file(files, server, str(pki.ca_file))
    release = threading.Event()
    server.answer = Answer(stall=release)
    monkeypatch.setattr(sources_module, "RemoteSource",
                        lambda **kw: RemoteSource(**{**kw, "timeout_s": 0.5}))
    try:
        loaded = load_config(files.sources(), keychain=keychain)
    finally:
        release.set()
    assert "no answer within" in loaded.remote_problem


def test_a_certificate_that_does_not_verify_is_refused(files: Files, server: ProvisioningServer, pki: Pki,
                                                       keychain) -> None:
    admin_file(files, server, str(pki.other_ca_file))
    server.answer = Answer(body=REMOTE)
    loaded = load_config(files.sources(), keychain=keychain)
    assert "certificate could not be verified" in loaded.remote_problem
    assert server.requests == [], "nothing is sent to a server whose certificate failed"
    assert loaded.config.ui.theme == "light"


@pytest.mark.parametrize(("auth", "expected"), [("basic", "Basic "), ("bearer", "Bearer s3cr3t-t0ken")])
def test_credentials_come_from_the_keychain(files: Files, server: ProvisioningServer, pki: Pki, keychain,
                                            auth: str, expected: str) -> None:
    admin_file(files, server, str(pki.ca_file), auth=auth)
    keychain.set(PROVISIONING_ACCOUNT, SecretKind.PROVISIONING_CREDENTIAL, "s3cr3t-t0ken")
    server.answer = Answer(body=REMOTE)
    load_config(files.sources(), keychain=keychain)
    assert server.requests[-1].headers["authorization"].startswith(expected)


def test_a_missing_credential_is_named(files: Files, server: ProvisioningServer, pki: Pki, keychain) -> None:
    admin_file(files, server, str(pki.ca_file), auth="bearer")
    loaded = load_config(files.sources(), keychain=keychain)
    assert "needs a bearer credential" in loaded.remote_problem
