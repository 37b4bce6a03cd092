"""Sound devices as the user sees them: names, host APIs, and choosing one by name.

Devices are chosen by name, not index: indexes change whenever a headset is plugged in, names do not.
An empty name means "system default", which follows the system's choice at each (re)start.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

_rescan_lock = threading.Lock()


class NoAudioDevice(Exception):
    """No device of the kind needed exists (or none by the configured name, and no default either)."""


@dataclass(frozen=True)
class DeviceChoice:
    capture: str = ""  # "" = system default
    playback: str = ""


@dataclass(frozen=True)
class Device:
    index: int | None  # None: PortAudio's default
    name: str
    host_api: str
    inputs: int
    outputs: int
    default_rate_hz: float
    is_default_input: bool = False
    is_default_output: bool = False


def list_devices(rescan: bool = False) -> list[Device]:
    """Every device PortAudio sees. `rescan=True` re-initialises PortAudio to find devices plugged in
    since start (only do it with no stream open: PortAudio forgets open streams on re-initialisation)."""
    import sounddevice as sd

    if rescan:
        with _rescan_lock:
            sd._terminate()
            sd._initialize()
    apis = sd.query_hostapis()
    try:
        default_in, default_out = sd.default.device
    except (TypeError, ValueError):
        default_in = default_out = -1
    devices = []
    for index, info in enumerate(sd.query_devices()):
        devices.append(Device(
            index=index, name=info["name"], host_api=apis[info["hostapi"]]["name"],
            inputs=info["max_input_channels"], outputs=info["max_output_channels"],
            default_rate_hz=info["default_samplerate"],
            is_default_input=index == default_in, is_default_output=index == default_out,
        ))
    return devices


def resolve_device(name: str, kind: str) -> Device:
    """The device for `name` ("input" or "output"): an exact name first, then a unique substring; ""
    or a name no longer present gives the system default (and the fallback is logged)."""
    devices = [d for d in list_devices() if (d.inputs if kind == "input" else d.outputs) > 0]
    if not devices:
        raise NoAudioDevice(f"no audio {kind} device is available")
    if name:
        exact = [d for d in devices if d.name == name]
        partial = [d for d in devices if name.lower() in d.name.lower()]
        if exact or len(partial) == 1:
            return (exact or partial)[0]
        log.warning("audio %s device %r not found; using the system default", kind, name)
    default = next((d for d in devices if (d.is_default_input if kind == "input" else d.is_default_output)), None)
    return default or devices[0]
