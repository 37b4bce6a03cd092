"""The provisioning fetch's connections: httpcore's socket backend with one deadline over the whole exchange.

Apart from remote.py so httpcore (with h11 and anyio, ~50 ms) is imported when a fetch happens, not at every
start: most installs have no remote provisioning.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import httpcore

T = TypeVar("T")


class OverallDeadline(httpcore.TimeoutException):
    """The whole fetch ran past its deadline (not one read: a dripping server never trips those)."""


def _within(deadline: float, timeout: float | None, operation: Callable[[float], T]) -> T:
    """Runs `operation(wait_s)` with its wait cut to what is left before `deadline`."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OverallDeadline("the provisioning fetch ran past its deadline")
    try:
        return operation(remaining if timeout is None else min(timeout, remaining))
    except httpcore.TimeoutException:
        if time.monotonic() >= deadline:
            raise OverallDeadline("the provisioning fetch ran past its deadline") from None
        raise


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake waits at most until the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _within(self._deadline, timeout, lambda wait_s: self._inner.read(max_bytes, wait_s))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _within(self._deadline, timeout, lambda wait_s: self._inner.write(buffer, wait_s))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        secured = _within(self._deadline, timeout,
                          lambda wait_s: self._inner.start_tls(ssl_context, server_hostname, wait_s))
        return _DeadlineStream(secured, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend, every connection wrapped in `_DeadlineStream`."""

    def __init__(self, deadline: float) -> None:
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        connected = _within(self._deadline, timeout, lambda wait_s: self._inner.connect_tcp(
            host, port, wait_s, local_address, socket_options))
        return _DeadlineStream(connected, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
