"""Headsets on the USB HID telephony page. A hardware headset cannot run here, so the device is a pseudo-
terminal in raw mode standing in for /dev/hidrawN: the app opens it by the path in desktop.headset_devices
and reads and writes it exactly as it would a hidraw node, the test plays recorded input reports into the
other end and reads back the LED reports the app writes — while a far end calls through Kamailio. The
report descriptor is the one such a headset reports (HID Usage Tables 1.4: Telephony page 0x0B with Hook
Switch and Phone Mute; LED page 0x08 with Mute, Off-Hook and Ring), handed in where sysfs would give it."""

from __future__ import annotations

import os
import pty
import select
import tty
from collections.abc import Callable, Iterator

import pytest

from callclient.app import Core
from callclient.desktop.headset import TelephonyKey
from callclient.desktop.hid_telephony import (HOOK_SWITCH, LED_MUTE, LED_OFF_HOOK, LED_RING, PHONE_MUTE,
                                              DescriptorInvalid, TelephonyReports, led_reports, parse_descriptor)
from tests.desktop.calls import bob_calls_alice
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer
from tests.services.conftest import CoreHome, core_home, registered_core  # noqa: F401 - fixture

# A USB headset's report descriptor: a consumer-control collection (volume, report 1) and the telephony
# collection (report 2: hook switch, phone mute; LEDs mute, off-hook, ring), as in HID Usage Tables §14.
DESCRIPTOR = bytes([
    0x05, 0x0C, 0x09, 0x01, 0xA1, 0x01,  # Usage Page (Consumer), Usage (Consumer Control), Collection (App)
    0x85, 0x01, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x02,  # Report ID 1, 0..1, 1 bit x 2
    0x09, 0xE9, 0x09, 0xEA, 0x81, 0x02,  # Usage (Volume Up), Usage (Volume Down), Input (Data,Var,Abs)
    0x95, 0x06, 0x81, 0x03,  # 6 bits of padding: Input (Const)
    0xC0,  # End Collection
    0x05, 0x0B, 0x09, 0x05, 0xA1, 0x01,  # Usage Page (Telephony), Usage (Headset), Collection (App)
    0x85, 0x02, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x01,  # Report ID 2, 0..1, 1 bit x 1
    0x09, 0x20, 0x81, 0x22,  # Usage (Hook Switch), Input (Data,Var,Abs,No Preferred)
    0x09, 0x2F, 0x81, 0x06,  # Usage (Phone Mute), Input (Data,Var,Rel)
    0x95, 0x06, 0x81, 0x03,  # padding
    0x05, 0x08, 0x95, 0x03,  # Usage Page (LEDs), 1 bit x 3
    0x09, 0x09, 0x09, 0x17, 0x09, 0x18, 0x91, 0x22,  # Usage (Mute), (Off-Hook), (Ring), Output (Data,Var,Abs)
    0x95, 0x05, 0x91, 0x03,  # padding
    0xFE, 0x01, 0x00, 0x42,  # a long item (vendor): skipped by its size
    0xC0,  # End Collection
])
HOOK_OFF, HOOK_OFF_MUTE_DOWN, HOOK_ON = bytes([2, 0b01]), bytes([2, 0b11]), bytes([2, 0b00])
VOLUME_UP, VOLUME_RELEASED = bytes([1, 0b01]), bytes([1, 0b00])
WAIT_S = 10.0


def test_the_descriptor_gives_where_hook_mute_and_the_leds_are() -> None:
    layout = parse_descriptor(DESCRIPTOR)
    assert layout.numbered and layout.input_bytes == {1: 1, 2: 1} and layout.output_bytes == {2: 1}
    assert (layout.inputs[HOOK_SWITCH].bit_offset, layout.inputs[PHONE_MUTE].bit_offset) == (0, 1)
    assert [layout.outputs[u].bit_offset for u in (LED_MUTE, LED_OFF_HOOK, LED_RING)] == [0, 1, 2]
    with pytest.raises(DescriptorInvalid, match="runs past the end"):
        parse_descriptor(DESCRIPTOR[:-7] + bytes([0x26, 0xFF]))  # a two-byte item with one byte left


