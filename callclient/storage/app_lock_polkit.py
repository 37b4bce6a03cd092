"""The Linux app lock: polkit re-authenticates the user for CallClient's own action.

We ask `org.freedesktop.PolicyKit1.Authority.CheckAuthorization` on the system bus, with user interaction
allowed, whether this very process (a unix-process subject: pid, start time, uid) may do
`org.callclient.unlock`. The action's defaults are `auth_self` (resources/linux/org.callclient.unlock.policy),
so polkit hands the question to the desktop's authentication agent, which asks by fingerprint where
fprintd/PAM is set up and by password otherwise. We hear only the answer; the call blocks until the agent
answers, so callers run it off the GUI thread.

polkit always authorizes uid 0 without asking, so the lock is unavailable to a root session: it would open
without confirming anyone.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, new_method_call
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from callclient.storage.app_lock import AppLockUnavailable, ProbedAppLock, UnlockResult

log = logging.getLogger(__name__)

ACTION_ID = "org.callclient.unlock"
POLICY_FILE = "org.callclient.unlock.policy"
AUTHORITY = DBusAddress("/org/freedesktop/PolicyKit1/Authority", bus_name="org.freedesktop.PolicyKit1",
                        interface="org.freedesktop.PolicyKit1.Authority")
ALLOW_USER_INTERACTION = 1  # CheckAuthorizationFlags
# The agent waits for a person: long enough to find the fingerprint reader, short enough that a forgotten
# prompt does not keep the lock busy for ever (then we cancel it, and the lock screen says so).
ANSWER_TIMEOUT_S = 300.0
PROBE_TIMEOUT_S = 5.0
CANCELLED_ERROR = "org.freedesktop.PolicyKit1.Error.Cancelled"

Connect = Callable[[], Any]  # returns a jeepney threading DBusRouter on the system bus


def process_start_time(pid: int) -> int:
    """The process's start time in clock ticks since boot (/proc/PID/stat field 22), which polkit compares to
    tell this process from a later one that reuses its pid."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        text = stat.read()
    # The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
    fields_after_name = text.rsplit(")", 1)[1].split()
    return int(fields_after_name[19])  # field 22 overall: 3 is the first after the name


def _system_bus() -> Any:
    from jeepney.io.threading import DBusRouter, open_dbus_connection

    # A router, not a plain connection: `cancel` sends on it from another thread while `unlock` waits, and
    # polkit accepts a cancellation only from the connection that asked. jeepney reads
    # DBUS_SYSTEM_BUS_ADDRESS, so tests point the app at their private system bus.
    return DBusRouter(open_dbus_connection("SYSTEM"))


def _close(router: Any) -> None:
    router.close()
    router.conn.close()


class PolkitLock(ProbedAppLock):
    """polkit's re-authentication as the app lock (see the module's docstring)."""

    def __init__(self, connect: Connect = _system_bus, action_id: str = ACTION_ID, pid: int | None = None,
                 uid: int | None = None) -> None:
        super().__init__()
        self._connect = connect
        self._action_id = action_id
        self._pid = pid if pid is not None else os.getpid()
        self._uid = uid if uid is not None else os.getuid()
        self._asking: tuple[Any, str] | None = None  # (router, cancellation id) while a question is open
        self._guard = threading.Lock()
        self._cancelled = False  # we withdrew the open question ourselves

    def _probe(self) -> str:
        if self._uid == 0:
            return "polkit lets the administrator (root) in without asking, so the lock would not protect anything."
        try:
            connection = self._connect()
        except (OSError, KeyError, ValueError, RuntimeError) as error:
            return f"There is no system message bus to ask polkit ({type(error).__name__}: {error})."
        try:
            (actions,) = unwrap_msg(connection.send_and_get_reply(
                new_method_call(AUTHORITY, "EnumerateActions", "s", ("",)), timeout=PROBE_TIMEOUT_S))
        except DBusErrorResponse as error:
            return f"polkit is not running on this system ({error.name})."
        except (OSError, TimeoutError) as error:
            return f"polkit did not answer ({type(error).__name__}: {error})."
        finally:
            _close(connection)
        if not any(action[0] == self._action_id for action in actions):
            return (f"CallClient's polkit policy ({POLICY_FILE}) is not installed; reinstall CallClient or ask "
                    "your administrator.")
        return ""

    def subject(self) -> tuple[str, dict[str, tuple[str, Any]]]:
        return ("unix-process", {"pid": ("u", self._pid), "start-time": ("t", process_start_time(self._pid)),
                                 "uid": ("i", self._uid)})

    def unlock(self, reason: str) -> UnlockResult:
        """Asks polkit (and through it the desktop's agent) to confirm the user. `reason` goes to the log only:
        polkit shows the policy's own message, since it honours a caller's text only from root."""
        try:
            connection = self._connect()
        except (OSError, KeyError, ValueError, RuntimeError) as error:
            raise AppLockUnavailable(f"no system message bus to ask polkit ({error})") from None
        cancellation_id = f"callclient-unlock-{secrets.token_hex(8)}"
        check = new_method_call(AUTHORITY, "CheckAuthorization", "(sa{sv})sa{ss}us",
                                (self.subject(), self._action_id, {}, ALLOW_USER_INTERACTION, cancellation_id))
        log.info("asking polkit to confirm the user (%s)", reason)
        with self._guard:
            self._asking = (connection, cancellation_id)
            self._cancelled = False
        try:
            ((authorized, challenge, details),) = unwrap_msg(
                connection.send_and_get_reply(check, timeout=ANSWER_TIMEOUT_S))
        except DBusErrorResponse as error:
            if error.name == CANCELLED_ERROR:
                return UnlockResult.CANCELLED
            raise AppLockUnavailable(f"polkit refused to ask: {error.name} {error.data}") from None
        except TimeoutError:
            self.cancel()
            return UnlockResult.CANCELLED
        except OSError as error:
            raise AppLockUnavailable(f"lost the system message bus while asking polkit ({error})") from None
        finally:
            with self._guard:
                self._asking = None
            _close(connection)
        log.info("polkit answered: authorized=%s challenge=%s details=%s", authorized, challenge, sorted(details))
        if authorized:
            return UnlockResult.UNLOCKED
        # A GUI agent's Cancel button comes back as polkit.dismissed; our own CancelCheckAuthorization comes
        # back from polkit 122 as a plain "not authorized", so we remember that we asked for it.
        if details.get("polkit.dismissed") or self._cancelled:
            return UnlockResult.CANCELLED
        if challenge:
            # polkit could not ask anyone: no authentication agent runs for this session.
            raise AppLockUnavailable("no authentication agent is running to ask you (is your desktop's polkit "
                                     "agent started?)")
        return UnlockResult.DENIED

    def cancel(self) -> None:
        """Withdraws an open question (any thread): polkit dismisses the agent's prompt and `unlock` returns
        CANCELLED."""
        with self._guard:
            asking = self._asking
        if asking is None:
            return
        router, cancellation_id = asking
        self._cancelled = True
        try:
            router.send(new_method_call(AUTHORITY, "CancelCheckAuthorization", "s", (cancellation_id,)))
        except OSError as error:
            log.warning("could not cancel the polkit request: %s", error)


__all__ = ["ACTION_ID", "POLICY_FILE", "PolkitLock", "process_start_time"]
