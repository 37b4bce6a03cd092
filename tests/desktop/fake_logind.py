"""A private D-Bus "system bus" (a real dbus-daemon) and a stand-in logind on it.

logind itself cannot run here (it needs systemd as PID 1); what the app talks to is the bus protocol, and
that is real: the test owns org.freedesktop.login1 on a dbus-daemon it started, hands out real "delay"
inhibitor file descriptors from Inhibit(), and broadcasts the real PrepareForSleep(b) signal.
"""

from __future__ import annotations

import os
import queue
import select
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jeepney import DBusAddress, MatchRule, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusRouter, open_dbus_connection

from tests.fixtures.net import die_with_parent

LOGIN1_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"

_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""


@contextmanager
def private_system_bus(workdir: Path) -> Iterator[str]:
    """A dbus-daemon of the test's own; yields its address (for DBUS_SYSTEM_BUS_ADDRESS)."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "system.conf"
    config.write_text(_CONFIG.format(socket=workdir / "system_bus_socket"))
    daemon = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address"],
                              stdout=subprocess.PIPE, text=True, preexec_fn=die_with_parent)
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:"), f"dbus-daemon did not start (printed {address!r})"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(10)


class FakeLogind:
    """Owns org.freedesktop.login1 on `address`; answers Inhibit with a pipe whose other end it watches."""

    def __init__(self, address: str) -> None:
        self._router = DBusRouter(open_dbus_connection(address, enable_fds=True))
        reply = self._router.send_and_get_reply(message_bus.RequestName("org.freedesktop.login1", 4), timeout=5)
        assert reply.body[0] == 1, f"could not own org.freedesktop.login1: {reply.body}"
        self._calls: queue.Queue = queue.Queue()
        self._filter = self._router.filter(MatchRule(type="method_call", path=LOGIN1_PATH), queue=self._calls,
                                           bufsize=64)
        self.inhibitors: queue.Queue[int] = queue.Queue()  # read ends of the handed-out delay locks
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                call = self._calls.get(timeout=0.5)
            except queue.Empty:
                continue
            if call.header.fields.get(3) == "Inhibit":  # 3: MEMBER
                what, who, why, mode = call.body
                if what != "sleep" or mode != "delay":
                    self._router.send(new_error(call, "org.freedesktop.DBus.Error.InvalidArgs", "s",
                                                ("only sleep delay locks here",)))
                    continue
                read_end, write_end = os.pipe()
                self._router.send(new_method_return(call, "h", (write_end,)))
                os.close(write_end)  # the app holds the only copy now: its closing it is the release
                self.inhibitors.put(read_end)
            else:
                self._router.send(new_error(call, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("not here",)))

    def prepare_for_sleep(self, going_to_sleep: bool) -> None:
        self._router.send(new_signal(DBusAddress(LOGIN1_PATH, interface=MANAGER), "PrepareForSleep", "b",
                                     (going_to_sleep,)))

    @staticmethod
    def released(inhibitor: int, timeout_s: float) -> bool:
        """Whether the app let go of the delay lock (the pipe reads EOF) within `timeout_s`."""
        readable, _, _ = select.select([inhibitor], [], [], timeout_s)
        return bool(readable) and os.read(inhibitor, 1) == b""

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._filter.close()
        self._router.close()
        self._router.conn.close()
