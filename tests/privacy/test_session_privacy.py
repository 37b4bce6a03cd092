"""The privacy policy, proven on a whole session of the real app (Core) with a home of its own.

One session per module: account configured and registered on the test registrar, a PBX sign-in
(tokens), an SRTP call through Kamailio to a pjsua2 far end, favorites added, a voicemail downloaded,
cached and played, the SIP trace on; then sign-out-and-erase. Each test checks one promise against what
the session left: every file written, every log record and console line, every program started, every
socket, name lookup and file the process opened, and what is left after erasing.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import secrets
import ssl
import sys
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from callclient.app import Core, CoreOptions
from callclient.services.accounts import PBX_ACCOUNT_ID
from callclient.demo.pbx_server import PbxData, PbxServer, WazoContract
from callclient.engine.events import CallEnded, CallState, CallUpdated, RegistrationState
from callclient.logs import SIP_TRACE_LOGGER
from callclient.pbx.service import Profile
from callclient.storage.keychain import AppSecret, Keychain, SecretKind, system_keyring
from tests.conftest import SIP_USERS
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer
from tests.fixtures.tls import Pki
from tests.privacy.observers import (Audit, ProcessWatch, WrittenFiles, encodings, find_secrets,
                                     sip_trace_lookups, sip_trace_peers)

PBX_LOGIN = "alice@example.com"
PBX_PASSWORD = "alice-pass-2024"
PBX_SIP_PASSWORD = "alice-Secret-7431"
LOOPBACK = "127.0.0.1"


class LogCapture(logging.Handler):
    """Keeps each record as a sink would write it: behind the app's redaction filter, formatted."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


CONSOLE_CANARY = b"privacy-console-capture-canary\n"

@dataclass
class Session:
    """What one whole session left behind, for the tests to judge."""

    root: Path  # HOME, XDG_*, TMPDIR, XDG_RUNTIME_DIR and the working directory all live under it
    secrets: dict[str, set[bytes]]  # every secret of the session, in every encoding searched for
    written: WrittenFiles  # every version of every file under `root` seen at each step, up to erasing
    config_file: Path  # the one file the test wrote itself
    log_lines: list[str]
    trace_lines: list[str]
    console: str  # what reached file descriptors 1 and 2 (pjsua2 prints there before its writer is set)
    audit: Audit
    watch: ProcessWatch
    profile: Profile
    left_after_erase: set[Path]
    keychain_service: str


def _isolated_environment(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = root / "home"
    for name, sub in [("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state"), ("TMPDIR", "tmp")]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(home / sub))
    # The system-wide search paths too, so nothing from this machine's /etc/xdg or /usr/share comes in.
    for name in ("XDG_CONFIG_DIRS", "XDG_DATA_DIRS"):
        (root / name.lower()).mkdir()
        monkeypatch.setenv(name, str(root / name.lower()))
    (root / "run").mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(root / "run"))
    monkeypatch.setenv("CALLCLIENT_SYSTEM_CONFIG", str(root / "no-admin-file.toml"))
    # tempfile reads TMPDIR once per process; forget the answer so the app's temporary files land here too.
    monkeypatch.setattr(tempfile, "tempdir", None)
    # A file written with a relative path (a C library's log, say) lands here, where the search sees it.
    (root / "cwd").mkdir()
    monkeypatch.chdir(root / "cwd")


@contextlib.contextmanager
def console_into(path: Path) -> Iterator[None]:
    """Sends file descriptors 1 and 2 (C code's printf included) into `path` for the duration."""
    libc = ctypes.CDLL(None)
    sys.stdout.flush(), sys.stderr.flush(), libc.fflush(None)
    saved = os.dup(1), os.dup(2)
    with path.open("wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush(), sys.stderr.flush(), libc.fflush(None)
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0]), os.close(saved[1])


