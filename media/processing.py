"""Capture processing: echo control, a high-pass filter, noise suppression and gain control, in that order.

Each stage chosen by measurement (bench/device_path_quality.py, bench/echo_erle.py, docs/benchmarks.md):

- Echo control: WebRTC AEC3 from the `livekit` wheel (it bundles the native library), fed every render
  and capture frame so it stays converged, but its output is used only while `EchoPathDetector`
  (media/echo_path.py) hears the speaker in the microphone and the far end has just been talking. AEC3
  as this wheel builds it cannot be configured and mistakes an active far end it cannot cancel for
  echo: with no echo path (a headset) it garbled the user's voice whenever the far end talked (PESQ-WB
  4.64 -> 1.28 offline, ~3 -> ~1.1 through the app), whatever the stream delay or feeding order. With
  an echo path it removes ~34 dB of a distorting speaker's echo, which speexdsp's MDF (~15 dB) does not;
  with the far end silent it would only cost the user's voice (0.8 PESQ-WB: its own high-pass filter).
- High-pass and noise suppression: media/capture_filters.py (our filter; speexdsp's suppressor). The
  wheel's own cost clean speech 0.8-0.9 PESQ-WB each.
- Gain: the wheel's AGC2, alone in its module (cost 0.05 on clean speech).

The wheel works on 10 ms int16 frames; each module keeps preallocated `AudioFrame`s converted in place.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from media.capture_filters import HighPassFilter, NoiseSuppressor, SpeexUnavailable
from media.echo_path import EchoPathDetector

log = logging.getLogger(__name__)

# speexdsp's limit, chosen by bench/device_path_quality.py: PESQ-WB cost on clean speech at 4/6/8/10 dB
# was 0.08/0.14/0.23/0.32 (the issue allows 0.15); WebRTC's suppressor cost 0.9.
NOISE_SUPPRESS_DB = 6


@dataclass(frozen=True)
class ProcessingSettings:
    aec: bool = True  # echo control: AEC3, engaged while an echo path is heard
    ns: bool = True
    agc: bool = True
    high_pass: bool = True

    @property
    def any(self) -> bool:
        return self.aec or self.ns or self.agc or self.high_pass


class _Apm:
    """One livekit APM and its two preallocated int16 frames."""

    def __init__(self, rate_hz: int, frame_samples: int, *, aec: bool = False, ns: bool = False, agc: bool = False,
                 high_pass: bool = False) -> None:
        from livekit import rtc

        self.module = rtc.AudioProcessingModule(echo_cancellation=aec, noise_suppression=ns,
                                                high_pass_filter=high_pass, auto_gain_control=agc)
        size = frame_samples * 2
        self.render_frame = rtc.AudioFrame(bytearray(size), rate_hz, 1, frame_samples)
        self.capture_frame = rtc.AudioFrame(bytearray(size), rate_hz, 1, frame_samples)
        self.render_pcm = np.frombuffer(self.render_frame.data, dtype=np.int16)
        self.capture_pcm = np.frombuffer(self.capture_frame.data, dtype=np.int16)


class VoiceProcessor:
    """Processes the microphone (`process_capture`) knowing what the speaker plays (`process_render`).

    Both take 10 ms float32 mono frames at `rate_hz` (8, 16, 32 or 48 kHz). Call them from one thread
    (the bridge clock's), render and capture in step.
    """

    def __init__(self, rate_hz: int, settings: ProcessingSettings = ProcessingSettings()) -> None:
        if rate_hz not in (8000, 16000, 32000, 48000):
            raise ValueError(f"audio processing runs at 8, 16, 32 or 48 kHz, not {rate_hz}")
        self.rate_hz = rate_hz
        self.frame_samples = rate_hz // 100
        self._scaled = np.zeros(self.frame_samples, dtype=np.float32)
        self._cancelled = np.zeros(self.frame_samples, dtype=np.float32)
        # A 10 ms crossfade when the echo gate opens or closes, so the switch makes no click.
        self._fade_in = np.linspace(0.0, 1.0, self.frame_samples, dtype=np.float32)
        self._fade_out = self._fade_in[::-1].copy()
        self._settings = settings
        self._echo: _Apm | None = None
        self._gain: _Apm | None = None
        self._high_pass: HighPassFilter | None = None
        self._noise: NoiseSuppressor | _Apm | None = None
        self._stage = np.zeros(self.frame_samples, dtype=np.float32)
        self._detector: EchoPathDetector | None = None
        self._cancelling = False
        self._delay_ms = 0
        self.cancelled_frames = 0  # 10 ms frames the far end got from the canceller: a diagnostic count
        self.update(settings)

    @property
    def settings(self) -> ProcessingSettings:
        return self._settings

    @property
    def cancelling_echo(self) -> bool:
        """Whether the echo canceller's output is what the far end hears right now."""
        return self._cancelling

    @property
    def echo_path_heard(self) -> bool:
        """Whether the speaker is heard in the microphone (a speakerphone rather than a headset)."""
        return self._detector.echo_present if self._detector is not None else False

    @property
    def echo_delay_ms(self) -> int:
        return self._detector.delay_ms if self._detector is not None else 0

    def update(self, settings: ProcessingSettings) -> None:
        """New switches take effect at the next frame (the modules are rebuilt: their state starts over)."""
        self._settings = settings
        if settings.aec:
            self._echo = _Apm(self.rate_hz, self.frame_samples, aec=True)
            self._detector = EchoPathDetector(self.rate_hz)
            if self._delay_ms:
                self._echo.module.set_stream_delay_ms(self._delay_ms)
        else:
            self._echo = self._detector = None
        self._cancelling = False
        self._high_pass = HighPassFilter(self.rate_hz) if settings.high_pass else None
        self._noise = None
        if settings.ns:
            try:
                self._noise = NoiseSuppressor(self.rate_hz, NOISE_SUPPRESS_DB)
            except SpeexUnavailable as error:
                log.warning("%s: using WebRTC's noise suppressor, which costs speech more", error)
                self._noise = _Apm(self.rate_hz, self.frame_samples, ns=True)
        self._gain = _Apm(self.rate_hz, self.frame_samples, agc=True) if settings.agc else None

    def set_delay_ms(self, delay_ms: int) -> None:
        """The time from a render frame to its echo in the capture: the output plus input device latency.
        AEC3 finds the delay itself; this is its starting hint."""
        self._delay_ms = int(delay_ms)
        if self._echo is not None:
            self._echo.module.set_stream_delay_ms(self._delay_ms)

    def process_render(self, frame: np.ndarray) -> None:
        echo = self._echo
        if echo is None:
            return
        self._to_pcm(frame, echo.render_pcm)
        echo.module.process_reverse_stream(echo.render_frame)
        self._detector.render(frame)  # type: ignore[union-attr]

    def process_capture(self, frame: np.ndarray, out: np.ndarray) -> None:
        echo = self._echo
        source = frame
        if echo is not None:
            self._to_pcm(frame, echo.capture_pcm)
            echo.module.process_stream(echo.capture_frame)
            np.multiply(echo.capture_pcm, 1 / 32768, out=self._cancelled, casting="unsafe")
            detector = self._detector
            detector.capture(frame)  # type: ignore[union-attr]
            cancel = detector.echo_expected()  # type: ignore[union-attr]
            if cancel != self._cancelling:
                into, away = (self._cancelled, frame) if cancel else (frame, self._cancelled)
                np.multiply(into, self._fade_in, out=self._scaled)
                self._cancelled[:] = away  # (the cancelled frame is consumed: reuse its buffer)
                self._cancelled *= self._fade_out
                self._cancelled += self._scaled
                self._cancelling = cancel
                source = self._cancelled
            elif cancel:
                source = self._cancelled
            if cancel:
                self.cancelled_frames += 1
        if self._high_pass is not None:
            self._high_pass.process(source, self._stage)
            source = self._stage
        noise = self._noise
        if isinstance(noise, NoiseSuppressor):
            noise.process(source, self._stage)
            source = self._stage
        elif noise is not None:
            self._through_apm(noise, source, self._stage)
            source = self._stage
        if self._gain is not None:
            self._through_apm(self._gain, source, self._stage)
            source = self._stage
        out[:] = source

    def _through_apm(self, apm: _Apm, frame: np.ndarray, out: np.ndarray) -> None:
        self._to_pcm(frame, apm.capture_pcm)
        apm.module.process_stream(apm.capture_frame)
        np.multiply(apm.capture_pcm, 1 / 32768, out=out, casting="unsafe")

    def _to_pcm(self, frame: np.ndarray, pcm: np.ndarray) -> None:
        np.multiply(frame, 32767.0, out=self._scaled)
        np.clip(self._scaled, -32768.0, 32767.0, out=self._scaled)
        pcm[:] = self._scaled
