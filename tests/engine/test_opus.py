"""Opus calls against another softphone's Opus: Debian's baresip (libopus), registered on the same Kamailio.

The app's microphone is a 700 Hz tone and its speaker a port that keeps what it hears; baresip speaks a
1 kHz tone and dumps what it decodes. So each direction is checked by the tone that came out of the
other side's Opus decoder, not by packet counters. What the peer without Opus gets is in test_calls.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pjsua2 as pj
import pytest

from callclient.engine import EngineSettings, SipEngine
from callclient.engine.events import CallEnded, CallState, CallUpdated, MediaState
from callclient.engine.opus_fec import fec_loss_percent
from callclient.engine.settings import SrtpPolicy
from tests.conftest import SIP_USERS
from tests.fixtures.baresip import Baresip, dominant_frequency_hz
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.tls import Pki

OUR_TONE_HZ = 700
THEIR_TONE_HZ = 1000
RATE_HZ = 16000


class Ear(pj.AudioMediaPort):
    """The app's speaker in these tests: the last half second it was given, and how much has come."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.recent = np.zeros(RATE_HZ // 2, np.float32)
        self.heard_samples = 0

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:  # noqa: N802 - pjsua2's name
        if frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO or not frame.size:
            return
        pcm = np.frombuffer(bytes(frame.buf), dtype=np.int16).astype(np.float32) / 32768
        with self.lock:
            self.recent = np.concatenate([self.recent[pcm.size:], pcm])
            self.heard_samples += pcm.size

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:  # noqa: N802
        frame.type = pj.PJMEDIA_FRAME_TYPE_NONE

    def hears(self, frequency_hz: float, since: int = 0) -> bool:
        """A clear tone at `frequency_hz` fills the last half second, all of it heard after `since`."""
        with self.lock:
            recent, heard = self.recent.copy(), self.heard_samples
        if heard - since < recent.size or np.sqrt(np.mean(recent**2)) < 0.02:
            return False
        return abs(dominant_frequency_hz(recent, RATE_HZ) - frequency_hz) < 10


class ToneAndEar:
    """An AudioBackend: a tone generator for a microphone, an Ear for a speaker."""

    def __init__(self) -> None:
        self.tone: pj.ToneGenerator | None = None
        self.ear: Ear | None = None

    def open(self, endpoint: pj.Endpoint) -> None:
        self.tone = pj.ToneGenerator()
        self.tone.createToneGenerator(RATE_HZ, 1)
        desc = pj.ToneDesc()
        desc.freq1, desc.freq2, desc.on_msec, desc.off_msec, desc.volume = OUR_TONE_HZ, 0, 1000, 0, 0
        tones = pj.ToneDescVector()
        tones.append(desc)
        self.tone.play(tones, True)
        self.ear = Ear()
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, RATE_HZ, 1, 20000, 16)
        self.ear.createPort("test-ear", fmt)

    @property
    def capture(self) -> pj.AudioMedia:
        return self.tone

    @property
    def playback(self) -> pj.AudioMedia:
        return self.ear

    def close(self) -> None:
        self.tone = None
        self.ear = None


@pytest.fixture
def audio() -> ToneAndEar:
    return ToneAndEar()


@pytest.fixture
def engine(pki: Pki, audio: ToneAndEar) -> Iterator[SipEngine]:
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2), audio=audio)
    sip.start()
    yield sip
    sip.stop()


@pytest.fixture
def baresip(kamailio: Kamailio, tmp_path: Path) -> Iterator[Callable[..., Baresip]]:
    started: list[Baresip] = []

    def start(user: str, **options: object) -> Baresip:
        peer = Baresip(tmp_path / f"baresip-{user}", user=user, password=SIP_USERS[user], domain=kamailio.domain,
                       registrar=kamailio.address(), tone_hz=THEIR_TONE_HZ, **options)
        started.append(peer)
        return peer

    yield start
    for peer in started:
        peer.close()


def codec_of(engine: SipEngine, call_id: str) -> str:
    return engine.call_quality(call_id).result(5).codec.lower()


def talk(audio: ToneAndEar, seconds: float) -> None:
    """Keeps the call up until `seconds` more of the far end's audio has reached our speaker."""
    start = audio.ear.heard_samples
    wait_until(lambda: audio.ear.heard_samples - start >= seconds * RATE_HZ, seconds + 10,
               f"{seconds} s more of the call's audio")


