"""Secrets in the operating system's keychain (Secret Service, KWallet, macOS Keychain, Windows Credential Locker).

One keychain entry per account per kind of secret, under the service name "CallClient". CallClient never
stores a secret anywhere else: when no real keychain is usable it refuses with `KeychainUnavailable`
instead of falling back to the plaintext/"encrypted file" backends `keyring` can offer.
"""

from __future__ import annotations

import enum
import importlib
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable, Mapping

import keyring.backend
import keyring.core
import keyring.errors
from keyring.backends import SecretService, chainer

try:
    import secretstorage
    import secretstorage.exceptions
    from jeepney import DBusErrorResponse
except ImportError:  # not on Linux (keyring depends on SecretStorage there only)
    secretstorage = None  # type: ignore[assignment]

from callclient import APP_NAME
from callclient.storage.secret_service import SecretServiceOnOneConnection

log = logging.getLogger(__name__)

SERVICE_NAME = APP_NAME

# Only the operating systems' own secret stores. Everything else keyring can load (keyrings.alt's
# PlaintextKeyring and EncryptedKeyring, the fail and null backends, unknown plugins) would either
# put secrets in a file we cannot vouch for or silently drop them.
SECURE_BACKEND_MODULES = frozenset(
    {
        "keyring.backends.SecretService",
        "keyring.backends.libsecret",
        "keyring.backends.kwallet",
        "keyring.backends.macOS",
        "keyring.backends.macOS.api",
        "keyring.backends.Windows",
    }
)

HOW_TO_FIX = (
    "CallClient keeps passwords and tokens only in the system keychain. "
    "Install and unlock a keychain: GNOME Keyring (package gnome-keyring) or KDE Wallet (kwalletmanager), "
    "and log in to a desktop session that starts it. "
    "On a headless machine, run CallClient under `dbus-run-session` after starting "
    "`gnome-keyring-daemon --unlock --components=secrets` (it reads the keyring password on standard input)."
)


class KeychainUnavailable(Exception):
    """No usable system keychain; the message says how to get one."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The system keychain is not available: {reason}. {HOW_TO_FIX}")
        self.reason = reason


class SecretKind(enum.StrEnum):
    SIP_PASSWORD = "sip-password"
    PBX_ACCESS_TOKEN = "pbx-access-token"
    PBX_REFRESH_TOKEN = "pbx-refresh-token"
    TURN_PASSWORD = "turn-password"  # the account's TURN relay password (accounts.*.turn_username)
    PROVISIONING_CREDENTIAL = "provisioning-credential"  # basic-auth password or bearer token (account "provisioning")
    LDAP_BIND_PASSWORD = "ldap-bind-password"  # the directory's LDAP bind password (account "directory")
    CARDDAV_PASSWORD = "carddav-password"  # the address book's CardDAV password (account "directory")


class AppSecret(enum.StrEnum):
    """Keys that belong to this installation, not to one account."""

    STORE_KEY = "store-key"
    VOICEMAIL_CACHE_KEY = "voicemail-cache-key"
    PROVISIONING_CACHE_KEY = "provisioning-cache-key"  # the last good remote config, kept for offline starts
    RECORDING_KEY = "recording-key"  # call recordings (storage/recordings.py)


# Keychains cannot be listed portably through keyring, so we keep our own index of the accounts that
# have entries; erase_all_data reads it to find every entry it must delete.
_ACCOUNT_INDEX = "app:accounts"
_INDEX_ATTEMPTS = 20  # read-merge-write rounds before giving up on a writer that never stops


def _backend_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [keyring.errors.KeyringError, OSError, RuntimeError]
    if secretstorage is not None:
        errors += [secretstorage.exceptions.SecretStorageException, DBusErrorResponse]
    return tuple(errors)


_BACKEND_ERRORS = _backend_errors()

# An item deleted between the search and the read (another thread signing out): it is missing, not a broken
# keychain.
_VANISHED_ERRORS: tuple[type[BaseException], ...] = (
    (secretstorage.exceptions.ItemNotFoundException,) if secretstorage is not None else ()
)


def is_secure_backend(backend: keyring.backend.KeyringBackend) -> bool:
    return type(backend) is SecretServiceOnOneConnection or type(backend).__module__ in SECURE_BACKEND_MODULES


def _describe(backend: keyring.backend.KeyringBackend) -> str:
    kind = SecretService.Keyring if type(backend) is SecretServiceOnOneConnection else type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


# The operating system's own keychains, best first (keyring's priorities: KWallet outranks the Secret
# Service only on a KDE desktop; libsecret is the Secret Service again through GLib). Only these modules are
# imported: keyring's own detection (keyring.backend.get_all_keyring) scans every installed plug-in's entry
# point and imports every backend, ~0.3 s of every launch.
_LINUX_BACKENDS = ("keyring.backends.SecretService.Keyring", "keyring.backends.kwallet.DBusKeyring",
                   "keyring.backends.kwallet.DBusKeyringKWallet4", "keyring.backends.libsecret.Keyring")
_KDE_BACKENDS = ("keyring.backends.kwallet.DBusKeyring", "keyring.backends.kwallet.DBusKeyringKWallet4",
                 "keyring.backends.SecretService.Keyring", "keyring.backends.libsecret.Keyring")


def platform_backends(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """The keyring backends that are this operating system's keychain, best first."""
    if platform == "darwin":
        return ("keyring.backends.macOS.Keyring",)
    if platform == "win32":
        return ("keyring.backends.Windows.WinVaultKeyring",)
    return _KDE_BACKENDS if "KDE" in environ.get("XDG_CURRENT_DESKTOP", "").split(":") else _LINUX_BACKENDS


