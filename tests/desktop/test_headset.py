"""Headset call buttons through evdev. A hardware headset cannot run here, so its input is a recorded stream
of `struct input_event` records: decoded directly, and fed through a FIFO named in desktop.headset_devices,
which the app opens and reads exactly as it does /dev/input/by-id/...-event-if03 — while a far end calls."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from pathlib import Path

from callclient.app import Core
from callclient.desktop.headset import InputDevice, TelephonyKey, candidates, decode
from tests.desktop.calls import ringing_at_alice
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer
from tests.services.conftest import CoreHome, core_home, registered_core  # noqa: F401 - fixture

EV_SYN, EV_KEY, EV_MSC, MSC_SCAN = 0, 1, 4, 4


def event(kind: int, code: int, value: int, sec: int = 1732890000, usec: int = 0) -> bytes:
    return struct.pack("llHHi", sec, usec, kind, code, value)


def press_and_release(key: TelephonyKey, scan: int) -> bytes:
    """What a USB headset's HID telephony page produces through the kernel's hid-input for one push."""
    return b"".join([event(EV_MSC, MSC_SCAN, scan), event(EV_KEY, key, 1), event(EV_SYN, 0, 0),
                     event(EV_MSC, MSC_SCAN, scan), event(EV_KEY, key, 0), event(EV_SYN, 0, 0)])


# /proc/bus/input/devices as a Jabra-style USB headset and a keyboard show it (KEY bitmaps as 64-bit words,
# most significant first: bits 445/446 PICKUP/HANGUP_PHONE, 248 MICMUTE, 169 PHONE).
PROC_DEVICES = """I: Bus=0003 Vendor=0b0e Product=24ac Version=0111
N: Name="GN Audio A/S Jabra Evolve2 40"
P: Phys=usb-0000:00:14.0-2/input3
S: Sysfs=/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.3/0003:0B0E:24AC.0007/input/input23
U: Uniq=
H: Handlers=event12
B: PROP=0
B: EV=100013
B: KEY=6000000000000000 0 0 100000000000000 20000000000 0 0
B: MSC=10

I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
P: Phys=isa0060/serio0/input0
H: Handlers=sysrq kbd event3 leds
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe
"""


def test_only_presses_of_telephony_keys_are_decoded_from_a_recorded_stream_in_any_chunking() -> None:
    stream = (press_and_release(TelephonyKey.PICKUP_PHONE, 0xB0020) + event(EV_KEY, 30, 1)  # KEY_A: not ours
              + event(EV_KEY, TelephonyKey.MICMUTE, 1) + event(EV_KEY, TelephonyKey.MICMUTE, 2)  # 2: auto-repeat
              + press_and_release(TelephonyKey.HANGUP_PHONE, 0xB0026))
    expected = [TelephonyKey.PICKUP_PHONE, TelephonyKey.MICMUTE, TelephonyKey.HANGUP_PHONE]
    assert list(decode([stream])) == expected
    assert list(decode(stream[i:i + 7] for i in range(0, len(stream), 7))) == expected


def test_the_devices_offered_are_those_whose_key_bitmap_has_telephony_keys() -> None:
    assert candidates(PROC_DEVICES) == [InputDevice(
        "GN Audio A/S Jabra Evolve2 40", "/dev/input/event12",
        (TelephonyKey.PHONE, TelephonyKey.MICMUTE, TelephonyKey.PICKUP_PHONE, TelephonyKey.HANGUP_PHONE))]


def test_a_chosen_headset_answers_mutes_and_hangs_up_a_call(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer], tmp_path: Path) -> None:  # noqa: F811
    device = tmp_path / "usb-Jabra_Evolve2_40-event-if03"
    os.mkfifo(device)
    core: Core = registered_core(core_home, kamailio, "alice")
    core.services.settings.change({"desktop.headset_devices": [str(device)]}, by="settings window")
    headset = os.open(device, os.O_WRONLY)  # blocks until the app has opened its end
    try:
        bob = far_end("bob")
        ringing_at_alice(core, bob, kamailio)

        os.write(headset, press_and_release(TelephonyKey.PICKUP_PHONE, 0xB0020))
        bob.expect_state("CONFIRMED")
        wait_until(lambda: core.services.calls.calls.current_id is not None, 10, "the call to be current")
        os.write(headset, press_and_release(TelephonyKey.MICMUTE, 0xB002F))
        wait_until(lambda: [c.muted for c in core.services.calls.calls.answered().values()] == [True], 10,
                   "the call muted")
        os.write(headset, press_and_release(TelephonyKey.HANGUP_PHONE, 0xB0026))
        assert bob.expect_state("DISCONNECTED")["code"] == 200
    finally:
        os.close(headset)
