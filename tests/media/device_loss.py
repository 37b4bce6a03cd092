"""Child process for the device-loss test: DeviceAudio on PulseAudio, then the server drops its clients.

Run apart from pytest because PortAudio's ALSA thread, once its server is gone, can spin printing
assertion messages; a child with a deadline keeps that out of the test run. Prints one line,
`TOLD <message>`, when DeviceAudio reports the loss, and leaves with os._exit (the broken stream may
not close).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from media.bridge import DeviceAudio
from media.processing import ProcessingSettings


def main() -> None:
    told = threading.Event()
    messages: list[str] = []

    def on_device_change(message: str) -> None:
        messages.append(message)
        told.set()

    audio = DeviceAudio("pulse", "pulse", processing=ProcessingSettings(aec=False, ns=False, agc=False,
                                                                        high_pass=False),
                        on_device_change=on_device_change)
    audio.set_devices()  # starts the streams on the chosen devices, as a mid-call switch would
    print(f"OPENED {audio.capture_device_name} {audio.playback_device_name}", flush=True)
    # The sound server dropping its clients is what a USB headset being pulled looks like to PortAudio.
    subprocess.run(["pactl", "unload-module", "module-native-protocol-unix"], check=True, timeout=10)
    if told.wait(10):
        print(f"TOLD {messages[0]}", flush=True)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
