"""The running instance's end of the control socket.

The server runs its own accept thread and one thread per connection; each request becomes a call action
(`CallActions`, the same service the window uses), a settings change (`SettingsService`, the one route every
setting takes) or an `open`/`show` hand-off to the front end (the GUI queues it onto its own thread). Only the user who owns the instance may connect: the socket lives in a 0700 directory with
mode 0600, and on Linux the peer's uid is checked too.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import socketserver
import struct
import sys
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from callclient.control.protocol import MAX_LINE_BYTES, ProtocolError, encode, parse_request
from callclient.engine.errors import EngineError, ForeignDomain
from callclient.services.calls import CallActions
from callclient.services.settings import SettingLocked, SettingsRefused
from callclient.services.threads import WORKER, runs_on

log = logging.getLogger(__name__)

COMMAND_TIMEOUT_S = 15.0


class AlreadyRunning(Exception):
    """Another instance already answers on the control socket."""


class ControlUnavailable(Exception):
    """The control socket cannot be created; the message says where and why."""


class ControlServer:
    """Answers control requests with `calls()`, `settings()` and `directory()` (None until Core has started them).
    `on_open(uri)` and `on_show()` let a front end react first."""

    def __init__(
        self,
        path: Path,
        calls: Callable[[], CallActions | None],
        *,
        settings: Callable[[], Any] = lambda: None,
        directory: Callable[[], Any] = lambda: None,
        on_open: Callable[[str], None] | None = None,
        on_show: Callable[[], None] | None = None,
        extra_status: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.path = path
        self._calls = calls
        self._settings = settings
        self._directory = directory
        self.on_open = on_open
        self.on_show = on_show
        self._extra_status = extra_status or dict
        self._server: socketserver.ThreadingUnixStreamServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Binds the socket; raises AlreadyRunning when another instance answers there."""
        if not hasattr(socket, "AF_UNIX"):
            raise ControlUnavailable("this platform has no Unix sockets; the control socket is not available")
        self._claim_path()
        handler = _handler_for(self)
        try:
            server = socketserver.ThreadingUnixStreamServer(str(self.path), handler, bind_and_activate=False)
            server.daemon_threads = True
            old_umask = os.umask(0o177)  # the socket is created 0600: never a moment when others could connect
            try:
                server.server_bind()
            finally:
                os.umask(old_umask)
            server.server_activate()
        except OSError as error:
            raise ControlUnavailable(f"cannot listen on {self.path}: {error.strerror or error}") from None
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="control", daemon=True)
        self._thread.start()
        log.info("control socket listening at %s", self.path)

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def _claim_path(self) -> None:
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise ControlUnavailable(f"cannot create {directory}: {error.strerror or error}") from None
        if not self.path.exists():
            return
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(self.path))
        except OSError as error:
            if error.errno not in (errno.ECONNREFUSED, errno.ENOENT, errno.ENOTSOCK):
                raise ControlUnavailable(f"cannot use {self.path}: {error.strerror or error}") from None
            self.path.unlink(missing_ok=True)  # left behind by an instance that crashed
        else:
            raise AlreadyRunning(f"CallClient is already running (control socket {self.path})")
        finally:
            probe.close()

    # ---------------------------------------------------------------- requests (connection threads)

    @runs_on(WORKER)
    def handle(self, verb: str, args: dict[str, Any]) -> Any:
        if verb == "show":
            if self.on_show is not None:
                self.on_show()
            return {}
        if verb == "open":
            uri = args["uri"]
            if self.on_open is not None:
                self.on_open(uri)
                return {"uri": uri}
            return {"call": self._calls_or_fail().place_call(
                uri, allow_foreign_domain=args.get("allow_foreign_domain", False)).result(COMMAND_TIMEOUT_S)}
        if verb in ("set", "reload"):
            return self._settings_request(verb, args)
        if verb in ("lookup", "whois"):
            directory = self._directory()
            if directory is None:
                raise EngineError("the directory is not available before CallClient has started")
            return directory.lookup_verb(args["term"]) if verb == "lookup" else directory.whois_verb(args["number"])
        calls = self._calls_or_fail()
        call = args.get("call")
        if verb == "status":
            return {**calls.status().result(COMMAND_TIMEOUT_S).to_json(), **self._extra_status()}
        if verb == "call":
            return {"call": calls.place_call(args["target"], args.get("account"),
                                             allow_foreign_domain=args.get("allow_foreign_domain", False),
                                             ).result(COMMAND_TIMEOUT_S)}
        if verb == "answer":
            return {"call": calls.answer(call).result(COMMAND_TIMEOUT_S)}
        if verb == "decline":
            calls.decline(call).result(COMMAND_TIMEOUT_S)
        elif verb == "hangup":
            calls.hang_up(call).result(COMMAND_TIMEOUT_S)
        elif verb == "hold":
            calls.hold(call).result(COMMAND_TIMEOUT_S)
        elif verb == "resume":
            calls.resume(call).result(COMMAND_TIMEOUT_S)
        elif verb in ("mute", "unmute"):
            calls.set_mute(verb == "mute", call).result(COMMAND_TIMEOUT_S)
        elif verb == "dtmf":
            return {"method": calls.send_dtmf(args["digits"], call).result(COMMAND_TIMEOUT_S)}
        elif verb == "transfer":
            calls.transfer(args["target"], call).result(COMMAND_TIMEOUT_S)
        elif verb == "dnd":
            calls.set_dnd(args["enabled"]).result(COMMAND_TIMEOUT_S)
        return {}

    def _settings_request(self, verb: str, args: dict[str, Any]) -> dict[str, Any]:
        settings = self._settings()
        if settings is None:
            raise EngineError("settings cannot be changed before CallClient has started")
        try:
            if verb == "reload":
                change = settings.reload("the CLI")
            else:
                change = settings.change({args["key"]: _setting_value(args["value"])}, by="the CLI")
        except (SettingLocked, SettingsRefused) as error:
            raise ValueError(str(error)) from None
        return {"changed": sorted(change.keys)}

    def _calls_or_fail(self) -> CallActions:
        calls = self._calls()
        if calls is None or not calls.running:
            raise EngineError("the SIP engine is not running yet")
        return calls


