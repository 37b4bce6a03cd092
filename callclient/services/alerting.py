"""Alerting: the only ringing and tones policy, and the one ringer.

What the user hears about calls besides the far end: the ringtone on the ring device (`audio.ring_device`,
or the call device when it is empty), and ringback, busy, congestion, call waiting and key clicks mixed
into the call device. The policy follows the live calls that `CallActions` keeps (it keeps none of its
own) and runs on Core's events thread; the tone objects swap their state atomically for the audio threads.
The ringer and tones are rebuilt when the ring device or the region (its tone plan) changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from callclient.engine import events as ev
from callclient.services.calls import LiveCalls
from callclient.services.dialplan import tone_region
from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, CALLER, ENGINE_EVENTS, runs_on

log = logging.getLogger(__name__)

BUSY_TONE_S = 3.0  # long enough to be understood, short enough not to nag


class CallFeedback:
    """The policy: ring while a call rings here and no other is up; ringback while a call of ours rings out;
    busy or congestion briefly when it is refused; a beep for a call waiting. `calls` is the one record of
    live calls (CallActions'); without one (a test of the policy alone) it follows the events itself."""

    def __init__(self, ringer: object | None, tones: object | None, calls: LiveCalls | None = None) -> None:
        self._ringer = ringer  # media.ringer.Ringer
        self._tones = tones  # media.tones.ToneGenerator, mixed into the call device (DeviceAudio.tone_source)
        self._own_calls = calls is None
        self._calls = calls if calls is not None else LiveCalls()
        self._tone_for: str | None = None  # the call whose tone is playing
        self._timer: threading.Timer | None = None

    @runs_on(ENGINE_EVENTS)
    def on_event(self, event: object) -> None:
        if self._own_calls:
            self._calls.follow(event)
        if isinstance(event, ev.CallUpdated):
            self._refresh(event)
        elif isinstance(event, ev.CallEnded):
            others = self._calls.all()
            refused = event.direction is ev.CallDirection.OUTGOING and not event.answered and not others
            if refused and event.code in (486, 600):
                self._play_for(event.call_id, "busy", stop_after_s=BUSY_TONE_S)
            elif refused and event.code in (502, 503, 504):
                self._play_for(event.call_id, "congestion", stop_after_s=BUSY_TONE_S)
            elif self._tone_for == event.call_id:
                self._stop_tone()
            self._update_ringer()

    @runs_on(ANY_THREAD)
    def key_pressed(self, digit: str) -> None:
        if self._tones is not None:
            self._tones.dtmf(digit)  # type: ignore[attr-defined]

    def _refresh(self, event: ev.CallUpdated) -> None:
        ringing_out = event.direction is ev.CallDirection.OUTGOING and event.state in (ev.CallState.CALLING,
                                                                                        ev.CallState.EARLY)
        if ringing_out:
            self._play_for(event.call_id, "ringback")
        elif event.state is ev.CallState.INCOMING and event.waiting:
            self._play_for(event.call_id, "call_waiting")
        elif self._tone_for == event.call_id:
            self._stop_tone()
        self._update_ringer()

    def _update_ringer(self) -> None:
        if self._ringer is None:
            return
        calls = self._calls.all().values()
        alone_and_ringing = any(c.state is ev.CallState.INCOMING and not c.waiting for c in calls) \
            and not any(c.state is not ev.CallState.INCOMING for c in calls)
        if alone_and_ringing:
            self._ringer.start()  # type: ignore[attr-defined]
        else:
            self._ringer.stop()  # type: ignore[attr-defined]

    def _play_for(self, call_id: str, kind: str, stop_after_s: float | None = None) -> None:
        if self._tones is None:
            return
        self._cancel_timer()
        self._tone_for = call_id
        self._tones.start(kind)  # type: ignore[attr-defined]
        if stop_after_s is not None:
            self._timer = threading.Timer(stop_after_s, self._stop_tone)
            self._timer.daemon = True
            self._timer.start()

    def _stop_tone(self) -> None:
        self._cancel_timer()
        self._tone_for = None
        if self._tones is not None:
            self._tones.stop()  # type: ignore[attr-defined]

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    @property
    def ringing(self) -> bool:
        return bool(self._ringer is not None and self._ringer.ringing)  # type: ignore[attr-defined]

    def close(self) -> None:
        self._stop_tone()
        if self._ringer is not None:
            self._ringer.stop()  # type: ignore[attr-defined]


class Alerting:
    """Builds the ringer and the tone generator from the config in force and follows setting changes.

    `audio` is media.bridge.DeviceAudio (the tones are mixed into its playback); `ringtone` the WAV file."""

    def __init__(self, calls: LiveCalls, audio: Any, settings: Any, ringtone: Path | None,
                 notices: Callable[[str], None]) -> None:
        self._calls = calls
        self._audio = audio
        self._settings = settings
        self._ringtone = ringtone
        self._notice = notices
        self._lock = threading.Lock()
        self.feedback = CallFeedback(None, None, calls)

    @property
    def ring_device(self) -> str:
        """The device the ringtone sounds on: audio.ring_device, else the call's playback device."""
        audio = self._settings.config.config.audio
        return audio.ring_device or audio.playback_device

    @property
    def ringing(self) -> bool:
        return self.feedback.ringing

    @runs_on(CALLER)
    def start(self) -> None:
        self._rebuild()

    @runs_on(ENGINE_EVENTS)
    def on_engine_event(self, event: object) -> None:
        with self._lock:
            self.feedback.on_event(event)

    @runs_on(ANY_THREAD)
    def key_clicked(self, digit: str) -> None:
        self.feedback.key_pressed(digit)

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("audio.ring_device", "audio.playback_device", "dialplan.region"):
            self._rebuild()

    def _rebuild(self) -> None:
        from media.bridge import BRIDGE_RATE_HZ
        from media.ringer import Ringer
        from media.tones import ToneGenerator
        from media.wavfile import AudioFileError

        region = tone_region(self._settings.config.config.dialplan.region)
        device = self.ring_device
        tones = ToneGenerator(BRIDGE_RATE_HZ, region=region)
        try:
            ringer = Ringer(device, self._ringtone, region=region)
        except AudioFileError as error:
            self._notice(f"The ringtone could not be loaded ({error}); a plain ring is used.")
            ringer = Ringer(device, None, region=region)
        with self._lock:
            was_ringing = self.feedback.ringing
            self.feedback.close()
            self._audio.tone_source = tones
            self.feedback = CallFeedback(ringer, tones, self._calls)
            if was_ringing:
                ringer.start()  # the new device takes over the ringing of the call that rings now
        log.info("ringing on %s, %s tones", device or "the default device", region)

    def stop(self) -> None:
        with self._lock:
            self.feedback.close()
