"""CallClient as an MPRIS media player (org.mpris.MediaPlayer2.callclient), so the desktop's media keys and
Bluetooth headset buttons (AVRCP, which BlueZ hands to the MPRIS player the desktop picked) reach calls.

The mapping, chosen so that no key a desktop presses on its own can end a call:

    PlayPause  a call is ringing: answer it (holding the call you are on: CallActions.answer decides)
               no call ringing, a call up: hang up (the one-button headset: press to answer, press to end)
    Play       answer the ringing call; nothing otherwise
    Stop       hang up the call you are on; with none up, decline the ringing call
    Pause      nothing. Desktops and other apps pause "every player" when something starts playing (a
               phone link pausing media for a call, a browser video): that must never hang up a call.
    Next, Previous, Seek, OpenUri: nothing (CanGoNext etc. are false)

PlaybackStatus is "Playing" while a call rings or is up, "Stopped" otherwise: media-key daemons send keys
to the player that is playing, so CallClient gets them exactly while there is a call to act on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, new_signal

from callclient.desktop.bus import SESSION_BUS, MethodError, MethodReply, SessionBus
from callclient.engine import events as ev
from callclient.services.threads import CALLER, WORKER, runs_on

log = logging.getLogger(__name__)

BUS_NAME = "org.mpris.MediaPlayer2.callclient"
PATH = "/org/mpris/MediaPlayer2"
ROOT = "org.mpris.MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"  # the spec's "no track" object path

_INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
 <interface name="{ROOT}"><method name="Raise"/><method name="Quit"/></interface>
 <interface name="{PLAYER}">
  <method name="Next"/><method name="Previous"/><method name="Pause"/><method name="PlayPause"/>
  <method name="Stop"/><method name="Play"/>
  <method name="Seek"><arg type="x" direction="in"/></method>
  <method name="SetPosition"><arg type="o" direction="in"/><arg type="x" direction="in"/></method>
  <method name="OpenUri"><arg type="s" direction="in"/></method>
  <signal name="Seeked"><arg type="x"/></signal>
 </interface>
 <interface name="{PROPERTIES}">
  <method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="out"/></method>
  <method name="GetAll"><arg type="s" direction="in"/><arg type="a{{sv}}" direction="out"/></method>
  <method name="Set"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="in"/></method>
  <signal name="PropertiesChanged"><arg type="s"/><arg type="a{{sv}}"/><arg type="as"/></signal>
 </interface>
 <interface name="{INTROSPECTABLE}"><method name="Introspect"><arg type="s" direction="out"/></method></interface>
</node>"""


