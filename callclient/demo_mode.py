"""Demo mode's life: the only owner of when the demo line and the demo PBX come up and go.

With no account configured the app runs stand-ins (callclient/demo/): far ends in a child process and the
test PBX on loopback. They are set going as early as start-up can guess demo mode, so they come up while
the engine does; the demo line is added once the far ends listen. The demo PBX is signed in to at once, or
— with `in_background`, for the desktop — once the window shows (`finish_start`), so its start-up never
holds the window up; a failure then is told through the news, as the engine's faults are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from callclient.engine import events as ev
from callclient.pbx.service import HistoryChanged, PbxService, VoicemailChanged
from callclient.services import DemoNumber
from callclient.services.accounts import AccountsService
from callclient.services.pbx_events import PbxEvents
from callclient.services.threads import CALLER, runs_on
from callclient.startup import StartupError

log = logging.getLogger(__name__)


class DemoMode:
    """`cache_dir` keeps the stand-ins' prompts and contract between runs; `connect(url, ca_file)` makes the
    PbxService that talks to the demo PBX."""

    def __init__(self, cache_dir: Path, in_background: bool, connect: Callable[[str, str], PbxService]) -> None:
        self._cache_dir = cache_dir
        self._in_background = in_background
        self._connect = connect
        self.services: Any = None  # callclient.demo.DemoServices while demo mode runs
        self._pending: Callable[[], None] | None = None  # the last steps, until finish_start
        self._sign_in: threading.Thread | None = None

    @runs_on(CALLER)
    def begin(self) -> None:
        """Sets the far ends' process and (unless in background) the demo PBX going; nothing waits here."""
        from callclient.demo import DemoServices

        if self.services is None:
            self.services = DemoServices(self._cache_dir, start_pbx=not self._in_background)

    @runs_on(CALLER)
    def start_line(self, accounts: AccountsService) -> tuple[DemoNumber, ...]:
        """The demo line as soon as the far ends listen (begun early, they usually do by now); returns the
        numbers it can call."""
        from callclient.demo.far_ends import DEMO_NUMBERS

        self.begin()
        try:
            self.services.wait_far_ends()
        except Exception as error:
            raise StartupError(f"Demo mode could not start: {error}") from None
        accounts.start(extra=(self.services.account,))
        return tuple(DemoNumber(n.number, n.name, n.description) for n in DEMO_NUMBERS)

    @runs_on(CALLER)
    def start_pbx(self, pbx: PbxEvents, publish: Callable[[Any], None]) -> None:
        """Signs in to the demo PBX now, or with `in_background` once `finish_start` is called."""
        if not self._in_background:
            try:
                self._sign_in_to_pbx(pbx)
            except Exception as error:
                raise StartupError(f"Demo mode could not start: {error}") from None
            return

        def finish() -> None:
            try:
                self._sign_in_to_pbx(pbx)
            except Exception as error:  # the window is up: tell it there, as the engine's faults are
                log.error("the demo PBX could not start: %s", error)
                publish(ev.EngineFault(f"The demo phone system could not start: {error}"))
                return
            # A window shown before the PBX was up found no history or voicemail: both can be fetched now.
            pbx.on_pbx_event(HistoryChanged())
            pbx.on_pbx_event(VoicemailChanged())

        self._pending = finish

    @runs_on(CALLER)
    def finish_start(self) -> None:
        """With `in_background`: starts the demo PBX and signs in to it, on a thread of their own. Nothing to
        do outside demo mode or when done."""
        finish, self._pending = self._pending, None
        if finish is None:
            return
        self.services.start_pbx()
        self._sign_in = threading.Thread(target=finish, name="demo-pbx-sign-in", daemon=True)
        self._sign_in.start()

    def _sign_in_to_pbx(self, pbx: PbxEvents) -> None:
        demo = self.services
        demo.wait_ready()
        pbx.use(self._connect(demo.pbx_url, str(demo.ca_file)))
        assert pbx.service is not None
        pbx.service.sign_in(demo.login, demo.password)
        pbx.service.start_updates()

    @runs_on(CALLER)
    def wait_sign_in(self) -> None:
        """Waits for a sign-in under way (first when stopping: it would sign in to a PBX service stopped)."""
        if self._sign_in is not None:
            self._sign_in.join(30)
            self._sign_in = None

    @runs_on(CALLER)
    def stop(self) -> None:
        """Stops the stand-ins (at the end, or when the saved accounts proved the early guess wrong)."""
        if self.services is not None:
            self.services.stop()
            self.services = None
