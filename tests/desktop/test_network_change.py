"""Network changes: the shipped headless app, inside a network namespace the test creates, loses the
address it uses and gets it back; it says so honestly meanwhile and registers again within 5 s of the
address being back, well before its retry schedule would have."""

from __future__ import annotations

import ctypes
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from callclient.storage.keychain import Keychain, SecretKind, system_keyring
from tests.conftest import SIP_USERS
from tests.control.conftest import ACCOUNT_ID, account_config, status, wait_for_status
from tests.fixtures.headless import AppHome, HeadlessApp
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.tls import Pki

APP_ADDRESS = "10.77.0.1"  # the app's "Wi-Fi address": on the namespace's loopback, so nothing leaves the host
CLONE_NEWNET = 0x40000000
BACK_WITHIN_S = 5.0


def ip(namespace: str, *args: str) -> None:
    done = subprocess.run(["ip", "-n", namespace, *args], capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, f"ip {' '.join(args)}: {done.stderr}"


@pytest.fixture
def namespace() -> Iterator[str]:
    name = f"cc-net-{uuid.uuid4().hex[:8]}"
    done = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, f"cannot create a network namespace: {done.stderr}"
    try:
        ip(name, "link", "set", "lo", "up")
        ip(name, "addr", "add", f"{APP_ADDRESS}/32", "dev", "lo")
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], timeout=10)


@contextmanager
def inside(namespace: str) -> Iterator[None]:
    """This thread (and what it starts) in `namespace`: a network namespace belongs to a thread, not a process."""
    libc = ctypes.CDLL(None, use_errno=True)
    original = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open(f"/var/run/netns/{namespace}", os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns into the test's network namespace")
        try:
            yield
        finally:
            assert libc.setns(original, CLONE_NEWNET) == 0, "could not leave the test's network namespace"
    finally:
        os.close(original)
        os.close(target)


def account_state(snapshot: dict) -> str:
    return snapshot["accounts"][0]["state"] if snapshot["accounts"] else ""


def app_log(home: AppHome) -> str:
    return "".join(path.read_text(errors="replace") for path in home.home.rglob("*.log"))


def test_registers_again_within_5_s_of_its_address_coming_back(
    tmp_path: Path, secret_service, pki: Pki, namespace: str  # noqa: ANN001
) -> None:
    kamailio = Kamailio(tmp_path / "kamailio", SIP_USERS, pki.cert_file, pki.key_file)
    home = AppHome(tmp_path / "app")
    config_file = tmp_path / "callclient.toml"
    config_file.write_text(account_config(kamailio, pki) + f'bind_address = "{APP_ADDRESS}"\n')
    Keychain(system_keyring()).set(ACCOUNT_ID, SecretKind.SIP_PASSWORD, SIP_USERS["dave"])
    with inside(namespace):
        kamailio.start()
        app = HeadlessApp(home, config_file, "--no-demo")
    try:
        app.ready()
        wait_for_status(home, lambda s: account_state(s) == "registered", "the account registered")

        # The address goes (Wi-Fi lost): the app stops claiming to be registered.
        ip(namespace, "addr", "del", f"{APP_ADDRESS}/32", "dev", "lo")
        wait_for_status(home, lambda s: account_state(s) in {"reconnecting", "failed"}, "the account not registered")
        # Let the retry schedule grow past the promise: after the first retry fails the next is ~10 s away,
        # so a registration within 5 s of the address's return can only come from following the network.
        wait_until(lambda: "registration retry 1 for" in app_log(home), 20, "the first registration retry")
        wait_for_status(home, lambda s: account_state(s) == "failed", "the retry failing")
        assert account_state(status(home)) != "registered"

        registers_before = len(kamailio.registers("dave"))
        back_at = time.monotonic()
        ip(namespace, "addr", "add", f"{APP_ADDRESS}/32", "dev", "lo")
        wait_for_status(home, lambda s: account_state(s) == "registered", "the account registered again",
                        timeout_s=BACK_WITHIN_S)
        took_s = time.monotonic() - back_at
        assert len(kamailio.registers("dave")) > registers_before, "the registrar saw the new REGISTER"
        assert "registration retry 2 for" not in app_log(home), "it was the retry schedule, not the network watch"
        print(f"registered again {took_s:.2f} s after the address came back")
    except AssertionError as error:
        raise AssertionError(f"{error}\napp log:\n{app_log(home)[-4000:]}") from None
    finally:
        code = app.stop()
        with inside(namespace):
            kamailio.stop()
        home.cli("--erase-all-data", "--yes")
        home.cleanup()
    assert code == 0, "".join(app.stderr)
