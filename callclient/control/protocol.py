"""The control protocol: JSON lines over a Unix stream socket that only its owner may open.

A request is one JSON object on one line, `{"verb": "call", "target": "1002"}`; the answer is one line,
`{"ok": true, "result": {...}}` or `{"ok": false, "error": "plain words"}`. A connection may carry any
number of requests, answered in order. docs/control.md is the reference for clients.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

from callclient import APP_NAME

SOCKET_ENV = "CALLCLIENT_CONTROL_SOCKET"
SOCKET_NAME = "control.sock"
MAX_LINE_BYTES = 64 * 1024  # a request is a verb and a few short strings

# Verb -> the arguments it accepts (required ones first) — checked before anything runs.
VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # allow_foreign_domain: call a target outside the account's domain (the caller confirmed it)
    "call": (("target",), ("account", "allow_foreign_domain")),
    "open": (("uri",), ("allow_foreign_domain",)),
    "answer": ((), ("call",)),
    "decline": ((), ("call",)),
    "hangup": ((), ("call",)),
    "hold": ((), ("call",)),
    "resume": ((), ("call",)),
    "mute": ((), ("call",)),
    "unmute": ((), ("call",)),
    "dtmf": (("digits",), ("call",)),
    "transfer": (("target",), ("call",)),
    "dnd": (("enabled",), ()),
    "status": ((), ()),
    "show": ((), ()),
    "set": (("key", "value"), ()),  # value: JSON (true, 5, ["PCMU/8000"]) or plain text for a string
    "reload": ((), ()),
    "lookup": (("term",), ()),  # the directory: every source, merged and ranked (JSON for scripts and CRMs)
    "whois": (("number",), ()),  # the best name for a number, as a caller ID would show it
}


class ProtocolError(Exception):
    """A request that is not valid; the message goes back to the client."""


def socket_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the running instance listens: $CALLCLIENT_CONTROL_SOCKET, else the user's runtime directory."""
    override = environ.get(SOCKET_ENV)
    if override:
        return Path(override)
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (a bare ssh or cron session) platformdirs falls back to a per-user
        # directory under /tmp, which is what we want; its warning would only clutter every command.
        warnings.simplefilter("ignore")
        return platformdirs.user_runtime_path(APP_NAME, appauthor=False) / SOCKET_NAME


def parse_request(line: bytes) -> tuple[str, dict[str, Any]]:
    try:
        request = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"a request must be one JSON object per line ({error})") from None
    if not isinstance(request, dict):
        raise ProtocolError("a request must be a JSON object")
    verb = request.pop("verb", None)
    if verb not in VERBS:
        raise ProtocolError(f"unknown verb {verb!r}; known verbs: {', '.join(sorted(VERBS))}")
    required, optional = VERBS[verb]
    missing = [name for name in required if name not in request]
    if missing:
        raise ProtocolError(f"{verb} needs {', '.join(missing)}")
    unknown = sorted(set(request) - set(required) - set(optional))
    if unknown:
        raise ProtocolError(f"{verb} does not take {', '.join(unknown)}")
    for name, value in request.items():
        if name in ("enabled", "allow_foreign_domain"):
            if not isinstance(value, bool):
                raise ProtocolError(f"{name} must be true or false")
        elif not isinstance(value, str) or not value:
            raise ProtocolError(f"{name} must be a non-empty string")
    return verb, request


def encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), default=str).encode() + b"\n"
