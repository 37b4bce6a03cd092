"""Issue 12 item 18: the SIP TLS CA file when none is configured, for each platform."""

from __future__ import annotations

import pytest

from callclient.engine.trust import choose_ca_file

CERTIFI = "/venv/site-packages/certifi/cacert.pem"
OPENSSL_BUILD_DEFAULT = "/usr/local/ssl/cert.pem"  # what a Windows/macOS OpenSSL was built with


def only(*existing: str):
    return lambda path: path in existing


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_use_certifi_when_openssls_path_does_not_exist(platform: str) -> None:
    assert choose_ca_file("", platform, OPENSSL_BUILD_DEFAULT, CERTIFI, only(CERTIFI)) == CERTIFI


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_prefer_certifi_even_if_a_stale_openssl_file_exists(platform: str) -> None:
    assert choose_ca_file("", platform, OPENSSL_BUILD_DEFAULT, CERTIFI, only(CERTIFI, OPENSSL_BUILD_DEFAULT)) == CERTIFI


def test_linux_uses_the_distributions_bundle_kept_by_its_trust_tools() -> None:
    debian = "/etc/ssl/certs/ca-certificates.crt"
    assert choose_ca_file("", "linux", "/usr/lib/ssl/cert.pem", CERTIFI, only(debian, CERTIFI)) == debian
    assert choose_ca_file("", "linux", debian, CERTIFI, only(debian)) == debian
    fedora = "/etc/pki/tls/certs/ca-bundle.crt"
    assert choose_ca_file("", "linux", "", CERTIFI, only(fedora)) == fedora


def test_linux_without_any_bundle_falls_back_to_certifi() -> None:
    assert choose_ca_file("", "linux", "/usr/lib/ssl/cert.pem", CERTIFI, only(CERTIFI)) == CERTIFI


def test_a_configured_file_always_wins_even_if_missing() -> None:
    assert choose_ca_file("/etc/callclient/ca.pem", "win32", "", CERTIFI, only(CERTIFI)) == "/etc/callclient/ca.pem"


def test_nothing_at_all_leaves_verification_failing_safe() -> None:
    assert choose_ca_file("", "win32", OPENSSL_BUILD_DEFAULT, "", only()) == ""
