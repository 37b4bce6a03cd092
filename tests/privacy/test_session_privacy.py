"""The privacy policy, proven on a whole session of the real app (Core) with a home of its own.

Account configured and registered on the test registrar, a PBX sign-in (tokens), an SRTP call through
Kamailio to a pjsua2 far end, favorites added, a voicemail downloaded, cached and played, the SIP trace
on. Then every file written and every log line is searched for every secret of the session, in the
encodings a careless write would use; the sockets the app opened are checked against the hosts it was
configured with; and sign-out-and-erase leaves no app data and no keychain entries behind.
"""

from __future__ import annotations

import base64
import logging
import secrets
import ssl
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from callclient.app import PBX_ACCOUNT_ID, Core, CoreOptions
from callclient.demo.pbx_server import PbxData, PbxServer, WazoContract
from callclient.engine.events import CallEnded, CallState, CallUpdated, RegistrationState
from callclient.storage.keychain import AppSecret, Keychain, SecretKind, system_keyring
from tests.conftest import SIP_USERS
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.tls import Pki

PBX_LOGIN = "alice@example.com"
PBX_PASSWORD = "alice-pass-2024"
PBX_SIP_PASSWORD = "alice-Secret-7431"


class Audit:
    """Every outgoing connection and name lookup Python code makes in this process, while switched on."""

    _installed: Audit | None = None

    def __init__(self) -> None:
        self.on = False
        self.connects: list[tuple[str, object]] = []
        self.lookups: list[str] = []

    @classmethod
    def install(cls) -> Audit:
        # Audit hooks cannot be removed; one per process, switched on and off by each test.
        if cls._installed is None:
            cls._installed = cls()
            sys.addaudithook(cls._installed._hook)
        return cls._installed

    def _hook(self, event: str, args: tuple) -> None:
        if not self.on:
            return
        if event in ("socket.connect", "socket.sendto") and len(args) >= 2 and isinstance(args[1], tuple):
            self.connects.append((event, args[1]))
        elif event == "socket.getaddrinfo" and args:
            self.lookups.append(str(args[0]))


@dataclass
class SocketWatch:
    """Samples this process's inet sockets (pjsua2's are C-level: only the OS sees them) on its own thread."""

    remote: set[tuple[str, int, int]] = field(default_factory=set)  # (host, port, socket type) we connected to
    accepted: set[tuple[str, int]] = field(default_factory=set)  # (peer host, our port) others connected to
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        me = psutil.Process()
        while True:
            connections = me.net_connections(kind="inet")
            listening = {c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN}
            for connection in connections:
                if connection.raddr and connection.laddr.port not in listening:  # outgoing, not accepted
                    self.remote.add((connection.raddr.ip, connection.raddr.port, int(connection.type)))
                elif connection.raddr:
                    self.accepted.add((connection.raddr.ip, connection.laddr.port))
            if self.stop.wait(0.02):
                return


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name, sub in [("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state"), ("TMPDIR", "tmp")]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(home / sub))
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("CALLCLIENT_SYSTEM_CONFIG", str(tmp_path / "no-admin-file.toml"))
    return home


@pytest.fixture
def pbx(pki: Pki) -> Iterator[PbxServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(pki.cert_file), str(pki.key_file))
    server = PbxServer(WazoContract.load(), PbxData.sample(sip_password=PBX_SIP_PASSWORD, password=PBX_PASSWORD),
                       ssl_context=context)
    server.start()
    yield server
    server.stop()
    assert server.violations == []


def encodings(secret: str) -> set[bytes]:
    raw = secret.encode()
    forms = {raw, urllib.parse.quote(secret, safe="").encode(), raw.hex().encode()}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(encode(raw).rstrip(b"="))
    return {form for form in forms if len(form) >= 6}