@pytest.fixture(scope="module")
def pbx(pki: Pki) -> Iterator[PbxServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(pki.cert_file), str(pki.key_file))
    server = PbxServer(WazoContract.load(), PbxData.sample(sip_password=PBX_SIP_PASSWORD, password=PBX_PASSWORD),
                       ssl_context=context)
    server.start()
    yield server
    server.stop()
    assert server.violations == []


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, secret_service, kamailio: Kamailio,  # noqa: ANN001
            pki: Pki, pbx: PbxServer) -> Iterator[Session]:
    root = tmp_path_factory.mktemp("privacy")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolated_environment(root, monkeypatch)
        yield _run_session(root, kamailio, pki, pbx)


def _run_session(root: Path, kamailio: Kamailio, pki: Pki, pbx: PbxServer) -> Session:
    service = f"CallClient-privacy-{secrets.token_hex(4)}"
    sip_password = SIP_USERS["dave"]
    Keychain(system_keyring(), service=service).set("office", SecretKind.SIP_PASSWORD, sip_password)
    config_file = root / "home" / ".config" / "CallClient" / "callclient.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text(f"""
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
    before_session = set(root.rglob("*"))
    bob = SipPeer([dict(user="bob", password=SIP_USERS["bob"], domain=kamailio.domain, registrar=kamailio.address())],
                  auto_answer=True, srtp="mandatory")
    audit = Audit.install()
    watch = ProcessWatch()
    capture, trace_capture = LogCapture(), LogCapture()
    console_file = root.parent / f"{root.name}-console.txt"  # beside the root: not a file the app wrote
    written = WrittenFiles(root)

    def checkpoint() -> None:
        watch.sample()
        written.keep()

    def start_core() -> Core:
        core = Core(CoreOptions(demo=False, keychain_service=service))
        # Attached before start, behind the app's own filter, so the start-up records are searched too.
        for handler, logger in ((capture, ""), (trace_capture, SIP_TRACE_LOGGER)):
            handler.addFilter(core.redaction)
            logging.getLogger(logger).addHandler(handler)
        core.start()
        return core

    with console_into(console_file):  # before the watch starts, so it does not count as the app's file
        os.write(2, CONSOLE_CANARY)  # proves the capture works now that pjsua2 keeps quiet on the console
        watch.start()
        audit.on = True
        try:
            bob.expect(lambda e: e["ev"] == "registration" and e["code"] == 200, what="bob registered")
            core = start_core()
            try:
                assert core.paths.data_dir.is_relative_to(root), "the app follows HOME and XDG_* to its dirs"
                profile, keys = _use_every_feature(core, bob, kamailio, checkpoint)
                keychain = Keychain(system_keyring(), service=service)
                tokens = pbx.issued_tokens()
                refresh = keychain.get(PBX_ACCOUNT_ID, SecretKind.PBX_REFRESH_TOKEN)
                app_keys = [keychain.get_key(which).hex()
                            for which in (AppSecret.STORE_KEY, AppSecret.VOICEMAIL_CACHE_KEY,
                                          AppSecret.RECORDING_KEY)]
            finally:
                core.stop()
            written.keep()

            core = start_core()
            core.sign_out(erase=True)
            assert core.erase_all_data()
        finally:
            audit.on = False
            watch.finish()
            bob.close()
            for handler, logger in ((capture, ""), (trace_capture, SIP_TRACE_LOGGER)):
                logging.getLogger(logger).removeHandler(handler)

    assert tokens and keys and refresh, "the session really produced tokens and SRTP keys to look for"
    session_secrets = {"SIP password": encodings(sip_password), "PBX password": encodings(PBX_PASSWORD),
                       "provisioned SIP password": encodings(PBX_SIP_PASSWORD), "refresh token": encodings(refresh),
                       **{f"access token {i}": encodings(t) for i, t in enumerate(tokens)},
                       **{f"SRTP key {i}": encodings(k, binary_key=True) for i, k in enumerate(keys)},
                       **{f"app key {i}": encodings(k) for i, k in enumerate(app_keys)}}
    return Session(root=root, secrets=session_secrets, written=written, config_file=config_file,
                   log_lines=capture.lines, trace_lines=trace_capture.lines,
                   console=console_file.read_text(errors="replace"),
                   audit=audit, watch=watch, profile=profile,
                   left_after_erase=set(root.rglob("*")) - before_session, keychain_service=service)


