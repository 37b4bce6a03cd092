"""Headsets that speak the USB HID telephony page (HID Usage Tables 1.4, §14 Telephony Device Page 0x0B and
§11 LED Page 0x08): the hook switch and the mute button come in as input reports, and the headset's mute
light (and off-hook light) go out as output reports, so the light says what the call says whichever way
the mute changed — the headset's button, the window, a hotkey or `callclient mute`.

Linux hands these reports over raw through /dev/hidrawN: one read gives one report, one write sends one.
The report layout differs per headset, so it comes from the device's own report descriptor
(/sys/class/hidraw/hidrawN/device/report_descriptor), parsed here — short items only, which is all a
telephony collection uses (long items are skipped by their size).

    Hook Switch  (0x0B:0x20)  absolute: 1 = off hook. On -> off answers; off -> on hangs up
    Phone Mute   (0x0B:0x2F)  a push: its 0 -> 1 edge mutes or unmutes
    LED Mute     (0x08:0x09), LED Off-Hook (0x08:0x17), LED Ring (0x08:0x18): written by us

The presses become the same TelephonyKey values the evdev reader produces (callclient/desktop/headset.py),
so one routine turns either kind of headset's buttons into call actions.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callclient.desktop.headset import DeviceReader, TelephonyKey
from callclient.services.threads import ANY_THREAD, CALLER, WORKER, runs_on

log = logging.getLogger(__name__)

TELEPHONY_PAGE, LED_PAGE = 0x0B, 0x08
HOOK_SWITCH = TELEPHONY_PAGE << 16 | 0x20
PHONE_MUTE = TELEPHONY_PAGE << 16 | 0x2F
LED_MUTE = LED_PAGE << 16 | 0x09
LED_OFF_HOOK = LED_PAGE << 16 | 0x17
LED_RING = LED_PAGE << 16 | 0x18
SYSFS_HIDRAW = Path("/sys/class/hidraw")
MAX_REPORT_BYTES = 64  # a full-speed interrupt endpoint's packet: no telephony report is longer

# Short-item tags (HID 1.11 §6.2.2.4-6.2.2.8): main, global and local items.
_INPUT, _OUTPUT, _FEATURE, _COLLECTION, _END_COLLECTION = 0x80, 0x90, 0xB0, 0xA0, 0xC0
_USAGE_PAGE, _REPORT_SIZE, _REPORT_ID, _REPORT_COUNT, _PUSH, _POP = 0x04, 0x74, 0x84, 0x94, 0xA4, 0xB4
_USAGE, _USAGE_MIN, _USAGE_MAX = 0x08, 0x18, 0x28
_CONSTANT = 0x01


class DescriptorInvalid(ValueError):
    """The report descriptor cannot be read; the message says where it stopped making sense."""


@dataclass(frozen=True)
class Field:
    """One value in a report: which report, where its bits start after the report ID byte, and how many."""

    report_id: int
    bit_offset: int
    bit_size: int

    def read(self, payload: bytes) -> int:
        value = int.from_bytes(payload, "little") >> self.bit_offset
        return value & ((1 << self.bit_size) - 1)

    def write(self, payload: bytearray, value: int) -> None:
        whole = int.from_bytes(payload, "little")
        mask = ((1 << self.bit_size) - 1) << self.bit_offset
        whole = (whole & ~mask) | ((value << self.bit_offset) & mask)
        payload[:] = whole.to_bytes(len(payload), "little")


@dataclass(frozen=True)
class TelephonyLayout:
    """Where a headset puts the telephony values, from its report descriptor."""

    inputs: dict[int, Field] = field(default_factory=dict)  # HOOK_SWITCH / PHONE_MUTE -> field
    outputs: dict[int, Field] = field(default_factory=dict)  # LED_* -> field
    input_bytes: dict[int, int] = field(default_factory=dict)  # report ID -> payload length (no ID byte)
    output_bytes: dict[int, int] = field(default_factory=dict)
    numbered: bool = False  # reports start with a report ID byte

    @property
    def telephony(self) -> bool:
        return bool(self.inputs)


def parse_descriptor(descriptor: bytes) -> TelephonyLayout:
    """The telephony inputs and LED outputs in a HID report descriptor."""
    usage_page, report_size, report_id, report_count = 0, 0, 0, 0
    stack: list[tuple[int, int, int, int]] = []
    usages: list[int] = []
    usage_min: int | None = None
    bits: dict[tuple[int, int], int] = {}  # (main tag, report id) -> bits so far
    inputs: dict[int, Field] = {}
    outputs: dict[int, Field] = {}
    numbered = False
    position = 0
    while position < len(descriptor):
        prefix = descriptor[position]
        if prefix == 0xFE:  # a long item: its data size is the next byte
            if position + 1 >= len(descriptor):
                raise DescriptorInvalid(f"long item cut short at byte {position}")
            position += 3 + descriptor[position + 1]
            continue
        size = (0, 1, 2, 4)[prefix & 0x03]
        if position + 1 + size > len(descriptor):
            raise DescriptorInvalid(f"item 0x{prefix:02x} at byte {position} runs past the end")
        data = int.from_bytes(descriptor[position + 1:position + 1 + size], "little")
        tag = prefix & 0xFC
        position += 1 + size
        if tag == _USAGE_PAGE:
            usage_page = data
        elif tag == _REPORT_SIZE:
            report_size = data
        elif tag == _REPORT_ID:
            report_id, numbered = data, True
        elif tag == _REPORT_COUNT:
            report_count = data
        elif tag == _PUSH:
            stack.append((usage_page, report_size, report_id, report_count))
        elif tag == _POP:
            if not stack:
                raise DescriptorInvalid(f"Pop without Push at byte {position - 1 - size}")
            usage_page, report_size, report_id, report_count = stack.pop()
        elif tag == _USAGE:
            usages.append(data if size == 4 else usage_page << 16 | data)
        elif tag == _USAGE_MIN:
            usage_min = data if size == 4 else usage_page << 16 | data
        elif tag == _USAGE_MAX and usage_min is not None:
            top = data if size == 4 else usage_page << 16 | data
            usages.extend(range(usage_min, top + 1))
            usage_min = None
        elif tag in (_INPUT, _OUTPUT, _FEATURE):
            key = (tag, report_id)
            start = bits.get(key, 0)
            if not data & _CONSTANT and tag != _FEATURE:
                found = inputs if tag == _INPUT else outputs
                for index in range(report_count):
                    # Fewer usages than values: the last usage names the rest (HID 1.11 §6.2.2.8).
                    usage = usages[min(index, len(usages) - 1)] if usages else 0
                    wanted = (HOOK_SWITCH, PHONE_MUTE) if tag == _INPUT else (LED_MUTE, LED_OFF_HOOK, LED_RING)
                    if usage in wanted and usage not in found:
                        found[usage] = Field(report_id, start + index * report_size, report_size)
            bits[key] = start + report_size * report_count
            usages, usage_min = [], None
        elif tag in (_COLLECTION, _END_COLLECTION):
            usages, usage_min = [], None
    return TelephonyLayout(
        inputs, outputs,
        {rid: (count + 7) // 8 for (tag, rid), count in bits.items() if tag == _INPUT},
        {rid: (count + 7) // 8 for (tag, rid), count in bits.items() if tag == _OUTPUT},
        numbered)


def telephony_headsets(sysfs: Path = SYSFS_HIDRAW) -> list[tuple[str, str, TelephonyLayout]]:
    """(name, /dev/hidrawN, layout) for each hidraw device whose reports carry telephony buttons."""
    found = []
    for node in sorted(sysfs.glob("hidraw*")):
        try:
            layout = parse_descriptor((node / "device/report_descriptor").read_bytes())
            uevent = (node / "device/uevent").read_text(errors="replace")
        except (OSError, DescriptorInvalid) as error:
            log.info("hidraw %s skipped: %s", node.name, error)
            continue
        if layout.telephony:
            name = next((line.split("=", 1)[1] for line in uevent.splitlines() if line.startswith("HID_NAME=")),
                        node.name)
            found.append((name, f"/dev/{node.name}", layout))
    return found


def split_reports(layout: TelephonyLayout, chunks: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """(report ID, payload) for each input report in a byte stream of any chunking (hidraw gives one report
    per read; a recording or a pipe may not)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        while pending:
            report_id = pending[0] if layout.numbered else 0
            length = layout.input_bytes.get(report_id)
            if length is None:
                log.info("headset: input report %d is not in its descriptor; %d bytes dropped", report_id,
                         len(pending))
                pending = b""
                break
            whole = length + (1 if layout.numbered else 0)
            if len(pending) < whole:
                break
            yield report_id, pending[whole - length:whole]
            pending = pending[whole:]


