"""Remote provisioning: an admin configuration fetched over HTTPS, with the last good copy kept for offline starts.

The fetch is conditional (If-None-Match / If-Modified-Since), so polling every hour costs a 304. The
last good copy is kept encrypted (AES-GCM, key in the keychain), since an admin file may carry an
initial password. Whatever goes wrong — 401, 5xx, a timeout, a certificate that does not verify, a body
that is not a TOML config — is a `ProvisioningError` naming it, and the cached copy stays in force.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from callclient.storage.files import fsync_dir
from callclient.storage.keychain import AppSecret, Keychain, SecretKind

if TYPE_CHECKING:
    import httpcore

log = logging.getLogger(__name__)

PROVISIONING_ACCOUNT = "provisioning"
ACCEPTED_TYPES = ("application/toml", "text/plain", "application/octet-stream", "text/x-toml")
MAX_BYTES = 1024 * 1024
CACHE_FILE_NAME = "provisioning.cache"
# The whole fetch (connect, TLS, headers, body) ends within this. The per-read timeout alone never fires
# against a server that sends one byte every few seconds, and startup waits for this fetch; 15 s is
# generous for a 1 MiB file on any working link and short enough that the user still sees a phone start.
FETCH_DEADLINE_S = 15.0


class ProvisioningError(Exception):
    """The remote config could not be fetched or used; the message names the URL and the reason."""


@dataclass(frozen=True)
class RemoteSource:
    url: str
    cache_file: Path
    auth: str = "none"  # "none", "basic", "bearer"; the secret is in the keychain
    username: str = ""
    ca_file: str = ""
    timeout_s: float = 10.0  # for one connect or read
    deadline_s: float = FETCH_DEADLINE_S  # for the whole fetch


@dataclass(frozen=True)
class Fetched:
    text: str
    from_cache: bool  # True after a 304: nothing changed since the cached copy
    etag: str | None = None
    last_modified: str | None = None


def fetch(source: RemoteSource, keychain: Keychain | None) -> Fetched:
    """The admin config text: fresh, or the cached copy when nothing changed (304).

    The body is read in chunks and the fetch stops at the first byte past MAX_BYTES, so a hostile or
    broken server cannot make the client buffer more than that; and the whole exchange (connect, TLS,
    headers, body) must finish within `source.deadline_s`, so a server that drips bytes cannot hold
    startup (each read's own timeout alone never fires while bytes keep trickling in).
    """
    cached = _read_cache(source, keychain)
    headers = [(b"Accept", b"application/toml, text/plain;q=0.5"), (b"User-Agent", b"CallClient provisioning")]
    if cached is not None:
        if cached.get("etag"):
            headers.append((b"If-None-Match", cached["etag"].encode("latin-1", "replace")))
        if cached.get("last_modified"):
            headers.append((b"If-Modified-Since", cached["last_modified"].encode("latin-1", "replace")))
    authorization = _authorization(source, keychain)
    if authorization is not None:
        headers.append((b"Authorization", authorization.encode("latin-1", "replace")))
    import httpcore  # here: see deadline_http.py

    from callclient.config.deadline_http import DeadlineBackend, OverallDeadline

    deadline = time.monotonic() + source.deadline_s
    try:
        context = ssl.create_default_context(cafile=source.ca_file or None)
        timeouts = {name: source.timeout_s for name in ("connect", "read", "write", "pool")}
        with httpcore.ConnectionPool(ssl_context=context, network_backend=DeadlineBackend(deadline)) as pool, \
                pool.stream("GET", source.url, headers=headers, extensions={"timeout": timeouts}) as response:
            status = response.status
            reason = response.extensions.get("reason_phrase", b"").decode("latin-1", "replace")
            answer_headers = {name.decode("latin-1").lower(): value.decode("latin-1", "replace")
                              for name, value in response.headers}
            body = b""
            if status == 200:
                body = _read_capped(source, response, answer_headers)
    except OverallDeadline:
        raise ProvisioningError(f"{source.url}: no answer within {source.deadline_s:.0f} s "
                                "(the server is too slow or keeps the connection dripping)") from None
    except httpcore.TimeoutException:
        raise ProvisioningError(f"{source.url}: no answer within {source.timeout_s:.0f} s") from None
    except httpcore.ConnectError as error:
        if "CERTIFICATE_VERIFY_FAILED" in str(error) or isinstance(error.__context__, ssl.SSLError):
            raise ProvisioningError(f"{source.url}: the server's certificate could not be verified ({error})") from None
        raise ProvisioningError(f"{source.url}: cannot connect ({error})") from None
    except (httpcore.RemoteProtocolError, httpcore.ReadError) as error:
        raise ProvisioningError(f"{source.url}: the answer was cut off ({error or type(error).__name__})") from None
    except httpcore.UnsupportedProtocol as error:
        raise ProvisioningError(f"{source.url}: not a URL CallClient can fetch ({error})") from None
    except (httpcore.ProtocolError, httpcore.NetworkError, ssl.SSLError, OSError) as error:
        raise ProvisioningError(f"{source.url}: {error}") from None
    if status == 304:
        if cached is None:
            raise ProvisioningError(f"{source.url}: the server said 'not modified' but no copy is cached")
        return Fetched(cached["text"], from_cache=True, etag=cached.get("etag"),
                       last_modified=cached.get("last_modified"))
    if status in (401, 403):
        raise ProvisioningError(f"{source.url}: the server refused the credentials ({status}); "
                                "ask your administrator for the provisioning password or token")
    if status != 200:
        raise ProvisioningError(f"{source.url}: the server answered {status} {reason}".rstrip())
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProvisioningError(f"{source.url}: the answer is not UTF-8 text") from None
    return Fetched(text, from_cache=False, etag=answer_headers.get("etag"),
                   last_modified=answer_headers.get("last-modified"))


def _read_capped(source: RemoteSource, response: httpcore.Response, headers: dict[str, str]) -> bytes:
    """The body, refusing a non-TOML type before reading it and stopping at MAX_BYTES + 1 bytes."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ACCEPTED_TYPES:
        raise ProvisioningError(f"{source.url}: the answer is {content_type or 'untyped'}, not a TOML file "
                                "(is the URL right? a login page is HTML)")
    too_large = ProvisioningError(f"{source.url}: the answer is larger than {MAX_BYTES} bytes")
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise too_large  # said so up front: not one byte of the body is read
    body = bytearray()
    for chunk in response.iter_stream():
        body += chunk
        if len(body) > MAX_BYTES:
            raise too_large  # leaving the stream closes the connection; the rest is never read
    return bytes(body)


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


def _authorization(source: RemoteSource, keychain: Keychain | None) -> str | None:
    """The Authorization header value, the secret from the keychain."""
    if source.auth == "none":
        return None
    secret = keychain.get(PROVISIONING_ACCOUNT, SecretKind.PROVISIONING_CREDENTIAL) if keychain else None
    if not secret:
        raise ProvisioningError(f"{source.url}: needs a {source.auth} credential, and none is in the keychain "
                                "(set it with the admin's deployment script or the first-run dialog)")
    if source.auth == "basic":
        return "Basic " + base64.b64encode(f"{source.username}:{secret}".encode()).decode("ascii")
    return f"Bearer {secret}"