def test_recorded_reports_become_presses_in_any_chunking() -> None:
    stream = VOLUME_UP + VOLUME_RELEASED + HOOK_OFF + HOOK_OFF_MUTE_DOWN + HOOK_OFF + HOOK_OFF_MUTE_DOWN \
        + HOOK_OFF + HOOK_ON
    expected = [TelephonyKey.PICKUP_PHONE, TelephonyKey.MICMUTE, TelephonyKey.MICMUTE, TelephonyKey.HANGUP_PHONE]
    layout = parse_descriptor(DESCRIPTOR)
    assert list(TelephonyReports(layout).presses([stream])) == expected
    assert list(TelephonyReports(layout).presses(stream[i:i + 3] for i in range(0, len(stream), 3))) == expected
    # A held mute button repeats its report: one press, not one per report.
    assert list(TelephonyReports(layout).presses([HOOK_OFF_MUTE_DOWN] * 3)) == [TelephonyKey.PICKUP_PHONE,
                                                                                 TelephonyKey.MICMUTE]


def test_led_reports_light_mute_off_hook_and_ring() -> None:
    layout = parse_descriptor(DESCRIPTOR)
    assert led_reports(layout, muted=True, off_hook=True) == [bytes([2, 0b011])]
    assert led_reports(layout, muted=False, off_hook=False, ringing=True) == [bytes([2, 0b100])]
    assert led_reports(layout, muted=False, off_hook=False) == [bytes([2, 0])]


class StandInHeadset:
    """The far side of a raw pseudo-terminal whose path the app opens as the headset."""

    def __init__(self) -> None:
        self.host, device = pty.openpty()
        tty.setraw(device)  # no line discipline: bytes pass through as written
        self.path = os.ttyname(device)
        self._device = device
        self.leds: list[bytes] = []

    def send(self, report: bytes) -> None:
        os.write(self.host, report)

    def led(self, expected: bytes, what: str) -> None:
        """Waits for the app to write `expected` as its latest LED report."""
        def latest_is_expected() -> bool:
            while select.select([self.host], [], [], 0)[0]:
                data = os.read(self.host, 64)
                self.leds.extend(data[i:i + 2] for i in range(0, len(data), 2))
            return bool(self.leds) and self.leds[-1] == expected

        wait_until(latest_is_expected, WAIT_S, f"the LED report for {what} (written: {self.leds})")

    def close(self) -> None:
        os.close(self.host)
        os.close(self._device)


@pytest.fixture
def headset() -> Iterator[StandInHeadset]:
    stand_in = StandInHeadset()
    yield stand_in
    stand_in.close()


def test_hook_switch_answers_and_hangs_up_and_the_mute_light_follows_mute_from_anywhere(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer],  # noqa: F811
        headset: StandInHeadset) -> None:
    core: Core = registered_core(core_home, kamailio, "alice")
    desktop = core.services.desktop
    desktop.hid_descriptor = lambda path: DESCRIPTOR if path == headset.path else None  # sysfs's part
    core.services.settings.change({"desktop.headset_devices": [headset.path]}, by="settings window")
    wait_until(lambda: desktop.hid_headsets is not None, WAIT_S, "the headset followed")
    headset.led(bytes([2, 0]), "no call")

    bob = far_end("bob")
    bob_calls_alice(bob, kamailio)
    headset.led(bytes([2, 0b100]), "ringing")
    headset.send(HOOK_OFF)  # the user lifts the headset's hook (presses its answer button)
    bob.expect_state("CONFIRMED")
    headset.led(bytes([2, 0b010]), "off hook")

    calls = core.services.calls
    calls.toggle_mute().result(WAIT_S)  # muted from elsewhere: the window, a hotkey, `callclient mute`
    headset.led(bytes([2, 0b011]), "muted from the window")
    headset.send(HOOK_OFF_MUTE_DOWN)  # the headset's own mute button unmutes
    headset.send(HOOK_OFF)
    wait_until(lambda: [c.muted for c in calls.calls.answered().values()] == [False], WAIT_S, "unmuted")
    headset.led(bytes([2, 0b010]), "unmuted from the headset")

    headset.send(HOOK_ON)  # back on hook: hang up
    assert bob.expect_state("DISCONNECTED")["code"] == 200
    headset.led(bytes([2, 0]), "the call over")
