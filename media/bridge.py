"""The sound device for pjsua2's conference bridge: real capture and playback through PortAudio.

pjsua2-python has no sound device, so the engine runs pjsua's null device as the bridge clock and
plugs in one `AudioMediaPort` of ours: the bridge pulls the microphone from it (`onFrameRequested`) and
pushes the call mix into it (`onFrameReceived`), 20 ms at 16 kHz, on pjmedia's clock thread. PortAudio
streams run on the sound card's clock in their own callbacks. Between the two clocks sit the
`CapturePath`/`PlaybackPath` rings of media/buffers.py, which absorb jitter and follow drift by
resampling. The PortAudio callbacks touch only those rings; the echo canceller, tones and meters run on
the bridge side.

Moving 640 bytes through a SWIG `ByteVector` element by element costs about 1.2 ms; `_frame_bytes`
reads the vector's storage in place (libstdc++ keeps `begin, end` pointers at the start of the
object) after checking the length agrees, and falls back to the slow path if it ever does not.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pjsua2 as pj

from media.buffers import CapturePath, PathStats, PlaybackPath
from media.devices import (
    Device, DeviceChoice, DeviceWatch, default_device, find_device, list_devices, open_stream,
)
from media.processing import ProcessingSettings, VoiceProcessor

log = logging.getLogger(__name__)

BRIDGE_RATE_HZ = 16000
FRAME_MS = 20
FRAME_SAMPLES = BRIDGE_RATE_HZ * FRAME_MS // 1000
STEP = BRIDGE_RATE_HZ // 100  # the processor's 10 ms
STALL_TICKS = 3  # device-watch ticks (0.5 s) without a callback before a stream counts as stalled


@dataclass(frozen=True)
class Levels:
    """Peak levels in dBFS since the last read (-100 for silence)."""

    input_dbfs: float
    output_dbfs: float


@dataclass(frozen=True)
class AudioStats:
    capture: PathStats
    playback: PathStats
    capture_device: str
    playback_device: str


def _frame_bytes(vector: pj.ByteVector, size: int) -> bytes | None:
    """The vector's bytes without a per-element copy; None when the layout check fails."""
    address = int(vector.this)
    begin = ctypes.c_void_p.from_address(address).value
    end = ctypes.c_void_p.from_address(address + ctypes.sizeof(ctypes.c_void_p)).value
    if begin is None or end is None or end - begin != size:
        return None
    return ctypes.string_at(begin, size)


class _BridgePort(pj.AudioMediaPort):
    """Runs on pjmedia's clock thread (a pjlib thread): only numpy work on preallocated arrays here."""

    def __init__(self, audio: DeviceAudio) -> None:
        super().__init__()
        self._audio = audio

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:  # noqa: N802 - pjsua2's name
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = pj.ByteVector(self._audio._next_capture_frame())
        frame.size = FRAME_SAMPLES * 2

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:  # noqa: N802 - pjsua2's name
        if frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO or frame.size != FRAME_SAMPLES * 2:
            self._audio._playback_frame(None)
            return
        data = _frame_bytes(frame.buf, frame.size)
        if data is None:
            data = bytes(frame.buf)
        self._audio._playback_frame(data)