def assert_baresip_heard_our_tone(bob: Baresip) -> None:
    samples, rate = bob.decoded(min_seconds=1.0)
    middle = samples[samples.size // 2 - rate // 4:samples.size // 2 + rate // 4]
    assert np.sqrt(np.mean(middle**2)) > 0.02, "baresip decoded silence"
    assert abs(dominant_frequency_hz(middle, rate) - OUR_TONE_HZ) < 10


def test_an_opus_call_with_baresip_holds_resumes_and_sends_dtmf(
        engine: SipEngine, events: Events, register, baresip, audio: ToneAndEar) -> None:
    register("alice")
    bob = baresip("bob")
    call_id = engine.make_call("bob").result(10)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    bob.expect(lambda e: e.get("type") == "CALL_ESTABLISHED", what="the call established")
    assert codec_of(engine, call_id) == "opus"
    assert "opus" in bob.log().lower()
    # Hold at once: pjsua is still locking the codec (baresip answered with all of its codecs), and the
    # hold must wait for that re-INVITE rather than fail.

    engine.hold(call_id).result(10)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.LOCAL_HOLD)
    engine.resume(call_id).result(10)
    events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE, only_new=True)
    resumed_at = audio.ear.heard_samples
    # The ear is read through `audio` only: a frame holding a pjsua2 port past libDestroy asserts.
    wait_until(lambda: audio.ear.hears(THEIR_TONE_HZ, since=resumed_at), 10, "baresip's tone after the resume")
    assert codec_of(engine, call_id) == "opus"

    engine.send_dtmf("159#", call_id).result(10)
    for digit in "159#":
        bob.expect(lambda e, d=digit: e.get("type") == "CALL_DTMF_START" and e.get("param") == d,
                   what=f"the RFC 4733 digit {digit}")

    # What baresip decodes of us is checked in the calls below: baresip 1.0's decoded dump stays empty
    # after any re-INVITE (G.722 alike) although our RTP keeps flowing.
    engine.hangup(call_id).result(10)
    events.wait(CallEnded, call_id=call_id)
    bob.expect(lambda e: e.get("type") == "CALL_CLOSED", what="the hang-up")


def test_baresip_calling_us_gets_opus_both_ways(engine: SipEngine, events: Events, register, baresip,
                                                audio: ToneAndEar) -> None:
    register("alice")
    bob = baresip("bob")
    assert bob.command("dial", "sip:alice@pbx.test").get("ok")
    ringing = events.wait(CallUpdated, state=CallState.INCOMING)
    engine.answer().result(10)
    events.wait(CallUpdated, call_id=ringing.call_id, state=CallState.CONFIRMED)
    assert codec_of(engine, ringing.call_id) == "opus"
    wait_until(lambda: audio.ear.hears(THEIR_TONE_HZ), 10, "baresip's tone decoded by our Opus")
    talk(audio, 1.5)
    bob.command("hangup")
    events.wait(CallEnded, call_id=ringing.call_id)
    bob.expect(lambda e: e.get("type") == "CALL_CLOSED", what="the hang-up")
    assert_baresip_heard_our_tone(bob)


def test_opus_over_mandatory_srtp(engine: SipEngine, events: Events, register, baresip, audio: ToneAndEar) -> None:
    register("alice", srtp=SrtpPolicy.MANDATORY)
    bob = baresip("bob", srtp="srtp-mand")
    call_id = engine.make_call("bob").result(10)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    assert codec_of(engine, call_id) == "opus"
    wait_until(lambda: audio.ear.hears(THEIR_TONE_HZ), 10, "baresip's tone through SRTP and Opus")
    assert "SRTP is Enabled" in bob.log()
    talk(audio, 1.5)
    engine.hangup(call_id).result(10)
    events.wait(CallEnded, call_id=call_id)
    bob.expect(lambda e: e.get("type") == "CALL_CLOSED", what="the hang-up")
    assert_baresip_heard_our_tone(bob)


def test_a_peer_without_opus_gets_g722(engine: SipEngine, events: Events, register, baresip,
                                       audio: ToneAndEar) -> None:
    register("alice")
    baresip("bob", codecs=("g722", "g711"))
    call_id = engine.make_call("bob").result(10)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    assert codec_of(engine, call_id) == "g722"
    wait_until(lambda: audio.ear.hears(THEIR_TONE_HZ), 10, "baresip's tone over G.722")
    engine.hangup(call_id).result(10)
    events.wait(CallEnded, call_id=call_id)


def test_opus_fec_follows_the_loss_the_far_end_reports(engine: SipEngine, events: Events, register, baresip,
                                                      audio: ToneAndEar, caplog: pytest.LogCaptureFixture) -> None:
    """Every Opus call starts with FEC for 3 % loss; once baresip's RTCP says the path is clean, the
    encoder spends every bit on speech."""
    caplog.set_level(logging.INFO, logger="callclient.engine.opus_fec")
    register("alice")
    baresip("bob")
    call_id = engine.make_call("bob").result(10)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    wait_until(lambda: any(f"Opus FEC on {call_id} now sized for 0 % loss" in r.getMessage() for r in caplog.records),
               20, "the FEC turned off after baresip's first clean receiver report")
    engine.hangup(call_id).result(10)
    events.wait(CallEnded, call_id=call_id)


@pytest.mark.parametrize(("reported", "protected"), [(0.0, 0), (0.9, 0), (1.0, 3), (2.2, 3), (6.5, 7), (40.0, 15)])
def test_fec_is_sized_from_the_reported_loss(reported: float, protected: int) -> None:
    assert fec_loss_percent(reported) == protected
