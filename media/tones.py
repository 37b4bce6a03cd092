"""Call-progress tones, DTMF feedback and the ringtone, generated at whatever rate the consumer runs.

`ToneGenerator.read(out)` fills the next block on the audio side (the bridge clock thread); `start`,
`dtmf` and `stop` may be called from any other thread. They never touch the reader's state: each
builds an immutable `_Program` and swaps it in with one attribute assignment, which the reader picks
up at its next block. Sines come from a phase accumulator per frequency, so a tone stays continuous
across blocks of any size and at any rate; each "on" burst is shaped with a 4 ms raised-cosine ramp so
cadences do not click.

Frequencies and cadences: ETSI ES 201 970 / CEPT T/CS 20-15 ("eu"), ANSI T1.401 precise tones
("us"), BT SIN 350 ("uk"); DTMF pairs per ITU-T Q.23.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np

TONE_AMPLITUDE = 0.1  # about -20 dBFS per component: clearly audible, never near clipping with two
RAMP_MS = 4.0
DTMF_FEEDBACK_MS = 100


class ToneKind(Enum):
    RINGBACK = "ringback"
    BUSY = "busy"
    CONGESTION = "congestion"
    CALL_WAITING = "call_waiting"
    RINGTONE = "ringtone"


@dataclass(frozen=True)
class ToneSpec:
    """Frequencies played together, and a cadence of (on_ms, off_ms) pairs; `repeat` loops the cadence."""

    frequencies_hz: tuple[float, ...]
    cadence_ms: tuple[tuple[int, int], ...]
    repeat: bool = True


REGIONS: dict[str, dict[ToneKind, ToneSpec]] = {
    "eu": {
        ToneKind.RINGBACK: ToneSpec((425.0,), ((1000, 4000),)),
        ToneKind.BUSY: ToneSpec((425.0,), ((500, 500),)),
        ToneKind.CONGESTION: ToneSpec((425.0,), ((250, 250),)),
        ToneKind.CALL_WAITING: ToneSpec((425.0,), ((200, 200), (200, 3000))),
    },
    "us": {
        ToneKind.RINGBACK: ToneSpec((440.0, 480.0), ((2000, 4000),)),
        ToneKind.BUSY: ToneSpec((480.0, 620.0), ((500, 500),)),
        ToneKind.CONGESTION: ToneSpec((480.0, 620.0), ((250, 250),)),
        ToneKind.CALL_WAITING: ToneSpec((440.0,), ((300, 9700),)),
    },
    "uk": {
        ToneKind.RINGBACK: ToneSpec((400.0, 450.0), ((400, 200), (400, 2000))),
        ToneKind.BUSY: ToneSpec((400.0,), ((375, 375),)),
        ToneKind.CONGESTION: ToneSpec((400.0,), ((400, 350), (225, 525))),
        ToneKind.CALL_WAITING: ToneSpec((400.0,), ((100, 2000),)),
    },
}

DTMF_LOW_HZ = {"1": 697, "2": 697, "3": 697, "A": 697, "4": 770, "5": 770, "6": 770, "B": 770,
               "7": 852, "8": 852, "9": 852, "C": 852, "*": 941, "0": 941, "#": 941, "D": 941}
DTMF_HIGH_HZ = {"1": 1209, "4": 1209, "7": 1209, "*": 1209, "2": 1336, "5": 1336, "8": 1336, "0": 1336,
                "3": 1477, "6": 1477, "9": 1477, "#": 1477, "A": 1633, "B": 1633, "C": 1633, "D": 1633}


def dtmf_spec(digit: str, duration_ms: int = DTMF_FEEDBACK_MS) -> ToneSpec:
    key = digit.upper()
    if key not in DTMF_LOW_HZ:
        raise ValueError(f"{digit!r} is not a DTMF digit (0-9, *, #, A-D)")
    return ToneSpec((float(DTMF_LOW_HZ[key]), float(DTMF_HIGH_HZ[key])), ((duration_ms, 0),), repeat=False)


def load_ringtone(path: Path, rate_hz: int) -> np.ndarray:
    """A ringtone file (WAV or Ogg Opus, e.g. resources/sounds/ring.wav) as float32 mono at `rate_hz`,
    ready for `ToneGenerator(ringtone=...)`. Raises `AudioFileError` naming the problem."""
    from media.player import decode_sound
    from media.wavfile import AudioFileError

    try:
        data = path.read_bytes()
    except OSError as error:
        raise AudioFileError(f"cannot read ringtone {path}: {error.strerror}") from error
    samples = decode_sound(data, rate_hz).samples
    if not len(samples):
        raise AudioFileError(f"ringtone {path} has no audio in it")
    return samples


@dataclass(frozen=True)
class _Segment:
    length: int  # samples
    on: bool


@dataclass(frozen=True, eq=False)
class _Program:
    """What to play, in samples at the generator's rate. Immutable: it crosses threads."""

    increments: tuple[float, ...]  # cycles per sample, one per frequency
    segments: tuple[_Segment, ...]
    repeat: bool
    samples: np.ndarray | None = None  # a recorded ringtone, looped, instead of sines