class DeviceAudio:
    """An `AudioBackend` (callclient/engine/audio.py) backed by real sound devices.

    `open`, `capture`, `playback` and `close` run on the engine thread; the other methods are safe from
    any thread. `on_device_change(message)` is called (on a worker thread) when a chosen device disappears
    and the default takes over, and when it comes back and is used again.
    """

    def __init__(
        self,
        capture_device: str = "",
        playback_device: str = "",
        *,
        processing: ProcessingSettings | None = ProcessingSettings(),
        device_rate_hz: int = 48000,
        target_ms: float = 40.0,
        on_device_change: Callable[[str], None] | None = None,
    ) -> None:
        self._choice = DeviceChoice(capture_device, playback_device)
        self._device_rate = device_rate_hz
        self._target_ms = target_ms
        # Set by whoever tells the user (the audio service); called on a worker thread, never an audio one.
        self.on_device_change: Callable[[str], None] = on_device_change or (lambda message: None)
        self._using = DeviceChoice()  # the chosen names the streams are open on ("" where the default stands in)
        self._lost: set[str] = set()  # "microphone"/"speaker" whose stream failed, until the device list changes
        self._follow_lock = threading.Lock()  # one stream restart at a time: settings, watch, fallback
        self._watch: DeviceWatch | None = None
        self._labels = DeviceChoice()  # the devices in use as the user knows them
        # Callbacks run so far (microphone, speaker): the stall check's evidence that the streams move.
        self._callbacks = np.zeros(2, dtype=np.int64)
        self._callbacks_seen = (-1, -1)
        self._quiet_ticks = [0, 0]
        self._in_use: dict[str, Device] = {}  # "microphone"/"speaker" -> the device its stream is open on
        self._processor = VoiceProcessor(BRIDGE_RATE_HZ, processing) if processing and processing.any else None
        self._delay_hint_ms = 0  # the streams' output + input latency: the echo canceller's starting hint
        self._port: _BridgePort | None = None
        self._streams_lock = threading.Lock()
        self._input = None
        self._output = None
        self.capture_path = CapturePath(device_rate_hz, BRIDGE_RATE_HZ, FRAME_SAMPLES, target_ms=target_ms)
        self.playback_path = PlaybackPath(device_rate_hz, BRIDGE_RATE_HZ, target_ms=target_ms)
        # Bridge-side buffers, preallocated: the clock thread never allocates an array.
        self._mic = np.zeros(FRAME_SAMPLES, dtype=np.float32)
        self._processed = np.zeros(FRAME_SAMPLES, dtype=np.float32)
        self._far = np.zeros(FRAME_SAMPLES, dtype=np.float32)
        self._tone = np.zeros(FRAME_SAMPLES, dtype=np.float32)
        self._pcm = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        self._scratch = np.zeros(FRAME_SAMPLES, dtype=np.float32)  # for the level meters
        self._muted = False
        self._in_peak = 0.0
        self._out_peak = 0.0
        self.tone_source: object | None = None  # something with read(out): ringback, DTMF feedback, beeps
        self.recorder: object | None = None  # something with write(local, remote): media.recorder.CallRecorder
        # something with read(out) mixed into what the far end hears, muted or not: a recording notice
        # (media.announcement.Announcement)
        self.send_source: object | None = None
        self._send = np.zeros(FRAME_SAMPLES, dtype=np.float32)
        self._local = np.zeros(FRAME_SAMPLES, dtype=np.float32)  # what we last sent, for the recorder
        self.capture_device_name = ""
        self.playback_device_name = ""

    # ------------------------------------------------------------------ AudioBackend (engine thread)

    def open(self, endpoint: pj.Endpoint) -> None:
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, BRIDGE_RATE_HZ, 1, FRAME_MS * 1000, 16)
        self._port = _BridgePort(self)
        self._port.createPort("callclient-devices", fmt)
        self._start_streams()
        self._watch = DeviceWatch(self.follow_devices, on_tick=self.check_streams)
        self._watch.start()

    @property
    def capture(self) -> pj.AudioMedia:
        assert self._port is not None, "open() first"
        return self._port

    @property
    def playback(self) -> pj.AudioMedia:
        assert self._port is not None, "open() first"
        return self._port

    def close(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
        with self._follow_lock:
            self._stop_streams()
        self._port = None  # released on the engine thread, before libDestroy

    # ------------------------------------------------------------------ controls (any thread)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    @property
    def muted(self) -> bool:
        return self._muted

    def set_processing(self, settings: ProcessingSettings) -> None:
        processor = VoiceProcessor(BRIDGE_RATE_HZ, settings) if settings.any else None
        with self._streams_lock:  # the streams set the delay hint under it: a processor never misses one
            if processor is not None and self._delay_hint_ms:
                processor.set_delay_ms(self._delay_hint_ms)
            self._processor = processor

    def set_devices(self, capture_device: str | None = None, playback_device: str | None = None) -> None:
        """Switches devices, mid-call too: the streams restart; the bridge port and the calls stay."""
        # The choice changes under the lock: the device watch compares it with the devices in use, and a new
        # choice seen before its streams restart read as a device that came back (or one named '' gone).
        with self._follow_lock:
            self._choice = DeviceChoice(
                self._choice.capture if capture_device is None else capture_device,
                self._choice.playback if playback_device is None else playback_device,
            )
            self._lost.clear()
            self._restart_streams()

    def levels(self) -> Levels:
        """Peak levels since the previous call, for the UI's meters."""
        peak_in, peak_out = self._in_peak, self._out_peak
        self._in_peak = self._out_peak = 0.0
        return Levels(_dbfs(peak_in), _dbfs(peak_out))

    def stats(self) -> AudioStats:
        return AudioStats(self.capture_path.stats(), self.playback_path.stats(), self.capture_device_name,
                          self.playback_device_name)

    # ------------------------------------------------------------------ bridge clock thread

    def _next_capture_frame(self) -> bytes:
        self.capture_path.bridge_read(self._mic)
        processor = self._processor
        if processor is not None:
            for start in range(0, FRAME_SAMPLES, STEP):
                processor.process_capture(self._mic[start:start + STEP], self._processed[start:start + STEP])
            source = self._processed
        else:
            source = self._mic
        if self._muted:
            source.fill(0.0)
        sending = self.send_source
        if sending is not None:
            sending.read(self._send)  # type: ignore[attr-defined]
            source += self._send
        self._local[:] = source
        peak = _peak(source, self._scratch)
        if peak > self._in_peak:
            self._in_peak = peak
        np.multiply(source, 32767.0, out=self._processed)
        np.clip(self._processed, -32768.0, 32767.0, out=self._processed)
        self._pcm[:] = self._processed
        return self._pcm.tobytes()

    def _playback_frame(self, data: bytes | None) -> None:
        if data is None:
            self._far.fill(0.0)
        else:
            np.multiply(np.frombuffer(data, dtype=np.int16), 1 / 32768, out=self._far, casting="unsafe")
        processor = self._processor
        if processor is not None:
            for start in range(0, FRAME_SAMPLES, STEP):
                processor.process_render(self._far[start:start + STEP])
        recorder = self.recorder
        if recorder is not None:
            recorder.write(self._local, self._far)  # type: ignore[attr-defined]
        tones = self.tone_source
        if tones is not None:
            tones.read(self._tone)  # type: ignore[attr-defined]
            self._far += self._tone
        peak = _peak(self._far, self._scratch)
        if peak > self._out_peak:
            self._out_peak = peak
        self.playback_path.bridge_write(self._far)

    # ------------------------------------------------------------------ PortAudio streams (never the audio threads)

    def _start_streams(self) -> None:
        """Opens the streams on the chosen devices, or the system default for a chosen one that is absent
        (or whose stream failed); the choice itself is kept, so the device is used again once it is back."""
        with self._streams_lock:
            devices = list_devices()
            capture = None if "microphone" in self._lost else find_device(self._choice.capture, "input", devices)
            playback = None if "speaker" in self._lost else find_device(self._choice.playback, "output", devices)
            self._using = DeviceChoice(self._choice.capture if capture else "",
                                       self._choice.playback if playback else "")
            capture = capture or default_device("input", devices)
            playback = playback or default_device("output", devices)
            self.capture_device_name, self.playback_device_name = capture.name, playback.name
            self._labels = DeviceChoice(capture.shown_name, playback.shown_name)
            self._in_use = {"microphone": capture, "speaker": playback}
            self._input = self._open("microphone", capture)
            self._output = self._open("speaker", playback)
            self._callbacks_seen, self._quiet_ticks = (-1, -1), [0, 0]  # a new stream gets its full grace
            self._input.start()
            self._output.start()
            delay_ms = 1000 * (self._input.latency + self._output.latency) + 2 * self._target_ms
            self._delay_hint_ms = int(delay_ms)
            if self._processor is not None:
                self._processor.set_delay_ms(self._delay_hint_ms)
        log.info("audio devices: microphone %r, speaker %r", capture.name, playback.name)

    def _open(self, which: str, device: Device) -> Any:
        """A stream for "microphone" or "speaker" on `device`, not started."""
        import sounddevice as sd

        holder: list[object] = []  # the finished callback names its own stream, not the newest
        stream = open_stream(
            sd.InputStream if which == "microphone" else sd.OutputStream, device, samplerate=self._device_rate,
            channels=1, dtype="float32", blocksize=self._device_rate // 100, latency="low",
            callback=self._input_callback if which == "microphone" else self._output_callback,
            finished_callback=lambda: self._stream_finished(which, holder[0]),
        )
        holder.append(stream)
        return stream

    def _reopen(self, which: str) -> None:
        """Reopens one stream on the device it is on (a stall), leaving the other one playing."""
        with self._streams_lock:
            if which == "microphone":
                old, self._input = self._input, None
            else:
                old, self._output = self._output, None
        _close(old)
        device = self._in_use[which]
        with self._streams_lock:
            stream = self._open(which, device)
            if which == "microphone":
                self._input = stream
            else:
                self._output = stream
            self._callbacks_seen, self._quiet_ticks = (-1, -1), [0, 0]
            stream.start()

    def _stop_streams(self) -> None:
        with self._streams_lock:
            streams, self._input, self._output = (self._input, self._output), None, None
        for stream in streams:
            _close(stream)

    def _restart_streams(self) -> None:
        self._stop_streams()
        self._start_streams()

    def _input_callback(self, indata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        self._callbacks[0] += 1
        self.capture_path.device_write(indata[:, 0])

    def _output_callback(self, outdata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        self._callbacks[1] += 1
        self.playback_path.device_read(outdata[:, 0])

    def check_streams(self) -> None:
        """Every tick of DeviceWatch's thread (0.5 s): a stream whose callback has not been called for
        `STALL_TICKS` ticks, with no error reported, is reopened. PortAudio's ALSA "pulse" device sometimes
        stalls like that on a busy machine, and the call would stay silent until hung up. (It also delivers
        in uneven bursts, so one quiet tick is not yet a stall.)"""
        with self._follow_lock:
            if self._port is None or self._input is None:
                return
            counts = (int(self._callbacks[0]), int(self._callbacks[1]))
            seen, self._callbacks_seen = self._callbacks_seen, counts
            self._quiet_ticks = [quiet + 1 if now == before else 0
                                 for quiet, now, before in zip(self._quiet_ticks, counts, seen)]
            stalled = [which for which, quiet in zip(("microphone", "speaker"), self._quiet_ticks)
                       if quiet >= STALL_TICKS]
            if not stalled:
                return
            for which in stalled:
                log.warning("the %s stream stalled; reopening it", which)
                try:
                    self._reopen(which)
                except Exception as error:
                    log.error("the %s stream could not be reopened: %s", which, error)

    def follow_devices(self) -> None:
        """The sound server's devices changed (DeviceWatch's thread): a chosen device that went away is
        replaced by the system default, one that came back is used again. Runs off the audio threads."""
        with self._follow_lock:
            if self._port is None:
                return
            devices = list_devices()
            self._lost.clear()  # a device list that changed may have brought a failed device back
            wanted = DeviceChoice(
                self._choice.capture if find_device(self._choice.capture, "input", devices) else "",
                self._choice.playback if find_device(self._choice.playback, "output", devices) else "",
            )
            before = self._using
            if wanted == before:
                return
            started = time.monotonic()
            try:
                self._restart_streams()
            except Exception as error:
                log.error("no audio device could be opened: %s", error)
                self.on_device_change("No microphone or speaker could be opened; calls carry no sound until "
                                      "one is back.")
                return
            log.info("audio devices followed a change in %.0f ms", 1000 * (time.monotonic() - started))
            for which, chosen, was, now, using in (
                ("microphone", self._choice.capture, before.capture, self._using.capture, self._labels.capture),
                ("speaker", self._choice.playback, before.playback, self._using.playback, self._labels.playback),
            ):
                if was == now:
                    continue
                if now:
                    self.on_device_change(f"{using} is back: calls use it again as the {which}.")
                else:
                    self.on_device_change(f"The {which} {chosen!r} is gone: calls use the system default "
                                          f"({using}) until it is back.")

    def _stream_finished(self, which: str, stream: object) -> None:
        # Called when a stream stops. After _stop_streams the stream is no longer ours: nothing to do.
        if stream is None or stream not in (self._input, self._output):
            return
        log.warning("the %s stream stopped unexpectedly", which)

        def recover() -> None:
            with self._follow_lock:
                if stream not in (self._input, self._output):
                    return  # a device change restarted the streams meanwhile
                chosen = self._choice.capture if which == "microphone" else self._choice.playback
                using = self._using.capture if which == "microphone" else self._using.playback
                device = find_device(chosen, "input" if which == "microphone" else "output") if using else None
                # A sound server's device that is still listed only hiccupped (an overloaded server, a
                # stalled poll): open it again. Otherwise the default stands in until the device list changes
                # (PortAudio's own list is not refreshed while streams are open, so it cannot tell).
                gone = bool(using) and (device is None or not device.pulse_name)
                if gone:
                    self._lost.add(which)
                try:
                    self._restart_streams()
                except Exception as error:
                    log.error("no audio device could be opened: %s", error)
                    self.on_device_change(f"The {which} disappeared and no other {which} could be opened; "
                                          "calls carry no sound until one is back.")
                    return
            if gone:
                self.on_device_change(f"The {which} stopped working; switched to the system default.")

        threading.Thread(target=recover, name="audio-fallback", daemon=True).start()


def _close(stream: Any) -> None:
    if stream is not None:
        try:
            stream.abort()
            stream.close()
        except Exception as error:  # a vanished device may refuse even to close
            log.warning("closing an audio stream failed: %s", error)


def _peak(frame: np.ndarray, scratch: np.ndarray) -> float:
    np.abs(frame, out=scratch)
    return float(scratch.max())


def _dbfs(peak: float) -> float:
    return -100.0 if peak <= 1e-5 else float(20 * np.log10(peak))
