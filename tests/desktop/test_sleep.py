"""Sleep and wake: the shipped headless app un-REGISTERs before the computer sleeps and registers on wake,
told by the real PrepareForSleep signal on a system bus the test runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.storage.keychain import Keychain, SecretKind, system_keyring
from tests.conftest import SIP_USERS
from tests.control.conftest import ACCOUNT_ID, account_config, wait_for_status
from tests.fixtures.dbus import private_system_bus
from tests.fixtures.headless import AppHome, HeadlessApp
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.logind import StandInLogind
from tests.fixtures.tls import Pki


@pytest.fixture
def logind() -> Iterator[tuple[str, StandInLogind]]:
    with private_system_bus() as address:
        fake = StandInLogind(address)
        try:
            yield address, fake
        finally:
            fake.close()


def account_state(snapshot: dict) -> str:
    return snapshot["accounts"][0]["state"] if snapshot["accounts"] else ""


def test_unregisters_before_sleep_and_registers_again_on_wake(
    tmp_path: Path, secret_service, private_kamailio: Kamailio, pki: Pki,  # noqa: ANN001
    logind: tuple[str, StandInLogind],
) -> None:
    address, fake = logind
    home = AppHome(tmp_path / "app")
    home.env["DBUS_SYSTEM_BUS_ADDRESS"] = address
    config_file = tmp_path / "callclient.toml"
    config_file.write_text(account_config(private_kamailio, pki))
    Keychain(system_keyring()).set(ACCOUNT_ID, SecretKind.SIP_PASSWORD, SIP_USERS["dave"])
    app = HeadlessApp(home, config_file, "--no-demo")
    try:
        app.ready()
        wait_for_status(home, lambda s: account_state(s) == "registered", "the account registered")
        # The app holds a delay lock from start: logind waits for it before suspending.
        lock = fake.inhibitors.get(timeout=15)
        registers_before = len(private_kamailio.registers("dave"))

        fake.prepare_for_sleep(True)
        assert fake.released(lock, 10), "the app did not let the computer sleep"
        # By the time it let go, the registrar had the un-REGISTER.
        sent = private_kamailio.registers("dave")[registers_before:]
        assert any(line.rstrip().endswith("expires=0") for line in sent), sent
        wait_for_status(home, lambda s: account_state(s) == "unregistered", "the account unregistered")

        registers_asleep = len(private_kamailio.registers("dave"))
        fake.prepare_for_sleep(False)
        wait_for_status(home, lambda s: account_state(s) == "registered", "the account registered after wake")
        woke = private_kamailio.registers("dave")[registers_asleep:]
        assert woke and not woke[-1].rstrip().endswith("expires=0"), woke
        # Awake again, the app holds a new delay lock for the next sleep.
        fake.inhibitors.get(timeout=10)
    finally:
        code = app.stop()
        home.cli("--erase-all-data", "--yes")
        home.cleanup()
    assert code == 0, "".join(app.stderr)
