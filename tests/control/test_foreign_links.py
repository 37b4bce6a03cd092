"""A crafted link to a host outside the account's domain (issue 12 item 1) is refused, with the full target
named, on every non-GUI path: the control socket, `callclient call`, a second launch handing its link over,
and a headless launch with a link. Before the wiring the link dialled at once and the engine's refusal
was lost (a launch link) or reached the user without the address to check."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from callclient import APP_NAME
from callclient.control.protocol import SOCKET_NAME
from callclient.storage.keychain import Keychain, SecretKind, system_keyring
from tests.conftest import SIP_USERS
from tests.control.conftest import ACCOUNT_ID, status
from tests.fixtures.headless import AppHome, HeadlessApp
from tests.fixtures.net import wait_until

CRAFTED = "sip:bob@attacker.example"


def exchange(home: AppHome, request: dict) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(20)
        sock.connect(str(home.runtime / APP_NAME / SOCKET_NAME))  # as platformdirs finds it there
        sock.sendall(json.dumps(request).encode() + b"\n")
        return json.loads(sock.makefile().readline())


def test_a_crafted_link_through_the_control_socket_is_refused_naming_the_full_target(
        app_home: AppHome, headless: HeadlessApp) -> None:
    for request in ({"verb": "open", "uri": CRAFTED}, {"verb": "call", "target": CRAFTED}):
        answer = exchange(app_home, request)
        assert answer["ok"] is False and answer["foreign_domain"] == CRAFTED
        assert CRAFTED in answer["error"]
    assert status(app_home)["calls"] == [], "nothing was dialled"


def test_the_command_line_refuses_a_foreign_target_and_says_how_to_call_it_anyway(
        app_home: AppHome, headless: HeadlessApp) -> None:
    refused = app_home.cli("call", CRAFTED)
    assert refused.code == 1
    assert f"not called: {CRAFTED}" in refused.stderr and "--allow-foreign-domain" in refused.stderr

    handed_over = app_home.cli(CRAFTED)  # a second launch, as the desktop runs it for a clicked link
    assert handed_over.code == 1 and f"not called: {CRAFTED}" in handed_over.stderr
    assert status(app_home)["calls"] == []

    # The user checked the address and asks for it on purpose: the call is placed.
    deliberate = app_home.cli("call", "--allow-foreign-domain", "sip:bob@127.0.0.9")
    assert deliberate.code == 0, deliberate.stderr
    assert json.loads(deliberate.stdout)["call"]
    assert app_home.cli("hangup").code == 0


def test_a_headless_launch_with_a_foreign_link_refuses_it_and_prints_why(
        app_home: AppHome, config_file: Path) -> None:
    Keychain(system_keyring()).set(ACCOUNT_ID, SecretKind.SIP_PASSWORD, SIP_USERS["dave"])
    app = HeadlessApp(app_home, config_file, "--no-demo", CRAFTED)
    try:
        app.ready()
        wait_until(lambda: any(f"not calling {CRAFTED}" in line for line in app.stderr), 15,
                   "the refusal on stderr")
        assert status(app_home)["calls"] == []
    finally:
        assert app.stop() == 0