class MediaPlayer:
    """`calls` is the call-actions service; `news` the news feed whose call events change PlaybackStatus."""

    def __init__(self, bus: SessionBus, calls: Any, news: Any,
                 caller_hidden: Callable[[], bool] = lambda: False) -> None:
        self._bus = bus
        self._caller_hidden = caller_hidden  # the app lock hides the caller (policy.hide_caller_when_locked)
        self._calls = calls
        self._news = news
        self._stream: Any = None
        self._thread: threading.Thread | None = None
        self._status = "Stopped"
        self.registered = False

    @runs_on(CALLER)
    def start(self) -> bool:
        """Exports the player and takes the bus name; False (with a log line) when another program has it."""
        self._bus.export(PATH, self.on_method_call)
        if not self._bus.own_name(BUS_NAME):
            log.warning("media keys off: another program owns %s (a second CallClient?)", BUS_NAME)
            return False
        self.registered = True
        self._stream = self._news.subscribe()
        self._thread = threading.Thread(target=self._follow_calls, name="mpris-status", daemon=True)
        self._thread.start()
        return True

    @runs_on(CALLER)
    def stop(self) -> None:
        if self._stream is not None:
            self._stream.put(None)
            self._stream.close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self.registered:
            from jeepney.bus_messages import message_bus

            try:
                self._bus.call(message_bus.ReleaseName(BUS_NAME))
            except (OSError, TimeoutError) as error:
                log.info("releasing %s: %s", BUS_NAME, error)
            self.registered = False

    # ------------------------------------------------------------------ the buttons

    def _play_pause(self) -> None:
        if self._calls.calls.ringing():
            self._calls.answer()
        elif self._calls.calls.current_id is not None:
            self._calls.hang_up()

    def _play(self) -> None:
        if self._calls.calls.ringing():
            self._calls.answer()

    def _stop(self) -> None:
        if self._calls.calls.current_id is not None:
            self._calls.hang_up()
        elif self._calls.calls.ringing():
            self._calls.decline()

    @runs_on(SESSION_BUS)
    def on_method_call(self, message: Message) -> MethodReply:
        interface = message.header.fields.get(HeaderFields.interface)
        member = message.header.fields.get(HeaderFields.member)
        if interface == PLAYER or (interface is None and member in ("PlayPause", "Play", "Stop", "Pause")):
            action: Callable[[], None] | None = {"PlayPause": self._play_pause, "Play": self._play,
                                                 "Stop": self._stop}.get(member)
            log.info("media key %s", member)
            if action is not None:
                action()
            return None  # Pause, Next, Previous, Seek, SetPosition, OpenUri: accepted, nothing to do
        if interface == ROOT:
            return None  # Raise, Quit: CanRaise and CanQuit are false
        if interface == PROPERTIES:
            if member == "Get":
                table, name = message.body
                values = self._properties(table)
                if name not in values:
                    raise MethodError("org.freedesktop.DBus.Error.UnknownProperty", f"{table}.{name}")
                return "v", (values[name],)
            if member == "GetAll":
                return "a{sv}", (self._properties(message.body[0]),)
            if member == "Set":
                raise MethodError("org.freedesktop.DBus.Error.PropertyReadOnly", "CallClient's player is read-only")
        if interface == INTROSPECTABLE and member == "Introspect":
            return "s", (_INTROSPECTION,)
        raise MethodError("org.freedesktop.DBus.Error.UnknownMethod", f"{interface}.{member}")

    def _properties(self, interface: str) -> dict[str, tuple[str, Any]]:
        if interface == ROOT:
            return {"CanQuit": ("b", False), "CanRaise": ("b", False), "HasTrackList": ("b", False),
                    "Identity": ("s", "CallClient"), "DesktopEntry": ("s", "callclient"),
                    "SupportedUriSchemes": ("as", []), "SupportedMimeTypes": ("as", [])}
        if interface == PLAYER:
            return {"PlaybackStatus": ("s", self._status), "Rate": ("d", 1.0), "MinimumRate": ("d", 1.0),
                    "MaximumRate": ("d", 1.0), "Volume": ("d", 1.0), "Position": ("x", 0),
                    "Metadata": ("a{sv}", self._metadata()),
                    "CanGoNext": ("b", False), "CanGoPrevious": ("b", False), "CanPlay": ("b", True),
                    "CanPause": ("b", True), "CanSeek": ("b", False), "CanControl": ("b", True)}
        raise MethodError("org.freedesktop.DBus.Error.UnknownInterface", interface)

    def _metadata(self) -> dict[str, tuple[str, Any]]:
        calls = self._calls.calls.all()
        call = calls.get(self._calls.calls.current_id or "") or next(iter(calls.values()), None)
        if call is None:
            return {"mpris:trackid": ("o", NO_TRACK)}
        # What a lock screen or a headset's display shows: the caller, as the remote party gave it.
        party = call.remote
        title = f"{party.display_name} ({party.number})" if party.display_name else party.number
        if self._caller_hidden():
            title = "Call"
        return {"mpris:trackid": ("o", NO_TRACK), "xesam:title": ("s", title[:120]),
                "xesam:artist": ("as", ["CallClient"])}

    # ------------------------------------------------------------------ what the desktop sees

    @runs_on(WORKER)
    def _follow_calls(self) -> None:
        while True:
            item = self._stream.get()
            if item is None:
                return
            if not isinstance(item, (ev.CallUpdated, ev.CallEnded)):
                continue
            status = "Playing" if self._calls.calls.all() else "Stopped"
            if status == self._status:
                continue
            self._status = status
            changed = new_signal(DBusAddress(PATH, interface=PROPERTIES), "PropertiesChanged", "sa{sv}as",
                                 (PLAYER, {"PlaybackStatus": ("s", status), "Metadata": ("a{sv}", self._metadata())},
                                  []))
            try:
                self._bus.send(changed)
            except OSError as error:
                log.info("PropertiesChanged not sent: %s", error)
