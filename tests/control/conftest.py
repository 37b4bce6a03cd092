"""A headless CallClient registered as dave on the test registrar, driven through its CLI."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from callclient.storage.keychain import Keychain, SecretKind, system_keyring
from tests.conftest import SIP_USERS
from tests.fixtures.headless import AppHome, HeadlessApp
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.tls import Pki

ACCOUNT_ID = "office"


def account_config(kamailio: Kamailio, pki: Pki, user: str = "dave") -> str:
    return f"""
[[accounts]]
id = "{ACCOUNT_ID}"
display_name = "{user.title()}"
user = "{user}"
domain = "{kamailio.domain}"
registrar = "{kamailio.address('udp')}"
outbound_proxy = "{kamailio.address('udp')}"
transport = "udp"
registration_expiry = 120

[sip]
udp_port = 0
tls_ca_file = "{pki.ca_file}"
"""


@pytest.fixture
def app_home(tmp_path: Path, secret_service) -> Iterator[AppHome]:  # noqa: F811
    home = AppHome(tmp_path)
    yield home
    home.cli("--erase-all-data", "--yes")
    home.cleanup()


@pytest.fixture
def config_file(tmp_path: Path, kamailio: Kamailio, pki: Pki) -> Path:
    path = tmp_path / "callclient.toml"
    path.write_text(account_config(kamailio, pki))
    return path


@pytest.fixture
def headless(app_home: AppHome, config_file: Path) -> Iterator[HeadlessApp]:
    """A running instance whose account is registered."""
    Keychain(system_keyring()).set(ACCOUNT_ID, SecretKind.SIP_PASSWORD, SIP_USERS["dave"])
    app = HeadlessApp(app_home, config_file, "--no-demo")
    try:
        app.ready()
        wait_for_status(app_home, lambda s: s["accounts"] and s["accounts"][0]["state"] == "registered",
                        "the account registered")
        yield app
    finally:
        code = app.stop()
        assert code == 0, f"callclient --headless exited with {code} on SIGTERM; stderr: {''.join(app.stderr)}"


def status(home: AppHome) -> dict[str, Any]:
    result = home.cli("status")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def wait_for_status(home: AppHome, predicate: Callable[[dict[str, Any]], bool], what: str,
                    timeout_s: float = 15.0) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []

    def holds() -> bool:
        seen.append(status(home))
        return bool(predicate(seen[-1]))

    wait_until(holds, timeout_s, f"status to show {what}", interval=0.2)
    return seen[-1]


def only_call_state(snapshot: dict[str, Any]) -> str | None:
    return snapshot["calls"][0]["state"] if len(snapshot["calls"]) == 1 else None
