"""Remote provisioning: an admin configuration fetched over HTTPS, with the last good copy kept for offline starts.

The fetch is conditional (If-None-Match / If-Modified-Since), so polling every hour costs a 304. The
last good copy is kept encrypted (AES-GCM, key in the keychain), since an admin file may carry an
initial password. Whatever goes wrong — 401, 5xx, a timeout, a certificate that does not verify, a body
that is not a TOML config — is a `ProvisioningError` naming it, and the cached copy stays in force.
"""

from __future__ import annotations

import json
import logging
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from callclient.storage.files import fsync_dir
from callclient.storage.keychain import AppSecret, Keychain, SecretKind

log = logging.getLogger(__name__)

PROVISIONING_ACCOUNT = "provisioning"
ACCEPTED_TYPES = ("application/toml", "text/plain", "application/octet-stream", "text/x-toml")
MAX_BYTES = 1024 * 1024
CACHE_FILE_NAME = "provisioning.cache"


class ProvisioningError(Exception):
    """The remote config could not be fetched or used; the message names the URL and the reason."""


@dataclass(frozen=True)
class RemoteSource:
    url: str
    cache_file: Path
    auth: str = "none"  # "none", "basic", "bearer"; the secret is in the keychain
    username: str = ""
    ca_file: str = ""
    timeout_s: float = 10.0


@dataclass(frozen=True)
class Fetched:
    text: str
    from_cache: bool  # True after a 304: nothing changed since the cached copy
    etag: str | None = None
    last_modified: str | None = None


def fetch(source: RemoteSource, keychain: Keychain | None) -> Fetched:
    """The admin config text: fresh, or the cached copy when nothing changed (304)."""
    cached = _read_cache(source, keychain)
    headers = {"Accept": "application/toml, text/plain;q=0.5"}
    if cached is not None:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    auth = _auth(source, keychain)
    try:
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=source.ca_file or None)
        with httpx.Client(verify=verify, timeout=source.timeout_s, follow_redirects=False) as client:
            response = client.get(source.url, headers=headers, auth=auth)
            body = response.read()
    except httpx.TimeoutException:
        raise ProvisioningError(f"{source.url}: no answer within {source.timeout_s:.0f} s") from None
    except httpx.ConnectError as error:
        if "CERTIFICATE_VERIFY_FAILED" in str(error) or isinstance(error.__cause__, ssl.SSLError):
            raise ProvisioningError(f"{source.url}: the server's certificate could not be verified ({error})") from None
        raise ProvisioningError(f"{source.url}: cannot connect ({error})") from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as error:
        raise ProvisioningError(f"{source.url}: the answer was cut off ({error})") from None
    except (httpx.HTTPError, ssl.SSLError, OSError) as error:
        raise ProvisioningError(f"{source.url}: {error}") from None
    if response.status_code == 304:
        if cached is None:
            raise ProvisioningError(f"{source.url}: the server said 'not modified' but no copy is cached")
        return Fetched(cached["text"], from_cache=True, etag=cached.get("etag"),
                       last_modified=cached.get("last_modified"))
    if response.status_code in (401, 403):
        raise ProvisioningError(f"{source.url}: the server refused the credentials ({response.status_code}); "
                                "ask your administrator for the provisioning password or token")
    if response.status_code != 200:
        raise ProvisioningError(f"{source.url}: the server answered {response.status_code} {response.reason_phrase}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ACCEPTED_TYPES:
        raise ProvisioningError(f"{source.url}: the answer is {content_type or 'untyped'}, not a TOML file "
                                "(is the URL right? a login page is HTML)")
    if len(body) > MAX_BYTES:
        raise ProvisioningError(f"{source.url}: the answer is larger than {MAX_BYTES} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProvisioningError(f"{source.url}: the answer is not UTF-8 text") from None
    return Fetched(text, from_cache=False, etag=response.headers.get("etag"),
                   last_modified=response.headers.get("last-modified"))


def remember(source: RemoteSource, keychain: Keychain | None, fetched: Fetched) -> None:
    """Keeps the fetched text (already validated) as the last good copy, encrypted."""
    if keychain is None or fetched.from_cache:
        return  # without the keychain there is no key: keep nothing rather than plaintext
    key = keychain.get_or_create_key(AppSecret.PROVISIONING_CACHE_KEY)
    nonce = os.urandom(12)
    plain = json.dumps({"url": source.url, "text": fetched.text, "etag": fetched.etag,
                        "last_modified": fetched.last_modified}).encode()
    sealed = nonce + AESGCM(key).encrypt(nonce, plain, source.url.encode())
    source.cache_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = source.cache_file.with_suffix(".tmp")
    with open(temporary, "wb", opener=lambda path, flags: os.open(path, flags, 0o600)) as out:
        out.write(sealed)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, source.cache_file)
    fsync_dir(source.cache_file.parent)


def cached_copy(source: RemoteSource, keychain: Keychain | None) -> str | None:
    cached = _read_cache(source, keychain)
    return cached["text"] if cached else None


def _read_cache(source: RemoteSource, keychain: Keychain | None) -> dict | None:
    if keychain is None:
        return None
    try:
        sealed = source.cache_file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("the cached provisioning file cannot be read: %s", error.strerror or error)
        return None
    key = keychain.get_key(AppSecret.PROVISIONING_CACHE_KEY)
    if key is None or len(sealed) < 13:
        return None
    try:
        cached = json.loads(AESGCM(key).decrypt(sealed[:12], sealed[12:], source.url.encode()))
    except (InvalidTag, ValueError):
        log.warning("the cached provisioning file is damaged or from another URL; it is ignored")
        return None
    return cached if cached.get("url") == source.url else None


def _auth(source: RemoteSource, keychain: Keychain | None) -> httpx.Auth | None:
    if source.auth == "none":
        return None
    secret = keychain.get(PROVISIONING_ACCOUNT, SecretKind.PROVISIONING_CREDENTIAL) if keychain else None
    if not secret:
        raise ProvisioningError(f"{source.url}: needs a {source.auth} credential, and none is in the keychain "
                                "(set it with the admin's deployment script or the first-run dialog)")
    if source.auth == "basic":
        return httpx.BasicAuth(source.username, secret)
    return _Bearer(secret)


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request