class TelephonyReports:
    """Turns a headset's input reports into presses, remembering the hook and mute state between them."""

    def __init__(self, layout: TelephonyLayout) -> None:
        self._layout = layout
        self.off_hook = False  # as the headset last reported it
        self._mute_down = False

    def presses(self, chunks: Iterable[bytes]) -> Iterator[TelephonyKey]:
        hook = self._layout.inputs.get(HOOK_SWITCH)
        mute = self._layout.inputs.get(PHONE_MUTE)
        for report_id, payload in split_reports(self._layout, chunks):
            if hook is not None and hook.report_id == report_id:
                off_hook = bool(hook.read(payload))
                if off_hook != self.off_hook:
                    self.off_hook = off_hook
                    yield TelephonyKey.PICKUP_PHONE if off_hook else TelephonyKey.HANGUP_PHONE
            if mute is not None and mute.report_id == report_id:
                down = bool(mute.read(payload))
                if down and not self._mute_down:
                    yield TelephonyKey.MICMUTE
                self._mute_down = down


def led_reports(layout: TelephonyLayout, muted: bool, off_hook: bool, ringing: bool = False) -> list[bytes]:
    """The output reports that light the headset's mute / off-hook / ring LEDs as given (one per report ID)."""
    wanted = {LED_MUTE: muted, LED_OFF_HOOK: off_hook, LED_RING: ringing}
    payloads: dict[int, bytearray] = {}
    for usage, led in layout.outputs.items():
        payload = payloads.setdefault(led.report_id, bytearray(layout.output_bytes.get(led.report_id, 1)))
        led.write(payload, int(wanted[usage]))
    return [(bytes([rid]) if layout.numbered else b"") + bytes(payload) for rid, payload in sorted(payloads.items())]