def system_keyring() -> keyring.backend.KeyringBackend:
    """The best secure keychain backend on this machine, detected afresh (not keyring's cached global).

    Honours a backend the user chose through PYTHON_KEYRING_BACKEND or keyringrc.cfg, but only if it is a
    real keychain. The Secret Service is used through one D-Bus connection (SecretServiceOnOneConnection).
    """
    try:
        chosen = keyring.core.load_env() or keyring.core.load_config()
    except _BACKEND_ERRORS as error:
        raise KeychainUnavailable(f"the configured keyring backend cannot be loaded ({error})") from error
    if chosen is not None and not isinstance(chosen, chainer.ChainerBackend):
        if not is_secure_backend(chosen):
            raise KeychainUnavailable(
                f"the configured keyring backend {_describe(chosen)} is not a system keychain "
                "and CallClient will not store secrets in it"
            )
        return SecretServiceOnOneConnection() if type(chosen) is SecretService.Keyring else chosen
    for name in platform_backends():
        backend = _usable_backend(name)
        if backend is not None:
            return backend
    raise KeychainUnavailable("no Secret Service, KWallet, macOS Keychain or Windows Credential Locker answered")


def _usable_backend(name: str) -> keyring.backend.KeyringBackend | None:
    """The backend `name` if it can be used here (its priority is positive), else None (logged)."""
    if name == "keyring.backends.SecretService.Keyring":
        kind: type[keyring.backend.KeyringBackend] = SecretServiceOnOneConnection
    else:
        module_name, _, class_name = name.rpartition(".")
        try:
            kind = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as error:
            log.info("keychain backend %s is not installed: %s", name, error)
            return None
    try:
        priority = kind.priority
    except _BACKEND_ERRORS as error:
        log.info("keychain backend %s is not usable: %s", name, error)
        return None
    return kind() if priority > 0 else None


def new_symmetric_key() -> bytes:
    return secrets.token_bytes(32)


