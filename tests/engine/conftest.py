from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from callclient.engine import AccountSettings, EngineSettings, SipEngine, Transport
from callclient.engine.events import RegistrationChanged, RegistrationState
from callclient.engine.settings import RegistrationBackoff
from tests.conftest import SIP_USERS
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki


def account_for(kamailio: Kamailio, user: str, transport: str = "udp", **overrides: object) -> AccountSettings:
    values: dict = dict(
        account_id=f"{user}-{transport}",
        user=user,
        domain=kamailio.domain,
        password=SIP_USERS.get(user, "x"),
        display_name=user.title(),
        registrar=kamailio.address(transport),
        outbound_proxy=kamailio.address(transport),
        transport=Transport(transport),
        registration_expiry_s=120,
        backoff=RegistrationBackoff(base_s=1.0, cap_s=8.0, jitter=0.1),
    )
    values.update(overrides)
    return AccountSettings(**values)


@pytest.fixture
def engine(pki: Pki) -> Iterator[SipEngine]:
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2))
    sip.start()
    yield sip
    sip.stop()


@pytest.fixture
def events(engine: SipEngine) -> Iterator[Events]:
    stream = engine.subscribe()
    yield Events(stream)
    stream.close()


@pytest.fixture
def register(engine: SipEngine, events: Events, kamailio: Kamailio) -> Callable[..., AccountSettings]:
    def add(user: str = "alice", transport: str = "udp", **overrides: object) -> AccountSettings:
        settings = account_for(kamailio, user, transport, **overrides)
        engine.add_account(settings).result(5)
        events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
        return settings

    return add


@pytest.fixture
def sipp(tmp_path) -> Iterator[Callable[..., "Sipp"]]:
    from tests.fixtures.sipp import Sipp

    runs: list[Sipp] = []

    def start(scenario: str, **kwargs: object) -> Sipp:
        run = Sipp(scenario, tmp_path / "sipp", **kwargs)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.stop()
