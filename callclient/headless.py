"""`callclient --headless`: the engine and its control socket, no window, until SIGTERM or SIGINT.

Signals are taken synchronously: the main thread blocks SIGTERM, SIGINT and SIGHUP before any other
thread exists (so every thread, pjsua's included, inherits the mask) and waits for them with sigwait.
SIGHUP re-reads the configuration files without dropping calls: it takes the one settings route
(`SettingsService.reload`), so a pushed codec order reaches the next call like a change made in the window.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import sys
from concurrent.futures import Future
from pathlib import Path

from callclient import APP_NAME, __version__
from callclient.app import Core, CoreOptions
from callclient.startup import StartupError
from callclient.control.server import AlreadyRunning, ControlServer, ControlUnavailable
from callclient.engine.errors import ForeignDomain

log = logging.getLogger(__name__)

READY_LINE = "callclient-ready"
_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


def run_headless(options: CoreOptions, control_path: Path) -> int:
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    # A link given at launch is dialled here, after the ready line, so a refusal (a target outside the
    # account's domain: nobody is there to confirm it) is printed with the full target, not lost in Core.
    dial, options = options.dial, dataclasses.replace(options, dial=None)
    core = Core(options)
    control = ControlServer(control_path, lambda: core.services.calls if core.services else None,
                            settings=lambda: core.services.settings if core.services else None,
                            directory=lambda: core.services.directory if core.services else None,
                            extra_status=lambda: _extra_status(core))
    try:
        control.start()  # first: a second headless instance stops here, before touching the store
    except (AlreadyRunning, ControlUnavailable) as error:
        print(f"callclient: {error}", file=sys.stderr)
        return 1
    try:
        try:
            core.start()
        except StartupError as error:
            print(f"callclient: {error}", file=sys.stderr)
            return 2
        for notice in core.notices:
            print(f"callclient: {notice}", file=sys.stderr)
        # One line that scripts and tests wait for: the engine runs and the socket answers.
        print(f"{READY_LINE} {APP_NAME} {__version__} control={control_path}", flush=True)
        if dial and core.services is not None:
            core.services.calls.place_call(dial).add_done_callback(lambda placed: _report_dial(dial, placed))
        while True:
            received = signal.sigwait(_SIGNALS)
            if received == signal.SIGHUP:
                _reload(core)
                continue
            log.info("stopping on %s", signal.Signals(received).name)
            return 0
    finally:
        control.stop()
        core.stop()


def _reload(core: Core) -> None:
    try:
        changes = core.reload_config()
    except StartupError as error:
        print(f"callclient: configuration not reloaded, the previous one stays in force: {error}", file=sys.stderr)
        return
    print(f"callclient: configuration reloaded ({changes})", file=sys.stderr, flush=True)


def _report_dial(target: str, placed: Future) -> None:
    error = None if placed.cancelled() else placed.exception()
    if isinstance(error, ForeignDomain):
        print(f"callclient: not calling {error.uri}: it is outside your account's domain and nobody is here to "
              "confirm it. To call it anyway: callclient call --allow-foreign-domain "
              f"'{error.uri}'", file=sys.stderr, flush=True)
    elif error is not None:
        print(f"callclient: could not call {target}: {error}", file=sys.stderr, flush=True)


def _extra_status(core: Core) -> dict[str, object]:
    return {"version": __version__, "demo": core.demo is not None}
