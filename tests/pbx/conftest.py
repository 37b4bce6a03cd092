"""The test PBX (callclient.demo.pbx_server) over HTTPS on loopback, checked against Wazo's vendored specs.

Every test that uses `pbx` fails at teardown if any request the client sent, or any answer the server gave,
did not match the specs.
"""

from __future__ import annotations

import queue
import ssl
import time
from collections.abc import Callable, Iterator

import pytest

from callclient.demo.pbx_server import PbxData, PbxServer, WazoContract
from callclient.pbx.service import PbxEvent
from callclient.pbx.wazo import WazoConfig, WazoService
from tests.fixtures.tls import Pki

ALICE_LOGIN = "alice@example.com"
ALICE_PASSWORD = "alice-pass-2024"
ALICE_SIP_PASSWORD = "alice-Secret-7431"


@pytest.fixture(scope="session")
def wazo_contract() -> WazoContract:
    """The merged specs, validated as Swagger 2.0 once per session (loading fails loudly if they are broken)."""
    return WazoContract.load()


def server_tls(pki: Pki) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(pki.cert_file), str(pki.key_file))
    return context


@pytest.fixture
def pbx(wazo_contract: WazoContract, pki: Pki) -> Iterator[PbxServer]:
    server = PbxServer(wazo_contract, PbxData.sample(sip_password=ALICE_SIP_PASSWORD, password=ALICE_PASSWORD),
                       ssl_context=server_tls(pki))
    server.start()
    yield server
    server.stop()
    assert server.violations == [], "the client or the test PBX broke the Wazo API contract"


class EventLog:
    """Events from the service's update thread, in a queue the test waits on."""

    def __init__(self) -> None:
        self.queue: queue.Queue[PbxEvent] = queue.Queue()
        self.seen: list[PbxEvent] = []

    def __call__(self, event: PbxEvent) -> None:
        self.queue.put(event)

    def wait_for(self, predicate: Callable[[PbxEvent], bool], timeout: float = 10.0) -> PbxEvent:
        """The first event (past or arriving within `timeout`) for which `predicate` holds."""
        for event in self.seen:
            if predicate(event):
                return event
        # One deadline for the whole wait: a stream of other events (a renewal storm) must not extend it.
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no matching PBX event within {timeout} s; saw {len(self.seen)}, the last "
                                     f"{self.seen[-5:]}") from None
            self.seen.append(event)
            if predicate(event):
                return event


@pytest.fixture
def events() -> EventLog:
    return EventLog()


@pytest.fixture
def make_service(pbx: PbxServer, pki: Pki, events: EventLog) -> Iterator[Callable[..., WazoService]]:
    made: list[WazoService] = []

    def make(**overrides: object) -> WazoService:
        options: dict[str, object] = {"base_url": pbx.base_url, "ca_file": str(pki.ca_file), "timeout_s": 3.0,
                                      "connect_timeout_s": 2.0, "backoff_base_s": 0.01, "backoff_max_s": 0.05,
                                      "poll_interval_s": 0.1, "poll_max_interval_s": 0.4}
        service_args = {k: overrides.pop(k) for k in list(overrides) if k in
                        ("token_store", "recording_cache", "clock", "on_secret", "account_id")}
        options.update(overrides)
        service = WazoService(WazoConfig(**options), account_id=str(service_args.pop("account_id", "acct-1")),
                              on_event=events, **service_args)
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()


@pytest.fixture
def service(make_service: Callable[..., WazoService]) -> WazoService:
    """A service signed in as Alice."""
    service = make_service()
    service.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    return service
