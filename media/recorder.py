"""Call recording: stereo, the local side on the left and the remote side on the right.

Off unless the user starts it, and refused outright (`RecordingForbidden`) when the administrator's
policy forbids it. The audio side (`write`, on the bridge clock thread) only copies into one of a fixed
pool of preallocated blocks and hands it over through a queue; a writer thread owns the file. If the
disk stalls long enough to use up the pool, blocks are dropped and counted rather than stalling the call.

What the file holds is up to `open_writer`: a plain WAV by default, or (what the app passes) the
encrypted writer of callclient.storage.recordings. This package knows no keys and no keychain.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from media.wavfile import WavWriter

log = logging.getLogger(__name__)

POOL_SECONDS = 4  # of audio the writer may fall behind before blocks are dropped


class RecordingForbidden(Exception):
    """The administrator's policy does not allow call recording."""


class RecordingFailed(Exception):
    """The recording file could not be created or written; the message names the file and the cause."""


class FrameWriter(Protocol):
    """Where recorded frames go, owned by the recorder's writer thread (media.wavfile.WavWriter is one)."""

    frames_written: int

    def write(self, frames: np.ndarray) -> None:
        """float32 frames of shape (n, channels)."""

    def close(self) -> None:
        """Finishes the file; raises OSError when that fails."""


def _plain_wav(path: Path, rate_hz: int, channels: int) -> FrameWriter:
    return WavWriter(path, rate_hz, channels)


class CallRecorder:
    """Records one call to `path` at `rate_hz`, in blocks of `block_samples` per side.

    `open_writer(path, rate_hz, channels)` makes the file; it must create it new (never overwrite) and
    raise OSError when it cannot."""

    def __init__(self, path: Path, rate_hz: int, *, allowed_by_policy: bool, block_samples: int = 320,
                 open_writer: Callable[[Path, int, int], FrameWriter] = _plain_wav) -> None:
        if not allowed_by_policy:
            raise RecordingForbidden("call recording is turned off by your administrator")
        try:
            self._writer = open_writer(path, rate_hz, 2)
        except OSError as error:
            raise RecordingFailed(f"cannot record to {path}: {error.strerror}") from error
        self.path = path
        self.rate_hz = rate_hz
        self.block_samples = block_samples
        pool_size = max(2, POOL_SECONDS * rate_hz // block_samples)
        self._free: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
        for _ in range(pool_size):
            self._free.put(np.zeros((block_samples, 2), dtype=np.float32))
        self._filled: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self.dropped_blocks = 0
        self.error: str | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._write_loop, name="call-recorder", daemon=True)
        self._thread.start()

    def write(self, local: np.ndarray, remote: np.ndarray) -> None:
        """One block of each side (float32, `block_samples` long). Never blocks; audio-thread safe."""
        if self._closed:
            return
        try:
            block = self._free.get_nowait()
        except queue.Empty:
            self.dropped_blocks += 1
            return
        block[:, 0] = local
        block[:, 1] = remote
        self._filled.put(block)

    def close(self) -> None:
        """Writes what is queued, finishes the file's header and stops the writer thread."""
        if self._closed:
            return
        self._closed = True
        self._filled.put(None)
        self._thread.join(30)
        if self.dropped_blocks:
            log.warning("call recording %s lost %d blocks: the disk did not keep up", self.path, self.dropped_blocks)
        if self.error:
            raise RecordingFailed(f"recording to {self.path} stopped: {self.error}")

    @property
    def seconds_written(self) -> float:
        return self._writer.frames_written / self.rate_hz

    def _write_loop(self) -> None:
        try:
            while (block := self._filled.get()) is not None:
                if self.error is None:
                    try:
                        self._writer.write(block)
                    except OSError as error:
                        self.error = error.strerror or str(error)
                        log.error("call recording to %s failed: %s", self.path, self.error)
                self._free.put(block)
        finally:
            try:
                self._writer.close()
            except OSError as error:
                self.error = self.error or error.strerror or str(error)
