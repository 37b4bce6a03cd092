"""What the privacy suite watches a session with: the secret search, the audit hook and the process watch.

Two views of the same process, because neither sees everything: Python's audit hook sees every connect,
name lookup, file opened for writing and program started by Python code (the PBX client, the keychain,
the log files), but nothing pjsua2 or SQLCipher do in C; psutil asks the kernel, so it sees C-level
sockets and open files too, but only while they exist, hence the sampling thread and the extra samples
the test takes at each step of the session.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import stat
import sys
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_SPAWN_EVENTS = ("subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system")


def encodings(secret: str, *, binary_key: bool = False) -> set[bytes]:
    """The forms a careless write would give `secret`: verbatim, percent-encoded, hex, base64 (padded or not).

    `binary_key`: `secret` is base64 of key bytes (an SDES inline key); its bytes, as hex (libsrtp and
    pjmedia print keys that way) or raw, count as the key too.
    """
    raw = secret.encode()
    forms = {raw, urllib.parse.quote(secret, safe="").encode(), urllib.parse.quote_plus(secret).encode(),
             raw.hex().encode()}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(encode(raw).rstrip(b"="))
    if binary_key:
        try:
            key = base64.b64decode(secret, validate=True)
        except binascii.Error:
            key = b""
        forms |= {key, key.hex().encode(), key.hex().upper().encode()}
    return {form for form in forms if len(form) >= 6}


@dataclass(frozen=True)
class Finding:
    secret_name: str
    where: str


def find_secrets(secrets: Mapping[str, set[bytes]], files: Iterable[Path], lines: Iterable[str]) -> list[Finding]:
    """Every place one of the encoded secrets occurs, in the files' bytes or the log lines."""
    findings = []
    for path in files:
        content = path.read_bytes()
        findings += [Finding(name, str(path)) for name, forms in secrets.items() if any(f in content for f in forms)]
    for line in lines:
        encoded = line.encode("utf-8", errors="surrogateescape")
        findings += [Finding(name, f"log line {line[:160]!r}") for name, forms in secrets.items()
                     if any(f in encoded for f in forms)]
    return findings


class Audit:
    """Every connect, name lookup, file opened for writing and program started by Python code, while on."""

    _hook_installed = False
    _current: Audit | None = None

    def __init__(self) -> None:
        self.on = False
        self.connects: list[tuple[str, tuple]] = []  # (event, (host, port, ...))
        self.lookups: list[str] = []
        self.written: list[str] = []  # paths opened for writing
        self.spawned: list[str] = []  # repr of each program's arguments and environment

    @classmethod
    def install(cls) -> Audit:
        """A new, switched-off record; the process's one audit hook (they cannot be removed) feeds it from now."""
        if not cls._hook_installed:
            sys.addaudithook(cls._dispatch)
            cls._hook_installed = True
        cls._current = cls()
        return cls._current

    @classmethod
    def _dispatch(cls, event: str, args: tuple) -> None:
        current = cls._current
        if current is not None:
            current._record(event, args)

    def _record(self, event: str, args: tuple) -> None:
        if not self.on:
            return
        if event in ("socket.connect", "socket.sendto") and len(args) >= 2 and isinstance(args[1], tuple):
            self.connects.append((event, args[1]))
        elif event == "socket.getaddrinfo" and args:
            self.lookups.append(str(args[0]))
        elif event == "open" and len(args) >= 3 and isinstance(args[0], (str, bytes, os.PathLike)):
            path, mode, flags = args[0], args[1], args[2]
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS
            ):
                self.written.append(os.fsdecode(path))
        elif event in _SPAWN_EVENTS:
            self.spawned.append(repr(args))


def _still(opened: Any) -> bool:
    """psutil reads an fd's path and its flags one after the other: a descriptor closed and reused in between
    (another thread reading /etc/hosts, then writing a file of ours) pairs one file's path with the other's
    mode. A sample counts only when the descriptor still names the same file afterwards."""
    try:
        return os.readlink(f"/proc/self/fd/{opened.fd}") == opened.path
    except OSError:
        return False


@dataclass
class ProcessWatch:
    """Samples this process's inet sockets and open files on its own thread, and whenever `sample` is called.

    Sockets and files already open when the watch starts (the test's own servers) are left out.
    """

    remote: set[tuple[str, int, int]] = field(default_factory=set)  # (host, port, socket type) we connected to
    files: set[str] = field(default_factory=set)  # regular files this process had open for writing
    samples: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    _before: set[tuple] = field(default_factory=set)
    _files_before: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _process: psutil.Process = field(default_factory=psutil.Process)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._before = {(c.laddr, c.raddr) for c in self._process.net_connections(kind="inet")}
        self._files_before = {f.path for f in self._process.open_files() if f.mode != "r"}
        self._thread = threading.Thread(target=self._run, name="privacy-watch", daemon=True)
        self._thread.start()

    def finish(self) -> None:
        self.stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.sample()

    def sample(self) -> None:
        connections = self._process.net_connections(kind="inet")
        files = self._process.open_files()
        listening = {c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN}
        with self._lock:
            self.samples += 1
            for connection in connections:
                # Accepted connections (to a port this process listens on, e.g. the in-process test PBX)
                # were opened by someone else.
                if connection.raddr and connection.laddr.port not in listening \
                        and (connection.laddr, connection.raddr) not in self._before:
                    self.remote.add((connection.raddr.ip, connection.raddr.port, int(connection.type)))
            self.files |= {f.path for f in files if f.mode != "r" and _still(f)} - self._files_before

    def _run(self) -> None:
        while not self.stop.wait(0.02):
            self.sample()


# pjsip's message dumps name each message's transport and far address: "TX 812 bytes Request msg
# INVITE/cseq=1 (tdta0x..) to UDP 127.0.0.1:5060:" / "RX ... from TCP 127.0.0.1:5061:".
_TRACE_PEER = re.compile(r"\b(?:to|from) (UDP|TCP|TLS)6? \[?([0-9A-Fa-f.:]+?)\]?:(\d+):")


# pjsip's resolver says what it was asked to resolve: "Target 'pbx.example.com:0' type=UDP resolved to ...".
_TRACE_TARGET = re.compile(r"Target '\[?([^'\]]+?)\]?:\d+' type=")


def sip_trace_peers(trace: str) -> set[tuple[str, str, int]]:
    """Every (transport, host, port) the SIP trace says a message went to or came from."""
    return {(kind.lower(), host, int(port)) for kind, host, port in _TRACE_PEER.findall(trace)}


def sip_trace_lookups(trace: str) -> set[str]:
    """Every host name or address pjsip's resolver was asked for (its lookups are C-level: no audit event)."""
    return set(_TRACE_TARGET.findall(trace))


class WrittenFiles:
    """Every version of every file under a folder, kept at each `keep`: a file the app deletes later (a played
    voicemail, a journal) is searched as it was."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions: dict[Path, set[bytes]] = {}
        self.modes: dict[Path, int] = {}  # permission bits, as last seen

    def keep(self) -> None:
        for path in self.root.rglob("*"):
            try:
                if not path.is_file():
                    continue
                self.versions.setdefault(path, set()).add(path.read_bytes())
                self.modes[path] = stat.S_IMODE(path.stat().st_mode)
            except FileNotFoundError:
                continue  # deleted between listing and reading
