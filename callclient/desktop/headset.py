"""Headset call buttons on Linux through evdev: the telephony keys a USB or Bluetooth headset's input device
reports (linux/input-event-codes.h: KEY_PHONE, KEY_PICKUP_PHONE, KEY_HANGUP_PHONE, KEY_MICMUTE).

The devices that drive calls are the user's choice (`desktop.headset_devices`: paths such as
/dev/input/by-id/usb-Jabra_Evolve2_40-event-if03, stable across replugging, unlike eventN numbers);
`candidates()` lists the input devices whose key bitmap has a telephony key, for a Settings page. Each
chosen device is read on its own thread as a stream of `struct input_event` records; `decode` turns that
stream into presses, and the same decoding runs whether the bytes come from a device node or from a
recording (the tests feed recorded streams through a FIFO named like a device).

    KEY_PICKUP_PHONE   answer the ringing call
    KEY_HANGUP_PHONE   hang up the call you are on; with none up, decline the ringing call
    KEY_PHONE          the one-button headset: answer when ringing, else hang up
    KEY_MICMUTE        mute or unmute the call you are on

Only presses count (value 1): releases (0) and auto-repeat (2) would answer and hang up in one push.
"""

from __future__ import annotations

import enum
import logging
import os
import re
import select
import struct
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callclient.services.threads import CALLER, WORKER, runs_on

log = logging.getLogger(__name__)

# struct input_event on 64-bit Linux: struct timeval (two longs), __u16 type, __u16 code, __s32 value.
INPUT_EVENT = struct.Struct("llHHi")
EV_KEY = 0x01
PRESS = 1


class TelephonyKey(enum.IntEnum):
    PHONE = 169
    MICMUTE = 248
    PICKUP_PHONE = 0x1BD
    HANGUP_PHONE = 0x1BE


@dataclass(frozen=True)
class InputDevice:
    """An input device from /proc/bus/input/devices that reports at least one telephony key."""

    name: str
    path: str  # /dev/input/eventN
    keys: tuple[TelephonyKey, ...]


def decode(records: Iterable[bytes]) -> Iterator[TelephonyKey]:
    """The telephony key presses in a stream of input_event bytes (chunks of any size)."""
    pending = b""
    for chunk in records:
        pending += chunk
        whole = len(pending) - len(pending) % INPUT_EVENT.size
        for _sec, _usec, kind, code, value in INPUT_EVENT.iter_unpack(pending[:whole]):
            if kind == EV_KEY and value == PRESS and code in TelephonyKey._value2member_map_:
                yield TelephonyKey(code)
        pending = pending[whole:]


def candidates(proc_devices: str) -> list[InputDevice]:
    """The devices in the text of /proc/bus/input/devices whose KEY bitmap has a telephony key."""
    found = []
    for block in proc_devices.split("\n\n"):
        name = re.search(r'^N: Name="(.*)"$', block, re.M)
        handlers = re.search(r"^H: Handlers=(.*)$", block, re.M)
        bitmap = re.search(r"^B: KEY=([0-9a-f ]+)$", block, re.M)
        if not (name and handlers and bitmap):
            continue
        event = next((h for h in handlers.group(1).split() if h.startswith("event")), None)
        # The bitmap is printed as longs, most significant first, each a 64-bit word here.
        words = bitmap.group(1).split()
        bits = 0
        for word in words:
            bits = (bits << 64) | int(word, 16)
        keys = tuple(key for key in TelephonyKey if bits >> int(key) & 1)
        if event and keys:
            found.append(InputDevice(name.group(1), f"/dev/input/{event}", keys))
    return found


class DeviceReader:
    """Reads non-blocking device files (evdev nodes, hidraw nodes) on reader threads until `stop`: each reader
    waits in select() on its device and on one wake pipe, so stopping ends every reader at once instead of
    when its device next speaks."""

    def __init__(self) -> None:
        self._wake_read, self._wake_write = os.pipe()
        self._stopping = threading.Event()

    @runs_on(CALLER)
    def stop(self) -> None:
        """Ends every `chunks` loop; then join the reader threads and `close`."""
        self._stopping.set()
        os.write(self._wake_write, b"x")

    @runs_on(CALLER)
    def close(self) -> None:
        os.close(self._wake_read)
        os.close(self._wake_write)

    @runs_on(WORKER)
    def chunks(self, device: int, read_bytes: int, what: str) -> Iterator[bytes]:
        """What `device` gives, chunk by chunk, until it is unplugged or ends, or `stop`. `what` names the
        device in the log."""
        while not self._stopping.is_set():
            readable, _, _ = select.select([device, self._wake_read], [], [])
            if self._wake_read in readable:
                return
            try:
                chunk = os.read(device, read_bytes)
            except BlockingIOError:
                continue
            except OSError as error:  # ENODEV: the headset was unplugged
                log.info("%s: read failed: %s", what, error.strerror)
                return
            if not chunk:
                return
            yield chunk


class HeadsetButtons:
    """Reads the chosen devices and turns presses into call actions (`calls` is the call-actions service)."""

    def __init__(self, calls: Any) -> None:
        self._calls = calls
        self._reader = DeviceReader()
        self._threads: dict[str, threading.Thread] = {}
        self.pressed: list[TelephonyKey] = []  # what was acted on, for diagnostics

    @runs_on(CALLER)
    def use(self, paths: Iterable[str]) -> None:
        """Follows these devices (in addition to the ones followed now; `stop` ends them all)."""
        for path in paths:
            if path in self._threads and self._threads[path].is_alive():
                continue
            thread = threading.Thread(target=self._follow, args=(path,), name=f"headset {Path(path).name}",
                                      daemon=True)
            self._threads[path] = thread
            thread.start()

    @runs_on(CALLER)
    def stop(self) -> None:
        self._reader.stop()
        for thread in self._threads.values():
            thread.join(5)
        self._threads.clear()
        self._reader.close()

    @runs_on(WORKER)
    def _follow(self, path: str) -> None:
        try:
            device = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as error:
            log.warning("headset buttons: cannot read %s: %s (is the user in the 'input' group?)", path,
                        error.strerror)
            return
        log.info("headset buttons: following %s", path)
        try:
            for key in decode(self._reader.chunks(device, INPUT_EVENT.size * 64, "headset buttons")):
                self._press(key)
        finally:
            os.close(device)
            log.info("headset buttons: %s gone or stopped", path)

    def _press(self, key: TelephonyKey) -> None:
        log.info("headset button %s", key.name)
        self.pressed.append(key)
        press(self._calls, key)


def press(calls: Any, key: TelephonyKey) -> None:
    """What a headset call button does (evdev keys and HID telephony reports alike); `calls` is the
    call-actions service."""
    ringing, current = calls.calls.ringing(), calls.calls.current_id
    try:
        if key is TelephonyKey.PICKUP_PHONE and ringing:
            calls.answer()
        elif key is TelephonyKey.HANGUP_PHONE:
            if current is not None:
                calls.hang_up()
            elif ringing:
                calls.decline()
        elif key is TelephonyKey.PHONE:
            if ringing:
                calls.answer()
            elif current is not None:
                calls.hang_up()
        elif key is TelephonyKey.MICMUTE and current is not None:
            calls.toggle_mute()
    except Exception:  # the engine stopping: the button does nothing, the reader lives on
        log.exception("headset button %s failed", key.name)
