"""Ringing, ringback and their ends, driven by the events of real calls; the ringtone heard on its device."""

from __future__ import annotations

import queue
from collections.abc import Callable
from pathlib import Path

import numpy as np

from callclient.resources import resource_path
from callclient.engine import EngineSettings, SipEngine
from callclient.engine.events import CallState, CallUpdated, RegistrationChanged, RegistrationState
from callclient.feedback import CallFeedback
from media.ringer import Ringer
from media.tones import ToneGenerator
from tests.engine.conftest import account_for
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.pulse import PulseServer, read_wav
from tests.fixtures.net import wait_until


def pump_until(stream, feedback: CallFeedback, done: Callable[[object], bool], timeout: float = 15) -> object:  # noqa: ANN001
    """Feeds engine events to `feedback` (as Core's event thread does) until one satisfies `done`."""
    while True:
        try:
            event = stream.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("the expected call event never came") from None
        feedback.on_event(event)
        if done(event):
            return event


def test_ringback_while_the_far_end_rings_and_the_ringtone_on_its_own_device(
    pulse_env: PulseServer, kamailio: Kamailio, pki, far_end, tmp_path: Path  # noqa: ANN001
) -> None:
    tones = ToneGenerator(16000, region="eu")
    ringer = Ringer("pulse", resource_path("sounds/ring.wav"))
    feedback = CallFeedback(ringer, tones)
    engine = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2))
    bob = far_end("bob")
    engine.start()
    stream = engine.subscribe()
    try:
        settings = account_for(kamailio, "erin")
        engine.add_account(settings).result(5)
        pump_until(stream, feedback, lambda e: isinstance(e, RegistrationChanged)
                   and e.state is RegistrationState.REGISTERED)

        call_id = engine.make_call("bob", settings.account_id).result(5)
        incoming = bob.expect(lambda e: e["ev"] == "incoming", what="our call")
        pump_until(stream, feedback, lambda e: isinstance(e, CallUpdated) and e.state is CallState.EARLY)
        assert tones.playing, "ringback plays while the far end rings"
        block = np.zeros(1600, np.float32)
        tones.read(block)
        spectrum = np.abs(np.fft.rfft(block * np.hanning(block.size)))
        assert abs(np.argmax(spectrum) * 16000 / block.size - 425) < 15, "the European ringback is 425 Hz"
        bob.send(op="answer", call=incoming["call"])
        pump_until(stream, feedback, lambda e: isinstance(e, CallUpdated) and e.state is CallState.CONFIRMED)
        assert not tones.playing, "the ringback stops when the call is answered"
        engine.hangup(call_id).result(5)

        heard = tmp_path / "ring-device.wav"
        recorder = pulse_env.record_speaker(heard)
        bob.send(op="call", uri=f"sip:erin@{kamailio.domain}")
        event = pump_until(stream, feedback, lambda e: isinstance(e, CallUpdated) and e.state is CallState.INCOMING)
        assert ringer.ringing, "an incoming call rings on the ring device"
        wait_until(lambda: heard.exists() and heard.stat().st_size > 16000, 15, "the ringtone to be heard")
        engine.answer(event.call_id).result(5)
        pump_until(stream, feedback, lambda e: isinstance(e, CallUpdated) and e.state is CallState.CONFIRMED)
        assert not ringer.ringing, "answering stops the ringing"
        recorder.terminate()
        recorder.wait(10)
        engine.hangup(event.call_id).result(5)
    finally:
        feedback.close()
        engine.stop()
    samples, _ = read_wav(heard)
    assert np.max(np.abs(samples)) > 0.05, "the ringtone was audible on the ring device"
