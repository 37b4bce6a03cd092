"""My status: available, away, do not disturb or invisible — the one owner of the user's own presence and of
do-not-disturb.

On a PBX with presence (Wazo) the status lives on the PBX, so the desk phone, the web app and this app agree:
the user's state in chatd (`PUT /users/{uuid}/presences`) and the do-not-disturb service in confd
(`PUT /users/{uuid}/services/dnd`). A change made elsewhere arrives as `chatd_presence_updated` or
`users_services_dnd_updated` on the websocket and is shown at once. When the PBX refuses a change, the status
shown stays what the PBX says (it is fetched again) and the refusal is raised with the PBX's reason.

Do-not-disturb also drives the engine's local incoming-call policy (calls refused before they ring, with
`accounts.*.dnd_response`); this service is the only one that sets it, whatever the PBX. SIP-only accounts
keep that local do-not-disturb and nothing else.

Auto-away: after `presence.auto_away_minutes` of desktop idleness (or while the screen is locked) an available
user becomes away, and available again on return — unless they changed the status themselves meanwhile.
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from callclient.pbx.presence import DndUpdated, PresencesStale, PresenceUpdated, UserState
from callclient.pbx.service import UpdateMode, UpdateModeChanged
from callclient.services.threads import ANY_THREAD, CALLER, PBX_UPDATES, WORKER, runs_on

log = logging.getLogger(__name__)

AUTO_AWAY_CHECK_S = 15.0  # how often idleness is read while auto-away is on


class MyStatus(enum.StrEnum):
    AVAILABLE = "available"
    AWAY = "away"
    DND = "do not disturb"
    INVISIBLE = "invisible"


@dataclass(frozen=True)
class MyStatusChanged:
    """The user's status now; `on_pbx` when it is the PBX's (every device agrees), `by` who changed it:
    "you", "the phone system" (another device, the desk phone) or "auto-away"."""

    status: MyStatus
    on_pbx: bool
    by: str


class StatusNotChanged(Exception):
    """The status could not be changed; the message says why (the PBX's refusal, the network)."""


def status_of(state: UserState, dnd: bool) -> MyStatus:
    if dnd or state is UserState.UNAVAILABLE:
        return MyStatus.DND
    if state is UserState.INVISIBLE:
        return MyStatus.INVISIBLE
    if state is UserState.AWAY:
        return MyStatus.AWAY
    return MyStatus.AVAILABLE


_CHATD_STATE = {MyStatus.AVAILABLE: UserState.AVAILABLE, MyStatus.AWAY: UserState.AWAY,
                MyStatus.DND: UserState.UNAVAILABLE, MyStatus.INVISIBLE: UserState.INVISIBLE}


class MyStatusService:
    """`calls` is the call actions service (its set_dnd is the engine's local policy); `pbx` the PbxEvents;
    `publish` the news stream; `auto_away_minutes()` the setting in force; `idle_seconds()` the desktop's
    idleness (None when unknown)."""

    def __init__(self, calls: Any, pbx: Any, publish: Callable[[object], None],
                 auto_away_minutes: Callable[[], int] = lambda: 0,
                 idle_seconds: Callable[[], float | None] | None = None) -> None:
        self._calls = calls
        self._pbx = pbx
        self._publish = publish
        self._auto_away_minutes = auto_away_minutes
        self._idle_seconds = idle_seconds or desktop_idle_seconds
        self._lock = threading.Lock()
        self._status = MyStatus.AVAILABLE
        self._on_pbx = False
        self._pbx_state: tuple[UserState, bool] | None = None  # (chatd state, confd dnd) as the PBX last said
        self._local_dnd: bool | None = None  # what the engine was last told
        self._auto_away = False  # the current AWAY was set by auto-away
        # Bumped when a change made here starts and when it has reached the PBX: a read of the PBX's status
        # that overlapped it may hold the state from before, and is dropped (the user's choice stands).
        self._generation = 0
        self._changing = 0  # changes made here in progress: a read meanwhile may catch the PBX halfway
        # Held from that check to the status being applied, by a read and by a change made here alike: a
        # read that passed the check must not apply its older status after the change has applied its own.
        self._ordered = threading.Lock()
        # The PBX's news about our status is read back from the PBX, one read at a time and in order: the
        # websocket also echoes our own earlier changes, and an echo arriving after a newer change must not
        # win over it.
        self._reads = ThreadPoolExecutor(1, thread_name_prefix="my-status-read")
        self._stop = threading.Event()
        self._auto_thread: threading.Thread | None = None

    @property
    def status(self) -> MyStatus:
        return self._status

    @property
    def on_pbx(self) -> bool:
        """True when the status is kept on the PBX (shared by every device), False when it is this app's."""
        return self._api() is not None

    @runs_on(CALLER)
    def start(self) -> None:
        self._auto_thread = threading.Thread(target=self._auto_away_loop, name="auto-away", daemon=True)
        self._auto_thread.start()

    @runs_on(CALLER)
    def stop(self) -> None:
        self._stop.set()
        self._reads.shutdown(wait=False, cancel_futures=True)
        if self._auto_thread is not None:
            self._auto_thread.join(timeout=5)

    def _api(self) -> Any:
        service = self._pbx.service if self._pbx is not None else None
        return getattr(service, "presence", None)

    # ------------------------------------------------------------------ what the user does

    @runs_on(WORKER)
    def set(self, status: MyStatus, by: str = "you") -> MyStatus:
        """Sets the status (on the PBX when it keeps it); returns the status in force after. Raises
        StatusNotChanged with the reason when the PBX refuses; the status shown is then the PBX's again."""
        status = MyStatus(status)
        api = self._api()
        with self._lock:
            self._generation += 1
        if api is None:
            self._apply(status, on_pbx=False, by=by, wait=True)
            return status
        dnd = status is MyStatus.DND
        with self._lock:
            known = self._pbx_state
            self._changing += 1
        try:
            if known is None or known[1] != dnd:
                api.set_dnd(dnd)
            api.set_my_state(_CHATD_STATE[status])
        except Exception as error:
            log.warning("status not changed to %s: %s", status.value, error)
            with self._lock:
                self._changing -= 1
                self._generation += 1
            self.refetch()  # whatever part went through, show what the PBX holds now
            raise StatusNotChanged(_refusal_text(status, error)) from None
        with self._ordered:
            with self._lock:
                self._pbx_state = (_CHATD_STATE[status], dnd)
                self._changing -= 1
                self._generation += 1
            self._apply(status, on_pbx=True, by=by, wait=True)
        return status

    @runs_on(ANY_THREAD)
    def dnd_requested(self, enabled: bool) -> Future[None]:
        """Do not disturb on or off as a script asks (CallActions.set_dnd, the CLI): DND, or from DND back to
        available; turning it off leaves any other status as it is. The Future fails with StatusNotChanged."""
        done: Future[None] = Future()

        def run() -> None:
            try:
                if enabled:
                    self.set(MyStatus.DND)
                elif self._status is MyStatus.DND:
                    self.set(MyStatus.AVAILABLE)
                else:
                    self._calls.apply_dnd(False).result(10)
                    with self._lock:
                        self._local_dnd = False
            except BaseException as error:  # handed to the caller
                done.set_exception(error)
            else:
                done.set_result(None)

        threading.Thread(target=run, name="dnd-request", daemon=True).start()
        return done

    @runs_on(WORKER)
    def refetch(self) -> MyStatus:
        """Reads the status from the PBX (after the websocket was lost, or a refused change)."""
        api = self._api()
        if api is None:
            return self._status
        with self._lock:
            generation = self._generation
        try:
            presence = api.my_presence()
            dnd = api.dnd()
        except Exception as error:
            log.info("your status could not be read from the PBX: %s", error)
            return self._status
        with self._ordered:
            with self._lock:
                if generation != self._generation or self._changing:
                    return self._status  # changed here meanwhile: what the PBX said then is not news
                self._pbx_state = (presence.state, dnd or presence.dnd)
            self._apply(status_of(presence.state, dnd or presence.dnd), on_pbx=True, by="the phone system")
        return self._status

    # ------------------------------------------------------------------ what the PBX says

    @runs_on(PBX_UPDATES)
    def on_pbx_event(self, event: object) -> None:
        api = self._api()
        if api is None:
            return
        if isinstance(event, PresenceUpdated | DndUpdated):
            try:
                me = api.my_uuid
            except Exception:  # signed out meanwhile
                return
            with self._lock:
                state, dnd = self._pbx_state or (UserState.AVAILABLE, False)
                if isinstance(event, PresenceUpdated):
                    if event.presence.user_uuid != me:
                        return
                    state, dnd = event.presence.state, event.presence.dnd
                else:
                    if event.user_uuid != me:
                        return
                    dnd = event.enabled
                if (state, dnd) == self._pbx_state:
                    return  # what we hold already (the echo of our own change)
            self._read_back()
        elif isinstance(event, PresencesStale) or (
                isinstance(event, UpdateModeChanged) and event.mode in (UpdateMode.WEBSOCKET, UpdateMode.POLLING)):
            self._read_back()

    def _read_back(self) -> None:
        try:
            self._reads.submit(self.refetch)
        except RuntimeError:
            pass  # stopping

    def _apply(self, status: MyStatus, on_pbx: bool, by: str, wait: bool = False) -> None:
        """`wait`: return only once the engine follows (a status the user set holds for the very next call)."""
        with self._lock:
            changed = (status, on_pbx) != (self._status, self._on_pbx)
            self._status, self._on_pbx = status, on_pbx
            if by != "auto-away":
                self._auto_away = False
            dnd = status is MyStatus.DND
            # A choice the user makes is always applied: the engine's DND may have been set around this owner.
            tell_engine = dnd != self._local_dnd or by != "the phone system"
            self._local_dnd = dnd
        if tell_engine:
            # The engine refuses calls before they ring while DND is on (the local policy, also on a PBX:
            # a call the PBX still routes, such as a direct SIP call, must not ring either).
            applied = self._calls.apply_dnd(dnd)
            if wait:
                applied.result(10)
        if changed:
            log.info("your status is now %s (%s, by %s)", status.value, "on the PBX" if on_pbx else "local", by)
            self._publish(MyStatusChanged(status, on_pbx, by))

    # ------------------------------------------------------------------ auto-away

    def _auto_away_loop(self) -> None:
        while not self._stop.wait(AUTO_AWAY_CHECK_S):
            try:
                self.check_idle()
            except Exception:  # the next check tries again
                log.exception("auto-away check failed")

    @runs_on(ANY_THREAD)
    def check_idle(self) -> MyStatus | None:
        """Away after the idle minutes the setting gives, available again on return; returns the status set,
        or None when nothing changed."""
        minutes = int(self._auto_away_minutes() or 0)
        if minutes <= 0:
            return None
        idle = self._idle_seconds()
        if idle is None:
            return None
        with self._lock:
            status, auto = self._status, self._auto_away
        try:
            if status is MyStatus.AVAILABLE and idle >= minutes * 60:
                self.set(MyStatus.AWAY, by="auto-away")
                with self._lock:
                    self._auto_away = True
                return MyStatus.AWAY
            if status is MyStatus.AWAY and auto and idle < minutes * 60:
                self.set(MyStatus.AVAILABLE, by="auto-away")
                return MyStatus.AVAILABLE
        except StatusNotChanged as error:
            log.info("auto-away: %s", error)
        return None


def _refusal_text(status: MyStatus, error: BaseException) -> str:
    reason = str(error) or type(error).__name__
    if type(error).__name__ == "StatusRefused":  # the PBX's refusal already names the change and the PBX
        return reason
    return f"Your status was not changed to {status.value}: {reason}"


def desktop_idle_seconds() -> float | None:
    """Seconds since the last keyboard or mouse input: the session's lock/IdleHint from logind where there is
    one (a locked screen counts as idle for ever), else the X server's screensaver extension; None when
    neither can say."""
    session = os.environ.get("XDG_SESSION_ID")
    loginctl = shutil.which("loginctl")
    if session and loginctl:
        try:
            out = subprocess.run([loginctl, "show-session", session, "-p", "LockedHint", "-p", "IdleHint",
                                  "-p", "IdleSinceHintMonotonic"], capture_output=True, text=True, timeout=2,
                                 check=True).stdout
            hints = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
            if hints.get("LockedHint") == "yes":
                return float("inf")
            if hints.get("IdleHint") == "yes":
                since_us = int(hints.get("IdleSinceHintMonotonic") or 0)
                return max(0.0, _monotonic_s() - since_us / 1e6) if since_us else float("inf")
        except (OSError, subprocess.SubprocessError, ValueError):
            pass
    return x11_idle_seconds()


def _monotonic_s() -> float:
    import time

    return time.clock_gettime(time.CLOCK_MONOTONIC)


def x11_idle_seconds() -> float | None:
    """The MIT-SCREEN-SAVER extension's idle time (XScreenSaverQueryInfo), or None without an X display."""
    if not os.environ.get("DISPLAY"):
        return None
    import ctypes
    import ctypes.util

    class _Info(ctypes.Structure):
        _fields_ = [("window", ctypes.c_ulong), ("state", ctypes.c_int), ("kind", ctypes.c_int),
                    ("til_or_since", ctypes.c_ulong), ("idle", ctypes.c_ulong), ("eventMask", ctypes.c_ulong)]

    xlib_name, xss_name = ctypes.util.find_library("X11"), ctypes.util.find_library("Xss")
    if not xlib_name or not xss_name:
        return None
    xlib, xss = ctypes.CDLL(xlib_name), ctypes.CDLL(xss_name)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XDefaultRootWindow.restype = ctypes.c_ulong
    xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xlib.XFree.argtypes = [ctypes.c_void_p]
    xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_Info)
    xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_Info)]
    display = xlib.XOpenDisplay(None)
    if not display:
        return None
    try:
        info = xss.XScreenSaverAllocInfo()
        try:
            if not xss.XScreenSaverQueryInfo(display, xlib.XDefaultRootWindow(display), info):
                return None
            return info.contents.idle / 1000.0
        finally:
            xlib.XFree(info)
    finally:
        xlib.XCloseDisplay(display)
