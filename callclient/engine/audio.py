"""The seam where a sound pipeline plugs into the SIP engine.

pjsua2-python ships without a sound device, so the engine always runs pjsua's null device as the
conference bridge's clock. An `AudioBackend` adds real capture and playback as ordinary bridge ports:
the engine connects every call's audio to `capture` (what the far end hears) and `playback` (what the
user hears). All three methods run on the engine thread, which owns every pjsua2 object.
"""

from __future__ import annotations

from typing import Protocol

import pjsua2 as pj


class AudioBackend(Protocol):
    def open(self, endpoint: pj.Endpoint) -> None:
        """Called once after libStart, on the engine thread."""

    @property
    def capture(self) -> pj.AudioMedia:
        """The bridge port that carries the user's microphone into calls."""

    @property
    def playback(self) -> pj.AudioMedia:
        """The bridge port whose input is played to the user's speaker."""

    def close(self) -> None:
        """Called once before libDestroy, on the engine thread: release every port."""


class NullAudio:
    """pjsua's own null device: calls carry silence out and discard what comes in."""

    def __init__(self) -> None:
        self._manager: pj.AudDevManager | None = None

    def open(self, endpoint: pj.Endpoint) -> None:
        self._manager = endpoint.audDevManager()

    @property
    def capture(self) -> pj.AudioMedia:
        assert self._manager is not None
        return self._manager.getCaptureDevMedia()

    @property
    def playback(self) -> pj.AudioMedia:
        assert self._manager is not None
        return self._manager.getPlaybackDevMedia()

    def close(self) -> None:
        self._manager = None
