"""Shared pieces for the attacks in tests/security: the real engine and registrar from the engine
suite, and the attacker's raw SIP tools."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.engine.conftest import engine, events, register, sipp  # noqa: F401 - shared fixtures
from tests.fixtures.raw_sip import FakeSipServer, RawSipClient, SipMessage


@pytest.fixture
def fake_sip_server() -> Iterator[Callable[[Callable[[SipMessage], bytes | None]], FakeSipServer]]:
    servers: list[FakeSipServer] = []

    def start(answer: Callable[[SipMessage], bytes | None]) -> FakeSipServer:
        server = FakeSipServer(answer)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def attacker() -> Iterator[RawSipClient]:
    client = RawSipClient()
    yield client
    client.close()