def test_a_whole_session_leaves_no_secret_behind_and_erase_leaves_nothing(
    fresh_home: Path, secret_service, kamailio: Kamailio, pki: Pki, pbx: PbxServer, far_end  # noqa: ANN001
) -> None:
    service = f"CallClient-privacy-{secrets.token_hex(4)}"
    sip_password = SIP_USERS["dave"]
    Keychain(system_keyring(), service=service).set("office", SecretKind.SIP_PASSWORD, sip_password)
    config_dir = fresh_home / ".config" / "CallClient"
    config_dir.mkdir(parents=True)
    (config_dir / "callclient.toml").write_text(f"""
[[accounts]]
id = "office"
display_name = "Dave"
user = "dave"
domain = "{kamailio.domain}"
registrar = "{kamailio.address('udp')}"
outbound_proxy = "{kamailio.address('udp')}"
transport = "udp"
srtp = "mandatory"

[sip]
tls_ca_file = "{pki.ca_file}"

[pbx]
kind = "wazo"
base_url = "{pbx.base_url}"
ca_file = "{pki.ca_file}"

[logging]
level = "debug"
sip_trace = true
""")
    bob = far_end("bob", auto_answer=True, srtp="mandatory")
    audit = Audit.install()
    watch = SocketWatch()
    sampler = threading.Thread(target=watch.run, daemon=True)
    captured: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(self.format(record))

    core = Core(CoreOptions(demo=False, keychain_service=service, use_sound_devices=False))
    audit.on = True
    sampler.start()
    try:
        core.start()
        assert core.log_files is not None
        core.log_files.attach(Capture(level=logging.DEBUG))
        core.log_files.attach(Capture(level=logging.DEBUG), "callclient.sip_trace")
        assert core.paths.data_dir.is_relative_to(fresh_home), "the app follows HOME and XDG_* to its directories"
        events = Events(core.engine.subscribe())
        wait_until(lambda: any(a.account_id == "office" and a.state is RegistrationState.REGISTERED
                               for a in core.engine.status().result(5).accounts), 15, "the account registered")

        profile = core.sign_in(PBX_LOGIN, PBX_PASSWORD)
        assert profile.email == PBX_LOGIN

        call_id = core.engine.make_call("bob", "office").result(10)
        keys = bob.expect(lambda e: e["ev"] == "srtp_keys", what="the SRTP keys in the SDP")["keys"]
        events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED, timeout=15)
        core.engine.hangup(call_id).result(10)
        events.wait(CallEnded, call_id=call_id)

        favorite = core.favorites.add("office", "Bob (sales)", f"sip:bob@{kamailio.domain}")
        assert core.favorites.list("office") == [favorite]

        message = core.pbx.voicemail_messages()[0]
        audio = core.pbx.recording(message.id)
        cached = list(core.voicemail_cache.directory.rglob("*"))
        assert any(p.is_file() for p in cached), "the voicemail is cached for offline playback"
        assert core.voicemail_cache.get(PBX_ACCOUNT_ID, message.id) == audio
        assert not any(audio[44:200] in p.read_bytes() for p in cached if p.is_file()), "cached encrypted"
        core.voicemail_cache.played(PBX_ACCOUNT_ID, message.id)
        assert not any(p.is_file() for p in core.voicemail_cache.directory.rglob("*")), "deleted after playback"

        keychain = Keychain(system_keyring(), service=service)
        tokens = [t for t in pbx.issued_tokens()]
        refresh = keychain.get(PBX_ACCOUNT_ID, SecretKind.PBX_REFRESH_TOKEN)
        app_keys = [keychain.get_key(which).hex() for which in (AppSecret.STORE_KEY, AppSecret.VOICEMAIL_CACHE_KEY)]
    finally:
        core.stop()
        audit.on = False
        watch.stop.set()
        sampler.join(5)

    # --- nothing secret in any file or log line
    session_secrets = {"SIP password": sip_password, "PBX password": PBX_PASSWORD,
                       "provisioned SIP password": PBX_SIP_PASSWORD, "refresh token": refresh or "",
                       **{f"access token {i}": t for i, t in enumerate(tokens)},
                       **{f"SRTP key {i}": k for i, k in enumerate(keys)},
                       **{f"app key {i}": k for i, k in enumerate(app_keys)}}
    assert tokens and keys and refresh, "the session really produced tokens and SRTP keys to look for"
    written = [p for p in fresh_home.rglob("*") if p.is_file()]
    trace = [p for p in written if p.name.startswith("sip-trace")]
    assert trace and b"INVITE sip:bob@" in trace[0].read_bytes(), "the SIP trace was on, so the test means something"
    assert any("a=crypto" in line for line in captured), "SDP with crypto lines went through logging"
    for name, secret in session_secrets.items():
        for form in encodings(secret):
            for path in written:
                assert form not in path.read_bytes(), f"the {name} is in {path}"
            for line in captured:
                assert form.decode(errors="ignore") not in line, f"the {name} is in a log line: {line[:200]}"

    # --- connections only to the configured SIP and PBX hosts
    pbx_port = int(pbx.base_url.rsplit(":", 1)[1])
    allowed_hosts = {"127.0.0.1"}
    assert watch.remote, "the socket watch saw the app's connections"
    assert {host for host, _, _ in watch.remote} <= allowed_hosts, watch.remote
    stream_ports = {port for _, port, kind in watch.remote if kind == 1}  # SOCK_STREAM
    assert stream_ports <= {pbx_port, kamailio.port("tcp"), kamailio.port("tls")}, (stream_ports, watch)
    assert {addr[0] for _, addr in audit.connects} <= allowed_hosts, audit.connects
    assert set(audit.lookups) <= {"127.0.0.1", kamailio.domain}, f"unexpected name lookups: {set(audit.lookups)}"

    # --- sign out and erase: nothing left
    core = Core(CoreOptions(demo=False, keychain_service=service, use_sound_devices=False))
    core.start()
    core.sign_out(erase=True)
    removed = core.erase_all_data()
    assert removed
    leftovers = [p for p in fresh_home.rglob("*") if p.is_file() and "CallClient" in str(p)
                 and p.name != "callclient.toml"]
    assert leftovers == [], leftovers
    for account in ("office", PBX_ACCOUNT_ID):
        for kind in SecretKind:
            assert system_keyring().get_password(service, f"{kind}:{account}") is None
    assert Keychain(system_keyring(), service=service).get_key(AppSecret.STORE_KEY) is None
