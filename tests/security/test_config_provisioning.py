"""Attacks on remote provisioning from a hostile HTTPS server (item 6 of the security review).

The server is real TLS on loopback, signed by the test CA the client trusts, so every answer reaches the
client's parser exactly as it would from a compromised or misconfigured provisioning server.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callclient.config import load_config
from tests.config.conftest import Files
from tests.fixtures.tls import Pki

REPO = Path(__file__).resolve().parents[2]
FLOOD_BYTES = 400 * 1024 * 1024
CHUNK = b"# " + b"x" * (64 * 1024 - 3) + b"\n"


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(tmp_path)


class HostileServer:
    """One TLS listener; `behaviour(connection, stop)` writes whatever the attack needs after the request."""

    def __init__(self, pki: Pki, behaviour: Callable[[ssl.SSLSocket, threading.Event], None]) -> None:
        self.behaviour = behaviour
        self.sent_bytes = 0
        self.stop = threading.Event()
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._context.load_cert_chain(str(pki.cert_file), str(pki.key_file))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._listener.getsockname()[1]}/callclient/jdoe.toml"

    def send(self, connection: ssl.SSLSocket, data: bytes) -> None:
        connection.sendall(data)
        self.sent_bytes += len(data)

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                raw, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(raw,), daemon=True).start()

    def _answer(self, raw: socket.socket) -> None:
        try:
            with self._context.wrap_socket(raw, server_side=True) as connection:
                request = b""
                while b"\r\n\r\n" not in request:
                    data = connection.recv(4096)
                    if not data:
                        return
                    request += data
                self.behaviour(connection, self.stop)
        except (OSError, ssl.SSLError):
            pass  # the client hung up on us: that is the point

    def close(self) -> None:
        self.stop.set()
        self._listener.close()


@pytest.fixture
def hostile(pki: Pki) -> Iterator[Callable[[Callable[[ssl.SSLSocket, threading.Event], None]], HostileServer]]:
    servers: list[HostileServer] = []

    def start(behaviour: Callable[[ssl.SSLSocket, threading.Event], None]) -> HostileServer:
        servers.append(HostileServer(pki, behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def admin_file(files: Files, url: str, pki: Pki) -> None:
    files.system.write_text(f'[provisioning]\nurl = "{url}"\nca_file = "{pki.ca_file}"\n[ui]\ntheme = "light"\n')


# A fresh process loads the config the way the app does at start, and reports how far its peak RSS rose.
MEASURE = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from callclient.config import ConfigSources, load_config
    root = Path(sys.argv[1])
    sources = ConfigSources(system_file=root / "etc" / "callclient.toml", user_file=root / "home" / "callclient.toml",
                            cache_dir=root / "cache", environ={"USER": "jdoe"})
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    loaded = load_config(sources, keychain=None)
    after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_mib": (after_kib - before_kib) / 1024, "problem": loaded.remote_problem,
                      "theme": loaded.config.ui.theme}))
""")


@pytest.mark.parametrize("declared", [False, True], ids=["no-content-length", "content-length-400MiB"])
def test_a_400_mib_answer_is_cut_off_at_the_cap_without_being_read(files: Files, pki: Pki, hostile,
                                                                    declared: bool) -> None:
    def flood(connection: ssl.SSLSocket, stop: threading.Event) -> None:
        length = f"Content-Length: {FLOOD_BYTES}\r\n" if declared else "Connection: close\r\n"
        server.send(connection, f"HTTP/1.1 200 OK\r\nContent-Type: application/toml\r\n{length}\r\n".encode())
        while server.sent_bytes < FLOOD_BYTES and not stop.is_set():
            server.send(connection, CHUNK)

    server = hostile(flood)
    admin_file(files, server.url, pki)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(files.root)], capture_output=True, text=True,
                          timeout=120, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "larger than 1048576 bytes" in result["problem"]
    assert result["theme"] == "light", "the admin file still applies"
    assert result["growth_mib"] < 50, f"the client's memory grew by {result['growth_mib']:.0f} MiB"
    # The kernel's socket buffers take a few MiB more than the client read; never the whole flood.
    assert server.sent_bytes < 32 * 1024 * 1024


def _short_deadline(monkeypatch: pytest.MonkeyPatch, deadline_s: float) -> None:
    import callclient.config.sources as sources_module
    from callclient.config.remote import RemoteSource

    monkeypatch.setattr(sources_module, "RemoteSource", lambda **kw: RemoteSource(**{**kw, "deadline_s": deadline_s}))


def drip(data: bytes, interval_s: float) -> Callable[[ssl.SSLSocket, threading.Event], None]:
    def behaviour(connection: ssl.SSLSocket, stop: threading.Event) -> None:
        for index in range(len(data)):
            connection.sendall(data[index:index + 1])
            if stop.wait(interval_s):
                return
    return behaviour


@pytest.mark.parametrize("what", ["headers", "body"])
def test_a_server_dripping_one_byte_at_a_time_is_given_up_at_the_deadline(files: Files, pki: Pki, hostile,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         what: str) -> None:
    body = b'[ui]\ntheme = "dark"\n' * 10
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/toml\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    if what == "headers":
        server = hostile(drip(head + body, 1.0))  # each byte well inside the 10 s read timeout
    else:
        def behaviour(connection: ssl.SSLSocket, stop: threading.Event) -> None:
            connection.sendall(head)
            drip(body, 1.0)(connection, stop)
        server = hostile(behaviour)
    admin_file(files, server.url, pki)
    _short_deadline(monkeypatch, 3.0)
    started = time.monotonic()
    loaded = load_config(files.sources(), keychain=None)
    took_s = time.monotonic() - started
    assert "no answer within 3 s" in loaded.remote_problem
    assert loaded.config.ui.theme == "light"
    # The drip alone would take minutes; the deadline ends it after 3 s (plus a read that was already waiting).
    assert took_s < 3.0 + 2.0


def test_the_shipped_deadline_is_the_documented_15_s() -> None:
    from callclient.config.remote import FETCH_DEADLINE_S, RemoteSource

    assert RemoteSource(url="https://x", cache_file=Path("c")).deadline_s == FETCH_DEADLINE_S == 15.0
