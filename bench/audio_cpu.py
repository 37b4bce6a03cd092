"""CPU per second of call: our device pipeline (`DeviceAudio`) against pjsua's null device (`NullAudio`).

One run starts a user-mode PulseAudio with null sinks, Kamailio and a pjsua2 far end, then places the
same G.722 call twice, each time from a fresh child process (pjsua2 keeps one library per process):
once with `NullAudio`, once with `DeviceAudio` on PortAudio's `pulse` device (processing off, so the
figure is the pipeline's own: rings, drift resampler, soxr, the bridge port). A third child opens the
same PortAudio streams with empty callbacks and no call, to separate PortAudio/ALSA/libpulse's own cost
(in our process: the ALSA pulse plugin runs a libpulse client in it) from our Python pipeline's.
A fourth calls DeviceAudio's callbacks and frame methods in a loop, with no device and no pjsua2
library: the pipeline's own cost per second of audio. The far end plays speech and the microphone
hears speech, so both directions carry signal. Reported: the app process's CPU time
(all threads, user + system) per second of connected call, as % of one core; the PulseAudio server and
the far end are other processes and are not counted.

    .venv/bin/python bench/audio_cpu.py [--seconds 30]
    .venv/bin/python bench/audio_cpu.py --bytevector    # only: the cost of each MediaFrame.buf path
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXT = ("The quick brown fox jumps over the lazy dog. We are measuring how much processor time one call "
        "costs when the sound goes through our own pipeline instead of the null device. ") * 3


def bare_streams(seconds: float) -> None:
    """PortAudio's `pulse` device alone, callbacks doing nothing: what the device costs without us."""
    import numpy as np
    import sounddevice as sd

    def record(indata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        pass

    def play(outdata: np.ndarray, frames: int, time_info: object, status: object) -> None:
        outdata.fill(0.0)

    streams = [sd.InputStream(device="pulse", samplerate=48000, channels=1, dtype="float32", blocksize=480,
                              latency="low", callback=record),
               sd.OutputStream(device="pulse", samplerate=48000, channels=1, dtype="float32", blocksize=480,
                               latency="low", callback=play)]
    for stream in streams:
        stream.start()
    cpu_0, wall_0 = time.process_time(), time.monotonic()
    threading.Event().wait(seconds)  # a benchmark's measuring window, not synchronisation
    cpu_s, wall_s = time.process_time() - cpu_0, time.monotonic() - wall_0
    for stream in streams:
        stream.close()
    print(json.dumps({"backend": "bare", "cpu_s": cpu_s, "wall_s": wall_s, "stats": ""}))


def pipeline_alone(seconds: float) -> None:
    """DeviceAudio's own per-call work with no device and no pjsua2 library: its PortAudio callbacks (100 a
    second each way) and bridge frame methods (50 a second each way) called in a loop for `seconds` of
    audio, plus the SWIG ByteVector round trip each bridge frame costs. The floor of what a call costs."""
    import numpy as np
    import pjsua2 as pj

    from media.bridge import DeviceAudio, _frame_bytes
    from media.processing import ProcessingSettings

    audio = DeviceAudio("pulse", "pulse", processing=ProcessingSettings(aec=False, ns=False, agc=False,
                                                                         high_pass=False))
    rng = np.random.default_rng(1)
    mic = (0.1 * rng.standard_normal((480, 1))).astype(np.float32)
    speaker = np.zeros((480, 1), np.float32)
    far = (3000 * rng.standard_normal(320)).astype(np.int16).tobytes()
    vector = pj.ByteVector(far)
    cpu_0 = time.process_time()
    for _ in range(int(seconds * 50)):
        for _ in range(2):
            audio._input_callback(mic, 480, None, None)
            audio._output_callback(speaker, 480, None, None)
        pj.ByteVector(audio._next_capture_frame())
        audio._playback_frame(_frame_bytes(vector, 640))
    cpu_s = time.process_time() - cpu_0
    print(json.dumps({"backend": "alone", "cpu_s": cpu_s, "wall_s": seconds, "stats": repr(audio.stats())}))


def child(backend: str, seconds: float, kamailio_json: str, ca_file: str, speech: str) -> None:
    if backend == "alone":
        pipeline_alone(seconds)
        return
    if backend == "bare":
        bare_streams(seconds)
        return
    from callclient.engine import EngineSettings, SipEngine
    from bench.sip_setup import confirmed_call
    from callclient.engine.audio import NullAudio
    from tests.conftest import SIP_USERS
    from tests.fixtures.kamailio import Kamailio
    from tests.fixtures.sip_peer import SipPeer

    server = json.loads(kamailio_json)
    kamailio = Kamailio.__new__(Kamailio)  # an address book for account_for; the parent runs the server
    kamailio.domain, kamailio.udp_port = server["domain"], server["udp_port"]
    kamailio.tcp_port = kamailio.tls_port = server["udp_port"]
    if backend == "device":
        from media.bridge import DeviceAudio
        from media.processing import ProcessingSettings

        audio = DeviceAudio("pulse", "pulse", processing=ProcessingSettings(aec=False, ns=False, agc=False,
                                                                             high_pass=False))
    else:
        audio = NullAudio()
    bob = SipPeer([dict(user="bob", password=SIP_USERS["bob"], domain=kamailio.domain,
                        registrar=f"127.0.0.1:{kamailio.udp_port}")], auto_answer=True, codecs="G722/16000")
    engine = SipEngine(EngineSettings(tls_ca_file=ca_file, log_level=1, codecs=("G722/16000",)), audio)
    engine.start()
    try:
        call_id, peer_call = confirmed_call(engine, kamailio, bob)
        bob.send(op="play", call=peer_call, file=speech)
        cpu_0, wall_0 = time.process_time(), time.monotonic()
        threading.Event().wait(seconds)  # a benchmark's measuring window, not synchronisation
        cpu_s, wall_s = time.process_time() - cpu_0, time.monotonic() - wall_0
        stats = audio.stats() if backend == "device" else None
        engine.hangup(call_id).result(5)
    finally:
        engine.stop()
        bob.close()
    print(json.dumps({"backend": backend, "cpu_s": cpu_s, "wall_s": wall_s, "stats": repr(stats)}))


def parent(seconds: float) -> None:
    from tests.conftest import SIP_USERS
    from tests.fixtures.kamailio import Kamailio
    from tests.fixtures.pulse import running_pulse
    from tests.fixtures.tls import make_pki

    work = Path(tempfile.mkdtemp(prefix="cc-bench-cpu-"))
    pki = make_pki(work / "pki")
    speech = work / "speech.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(speech), TEXT], check=True, capture_output=True)
    pulse_run = running_pulse()
    pulse = next(pulse_run)
    kamailio = Kamailio(work / "kamailio", SIP_USERS, pki.cert_file, pki.key_file)
    kamailio.start()
    results = []
    try:
        for backend in ("alone", "null", "bare", "device"):
            talking = pulse.play_into_microphone(speech)
            env = {**os.environ, **{k: v for k, v in pulse.env.items() if k.startswith(("PULSE", "XDG_RUNTIME"))}}
            out = subprocess.run(
                [sys.executable, __file__, "--child", backend, "--seconds", str(seconds),
                 "--kamailio", json.dumps({"domain": kamailio.domain, "udp_port": kamailio.udp_port}),
                 "--ca-file", str(pki.ca_file), "--speech", str(speech)],
                env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120)
            talking.terminate()
            talking.wait(10)
            if out.returncode != 0:
                raise SystemExit(f"{backend} run failed:\n{out.stderr[-3000:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        kamailio.stop()
        next(pulse_run, None)
    names = {"alone": "DeviceAudio's callbacks and frame methods alone, per s of audio (no device, no pjsua2)",
             "null": "call on NullAudio", "bare": "PortAudio pulse streams alone, empty callbacks (no call)",
             "device": "call on DeviceAudio (pulse)"}
    print("| process | CPU s per s | % of one core |")
    print("|---|---|---|")
    for result in results:
        share = result["cpu_s"] / result["wall_s"]
        print(f"| {names[result['backend']]} | {share:.4f} | {100 * share:.2f} % |")
    alone, null, bare, device = (r["cpu_s"] / r["wall_s"] for r in results)
    print(f"| DeviceAudio minus NullAudio | {device - null:.4f} | {100 * (device - null):.2f} % |")
    print(f"| DeviceAudio minus NullAudio minus bare streams (our Python pipeline) | {device - null - bare:.4f} "
          f"| {100 * (device - null - bare):.2f} % |")
    print(f"<!-- {results[-1]['stats']} -->")


def bytevector_paths() -> None:
    """What moving one 20 ms 16 kHz frame (640 bytes) through pjsua2's SWIG ByteVector costs, per way."""
    import numpy as np
    import pjsua2 as pj

    from media.bridge import _frame_bytes

    pcm = (np.sin(np.arange(320) / 5) * 10000).astype(np.int16).tobytes()
    vector = pj.ByteVector(pcm)
    frame = pj.MediaFrame()

    def assign() -> None:
        frame.buf = pj.ByteVector(pcm)
        frame.size = len(pcm)

    ways = [("read: bytes(frame.buf) (naive, per element)", lambda: bytes(vector)),
            ("read: np.fromiter over the vector", lambda: np.fromiter(vector, dtype=np.uint8, count=640)),
            ("read: _frame_bytes (ctypes on the vector's storage)", lambda: _frame_bytes(vector, 640)),
            ("write: frame.buf = ByteVector(bytes)", assign)]
    print("| way | us per frame |")
    print("|---|---|")
    for name, way in ways:
        runs = 300 if "naive" in name or "fromiter" in name else 5000
        started = time.perf_counter()
        for _ in range(runs):
            way()
        print(f"| {name} | {1e6 * (time.perf_counter() - started) / runs:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--child", choices=("alone", "null", "bare", "device"))
    parser.add_argument("--kamailio", default="{}")
    parser.add_argument("--ca-file", default="")
    parser.add_argument("--speech", default="")
    parser.add_argument("--bytevector", action="store_true", help="only time the ByteVector paths")
    args = parser.parse_args()
    if args.bytevector:
        bytevector_paths()
    elif args.child:
        child(args.child, args.seconds, args.kamailio, args.ca_file, args.speech)
    else:
        parent(args.seconds)


if __name__ == "__main__":
    main()
