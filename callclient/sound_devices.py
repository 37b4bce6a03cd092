"""Which sound the engine gets: the only owner of choosing between the real devices and pjsua's null device.

The config names the capture and playback devices; when they cannot be opened (no devices on a server, a
headset unplugged since, PortAudio missing) calls still connect, without sound, and the user is told once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callclient.engine.audio import AudioBackend, NullAudio
from callclient.services.audio import processing_settings


def choose_audio(app: Any, given: Callable[[], AudioBackend] | None, use_sound_devices: bool,
                 notice: Callable[[str], None], with_processing: bool = True) -> tuple[AudioBackend, Any]:
    """(the engine's audio backend, the media.bridge.DeviceAudio when real sound devices are in use else None).
    `given` is a backend the caller chose (tests); `use_sound_devices` False means the null device;
    `with_processing` False leaves the voice processing to be built later (AudioService.apply_processing)."""
    if given is not None:
        return given(), None
    if not use_sound_devices:
        return NullAudio(), None
    try:
        from media.bridge import DeviceAudio
        from media.devices import NoAudioDevice, resolve_device
    except (ImportError, OSError) as error:  # OSError: sounddevice finds no PortAudio library
        notice(f"No sound device is usable ({error}); calls connect but carry no sound.")
        return NullAudio(), None
    try:
        resolve_device(app.audio.capture_device, "input")
        resolve_device(app.audio.playback_device, "output")
    except (OSError, NoAudioDevice) as error:
        notice(f"No sound device is usable ({error}); calls connect but carry no sound.")
        return NullAudio(), None
    devices = DeviceAudio(app.audio.capture_device, app.audio.playback_device,
                          processing=processing_settings(app.audio) if with_processing else None,
                          on_device_change=notice)
    return devices, devices
