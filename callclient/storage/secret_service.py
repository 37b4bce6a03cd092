"""The Secret Service (GNOME Keyring, KeePassXC...) for the keychain, over one D-Bus connection per process.

keyring's own Secret Service backend opens, authenticates and closes a D-Bus connection, and agrees a new
encryption session with the service, in every get/set/delete (nine per launch). This backend is keyring's,
its calls made over one connection (re-made when the bus address changes or a call fails) and one secrets
session per Secret Service process. callclient/storage/keychain.py chooses it; nothing else uses it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

import keyring.errors
from keyring.backends import SecretService
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

log = logging.getLogger(__name__)


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