def _use_every_feature(core: Core, bob: SipPeer, kamailio: Kamailio,
                       checkpoint: Callable[[], None]) -> tuple[Profile, list[str]]:
    """Registers, signs in to the PBX, calls bob with SRTP, adds a favorite, caches and plays a voicemail.

    Returns the PBX profile and the SRTP keys both ends put in their SDP (the far end reports them).
    """
    events = Events(core.engine.subscribe())
    wait_until(lambda: any(a.account_id == "office" and a.state is RegistrationState.REGISTERED
                           for a in core.engine.status().result(5).accounts), 15, "office registered")
    checkpoint()

    profile = core.sign_in(PBX_LOGIN, PBX_PASSWORD)
    assert profile.email == PBX_LOGIN
    checkpoint()

    call_id = core.engine.make_call("bob", "office").result(10)
    keys = bob.expect(lambda e: e["ev"] == "srtp_keys", what="the SRTP keys in the SDP")["keys"]
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED, timeout=15)
    checkpoint()
    core.engine.hangup(call_id).result(10)
    events.wait(CallEnded, call_id=call_id)

    favorite = core.favorites.add("office", "Bob (sales)", f"sip:bob@{kamailio.domain}")
    assert core.favorites.list("office") == [favorite]

    # The voicemail view's calls, through the PBX events service: fetch to play, then "played to the end"
    # (tests/ui/test_voicemail_played.py drives the view itself); then fetch another and delete it.
    pbx = core.services.pbx
    messages = pbx.voicemail_messages()
    assert len(messages) >= 2, "the test PBX has messages to play and to delete"
    message, doomed = messages[0], messages[1]
    audio = pbx.recording(message.id)
    checkpoint()
    cached = [p for p in core.voicemail_cache.directory.rglob("*") if p.is_file()]
    assert cached, "the voicemail is cached for offline playback"
    assert core.voicemail_cache.get(PBX_ACCOUNT_ID, message.id) == audio
    assert not any(audio[44:200] in p.read_bytes() for p in cached), "cached encrypted"
    pbx.voicemail_played(message.id)
    assert not any(p.is_file() for p in core.voicemail_cache.directory.rglob("*")), "deleted after playback"
    pbx.recording(doomed.id)
    assert core.voicemail_cache.get(PBX_ACCOUNT_ID, doomed.id) is not None
    pbx.delete(doomed.id)
    assert not any(p.is_file() for p in core.voicemail_cache.directory.rglob("*")), "deleted with the message"

    return profile, keys


def test_no_file_the_session_wrote_holds_a_password_token_or_key(session: Session) -> None:
    versions = session.written.versions
    trace_files = [p for p in versions if p.name.startswith("sip-trace")]
    assert trace_files and any(b"INVITE sip:bob@" in v for v in versions[trace_files[0]]), "the SIP trace was on"
    assert any(p.name == "store.db" for p in versions), "the encrypted store is among the files searched"
    assert any(p.is_relative_to(session.root / "home" / ".cache") for p in versions), "and the cached voicemail"

    leaks = [(name, str(path)) for path, contents in versions.items() for content in contents
             for name, forms in session.secrets.items() if any(form in content for form in forms)]

    assert leaks == []


def test_every_file_the_app_wrote_is_readable_by_its_user_only(session: Session) -> None:
    app_files = {path: mode for path, mode in session.written.modes.items() if path != session.config_file}
    assert len(app_files) >= 4, "the store, the log files and the cached voicemail were written"

    assert {str(path): oct(mode) for path, mode in app_files.items() if mode & 0o077} == {}


def test_no_log_record_or_console_line_holds_a_password_token_or_key(session: Session) -> None:
    assert any("a=crypto" in line for line in session.trace_lines), "SDP with SRTP keys went through logging"
    assert any("Authorization:" in line for line in session.trace_lines), "digest credentials went through it"
    assert CONSOLE_CANARY.decode().strip() in session.console, "file descriptors 1 and 2 were captured"

    assert find_secrets(session.secrets, [], session.log_lines + session.trace_lines + [session.console]) == []


