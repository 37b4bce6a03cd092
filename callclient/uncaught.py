"""Uncaught exceptions, from any thread, go through logging: the only route a traceback takes out of the app.

Python's default hooks print tracebacks (with their values) straight to stderr; through logging, the
redaction filter (callclient/logs.py) sees them before any file or stderr does, so a password in a local
variable's repr never reaches a crash report in plaintext.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

log = logging.getLogger(__name__)


def log_uncaught_exceptions() -> None:
    """Installs the hooks for the main thread and every other thread (once logging is set up)."""

    def in_thread(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "unknown"
        log.critical("uncaught exception in thread %s", name,
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    def in_main(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        log.critical("uncaught exception", exc_info=(kind, value, tb))

    threading.excepthook = in_thread
    sys.excepthook = in_main