class ToneGenerator:
    """One tone at a time; the latest `start`/`dtmf` replaces whatever was playing."""

    def __init__(self, rate_hz: int, region: str = "eu", ringtone: np.ndarray | None = None,
                 max_block: int = 4800) -> None:
        if region not in REGIONS:
            raise ValueError(f"no tone plan for region {region!r}; known: {', '.join(sorted(REGIONS))}")
        self.rate_hz = rate_hz
        self.region = region
        self._ringtone = None if ringtone is None else np.ascontiguousarray(ringtone, dtype=np.float32)
        ramp_len = max(1, int(rate_hz * RAMP_MS / 1000))
        self._ramp_up = (0.5 - 0.5 * np.cos(np.pi * (np.arange(ramp_len) + 0.5) / ramp_len)).astype(np.float32)
        self._ramp_down = self._ramp_up[::-1].copy()
        self._alloc(max_block)
        self._requested: _Program | None = None
        self._finished: _Program | None = None
        # Reader-side state: touched only inside read().
        self._current: _Program | None = None
        self._phases = np.zeros(2, dtype=np.float64)
        self._segment = 0
        self._offset = 0  # samples into the current segment (or into the ringtone)

    # ------------------------------------------------------------------ control (any thread)

    def start(self, kind: ToneKind | str) -> None:
        kind = ToneKind(kind)
        if kind is ToneKind.RINGTONE:
            if self._ringtone is None:
                raise ValueError("no ringtone loaded: pass one to ToneGenerator(ringtone=...)")
            self._requested = _Program((), (), True, self._ringtone)
            return
        self._requested = self._program(REGIONS[self.region][kind])

    def dtmf(self, digit: str, duration_ms: int = DTMF_FEEDBACK_MS) -> None:
        """Feedback for one key press: the digit's Q.23 pair for `duration_ms`, then silence."""
        self._requested = self._program(dtmf_spec(digit, duration_ms))

    def stop(self) -> None:
        self._requested = None

    @property
    def playing(self) -> bool:
        requested = self._requested
        return requested is not None and requested is not self._finished

    def _program(self, spec: ToneSpec) -> _Program:
        segments: list[_Segment] = []
        for on_ms, off_ms in spec.cadence_ms:
            segments.append(_Segment(self.rate_hz * on_ms // 1000, True))
            if off_ms:
                segments.append(_Segment(self.rate_hz * off_ms // 1000, False))
        return _Program(tuple(f / self.rate_hz for f in spec.frequencies_hz), tuple(segments), spec.repeat)

    # ------------------------------------------------------------------ audio side

    def read(self, out: np.ndarray) -> None:
        """Fills `out` (float32 mono) with the next block; silence when idle."""
        program = self._requested
        if program is not self._current:
            self._current = program
            self._phases[:] = 0.0
            self._segment = 0
            self._offset = 0
        n = len(out)
        if program is None:
            out.fill(0.0)
            return
        if n > len(self._ramp_index):
            self._alloc(n)  # only if a consumer reads bigger blocks than announced
        if program.samples is not None:
            self._read_recording(program.samples, out)
            return
        done = 0
        while done < n:
            if self._segment >= len(program.segments):
                if not program.repeat:
                    out[done:].fill(0.0)
                    self._finished = program  # the reader never writes `_requested`: that is the caller's
                    return
                self._segment = 0
            segment = program.segments[self._segment]
            take = min(n - done, segment.length - self._offset)
            part = out[done:done + take]
            if segment.on:
                self._sines(program.increments, part)
                self._shape(part, self._offset, segment.length)
            else:
                part.fill(0.0)
            self._advance_phases(program.increments, take)
            done += take
            self._offset += take
            if self._offset >= segment.length:
                self._segment += 1
                self._offset = 0

    def _sines(self, increments: tuple[float, ...], part: np.ndarray) -> None:
        n = len(part)
        part.fill(0.0)
        work = self._work[:n]
        for index, increment in enumerate(increments):
            # phase kept in cycles mod 1 (float64): exact after hours of ringback, unlike a growing time base
            np.multiply(self._ramp_index[:n], increment, out=work)
            work += self._phases[index]
            work *= 2.0 * np.pi
            np.sin(work, out=work)
            np.add(part, work, out=part, casting="unsafe")
        part *= TONE_AMPLITUDE

    def _advance_phases(self, increments: tuple[float, ...], samples: int) -> None:
        for index, increment in enumerate(increments):
            self._phases[index] = (self._phases[index] + increment * samples) % 1.0

    def _shape(self, part: np.ndarray, offset: int, length: int) -> None:
        """Raised-cosine fade at the start and end of an "on" burst; `part` starts `offset` into it."""
        ramp = len(self._ramp_up)
        n = len(part)
        if offset < ramp:
            stop = min(n, ramp - offset)
            part[:stop] *= self._ramp_up[offset:offset + stop]
        tail_start = length - ramp  # the burst's position where the fade-out begins
        if offset + n > tail_start:
            first = max(0, tail_start - offset)
            part[first:] *= self._ramp_down[offset + first - tail_start:offset + n - tail_start]

    def _read_recording(self, samples: np.ndarray, out: np.ndarray) -> None:
        done, n = 0, len(out)
        while done < n:
            take = min(n - done, len(samples) - self._offset)
            out[done:done + take] = samples[self._offset:self._offset + take]
            done += take
            self._offset = (self._offset + take) % len(samples)

    def _alloc(self, block: int) -> None:
        self._ramp_index = np.arange(block, dtype=np.float64)
        self._work = np.zeros(block, dtype=np.float64)
