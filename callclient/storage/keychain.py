"""Secrets in the operating system's keychain (Secret Service, KWallet, macOS Keychain, Windows Credential Locker).

One keychain entry per account per kind of secret, under the service name "CallClient". CallClient never
stores a secret anywhere else: when no real keychain is usable it refuses with `KeychainUnavailable`
instead of falling back to the plaintext/"encrypted file" backends `keyring` can offer.
"""

from __future__ import annotations

import contextlib
import enum
import importlib
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import keyring.backend
import keyring.core
import keyring.errors
from keyring.backends import SecretService, chainer
from keyring.compat import properties

try:
    import secretstorage
    import secretstorage.exceptions
    from jeepney import DBusErrorResponse
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import Proxy
    from secretstorage.collection import DEFAULT_COLLECTION
    from secretstorage.util import BUS_NAME as SECRETS_BUS_NAME
    from secretstorage.util import open_session
except ImportError:  # not on Linux (keyring depends on SecretStorage there only)
    secretstorage = None  # type: ignore[assignment]

from callclient import APP_NAME

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


class SecretServiceOnOneConnection(SecretService.Keyring):
    """keyring's Secret Service backend, its calls made over one D-Bus connection per session bus for the
    whole process: keyring opens, authenticates and closes a connection in every get/set/delete (nine per
    launch). The bus is the one DBUS_SESSION_BUS_ADDRESS names at each call, so a changed address (a new
    login session) gets a new connection; a connection that failed is closed and made again on the next call.

    jeepney's blocking connection serves one caller at a time, so the calls take turns under one lock
    (gnome-keyring answers one request at a time anyway)."""

    @properties.classproperty
    def priority(cls) -> float:
        if secretstorage is None:
            raise RuntimeError("SecretStorage required")
        with _SESSION_BUS.calling():
            available = secretstorage.check_service_availability(_SESSION_BUS.connection())
        if not available:
            raise RuntimeError("The Secret Service daemon is neither running nor activatable through D-Bus")
        return 5

    def get_preferred_collection(self) -> Any:
        # keyring closes the collection's connection after each call: it gets one that stays open.
        connection = _KeptOpen(_SESSION_BUS.connection())
        session = _SESSION_BUS.secrets_session()
        try:
            if hasattr(self, "preferred_collection"):
                collection = secretstorage.Collection(connection, self.preferred_collection, session)
            else:
                try:
                    collection = secretstorage.Collection(connection, DEFAULT_COLLECTION, session)
                except secretstorage.exceptions.ItemNotFoundException:  # a new keyring: as secretstorage does
                    collection = secretstorage.create_collection(connection, "Default", "default", session)
        except secretstorage.exceptions.SecretStorageException as error:
            raise keyring.errors.InitError(f"Failed to create the collection: {error}.") from error
        if collection.is_locked():
            collection.unlock()
            if collection.is_locked():  # no prompt could be shown, or the user dismissed it
                raise keyring.errors.KeyringLocked("Failed to unlock the collection!")
        return collection

    def get_password(self, service: str, username: str) -> str | None:
        with _SESSION_BUS.calling():
            return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with _SESSION_BUS.calling():
            super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        with _SESSION_BUS.calling():
            super().delete_password(service, username)

    def get_credential(self, service: str, username: str | None) -> Any:
        with _SESSION_BUS.calling():
            return super().get_credential(service, username)


class _SessionBus:
    """The process's one connection to the session bus for the keychain; used under `calling()`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._connection: Any = None
        self._address: str | None = None
        self._session: Any = None  # secretstorage's Session: the encryption of secrets on the bus
        self._session_owner: str | None = None  # the Secret Service process (unique bus name) it was opened with

    def connection(self) -> Any:
        address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if self._connection is None or address != self._address:
            self.forget()
            self._connection = secretstorage.dbus_init()
            self._address = address
        return self._connection

    def secrets_session(self) -> Any:
        """The session secrets travel in (a Diffie-Hellman key agreement with the Secret Service: two 1024-bit
        modular exponentiations, ~10 ms of Python), opened once per Secret Service process; None while no
        process owns the service yet (secretstorage then opens one for the call, which starts the service)."""
        connection = self.connection()
        try:
            owner = Proxy(message_bus, connection).GetNameOwner(SECRETS_BUS_NAME)[0]
        except DBusErrorResponse:  # not running (yet)
            return None
        if self._session is None or owner != self._session_owner:
            self._session = open_session(connection)
            self._session_owner = owner
        return self._session

    def forget(self) -> None:
        self._session = self._session_owner = None
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.close()
            except OSError as error:
                log.debug("closing the keychain's D-Bus connection: %s", error)

    @contextlib.contextmanager
    def calling(self) -> Iterator[None]:
        """One backend call: alone on the connection; a call that failed leaves no half-read reply behind."""
        with self.lock:
            try:
                yield
            except (keyring.errors.KeyringError, secretstorage.exceptions.SecretStorageException, DBusErrorResponse):
                raise  # the Secret Service answered (no such item, locked...): the connection is fine
            except BaseException:
                self.forget()
                raise


_SESSION_BUS = _SessionBus()


class _KeptOpen:
    """A D-Bus connection whose close() does nothing: it belongs to _SessionBus, not to the caller."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def close(self) -> None:
        pass


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
