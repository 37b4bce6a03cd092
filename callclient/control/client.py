"""The client end: what `callclient call 1002` and a second launch with a sip: link use."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from callclient.control.protocol import MAX_LINE_BYTES, encode


class NotRunning(Exception):
    """No CallClient instance answers on the control socket."""


class ControlError(Exception):
    """The running instance refused the request; the message is its reason. `foreign_domain` is the full
    target when the refusal was a call outside the account's domain (to be confirmed by the user)."""

    def __init__(self, message: str, foreign_domain: str | None = None) -> None:
        super().__init__(message)
        self.foreign_domain = foreign_domain


class ControlClient:
    def __init__(self, path: Path, timeout_s: float = 20.0) -> None:
        self.path = path
        self._timeout_s = timeout_s
        self._socket: socket.socket | None = None
        self._reader: Any = None

    def __enter__(self) -> ControlClient:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self._timeout_s)
        try:
            sock.connect(str(self.path))
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            raise NotRunning(f"CallClient is not running (nothing answers at {self.path})") from None
        except OSError as error:
            sock.close()
            raise NotRunning(f"cannot reach CallClient at {self.path}: {error.strerror or error}") from None
        self._socket = sock
        self._reader = sock.makefile("rb")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._reader is not None:
            self._reader.close()
        if self._socket is not None:
            self._socket.close()

    def request(self, verb: str, **args: Any) -> Any:
        assert self._socket is not None, "use ControlClient as a context manager"
        self._socket.sendall(encode({"verb": verb, **{k: v for k, v in args.items() if v is not None}}))
        line = self._reader.readline(MAX_LINE_BYTES + 1)
        if not line:
            raise ControlError("CallClient closed the connection without answering")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise ControlError(answer.get("error", "refused"), foreign_domain=answer.get("foreign_domain"))
        return answer.get("result")


def is_running(path: Path) -> bool:
    try:
        with ControlClient(path, timeout_s=2.0):
            return True
    except NotRunning:
        return False