def _setting_value(text: str) -> Any:
    """JSON when it parses (true, 5, ["PCMU/8000"]), else the text itself (a device name)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _peer_is_owner(connection: socket.socket) -> bool:
    if not sys.platform.startswith("linux"):
        return True  # the 0600 socket in a 0700 directory is the guard elsewhere
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _handler_for(server: ControlServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            if not _peer_is_owner(self.connection):
                log.warning("refused a control connection from another user")
                return
            while True:
                line = self.rfile.readline(MAX_LINE_BYTES + 1)
                if not line:
                    return
                if len(line) > MAX_LINE_BYTES:
                    self.wfile.write(encode({"ok": False, "error": "request too long"}))
                    return
                if not line.strip():
                    continue
                self.wfile.write(encode(_answer(server, line)))

    return Handler


def _answer(server: ControlServer, line: bytes) -> dict[str, Any]:
    try:
        verb, args = parse_request(line)
        return {"ok": True, "result": server.handle(verb, args)}
    except ForeignDomain as error:  # the full target travels apart, so the CLI can name it exactly
        return {"ok": False, "error": str(error), "foreign_domain": error.uri}
    except (ProtocolError, EngineError, ValueError) as error:
        return {"ok": False, "error": str(error)}
    except FutureTimeout:
        return {"ok": False, "error": "the SIP engine did not answer in time"}
    except Exception as error:  # one bad request must not take the control socket down
        log.exception("control request failed")
        return {"ok": False, "error": f"internal error: {type(error).__name__}"}
