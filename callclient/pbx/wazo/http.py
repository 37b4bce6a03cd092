"""Requests to the PBX over verified HTTPS: retries with backoff for what is safe to repeat, and every failure
turned into a PbxError that names the host.

Thread-safe: each thread passes its own `httpx.Client` (made by `new_client`); the TLS context is shared.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import time
from collections.abc import Callable
from typing import Any

import httpx

from callclient.pbx.errors import (
    PbxBadResponse,
    PbxError,
    PbxForbidden,
    PbxNotFound,
    PbxServerError,
    PbxTimeout,
    PbxTlsError,
    PbxUnauthorized,
    PbxUnreachable,
)
from callclient.pbx.wazo.config import WazoConfig

log = logging.getLogger(__name__)

_RETRIED_STATUSES = frozenset({502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE"})

# Told after every request: None when the PBX answered (whatever it said), the failure when it could not be
# reached. The service turns this into its online/offline state.
Reachability = Callable[[PbxError | None], None]


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """One verifying context for HTTPS and the websocket: the given CA, or the system's trust store."""
    return ssl.create_default_context(cafile=ca_file)


def backoff_delay_s(attempt: int, base_s: float, max_s: float) -> float:
    """Exponential backoff with full jitter (attempt 0 is the first retry), so clients that lost the PBX
    together do not come back in lockstep."""
    return random.uniform(0, min(max_s, base_s * (2**attempt)))


class WazoHttp:
    """Sends one API request and reads its answer; knows nothing of sessions beyond the token it is given."""

    def __init__(self, config: WazoConfig, reachability: Reachability) -> None:
        self._config = config
        self.host = config.host
        self.tls = tls_context(config.ca_file)
        self._reachability = reachability

    def new_client(self) -> httpx.Client:
        timeout = httpx.Timeout(self._config.timeout_s, connect=self._config.connect_timeout_s)
        return httpx.Client(base_url=self._config.base_url, verify=self.tls, timeout=timeout,
                            headers={"Accept": "application/json"}, follow_redirects=False)

    def send(
        self,
        client: httpx.Client,
        method: str,
        base: str,
        path: str,
        *,
        what: str,
        token: str | None,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        raw_body: tuple[bytes, str] | None = None,  # (content, content type): dird's CSV import
        basic: tuple[str, str] | None = None,
        expect: str = "json",
        attempts: int | None = None,
    ) -> Any:
        """The decoded answer (`expect`: "json", "bytes" or "none"). `what` completes "Could not ..." in errors."""
        attempts = attempts or (self._config.max_attempts if method in _IDEMPOTENT else 1)
        headers = {"X-Auth-Token": token} if token else {}
        content = None
        if raw_body is not None:
            content, headers["Content-Type"] = raw_body
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = client.request(method, base + path, params=params, json=json_body,
                                          content=content, headers=headers, auth=basic)
            except httpx.TimeoutException as error:
                failure: PbxError = PbxTimeout(self.host, self._config.timeout_s)
                cause: Exception = error
            except httpx.TransportError as error:
                tls = _ssl_error(error)
                if tls is not None:
                    raise PbxTlsError(self.host, tls) from error
                failure, cause = PbxUnreachable(self.host, _network_reason(error)), error
            else:
                if response.status_code in _RETRIED_STATUSES and not last:
                    log.info("%s answered %d to %s; retrying", self.host, response.status_code, what)
                    time.sleep(backoff_delay_s(attempt, self._config.backoff_base_s, self._config.backoff_max_s))
                    continue
                result = self._result(response, what, expect)
                self._reachability(None)
                return result
            if last:
                self._reachability(failure)
                raise failure from cause
            log.info("%s: %s; retrying", what, failure)
            time.sleep(backoff_delay_s(attempt, self._config.backoff_base_s, self._config.backoff_max_s))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _result(self, response: httpx.Response, what: str, expect: str) -> Any:
        status = response.status_code
        if status == 401:
            raise PbxUnauthorized(self.host, _error_message(response))
        if status == 403:
            raise PbxForbidden(self.host, what)
        if status == 404:
            raise PbxNotFound(self.host, what)
        if status >= 500:
            raise PbxServerError(self.host, status, what)
        if status >= 300:
            raise PbxBadResponse(self.host, what, f"HTTP {status}: {_error_message(response) or 'no reason given'}",
                                 status=status)
        if expect == "none":
            return None
        if expect == "bytes":
            return response.content
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise PbxBadResponse(self.host, what, "not JSON") from error


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    if isinstance(body, dict):
        message = body.get("message") or body.get("reason")
        if isinstance(message, list):
            message = "; ".join(map(str, message))
        return str(message or "")
    return ""


def _ssl_error(error: BaseException) -> str | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or "certificate verify failed"
        if isinstance(seen, ssl.SSLError):
            return seen.reason or str(seen)
        seen = seen.__cause__ or seen.__context__
    text = str(error)
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return text
    return None


def _network_reason(error: httpx.TransportError) -> str:
    text = str(error) or type(error).__name__
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host name"
    return text
