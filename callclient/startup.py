"""Start-up's ordering: what Core sets going early so the slow parts overlap, and the error that ends a start.

Opening the keychain (D-Bus), the store (SQLCipher) and the engine (pjsua2) each take a while; loading numpy
and PortAudio, or fetching keys, meanwhile on threads of their own saves the user that time
(bench/ui_startup.py). What fails is raised again where its result is needed.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from callclient.engine.events import EngineFault

if TYPE_CHECKING:
    from callclient.services.audio import AudioService

log = logging.getLogger(__name__)
T = TypeVar("T")


class StartupError(Exception):
    """The app cannot start; the message says what is wrong and how to fix it."""


def in_background(work: Callable[[], T], name: str) -> Future[T]:
    """`work()` on a thread of its own, started now; its result (or exception) through the Future."""
    done: Future[T] = Future()

    def run() -> None:
        try:
            done.set_result(work())
        except BaseException as error:  # raised again where the result is needed
            done.set_exception(error)

    threading.Thread(target=run, name=name, daemon=True).start()
    return done


def build_processing_later(audio: AudioService, publish: Callable[[Any], None]) -> Future[None]:
    """The desktop's voice processing, built on a thread once the window shows (Core.finish_start); a failure
    is told in the window, as the engine's faults are."""
    def build() -> None:
        try:
            audio.apply_processing()
        except Exception as error:
            log.error("the voice processing could not start: %s", error)
            publish(EngineFault(f"Echo cancellation and noise suppression could not start: {error}"))
            raise

    return in_background(build, "voice-processing")


# What Core's audio backend loads: numpy and pjsua2 (media.bridge), PortAudio (sounddevice: importing it
# initialises PortAudio, which probes the sound servers) and PulseAudio's client; then livekit's audio
# processing (the echo canceller, with protobuf and its FFI library: ~0.15 s), unless it is built later.
SOUND_MODULES = ("media.bridge", "media.devices", "sounddevice", "pulsectl")
PROCESSING_MODULES = ("livekit.rtc",)


def import_sound_modules(with_processing: bool = True) -> None:
    """The sound modules, loaded ahead; Core's audio backend uses them (and reports their errors)."""
    for name in SOUND_MODULES + (PROCESSING_MODULES if with_processing else ()):
        try:
            importlib.import_module(name)
        except (ImportError, OSError) as error:  # OSError: sounddevice finds no PortAudio library
            log.debug("%s not loaded ahead: %s", name, error)
