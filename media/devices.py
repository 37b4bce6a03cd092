"""Sound devices as the user sees them: names, host APIs, and choosing one by name.

Devices are chosen by name, not index: indexes change whenever a headset is plugged in, names do not.
An empty name means "system default", which follows the system's choice at each (re)start.

On a desktop with PulseAudio (or PipeWire's pulse server), PortAudio sees only ALSA's "pulse" and
"default" devices, not the headset behind them. The sound server's own sinks and sources are listed
too (through libpulse, with `pulsectl`), by their server name (`alsa_output.usb-Jabra_...`: stable across
re-plugging, unlike an index) and shown by their description. A stream reaches one of them through
PortAudio's "pulse" device with PULSE_SINK / PULSE_SOURCE set while it opens (libpulse reads them when
the ALSA plugin creates its context). `DeviceWatch` follows the server's sink/source events so a device
that goes or comes back is noticed within milliseconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

log = logging.getLogger(__name__)

_rescan_lock = threading.Lock()
# PULSE_SINK/PULSE_SOURCE are process-wide: one stream opens at a time while they are set.
_pulse_env_lock = threading.Lock()
PULSE_HOST_API = "PulseAudio"
_PORTAUDIO_PULSE_DEVICE = "pulse"


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
    label: str = ""  # what the user reads (a sound server's description); "" = the name
    pulse_name: str = ""  # set: a PulseAudio sink/source, reached through PortAudio's "pulse" device

    @property
    def shown_name(self) -> str:
        return self.label or self.name


def list_devices(rescan: bool = False) -> list[Device]:
    """Every device PortAudio sees, then the sound server's sinks and sources. `rescan=True`
    re-initialises PortAudio to find devices plugged in since start (only do it with no stream open:
    PortAudio forgets open streams on re-initialisation); the sound server's list is always current."""
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
    pulse = next((d for d in devices if d.name == _PORTAUDIO_PULSE_DEVICE), None)
    if pulse is not None:
        devices += [replace(d, index=pulse.index) for d in pulse_devices()]
    return devices


def pulse_devices() -> list[Device]:
    """The sound server's sinks (outputs) and sources (inputs); [] without a PulseAudio-compatible server."""
    try:
        import pulsectl
    except ImportError:
        return []
    try:
        with pulsectl.Pulse("callclient-devices") as pulse:
            sinks, sources = pulse.sink_list(), pulse.source_list()
    except pulsectl.PulseError as error:
        log.debug("no PulseAudio server to list devices from: %s", error)
        return []
    return ([Device(None, s.name, PULSE_HOST_API, 0, s.channel_count, s.sample_spec.rate, label=s.description,
                    pulse_name=s.name) for s in sinks]
            + [Device(None, s.name, PULSE_HOST_API, s.channel_count, 0, s.sample_spec.rate, label=s.description,
                      pulse_name=s.name) for s in sources])


def _of_kind(devices: list[Device], kind: str) -> list[Device]:
    return [d for d in devices if (d.inputs if kind == "input" else d.outputs) > 0]


def find_device(name: str, kind: str, devices: list[Device] | None = None) -> Device | None:
    """The device called `name` ("input" or "output"): an exact name first, then a unique substring of a
    name or description; None when it is not there (unplugged) or "" was asked for."""
    if not name:
        return None
    candidates = _of_kind(list_devices() if devices is None else devices, kind)
    exact = [d for d in candidates if d.name == name]
    if exact:
        return exact[0]
    partial = [d for d in candidates if name.lower() in d.name.lower() or name.lower() in d.label.lower()]
    return partial[0] if len(partial) == 1 else None


def default_device(kind: str, devices: list[Device] | None = None) -> Device:
    candidates = _of_kind(list_devices() if devices is None else devices, kind)
    if not candidates:
        raise NoAudioDevice(f"no audio {kind} device is available")
    default = next((d for d in candidates if (d.is_default_input if kind == "input" else d.is_default_output)), None)
    return default or candidates[0]


def resolve_device(name: str, kind: str) -> Device:
    """The device for `name` ("input" or "output"): an exact name first, then a unique substring; ""
    or a name no longer present gives the system default (and the fallback is logged)."""
    devices = list_devices()
    found = find_device(name, kind, devices)
    if found is not None:
        return found
    if name:
        log.warning("audio %s device %r not found; using the system default", kind, name)
    return default_device(kind, devices)


def open_stream(factory: Callable[..., object], device: Device, **settings: object) -> object:
    """`factory(device=..., **settings)` (a sounddevice stream class) on `device`; a sound server's sink or
    source is named to libpulse through the environment while the stream opens."""
    if not device.pulse_name:
        return factory(device=device.index, **settings)
    variable = "PULSE_SOURCE" if device.inputs else "PULSE_SINK"
    with _pulse_env_lock, _environment(variable, device.pulse_name):
        return factory(device=device.index, **settings)


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    saved = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


class DeviceWatch:
    """Calls `on_change()` on its own thread (`device-watch`) whenever the sound server's sinks or sources
    come or go, or its default changes, and `on_tick()` every `tick_s` between. Without a
    PulseAudio-compatible server it does nothing: a device then is noticed gone only when its stream fails
    (DeviceAudio's finished callback)."""

    def __init__(self, on_change: Callable[[], None], on_tick: Callable[[], None] = lambda: None,
                 tick_s: float = 0.5) -> None:
        self._on_change = on_change
        self._on_tick = on_tick
        self._tick_s = tick_s
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pulse: object | None = None

    def start(self) -> bool:
        try:
            import pulsectl

            self._pulse = pulsectl.Pulse("callclient-device-watch")
        except (ImportError, Exception) as error:  # pulsectl.PulseError, or libpulse missing (OSError)
            log.info("no sound server to watch for devices coming and going: %s", error)
            return False
        self._thread = threading.Thread(target=self._run, name="device-watch", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stopping.set()
        pulse = self._pulse
        if pulse is not None:
            pulse.event_listen_stop()  # type: ignore[attr-defined]  # the one call safe from another thread
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if pulse is not None:
            pulse.close()  # type: ignore[attr-defined]
            self._pulse = None

    def _run(self) -> None:
        import pulsectl

        pulse = self._pulse
        assert pulse is not None
        changed = threading.Event()

        def on_event(event: object) -> None:
            if event.t in (pulsectl.PulseEventTypeEnum.new, pulsectl.PulseEventTypeEnum.remove) \
                    or event.facility == pulsectl.PulseEventFacilityEnum.server:  # type: ignore[attr-defined]
                changed.set()
                raise pulsectl.PulseLoopStop  # no calls may be made from inside the event loop

        pulse.event_mask_set("sink", "source", "server")
        pulse.event_callback_set(on_event)
        while not self._stopping.is_set():
            try:
                pulse.event_listen(timeout=self._tick_s)
            except pulsectl.PulseDisconnected:
                log.warning("the sound server went away; devices are no longer watched")
                self._on_change()
                return
            if self._stopping.is_set():
                return
            try:
                if changed.is_set():
                    changed.clear()
                    self._on_change()
                else:
                    self._on_tick()
            except Exception:  # one failed switch must not end the watch
                log.exception("following a device change failed")