def sysfs_descriptor(path: str, sysfs: Path = SYSFS_HIDRAW) -> bytes | None:
    """The report descriptor of a /dev/hidrawN node (or a link to one); None for anything else."""
    node = Path(os.path.realpath(path)).name
    if not node.startswith("hidraw"):
        return None
    try:
        return (sysfs / node / "device/report_descriptor").read_bytes()
    except OSError as error:
        log.warning("headset %s: cannot read its report descriptor: %s", path, error.strerror)
        return None


class HidHeadsets:
    """Reads the chosen hidraw headsets on a thread each; `press(key)` acts on a button, and `show(...)`
    writes the LED state to every headset that has the LEDs."""

    def __init__(self, press: Callable[[TelephonyKey], Any]) -> None:
        self._press = press
        self._reader = DeviceReader()
        self._threads: list[threading.Thread] = []
        self._devices: dict[str, tuple[int, TelephonyLayout, TelephonyReports]] = {}  # path -> (fd, ...)
        self._lock = threading.Lock()
        self._shown: tuple[bool, bool, bool] | None = None

    @runs_on(CALLER)
    def use(self, descriptors: dict[str, bytes]) -> None:
        """Follows these devices (path -> its report descriptor)."""
        for path, descriptor in descriptors.items():
            try:
                layout = parse_descriptor(descriptor)
            except DescriptorInvalid as error:
                log.warning("headset %s: report descriptor unreadable: %s", path, error)
                continue
            if not layout.telephony:
                log.info("headset %s: no telephony buttons in its reports", path)
                continue
            try:
                device = os.open(path, os.O_RDWR | os.O_NONBLOCK)
            except OSError as error:
                log.warning("headset %s: cannot open it: %s (is there a udev rule for it?)", path, error.strerror)
                continue
            reports = TelephonyReports(layout)
            with self._lock:
                self._devices[path] = (device, layout, reports)
                shown = self._shown
            if shown is not None:
                self._write_leds(path, device, layout, reports, *shown)
            thread = threading.Thread(target=self._follow, args=(path, device, reports),
                                      name=f"headset {Path(path).name}", daemon=True)
            self._threads.append(thread)
            thread.start()
            log.info("headset %s: following hook switch and mute (LEDs: %s)", path,
                     ", ".join(f"0x{u & 0xFFFF:02x}" for u in layout.outputs) or "none")

    @runs_on(CALLER)
    def stop(self) -> None:
        self._reader.stop()
        for thread in self._threads:
            thread.join(5)
        self._threads.clear()
        with self._lock:
            for device, _layout, _reports in self._devices.values():
                os.close(device)
            self._devices.clear()
        self._reader.close()

    @runs_on(ANY_THREAD)
    def show(self, muted: bool, off_hook: bool, ringing: bool = False) -> None:
        """Lights the LEDs as the calls are now; nothing is written when nothing changed."""
        with self._lock:
            if self._shown == (muted, off_hook, ringing):
                return
            self._shown = (muted, off_hook, ringing)
            for path, (device, layout, reports) in self._devices.items():
                self._write_leds(path, device, layout, reports, muted, off_hook, ringing)

    def _write_leds(self, path: str, device: int, layout: TelephonyLayout, reports: TelephonyReports,
                    muted: bool, off_hook: bool, ringing: bool) -> None:
        # Headsets take the host's off-hook light as their hook state (a call answered in the window is
        # off hook on the headset too), so the next hook report is read against it.
        reports.off_hook = off_hook
        for report in led_reports(layout, muted, off_hook, ringing):
            try:
                os.write(device, report)
            except OSError as error:  # unplugged: its reader ends on its own
                log.info("headset %s: LED report not written: %s", path, error.strerror)

    @runs_on(WORKER)
    def _follow(self, path: str, device: int, reports: TelephonyReports) -> None:
        try:
            for key in reports.presses(self._reader.chunks(device, MAX_REPORT_BYTES, f"headset {path}")):
                log.info("headset %s: %s", Path(path).name, key.name)
                try:
                    self._press(key)
                except Exception:  # the engine stopping: the button does nothing, the reader lives on
                    log.exception("headset button %s failed", key.name)
        finally:
            log.info("headset %s gone or stopped", path)
