"""The control socket itself: who may connect, what a bad request gets, and a crashed instance's leftovers."""

from __future__ import annotations

import json
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.control.client import ControlClient, ControlError
from callclient.control.server import AlreadyRunning, ControlServer
from callclient.engine import EngineSettings, SipEngine
from callclient.services.calls import CallActions


@pytest.fixture
def engine() -> Iterator[SipEngine]:
    sip = SipEngine(EngineSettings(log_level=1, enable_tcp=False, enable_tls=False))
    sip.start()
    yield sip
    sip.stop()


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="cc-ctl-"))  # short: Unix socket paths are limited
    yield directory / "CallClient"
    import shutil

    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def server(engine: SipEngine, socket_dir: Path) -> Iterator[ControlServer]:
    control = ControlServer(socket_dir / "control.sock", lambda: CallActions(engine))
    control.start()
    yield control
    control.stop()


def raw_exchange(path: Path, payload: bytes) -> list[dict]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(path))
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return [json.loads(line) for line in data.splitlines()]


def test_only_the_owner_can_reach_the_socket(server: ControlServer) -> None:
    assert stat.S_IMODE(server.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(server.path.parent.stat().st_mode) == 0o700


def test_status_answers_with_accounts_and_calls(server: ControlServer) -> None:
    with ControlClient(server.path) as client:
        # The call limits are the wheel's (PJSUA_MAX_CALLS = 4), one slot kept for the user's own call.
        assert client.request("status") == {"accounts": [], "calls": [], "max_calls": 4, "max_incoming_calls": 3}


def test_bad_requests_get_a_reason_and_the_connection_stays_usable(server: ControlServer) -> None:
    answers = raw_exchange(server.path, b"not json\n" + b'{"verb": "fly"}\n' + b'{"verb": "call"}\n'
                           + b'{"verb": "call", "target": "1", "colour": "red"}\n' + b'{"verb": "dnd", "enabled": "yes"}\n'
                           + b'{"verb": "status"}\n')
    assert [a["ok"] for a in answers] == [False, False, False, False, False, True]
    assert "JSON" in answers[0]["error"]
    assert "unknown verb 'fly'" in answers[1]["error"] and "status" in answers[1]["error"]
    assert answers[2]["error"] == "call needs target"
    assert answers[3]["error"] == "call does not take colour"
    assert answers[4]["error"] == "enabled must be true or false"


def test_an_oversized_request_is_refused(server: ControlServer) -> None:
    answers = raw_exchange(server.path, b'{"verb": "call", "target": "' + b"1" * 70000 + b'"}\n')
    assert answers == [{"ok": False, "error": "request too long"}]


def test_engine_refusals_come_back_as_errors(server: ControlServer) -> None:
    with ControlClient(server.path) as client, pytest.raises(ControlError, match="call"):
        client.request("hangup")


def test_a_second_server_finds_the_first_running(server: ControlServer, engine: SipEngine) -> None:
    with pytest.raises(AlreadyRunning):
        ControlServer(server.path, lambda: CallActions(engine)).start()


def test_a_socket_left_by_a_crashed_instance_is_reclaimed(engine: SipEngine, socket_dir: Path) -> None:
    socket_dir.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(socket_dir / "control.sock"))
    stale.close()  # the file stays; nobody listens: what a crash leaves behind
    control = ControlServer(socket_dir / "control.sock", lambda: CallActions(engine))
    control.start()
    try:
        with ControlClient(control.path) as client:
            assert client.request("status")["calls"] == []
    finally:
        control.stop()
    assert not (socket_dir / "control.sock").exists()