class Keychain:
    """CallClient's entries in one keychain backend. Every failure of the backend becomes KeychainUnavailable."""

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend,
        service: str = SERVICE_NAME,
        on_secret: Callable[[str], None] | None = None,
    ) -> None:
        """`on_secret` is called with every secret this keychain reads or writes (pass the log redaction
        filter's `add_secret`), so no secret can pass through CallClient without the logs knowing to hide it."""
        if not is_secure_backend(backend):
            raise KeychainUnavailable(f"{_describe(backend)} is not a system keychain")
        self._backend = backend
        self._service = service
        self._on_secret = on_secret
        self._index_lock = _index_lock_for(service)

    @classmethod
    def from_system(cls, on_secret: Callable[[str], None] | None = None) -> Keychain:
        return cls(system_keyring(), on_secret=on_secret)

    @property
    def service(self) -> str:
        return self._service

    @property
    def backend_name(self) -> str:
        return _describe(self._backend)

    # Account secrets

    def set(self, account_id: str, kind: SecretKind, secret: str) -> None:
        if not secret:
            raise ValueError(f"refusing to store an empty {kind} for {account_id}")
        self._seen(secret)
        self._add_to_index(account_id)
        self._set(_entry_name(account_id, kind), secret)

    def get(self, account_id: str, kind: SecretKind) -> str | None:
        secret = self._get(_entry_name(account_id, kind))
        if secret is not None:
            self._seen(secret)
        return secret

    def delete(self, account_id: str, kind: SecretKind) -> None:
        """Removes the entry; removing one that is not there is not an error."""
        self._delete(_entry_name(account_id, kind))

    def delete_all_for_account(self, account_id: str) -> None:
        for kind in SecretKind:
            self.delete(account_id, kind)
        self._remove_from_index(account_id)

    def accounts_with_secrets(self) -> list[str]:
        raw = self._get(_ACCOUNT_INDEX)
        if raw is None:
            return []
        try:
            accounts = json.loads(raw)
        except json.JSONDecodeError:
            log.warning("the keychain's CallClient account index is unreadable; treating it as empty")
            return []
        return [a for a in accounts if isinstance(a, str)]

    # Installation keys (random bytes, kept hex-encoded because keychains store text)

    def get_key(self, which: AppSecret) -> bytes | None:
        raw = self._get(f"app:{which}")
        if raw is None:
            return None
        self._seen(raw)
        try:
            return bytes.fromhex(raw)
        except ValueError:
            log.warning("the keychain entry %s is not a key; treating it as missing", which)
            return None

    def get_or_create_key(self, which: AppSecret) -> bytes:
        key = self.get_key(which)
        if key is None:
            key = new_symmetric_key()
            self.set_key(which, key)
        return key

    def set_key(self, which: AppSecret, key: bytes) -> None:
        self._seen(key.hex())
        self._set(f"app:{which}", key.hex())

    def delete_key(self, which: AppSecret) -> None:
        self._delete(f"app:{which}")

    def delete_everything(self, extra_account_ids: tuple[str, ...] = ()) -> None:
        """Every CallClient entry: all indexed (and given) accounts, the installation keys, the index."""
        for account_id in {*self.accounts_with_secrets(), *extra_account_ids}:
            for kind in SecretKind:
                self.delete(account_id, kind)
        for which in AppSecret:
            self.delete_key(which)
        self._delete(_ACCOUNT_INDEX)

    # Backend calls

    def _seen(self, secret: str) -> None:
        if self._on_secret is not None:
            self._on_secret(secret)

    # The index is one keychain entry that every account's secrets update: read, change, write. Every
    # Keychain on this service in this process takes turns under one lock (the PBX token store and the app
    # each hold their own Keychain object). A writer in another process (`callclient` run from a shell) is
    # caught by reading the index back and merging again until our change is in it; the keychain has no
    # compare-and-swap, so across processes this narrows the race rather than closing it.

    def _add_to_index(self, account_id: str) -> None:
        with self._index_lock:
            for _ in range(_INDEX_ATTEMPTS):
                accounts = self.accounts_with_secrets()
                if account_id in accounts:
                    return
                self._set(_ACCOUNT_INDEX, json.dumps([*accounts, account_id]))
            log.warning("the keychain's account index kept changing under us; account added on the last try")

    def _remove_from_index(self, account_id: str) -> None:
        with self._index_lock:
            for _ in range(_INDEX_ATTEMPTS):
                accounts = self.accounts_with_secrets()
                if account_id not in accounts:
                    return
                remaining = [a for a in accounts if a != account_id]
                if remaining:
                    self._set(_ACCOUNT_INDEX, json.dumps(remaining))
                else:
                    self._delete(_ACCOUNT_INDEX)

    def _set(self, name: str, value: str) -> None:
        try:
            self._backend.set_password(self._service, name, value)
        except _BACKEND_ERRORS as error:
            raise KeychainUnavailable(
                f"saving {_public_name(name)} failed ({type(error).__name__}: {error})"
            ) from error

    def _get(self, name: str) -> str | None:
        try:
            return self._backend.get_password(self._service, name)
        except _VANISHED_ERRORS:
            return None
        except _BACKEND_ERRORS as error:
            raise KeychainUnavailable(
                f"reading {_public_name(name)} failed ({type(error).__name__}: {error})"
            ) from error

    def _delete(self, name: str) -> None:
        try:
            self._backend.delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            pass  # already gone, which is what the caller wants
        except _BACKEND_ERRORS as error:
            raise KeychainUnavailable(
                f"deleting {_public_name(name)} failed ({type(error).__name__}: {error})"
            ) from error


# One lock per keychain service for the whole process: the keychain entry it guards is process-wide too.
_INDEX_LOCKS: dict[str, threading.Lock] = {}
_INDEX_LOCKS_GUARD = threading.Lock()


def _index_lock_for(service: str) -> threading.Lock:
    with _INDEX_LOCKS_GUARD:
        return _INDEX_LOCKS.setdefault(service, threading.Lock())


def _entry_name(account_id: str, kind: SecretKind) -> str:
    return f"{kind}:{account_id}"


def _public_name(name: str) -> str:
    # Entry names hold no secret, but say so plainly in messages.
    return f"the keychain entry '{name}'"
