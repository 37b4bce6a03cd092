"""Secrets live in the real Secret Service (gnome-keyring on a private D-Bus), and nowhere else."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
from pathlib import Path

import keyring.backend
import pytest
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from keyring.backends import fail, null

from callclient.storage.keychain import (
    AppSecret,
    Keychain,
    KeychainUnavailable,
    SecretKind,
    platform_backends,
    system_keyring,
)
from tests.fixtures.keyring_service import SECRETS_BUS_NAME, running_secret_service
from tests.fixtures.net import wait_until


def _account() -> str:
    return f"alice-{secrets.token_hex(4)}@pbx.example.com"


def test_password_is_stored_in_the_secret_service_under_service_callclient(secret_service) -> None:
    keychain = Keychain(system_keyring())
    account = _account()
    try:
        keychain.set(account, SecretKind.SIP_PASSWORD, "hunter2-sip")
        # Read it back with another real client of the Secret Service, not through keyring.
        found = subprocess.run(
            ["secret-tool", "lookup", "service", "CallClient", "username", f"sip-password:{account}"],
            env=secret_service.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        assert found == "hunter2-sip"
        assert keychain.backend_name == "keyring.backends.SecretService.Keyring"
    finally:
        keychain.delete_all_for_account(account)


def test_each_kind_of_secret_is_its_own_entry_per_account(keychain: Keychain) -> None:
    alice, bob = _account(), _account()
    keychain.set(alice, SecretKind.SIP_PASSWORD, "alice-sip")
    keychain.set(alice, SecretKind.PBX_ACCESS_TOKEN, "alice-access")
    keychain.set(alice, SecretKind.PBX_REFRESH_TOKEN, "alice-refresh")
    keychain.set(bob, SecretKind.SIP_PASSWORD, "bob-sip")

    assert keychain.get(alice, SecretKind.SIP_PASSWORD) == "alice-sip"
    assert keychain.get(alice, SecretKind.PBX_ACCESS_TOKEN) == "alice-access"
    assert keychain.get(alice, SecretKind.PBX_REFRESH_TOKEN) == "alice-refresh"
    assert keychain.get(bob, SecretKind.SIP_PASSWORD) == "bob-sip"
    assert keychain.get(bob, SecretKind.PBX_ACCESS_TOKEN) is None


def test_setting_a_secret_again_replaces_it(keychain: Keychain) -> None:
    account = _account()
    keychain.set(account, SecretKind.PBX_ACCESS_TOKEN, "old-token")
    keychain.set(account, SecretKind.PBX_ACCESS_TOKEN, "new-token")
    assert keychain.get(account, SecretKind.PBX_ACCESS_TOKEN) == "new-token"


def test_delete_all_for_account_removes_its_entries_and_leaves_other_accounts(keychain: Keychain) -> None:
    alice, bob = _account(), _account()
    for kind in SecretKind:
        keychain.set(alice, kind, f"alice-{kind}")
    keychain.set(bob, SecretKind.SIP_PASSWORD, "bob-sip")

    keychain.delete_all_for_account(alice)

    assert all(keychain.get(alice, kind) is None for kind in SecretKind)
    assert keychain.get(bob, SecretKind.SIP_PASSWORD) == "bob-sip"
    assert keychain.accounts_with_secrets() == [bob]


def test_deleting_a_missing_entry_is_not_an_error(keychain: Keychain) -> None:
    account = _account()
    keychain.delete(account, SecretKind.SIP_PASSWORD)
    keychain.delete_all_for_account(account)
    assert keychain.get(account, SecretKind.SIP_PASSWORD) is None


def test_installation_keys_are_random_256_bit_and_kept(keychain: Keychain) -> None:
    assert keychain.get_key(AppSecret.STORE_KEY) is None
    store_key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    cache_key = keychain.get_or_create_key(AppSecret.VOICEMAIL_CACHE_KEY)

    assert len(store_key) == 32 and len(cache_key) == 32
    assert store_key != cache_key
    assert keychain.get_or_create_key(AppSecret.STORE_KEY) == store_key
    assert keychain.get_key(AppSecret.VOICEMAIL_CACHE_KEY) == cache_key


def test_delete_everything_removes_all_accounts_and_keys(keychain: Keychain) -> None:
    alice, bob = _account(), _account()
    keychain.set(alice, SecretKind.SIP_PASSWORD, "a")
    keychain.set(bob, SecretKind.PBX_REFRESH_TOKEN, "b")
    keychain.get_or_create_key(AppSecret.STORE_KEY)

    keychain.delete_everything()

    assert keychain.get(alice, SecretKind.SIP_PASSWORD) is None
    assert keychain.get(bob, SecretKind.PBX_REFRESH_TOKEN) is None
    assert keychain.get_key(AppSecret.STORE_KEY) is None
    assert keychain.accounts_with_secrets() == []


def test_no_secret_service_on_the_bus_raises_unavailable_with_how_to_fix(
    secret_service, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)

    with pytest.raises(KeychainUnavailable) as raised:
        Keychain.from_system()

    message = str(raised.value)
    assert "gnome-keyring" in message.lower()
    assert "KDE Wallet" in message
    assert "dbus-run-session" in message and "--unlock" in message


def test_a_locked_keychain_that_cannot_prompt_raises_unavailable_saying_unlock(
    secret_service, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    with running_secret_service(tmp_path / "locked", unlock=False) as locked:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", locked.bus_address)
        keychain = Keychain.from_system()
        with pytest.raises(KeychainUnavailable) as raised:
            keychain.set(_account(), SecretKind.SIP_PASSWORD, "never-saved")
    assert "unlock" in str(raised.value).lower()
    assert "never-saved" not in str(raised.value)


def test_every_secret_read_or_written_is_handed_to_the_log_redaction(secret_service) -> None:
    seen: list[str] = []
    keychain = Keychain(system_keyring(), service=f"CallClient-test-{secrets.token_hex(4)}", on_secret=seen.append)
    account = _account()
    try:
        keychain.set(account, SecretKind.PBX_REFRESH_TOKEN, "refresh-abc")
        Keychain(system_keyring(), service=keychain.service, on_secret=seen.append).get(
            account, SecretKind.PBX_REFRESH_TOKEN
        )
        key = keychain.get_or_create_key(AppSecret.STORE_KEY)
    finally:
        keychain.delete_everything()
    assert seen.count("refresh-abc") == 2
    assert key.hex() in seen


def test_keychain_that_goes_away_mid_session_raises_unavailable_not_a_dbus_error(
    keychain: Keychain, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    with pytest.raises(KeychainUnavailable, match="reading the keychain entry"):
        keychain.get(_account(), SecretKind.SIP_PASSWORD)
    with pytest.raises(KeychainUnavailable, match=r"the keychain entry .* failed"):
        keychain.set(_account(), SecretKind.SIP_PASSWORD, "never-saved")


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_backends_that_store_nothing_are_refused(backend: keyring.backend.KeyringBackend) -> None:
    with pytest.raises(KeychainUnavailable, match="is not a system keychain"):
        Keychain(backend)


class _PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's file backends, which are not installed here; only its module name matters."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("must never be used")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("must never be used")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("must never be used")


_PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_plaintext_file_backends_are_refused() -> None:
    with pytest.raises(KeychainUnavailable, match=r"keyrings\.alt\.file"):
        Keychain(_PlaintextKeyring())


def test_a_configured_non_keychain_backend_is_refused_rather_than_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    with pytest.raises(KeychainUnavailable, match="will not store secrets in it"):
        system_keyring()


def test_empty_secret_is_refused(keychain: Keychain) -> None:
    with pytest.raises(ValueError, match="empty"):
        keychain.set(_account(), SecretKind.SIP_PASSWORD, "")


def test_the_system_keychain_is_found_without_loading_every_keyring_plugin(
    secret_service, monkeypatch: pytest.MonkeyPatch
) -> None:
    # keyring's own detection imports every installed backend through an entry-point scan (~0.3 s a launch).
    def scan() -> list[keyring.backend.KeyringBackend]:
        raise AssertionError("every keyring plug-in was loaded to find the keychain")

    monkeypatch.setattr(keyring.backend, "get_all_keyring", scan)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    keychain = Keychain.from_system()
    assert keychain.backend_name == "keyring.backends.SecretService.Keyring"
    account = _account()
    try:
        keychain.set(account, SecretKind.SIP_PASSWORD, "found-directly")
        assert keychain.get(account, SecretKind.SIP_PASSWORD) == "found-directly"
    finally:
        keychain.delete_all_for_account(account)


def test_each_platform_uses_its_own_keychain_and_kde_prefers_kwallet() -> None:
    assert platform_backends("darwin", {}) == ("keyring.backends.macOS.Keyring",)
    assert platform_backends("win32", {}) == ("keyring.backends.Windows.WinVaultKeyring",)
    gnome = platform_backends("linux", {"XDG_CURRENT_DESKTOP": "GNOME"})
    kde = platform_backends("linux", {"XDG_CURRENT_DESKTOP": "KDE"})
    assert gnome[0] == "keyring.backends.SecretService.Keyring"
    assert kde[0] == "keyring.backends.kwallet.DBusKeyring"
    assert set(gnome) == set(kde)


def test_on_kde_without_kwallet_the_secret_service_is_used(secret_service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert Keychain.from_system().backend_name == "keyring.backends.SecretService.Keyring"


def test_a_keychain_named_in_keyringrc_is_honoured_and_a_non_keychain_refused(
    secret_service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # keyring reads $XDG_CONFIG_HOME/python_keyring/keyringrc.cfg
    rc = tmp_path / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir()
    rc.write_text("[backend]\ndefault-keyring=keyring.backends.SecretService.Keyring\n")
    assert Keychain.from_system().backend_name == "keyring.backends.SecretService.Keyring"
    rc.write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n")
    with pytest.raises(KeychainUnavailable, match="null.Keyring is not a system keychain"):
        system_keyring()


def _connections_opened_since(bus_address: str, before: int) -> tuple[int, int]:
    """How many connections the bus accepted since unique name `:1.<before>` (our probe's), and the new probe's
    number: the bus numbers every connection in turn."""
    with open_dbus_connection(bus=bus_address) as probe:
        number = int(probe.unique_name.rsplit(".", 1)[1])
    return number - before - 1, number


def test_keychain_calls_share_one_dbus_connection(secret_service) -> None:
    keychain = Keychain(system_keyring(), service=f"CallClient-test-{secrets.token_hex(4)}")
    account = _account()
    try:
        keychain.get_or_create_key(AppSecret.STORE_KEY)  # the process's connection, if it had none yet
        _, probe = _connections_opened_since(secret_service.bus_address, 0)
        keychain.set(account, SecretKind.SIP_PASSWORD, "one-connection")
        for _ in range(3):
            assert keychain.get(account, SecretKind.SIP_PASSWORD) == "one-connection"
            assert keychain.get_key(AppSecret.STORE_KEY) is not None
        Keychain(system_keyring(), service=keychain.service).delete(account, SecretKind.SIP_PASSWORD)
        opened, _ = _connections_opened_since(secret_service.bus_address, probe)
    finally:
        keychain.delete_everything()
    assert opened == 0  # keyring alone opens one per call: 12 here


def test_a_secret_service_restarted_mid_session_is_used_again_without_an_error(
    secret_service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with running_secret_service(tmp_path / "restarted") as service:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
        keychain = Keychain.from_system()
        account = _account()
        keychain.set(account, SecretKind.SIP_PASSWORD, "kept-on-disk")
        with open_dbus_connection(bus=service.bus_address) as bus:
            pid = bus.send_and_get_reply(message_bus.GetConnectionUnixProcessID(SECRETS_BUS_NAME)).body[0]
        os.kill(pid, signal.SIGKILL)
        wait_until(service.revive, 15, "gnome-keyring-daemon started again")

        # Same bus connection, new Secret Service process: the secrets' session is opened again with it.
        assert keychain.get(account, SecretKind.SIP_PASSWORD) == "kept-on-disk"
        keychain.delete_all_for_account(account)
