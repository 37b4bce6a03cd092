"""The app's one connection to the D-Bus session bus, shared by desktop notifications and the MPRIS player.

jeepney's threading router reads the socket on its own thread and hands replies to whoever waits for them
and matching messages to filter queues; this module adds the two things the desktop services need on top:
signals to follow (with the AddMatch the bus daemon needs before it routes a broadcast to us) and objects
to export (method calls on our paths, each answered on the `session-bus` thread).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from jeepney import HeaderFields, MatchRule, Message, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusRouter, ReceiveStopped, open_dbus_connection

from callclient.services.threads import ANY_THREAD, CALLER, runs_on

log = logging.getLogger(__name__)

SESSION_BUS = "session-bus"  # the thread that answers method calls on our objects (for @runs_on)
CALL_TIMEOUT_S = 5.0
# What an exported method answers: (D-Bus signature, body) or None for an empty reply.
MethodReply = tuple[str, tuple[Any, ...]] | None
MethodHandler = Callable[[Message], MethodReply]


class Router(DBusRouter):
    """jeepney's threading router, except that a bus which goes away (the daemon restarted, the session
    ended) ends its receiver thread with a log line instead of an uncaught exception; callers waiting for a
    reply get jeepney's RouterClosed as they would after close()."""

    def _receiver(self) -> None:
        try:
            while True:
                self._dispatch(self.conn.receive())
        except ReceiveStopped:
            pass
        except (OSError, ValueError) as error:  # ValueError: the socket was closed under the selector
            log.info("D-Bus connection %s ended: %s", self.conn.unique_name, error)
        finally:
            self._replies.drop_all()


class SessionBusUnavailable(Exception):
    """No session bus to talk to (a server without a desktop session); desktop integration stays off."""


class MethodError(Exception):
    """Raised by a method handler: the caller gets this D-Bus error name and message."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name = name


class SessionBus:
    def __init__(self, bus: str = "SESSION") -> None:
        try:
            connection = open_dbus_connection(bus)
        except (OSError, KeyError, ValueError, RuntimeError) as error:  # KeyError: no DBUS_SESSION_BUS_ADDRESS
            raise SessionBusUnavailable(f"no D-Bus session bus ({type(error).__name__}: {error})") from None
        self._router = Router(connection)
        self._exported: dict[str, MethodHandler] = {}  # object path -> handler
        self._calls: queue.Queue[Message | None] = queue.Queue()
        self._calls_filter = self._router.filter(MatchRule(type="method_call"), queue=self._calls)
        self._server = threading.Thread(target=self._serve, name=SESSION_BUS, daemon=True)
        self._server.start()

    @property
    def unique_name(self) -> str:
        return self._router.unique_name

    @runs_on(ANY_THREAD)
    def call(self, message: Message, timeout_s: float = CALL_TIMEOUT_S) -> tuple[Any, ...]:
        """Sends a method call and returns the reply's body; raises jeepney's DBusErrorResponse or TimeoutError."""
        from jeepney.wrappers import unwrap_msg

        return unwrap_msg(self._router.send_and_get_reply(message, timeout=timeout_s))

    @runs_on(ANY_THREAD)
    def send(self, message: Message) -> None:
        self._router.send(message)

    @runs_on(ANY_THREAD)
    def follow(self, rule: MatchRule, into: queue.Queue) -> Any:
        """Signals matching `rule` arrive in `into`; returns the handle to `.close()`."""
        handle = self._router.filter(rule, queue=into)
        self.call(message_bus.AddMatch(rule))
        return handle

    @runs_on(ANY_THREAD)
    def own_name(self, name: str) -> bool:
        """Asks the bus for a well-known name; False when another program already has it."""
        (result,) = self.call(message_bus.RequestName(name, 4))  # 4: DO_NOT_QUEUE
        return result in (1, 4)  # primary owner, or already owned by us

    @runs_on(ANY_THREAD)
    def export(self, path: str, handler: MethodHandler) -> None:
        self._exported[path] = handler

    @runs_on(CALLER)
    def close(self) -> None:
        self._calls_filter.close()
        self._calls.put(None)
        self._server.join(5)
        self._router.close()
        self._router.conn.close()

    def _serve(self) -> None:
        """Answers method calls on our exported paths, one at a time, on this thread."""
        while True:
            message = self._calls.get()
            if message is None:
                return
            path = message.header.fields.get(HeaderFields.path, "")
            handler = self._exported.get(path)
            if handler is None:
                self._reply(new_error(message, "org.freedesktop.DBus.Error.UnknownObject", "s",
                                      (f"no object at {path}",)))
                continue
            try:
                answer = handler(message)
            except MethodError as error:
                self._reply(new_error(message, error.name, "s", (str(error),)))
                continue
            except Exception as error:  # a bug in one handler must not stop the bus serving the others
                log.exception("D-Bus method %s on %s failed", message.header.fields.get(HeaderFields.member), path)
                self._reply(new_error(message, "org.freedesktop.DBus.Error.Failed", "s", (str(error),)))
                continue
            self._reply(new_method_return(message) if answer is None else new_method_return(message, *answer))

    def _reply(self, reply: Message) -> None:
        try:
            self._router.send(reply)
        except OSError as error:
            log.warning("could not answer a D-Bus call: %s", error)


__all__ = ["SESSION_BUS", "MethodError", "SessionBus", "SessionBusUnavailable"]