def test_no_program_started_and_no_environment_variable_holds_a_secret(session: Session) -> None:
    assert find_secrets(session.secrets, [], session.audit.spawned + list(os.environ.values())) == []


def test_the_app_connects_only_to_the_configured_pbx_and_sip_hosts(
    session: Session, kamailio: Kamailio, pbx: PbxServer
) -> None:
    pbx_url = urllib.parse.urlsplit(pbx.base_url)
    sip_endpoints = {(kind, LOOPBACK, kamailio.port(kind)) for kind in ("udp", "tcp", "tls")}
    allowed_ports = {pbx_url.port} | {port for _, _, port in sip_endpoints}
    watch, audit = session.watch, session.audit

    # The kernel's view: every socket of the process, C-level ones (pjsua2's) included.
    assert watch.samples > 5 and watch.remote, "the process watch saw the app's connections"
    assert {host for host, _, _ in watch.remote} == {LOOPBACK}, watch.remote
    assert {port for _, port, _ in watch.remote} <= allowed_ports, watch.remote
    # Python's view: every connect and name lookup, however short-lived.
    python_connects = {(address[0], address[1]) for _, address in audit.connects}
    assert (LOOPBACK, pbx_url.port) in python_connects, "the audit hook saw the PBX client connect"
    assert python_connects <= {(LOOPBACK, port) for port in allowed_ports}, python_connects
    assert set(audit.lookups) <= {LOOPBACK, kamailio.domain}, f"unexpected name lookups: {set(audit.lookups)}"
    # pjsua2 sends SIP from unconnected C-level sockets the kernel cannot name a peer for; its trace can.
    # The PBX provisions its own SIP line (host: the PBX's, port: SIP's default), so that is allowed too.
    line = session.profile.lines[0]
    assert line.domain == pbx_url.hostname
    transport = line.transport if line.transport in ("udp", "tcp", "tls") else "udp"
    provisioned = {(transport, pbx_url.hostname, 5061 if transport == "tls" else 5060)}
    trace = "\n".join(session.trace_lines)
    peers = sip_trace_peers(trace)
    assert ("udp", LOOPBACK, kamailio.port("udp")) in peers, "the SIP trace names where each message went"
    assert peers <= sip_endpoints | provisioned, peers - sip_endpoints
    assert sip_trace_lookups(trace) <= {LOOPBACK, kamailio.domain, pbx_url.hostname}


def test_the_app_writes_files_only_in_its_own_directories(session: Session) -> None:
    def outside_the_session(path: str) -> bool:
        # JACK's client library (probed by PortAudio inside pjmedia) keeps its server registry in /dev/shm.
        return path != os.devnull and not path.startswith("/dev/shm/jack") \
            and not Path(path).resolve().is_relative_to(session.root)

    assert any(Path(p).name == "store.db" for p in session.watch.files), "the watch saw SQLCipher's C-level file"
    assert [p for p in session.audit.written if outside_the_session(p)] == []
    assert [p for p in session.watch.files if outside_the_session(p)] == []


def test_sign_out_and_erase_leave_no_app_data_and_no_keychain_entries(session: Session) -> None:
    # The PulseAudio client library makes its runtime folder when pjmedia probes the sound system: not ours.
    pulse_runtime = session.root / "run" / "pulse"
    assert sorted(p for p in session.left_after_erase if not p.is_relative_to(pulse_runtime)) == []
    assert not (session.root / "home" / ".config" / "CallClient").exists(), "the config folder goes too"
    for account in ("office", PBX_ACCOUNT_ID):
        for kind in SecretKind:
            assert system_keyring().get_password(session.keychain_service, f"{kind}:{account}") is None
    for which in AppSecret:
        assert Keychain(system_keyring(), service=session.keychain_service).get_key(which) is None
