from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.engine import SipEngine
from callclient.engine.events import CallState, CallUpdated, RegistrationChanged, RegistrationState
from tests.engine.conftest import account_for
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.pulse import PulseServer, portaudio_on, running_pulse
from tests.fixtures.sip_peer import SipPeer


@pytest.fixture(scope="session")
def pulse() -> Iterator[PulseServer]:
    yield from running_pulse()


@pytest.fixture
def pulse_env(pulse: PulseServer) -> Iterator[PulseServer]:
    """This process's PortAudio talks to the session's PulseAudio."""
    for _ in portaudio_on(pulse):
        yield pulse


def speech(path: Path, text: str) -> Path:
    """Real speech from espeak-ng, as a WAV file."""
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), text], check=True, capture_output=True, timeout=60)
    return path


def dave_calls_bob(engine: SipEngine, events: Events, kamailio: Kamailio, bob: SipPeer) -> tuple[int, int]:
    """Registers dave on the started `engine` and calls bob (a far end that answers) until both ends say the
    call is confirmed; returns (our call id, the far end's call id)."""
    settings = account_for(kamailio, "dave")
    engine.add_account(settings).result(5)
    events.wait(RegistrationChanged, account_id=settings.account_id, state=RegistrationState.REGISTERED)
    call_id = engine.make_call("bob", settings.account_id).result(5)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED, timeout=15)
    return call_id, bob.expect_state("CONFIRMED")["call"]


def far_end_records(bob: SipPeer, peer_call: int, path: Path) -> None:
    """The far end writes what it hears on `peer_call` to the WAV file `path`, from now until the call ends."""
    bob.send(op="record", call=peer_call, file=str(path))
    bob.expect(lambda e: e["ev"] == "recording", what="the far end recording")
