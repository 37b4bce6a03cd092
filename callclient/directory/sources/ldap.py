"""LDAP / Active Directory as a directory source, with ldap3 (pure Python, maintained, StartTLS and LDAPS).

TLS is always verified (the system's CAs, or `directory.ldap_ca_file`): ldaps:// from the first byte, ldap://
upgraded with StartTLS unless the admin turned `directory.ldap_starttls` off. The bind password lives in the
keychain (account "directory", kind ldap-bind-password), never in the config files.

Each call opens its own connection (the service calls from two worker threads; a connection is not shared),
so a server that went away costs one failed call, not a stuck session. Every failure becomes SourceFailed
naming the server and what to do.
"""

from __future__ import annotations

import logging
import ssl
import urllib.parse
from collections.abc import Callable
from typing import Any

import ldap3
import phonenumbers
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.conv import escape_filter_chars

from callclient.directory.model import Contact, PhoneNumber, SourceFailed, SourceKind

log = logging.getLogger(__name__)

KEYCHAIN_ACCOUNT = "directory"
_NUMBER_FIELDS = (("number", "work"), ("mobile", "mobile"), ("home", "home"))
MAX_TERM_CHARS = 64  # a search term longer than any name: refused before it reaches the server


def parse_attribute_map(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """["name=cn", "number=telephoneNumber"] -> {"name": "cn", "number": "telephoneNumber"}."""
    mapping = {}
    for pair in pairs:
        field, _, attribute = pair.partition("=")
        mapping[field.strip()] = attribute.strip()
    return mapping


class LdapDirectory:
    kind = SourceKind.DIRECTORY
    remote = True

    def __init__(self, url: str, base_dn: str, *, search_filter: str, reverse_filter: str,
                 attributes: dict[str, str], bind_dn: str = "", password: Callable[[], str | None] = lambda: None,
                 starttls: bool = True, ca_file: str = "", timeout_s: float = 5.0, region: str = "",
                 size_limit: int = 200) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
            raise ValueError(f"{url!r} is not an ldap:// or ldaps:// server address")
        self._host = parts.hostname
        self._port = parts.port or (636 if parts.scheme == "ldaps" else 389)
        self._ldaps = parts.scheme == "ldaps"
        self._base_dn = base_dn
        self._filter = search_filter
        self._reverse_filter = reverse_filter
        self._attributes = attributes
        self._bind_dn = bind_dn
        self._password = password
        self._starttls = starttls
        self._ca_file = ca_file or None
        self._timeout_s = timeout_s
        self._region = region or None
        self._size_limit = size_limit

    @classmethod
    def from_config(cls, directory: Any, keychain: Any, region: str = "") -> LdapDirectory:
        from callclient.storage.keychain import SecretKind

        return cls(directory.ldap_url, directory.ldap_base_dn, search_filter=directory.ldap_filter,
                   reverse_filter=directory.ldap_reverse_filter,
                   attributes=parse_attribute_map(directory.ldap_attributes), bind_dn=directory.ldap_bind_dn,
                   password=lambda: keychain.get(KEYCHAIN_ACCOUNT, SecretKind.LDAP_BIND_PASSWORD) if keychain else None,
                   starttls=directory.ldap_starttls, ca_file=directory.ldap_ca_file,
                   timeout_s=directory.ldap_timeout_s, region=region, size_limit=directory.max_results * 4)

    @property
    def name(self) -> str:
        return f"LDAP {self._host}"

    # ---------------------------------------------------------------- Source

    def search(self, term: str) -> list[Contact]:
        term = term.strip()
        if not term:
            return []
        if len(term) > MAX_TERM_CHARS:
            raise SourceFailed(self.name, f"the search text is longer than {MAX_TERM_CHARS} characters")
        return self._query(self._filter.replace("{term}", escape_filter_chars(term)))

    def reverse(self, number: str) -> Contact | None:
        # telephoneNumberMatch ignores spaces and dashes, not the country code or the trunk 0: ask for each
        # way the number may be written in the directory.
        variants = " ".join(self._reverse_filter.replace("{number}", escape_filter_chars(v))
                            for v in self._spellings(number))
        found = self._query(f"(|{variants})")
        return found[0] if found else None

    def list(self) -> list[Contact]:
        return []  # a company directory can hold 100,000 people: searched online, cached as seen

    # ---------------------------------------------------------------- ldap3

    def _spellings(self, number: str) -> list[str]:
        spellings = [number.strip()]
        try:
            parsed = phonenumbers.parse(number, self._region)
        except phonenumbers.NumberParseException:
            return spellings
        for style in (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.NATIONAL,
                      phonenumbers.PhoneNumberFormat.INTERNATIONAL):
            written = phonenumbers.format_number(parsed, style)
            if written not in spellings:
                spellings.append(written)
        return spellings

    def _connection(self) -> ldap3.Connection:
        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, version=ssl.PROTOCOL_TLS_CLIENT, ca_certs_file=self._ca_file)
        server = ldap3.Server(self._host, port=self._port, use_ssl=self._ldaps, tls=tls, get_info=ldap3.NONE,
                              connect_timeout=max(1, int(self._timeout_s)))
        password = self._password() if self._bind_dn else None
        if self._bind_dn and not password:
            raise SourceFailed(self.name, f"no password for {self._bind_dn} in the keychain; enter it in "
                                          "Settings > Directory")
        return ldap3.Connection(server, user=self._bind_dn or None, password=password,
                                receive_timeout=max(1, int(self._timeout_s)), raise_exceptions=True, read_only=True,
                                auto_bind=ldap3.AUTO_BIND_NONE)

    def _query(self, search_filter: str) -> list[Contact]:
        wanted = sorted({a for a in self._attributes.values() if a})
        try:
            connection = self._connection()
            try:
                connection.open()
                if not self._ldaps and self._starttls and not connection.start_tls():
                    # ldap3 reports a failed handshake (an untrusted certificate) by returning False and
                    # closing the socket, not by raising: never go on in plain text.
                    raise SourceFailed(self.name, "the StartTLS handshake failed: the server's certificate is "
                                                  "not trusted (check the CA file), or the server has no TLS")
                connection.bind()
                try:
                    connection.search(self._base_dn, search_filter, ldap3.SUBTREE, attributes=wanted,
                                      size_limit=self._size_limit, time_limit=max(1, int(self._timeout_s)))
                    entries = list(connection.response or [])
                except ldap_errors.LDAPSizeLimitExceededResult:
                    entries = list(connection.response or [])  # the first `size_limit` matches are enough
                except ldap_errors.LDAPNoSuchObjectResult:
                    raise SourceFailed(self.name, f"the base DN {self._base_dn!r} does not exist on the server") \
                        from None
            finally:
                _close(connection)
        except SourceFailed:
            raise
        except ldap_errors.LDAPInvalidCredentialsResult as error:
            raise SourceFailed(self.name, f"the server refused the bind DN or password for {self._bind_dn}") \
                from error
        except (ldap_errors.LDAPStartTLSError, ldap_errors.LDAPSSLConfigurationError) as error:
            raise SourceFailed(self.name, f"the TLS connection failed ({_tls_reason(error)}); check the "
                                          "server's certificate or the CA file") from error
        except ldap_errors.LDAPSocketOpenError as error:
            if "certificate" in str(error).lower() or "ssl" in str(error).lower():
                raise SourceFailed(self.name, f"the server's certificate is not trusted ({_tls_reason(error)})") \
                    from error
            raise SourceFailed(self.name, f"cannot reach {self._host}:{self._port} ({error})") from error
        except (ldap_errors.LDAPResponseTimeoutError, ldap_errors.LDAPSocketReceiveError, TimeoutError) as error:
            raise SourceFailed(self.name, f"no answer from {self._host}:{self._port} within "
                                          f"{self._timeout_s:g} s") from error
        except ldap_errors.LDAPOperationResult as error:
            raise SourceFailed(self.name, f"the server refused the search: {error.description or error}") \
                from error
        except (ldap_errors.LDAPException, ValueError, OSError) as error:
            # Garbage on the wire surfaces as decoding errors of many kinds: one clear message for them all.
            raise SourceFailed(self.name, f"the server's answer could not be read ({type(error).__name__}: "
                                          f"{str(error)[:200]})") from error
        contacts = []
        for entry in entries:
            if entry.get("type") != "searchResEntry":
                continue  # referrals and continuation references
            contact = self._contact(entry.get("attributes") or {})
            if contact is not None:
                contacts.append(contact)
        return contacts

    def _contact(self, attributes: dict[str, Any]) -> Contact | None:
        def values(field: str) -> list[str]:
            attribute = self._attributes.get(field)
            if not attribute:
                return []
            raw = attributes.get(attribute)
            items = raw if isinstance(raw, list) else ([raw] if raw is not None else [])
            texts = []
            for item in items:
                text = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
                if text.strip():
                    texts.append(text.strip())
            return texts

        numbers = tuple(PhoneNumber(n, label) for field, label in _NUMBER_FIELDS for n in values(field))
        names = values("name")
        if not names and not numbers:
            return None
        first = lambda field: next(iter(values(field)), "")  # noqa: E731
        return Contact(name=names[0] if names else numbers[0].number, numbers=numbers, kind=SourceKind.DIRECTORY,
                       source=self.name, company=first("company"), title=first("title"), email=first("email"))


def _close(connection: ldap3.Connection) -> None:
    """Unbind, ignoring a socket the failure already closed (it must not replace the real error)."""
    try:
        connection.unbind()
    except ldap_errors.LDAPException as error:
        log.debug("LDAP unbind after a failure: %s", error)


def _tls_reason(error: BaseException) -> str:
    text = str(error)
    for marker in ("certificate verify failed", "hostname", "unknown ca", "self signed", "wrong version"):
        if marker in text.lower():
            return marker
    return text[:160] or type(error).__name__
