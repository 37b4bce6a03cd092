"""A whole Core (the app without a window) in a home of its own, started and stopped by each test, against
the session's Kamailio, the real Secret Service and (where sound matters) a PulseAudio with null sinks."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from callclient.app import Core, CoreOptions
from callclient.storage.keychain import Keychain, SecretKind, system_keyring
from tests.conftest import SIP_USERS
from tests.fixtures.engine_events import Events
from tests.fixtures.headless import private_dirs
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.pulse import PulseServer, portaudio_on, running_pulse


def account_toml(kamailio: Kamailio, user: str, account_id: str | None = None) -> str:
    return f"""
[[accounts]]
id = "{account_id or user}"
display_name = "{user.title()}"
user = "{user}"
domain = "{kamailio.domain}"
registrar = "{kamailio.address('udp')}"
outbound_proxy = "{kamailio.address('udp')}"
transport = "udp"
"""


@dataclass
class CoreHome:
    """A home directory, a user config file and a keychain service of one test; `start()` runs a Core there."""

    root: Path
    config_file: Path
    keychain_service: str
    cores: list[Core] = field(default_factory=list)

    def keychain(self) -> Keychain:
        return Keychain(system_keyring(), service=self.keychain_service)

    def set_password(self, account_id: str, user: str) -> None:
        self.keychain().set(account_id, SecretKind.SIP_PASSWORD, SIP_USERS[user])

    def start(self, use_sound_devices: bool = False, processing_in_background: bool = False) -> Core:
        core = Core(CoreOptions(config_file=self.config_file, demo=False, use_sound_devices=use_sound_devices,
                                keychain_service=self.keychain_service,
                                processing_in_background=processing_in_background))
        self.cores.append(core)
        core.start()
        return core

    def stop(self, core: Core) -> None:
        core.stop()
        self.cores.remove(core)


@pytest.fixture
def core_home(tmp_path: Path, secret_service, monkeypatch: pytest.MonkeyPatch) -> Iterator[CoreHome]:  # noqa: ANN001
    root = tmp_path / "home"
    for name, value in private_dirs(root, tmp_path / "admin.toml", "cc-svc-run-").items():
        monkeypatch.setenv(name, value)
    home = CoreHome(root, tmp_path / "callclient.toml", f"CallClient-svc-{secrets.token_hex(4)}")
    yield home
    for core in list(home.cores):
        core.stop()
    home.keychain().delete_everything()


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    """A PulseAudio with null sinks for the tests of one module that use sound devices."""
    yield from running_pulse()


@pytest.fixture
def sound(pulse: PulseServer) -> Iterator[PulseServer]:
    """This process's PortAudio talks to `pulse` for the test. Ask for it before core_home: fixtures are torn
    down in reverse, so every Core closes its streams before PortAudio is re-initialised under it (Pa_Terminate
    with a PulseAudio stream open hangs)."""
    for _ in portaudio_on(pulse):
        yield pulse


def news(core: Core) -> Events:
    """What the services announce (engine events after the services took them in, settings, accounts)."""
    assert core.services is not None
    return Events(core.services.news.subscribe())


def registered(core: Core, *account_ids: str) -> None:
    """Waits until the engine reports each account registered (the events may have passed before a test
    subscribed: Core registers while it starts)."""
    from callclient.services.types import RegistrationState
    from tests.fixtures.net import wait_until

    def all_registered() -> bool:
        accounts = {a.account_id: a.state for a in core.services.calls.status().result(5).accounts}
        return all(accounts.get(account_id) is RegistrationState.REGISTERED for account_id in account_ids)

    wait_until(all_registered, 15, f"{', '.join(account_ids)} registered")


def registered_core(core_home: CoreHome, kamailio: Kamailio, user: str) -> Core:
    """A Core in `core_home` with `user`'s SIP account at Kamailio (its password in the keychain), started
    and registered."""
    core_home.config_file.write_text(account_toml(kamailio, user))
    core_home.set_password(user, user)
    core = core_home.start()
    registered(core, user)
    return core


def offered_payload_types(sdp: str) -> list[str]:
    """The audio payload types of an SDP offer, in the offerer's order of preference (RFC 3264 §5.1)."""
    line = next(line for line in sdp.splitlines() if line.startswith("m=audio"))
    return line.split()[3:]


Waiter = Callable[[Callable[[], bool], float, str], None]
