"""What the user hears about calls besides the far end: ringing, ringback, busy, call waiting, key clicks.

`CallFeedback` follows the engine's events (on the Core's event thread) and drives the `Ringer` (the
ring device) and a `ToneGenerator` mixed into the call device's playback. It holds no pjsua2 object and
touches no widget; the tone objects swap their state atomically for the audio threads.
"""

from __future__ import annotations

import threading

from callclient.engine import events as ev

BUSY_TONE_S = 3.0  # long enough to be understood, short enough not to nag


class CallFeedback:
    def __init__(self, ringer: object | None, tones: object | None) -> None:
        self._ringer = ringer  # media.ringer.Ringer
        self._tones = tones  # media.tones.ToneGenerator, mixed into the call device (DeviceAudio.tone_source)
        self._calls: dict[str, ev.CallUpdated] = {}
        self._tone_for: str | None = None  # the call whose tone is playing
        self._timer: threading.Timer | None = None

    def on_event(self, event: object) -> None:
        if isinstance(event, ev.CallUpdated):
            self._calls[event.call_id] = event
            self._refresh(event)
        elif isinstance(event, ev.CallEnded):
            self._calls.pop(event.call_id, None)
            if event.direction is ev.CallDirection.OUTGOING and event.code in (486, 600) and not event.answered \
                    and not self._calls:
                self._play_for(event.call_id, "busy", stop_after_s=BUSY_TONE_S)
            elif event.direction is ev.CallDirection.OUTGOING and event.code in (502, 503, 504) \
                    and not event.answered and not self._calls:
                self._play_for(event.call_id, "congestion", stop_after_s=BUSY_TONE_S)
            elif self._tone_for == event.call_id:
                self._stop_tone()
            self._update_ringer()

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
        alone_and_ringing = any(c.state is ev.CallState.INCOMING and not c.waiting for c in self._calls.values())
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

    def close(self) -> None:
        self._stop_tone()
        if self._ringer is not None:
            self._ringer.stop()  # type: ignore[attr-defined]
