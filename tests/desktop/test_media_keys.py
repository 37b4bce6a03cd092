"""Media keys and headset buttons through MPRIS: `dbus-send` (a real D-Bus client, as gsd-media-keys or
BlueZ's AVRCP bridge would be) presses keys on our player over the test's session bus while a far end calls
through Kamailio. The mapping is documented in callclient/desktop/mpris.py and the user guide."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

from callclient.app import Core
from tests.desktop.calls import ringing_at_alice
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.sip_peer import SipPeer
from tests.services.conftest import CoreHome, core_home, registered_core  # noqa: F401 - fixture

PLAYER = "org.mpris.MediaPlayer2.callclient"


def dbus_send(core: Core, *args: str) -> str:
    """One `dbus-send` to our player, on the bus the app is on; returns its printed reply."""
    program = shutil.which("dbus-send")
    assert program, "dbus-send is missing: install the Debian packages in scripts/debian-packages.txt"
    done = subprocess.run([program, "--session", f"--dest={PLAYER}", "--print-reply", "--reply-timeout=5000",
                           "/org/mpris/MediaPlayer2", *args], env=core.options.environ,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def key(core: Core, member: str) -> None:
    dbus_send(core, f"org.mpris.MediaPlayer2.Player.{member}")


def playback_status(core: Core) -> str:
    reply = dbus_send(core, "org.freedesktop.DBus.Properties.Get", "string:org.mpris.MediaPlayer2.Player",
                      "string:PlaybackStatus")
    return reply.split('"')[1]


def test_play_pause_answers_the_ringing_call_pause_leaves_it_and_stop_hangs_up(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer]) -> None:  # noqa: F811
    core = registered_core(core_home, kamailio, "alice")
    assert playback_status(core) == "Stopped", "no call: media keys belong to the music player"
    bob = far_end("bob")
    ringing_at_alice(core, bob, kamailio)
    wait_until(lambda: playback_status(core) == "Playing", 10, "the player to claim media keys while it rings")

    key(core, "PlayPause")
    bob.expect_state("CONFIRMED")
    key(core, "Pause")  # what a desktop sends every player when something else plays: the call stays
    key(core, "Stop")
    ended = bob.expect_state("DISCONNECTED")
    assert ended["code"] == 200, "hung up after a conversation, not refused"
    wait_until(lambda: playback_status(core) == "Stopped", 10, "the player to let media keys go")


def test_stop_declines_a_ringing_call_and_play_with_nothing_ringing_does_nothing(
        core_home: CoreHome, kamailio: Kamailio, far_end: Callable[..., SipPeer]) -> None:  # noqa: F811
    core = registered_core(core_home, kamailio, "alice")
    key(core, "Play")  # nothing rings: a no-op, never an outgoing call
    assert core.services.calls.calls.all() == {}
    bob = far_end("bob")
    ringing_at_alice(core, bob, kamailio)
    key(core, "Stop")
    assert bob.expect_state("DISCONNECTED")["code"] == 603


def test_the_player_is_not_on_the_bus_when_the_user_turns_media_keys_off(
        core_home: CoreHome, kamailio: Kamailio) -> None:  # noqa: F811
    core = registered_core(core_home, kamailio, "alice")

    def on_the_bus() -> bool:
        done = subprocess.run([shutil.which("dbus-send") or "dbus-send", "--session", "--print-reply",
                               "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus.NameHasOwner", f"string:{PLAYER}"], env=core.options.environ,
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return "boolean true" in done.stdout

    assert on_the_bus(), "on by default"
    core.services.settings.change({"desktop.media_keys": False}, by="settings window")
    assert not on_the_bus()
    core.services.settings.change({"desktop.media_keys": True}, by="settings window")
    assert on_the_bus()
