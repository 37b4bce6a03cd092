"""Mouth-to-ear latency through real (null) sound devices: CallClient to CallClient and baresip to baresip.

One user-mode PulseAudio (tests/fixtures/pulse.py) with a sink per device: the caller's microphone
(`caller_mic`, heard through its monitor), the caller's speaker, the callee's microphone and the callee's
speaker (`ear`). A tone burst every 2 s (20 ms of 1 kHz, Hann-shaped: a click that survives G.722 and
noise suppression) is played into a combine sink whose slaves are `caller_mic` and `ear`, so one
recording of `ear.monitor` holds the burst as it entered the microphone and, later, as the callee's
speaker played it: the distance between the two is mouth to ear, device buffers included.

CallClient: two `SipEngine`s with the shipped `DeviceAudio` (PortAudio on ALSA's pulse device, the
shipped capture processing) in two processes, each pointed at its own sinks by PULSE_SINK/PULSE_SOURCE,
calling each other directly on loopback with G.722 (no relay), or `callclient-opus` with the shipped codec
order (Opus). baresip: the same with its `alsa` module on the same sinks, G.722 or (`baresip-opus`) Opus.
Run them in one run, alternately.

    .venv/bin/python bench/mouth_to_ear.py [--runs 5] [--json out.json]
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

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATE_HZ = 48000
BURSTS = 8
SPACING_S = 2.0  # CallClient's far copy came up to ~1 s late here: the spacing keeps the copies unambiguous
CALLEE_PORT = 25360
CALLER_PORT = 25362


def burst_train(path: Path) -> np.ndarray:
    from media.wavfile import encode_wav

    n = int(0.020 * RATE_HZ)
    burst = (0.5 * np.hanning(n) * np.sin(2 * np.pi * 1000 * np.arange(n) / RATE_HZ)).astype(np.float32)
    train = np.zeros(int((BURSTS * SPACING_S + 1.5) * RATE_HZ), np.float32)
    for k in range(BURSTS):
        at = int((0.5 + k * SPACING_S) * RATE_HZ)
        train[at:at + n] = burst
    path.write_bytes(encode_wav(train, RATE_HZ))
    return burst


def instance_main(role: str, jb_discard: str | None = None, opus: bool = False) -> None:
    """One CallClient side: the shipped engine and device audio, G.722 (or the shipped codec order, Opus
    first, with `opus`), no registration; `jb_discard` overrides the shipped jitter-buffer discard
    algorithm (to measure its share of the delay)."""
    from dataclasses import replace

    from callclient.engine import AccountSettings, EngineSettings, SipEngine
    from callclient.engine.events import CallState, CallUpdated
    from media.bridge import DeviceAudio
    from media.processing import ProcessingSettings
    from tests.fixtures.engine_events import Events

    port = CALLER_PORT if role == "caller" else CALLEE_PORT
    audio = DeviceAudio("pulse", "pulse", processing=ProcessingSettings())
    settings = EngineSettings(udp_port=port, enable_tcp=False, enable_tls=False, bind_address="127.0.0.1",
                              log_level=1)
    if not opus:
        settings = replace(settings, codecs=("G722/16000",))
    if jb_discard:
        settings = replace(settings, jitter_buffer=replace(settings.jitter_buffer, discard=jb_discard))
    engine = SipEngine(settings, audio)
    engine.start()
    events = Events(engine.subscribe())
    account = AccountSettings(account_id=role, user=role, domain="127.0.0.1", register=False,
                              auto_answer=role == "callee", subscribe_mwi=False)
    engine.add_account(account).result(10)
    if role == "caller":
        call_id = engine.make_call(f"sip:callee@127.0.0.1:{CALLEE_PORT}", role,
                                   allow_foreign_domain=True).result(10)
        events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED, timeout=20)
        print("connected", flush=True)
    else:
        print("ready", flush=True)
    trace = os.environ.get("M2E_TRACE")
    if trace:
        threading.Thread(target=_trace_rings, args=(audio, Path(trace) / f"{role}-rings.csv"), daemon=True).start()
    sys.stdin.read()  # the bench closes our stdin when it has measured
    engine.stop()
    os._exit(0)


def _stream_latency_ms(audio: object, which: str) -> float:
    stream = getattr(audio, which, None)
    return float("nan") if stream is None else 1000 * stream.latency


def _trace_rings(audio: object, path: Path) -> None:
    """Every 50 ms: both rings' fill, read ratio, overruns, and the samples each side has moved so far
    (ring positions), from which the device's and the bridge's real rates follow."""
    start = time.monotonic()
    with path.open("w") as out:
        out.write("t_s,play_fill_ms,play_ratio,play_overruns,play_underruns,play_written,play_read,"
                  "cap_fill_ms,cap_ratio,cap_overruns,cap_underruns,cap_written,cap_read,"
                  "play_reserve_ms,cap_reserve_ms,play_trimmed_ms,cap_trimmed_ms,device_in_ms,device_out_ms\n")
        while True:
            play, cap = audio.playback_path, audio.capture_path  # type: ignore[attr-defined]
            out.write(f"{time.monotonic() - start:.3f},{play.buffered_ms:.1f},{play.controller.ratio:.6f},"
                      f"{play.ring.overruns},{play.underruns},{play.ring._write_pos},{play.ring._read_pos},"
                      f"{cap.buffered_ms:.1f},{cap.controller.ratio:.6f},{cap.ring.overruns},{cap.underruns},"
                      f"{cap.ring._write_pos},{cap.ring._read_pos},{1000 * play.reserve.seconds:.1f},"
                      f"{1000 * cap.reserve.seconds:.1f},{play.stats().trimmed_ms:.1f},{cap.stats().trimmed_ms:.1f},"
                      f"{_stream_latency_ms(audio, '_input'):.1f},{_stream_latency_ms(audio, '_output'):.1f}\n")
            out.flush()
            time.sleep(0.05)


def baresip_config(directory: Path, role: str, silence: Path, codec: str = "g722") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    port = CALLER_PORT if role == "caller" else CALLEE_PORT
    source = "alsa,pulse" if role == "caller" else f"aufile,{silence}"
    (directory / "config").write_text(f"""poll_method epoll
sip_listen 127.0.0.1:{port}
net_interface 127.0.0.1
rtp_ports {26900 if role == "caller" else 26800}-{26901 if role == "caller" else 26801}
audio_player alsa,pulse
audio_source {source}
audio_alert alsa,pulse
ausrc_srate 16000
auplay_srate 16000
ausrc_channels 1
auplay_channels 1
module_path /usr/lib/baresip/modules
module {codec}.so
module aufile.so
module alsa.so
module_tmp account.so
module_app menu.so
""")
    (directory / "accounts").write_text(f"<sip:{role}@127.0.0.1:{port}>;regint=0;answermode=auto\n")
    (directory / "contacts").write_text("")
    return directory


def measure_take(recording: np.ndarray, burst: np.ndarray) -> list[float]:
    """Mouth-to-ear of each burst in ms, onset to onset (half the copy's own peak): the direct copy comes
    on the bursts' schedule from the first one heard; the far copy is the strongest thing between 30 ms
    after it and 20 ms before the next (the app's gain control makes it louder than the direct one)."""
    corr = np.abs(np.correlate(recording, burst, "valid"))
    envelope = np.convolve(corr, np.ones(48) / 48, "same")
    first = int(np.argmax(envelope > 0.25 * envelope.max()))

    def onset(lo: int, hi: int) -> int:
        segment = envelope[lo:hi]
        return lo + int(np.argmax(segment > 0.5 * segment.max()))

    delays = []
    for k in range(BURSTS):
        centre = first + int(k * SPACING_S * RATE_HZ)
        if centre + SPACING_S * RATE_HZ > len(envelope):
            break
        direct = onset(max(0, centre - 480), centre + 1440)
        lo, hi = direct + int(0.03 * RATE_HZ), direct + int((SPACING_S - 0.02) * RATE_HZ)
        if envelope[lo:hi].max() < 0.1 * envelope[direct:direct + 1440].max():
            continue  # nothing came through for this burst
        delays.append(1000 * (onset(lo, hi) - direct) / RATE_HZ)
    return delays


def _drain(process: subprocess.Popen[str], wanted: str, seen: threading.Event) -> None:
    assert process.stdout is not None
    keep = os.environ.get("M2E_KEEP")
    log = open(Path(keep) / f"child-{process.pid}.log", "w") if keep else None  # noqa: SIM115
    for line in process.stdout:
        if log:
            log.write(line)
            log.flush()
        if wanted in line:
            seen.set()


def one_take(system: str, pulse: object, work: Path, train: Path, burst: np.ndarray, label: str = "") -> list[float]:
    from tests.fixtures.pulse import read_wav

    env = pulse.env  # type: ignore[attr-defined]
    sides = {"caller": {"PULSE_SOURCE": "caller_mic.monitor", "PULSE_SINK": "caller_speaker"},
             "callee": {"PULSE_SOURCE": "callee_mic.monitor", "PULSE_SINK": "ear"}}
    processes: list[subprocess.Popen[str]] = []
    recording = work / f"{system.replace(':', '-')}.wav"
    try:
        for role in ("callee", "caller"):
            side_env = {**env, **sides[role], "PYTHONPATH": str(ROOT)}
            if os.environ.get("M2E_TRACE"):  # the rings' trace of this take in a folder of its own
                side_env["M2E_TRACE"] = str(Path(os.environ["M2E_TRACE"]) / label)
                Path(side_env["M2E_TRACE"]).mkdir(parents=True, exist_ok=True)
            if system.startswith("callclient"):
                command = [sys.executable, str(Path(__file__).resolve()), "--instance", role]
                if system.startswith("callclient-opus"):
                    command += ["--opus"]
                if ":" in system:  # callclient:<jitter-buffer discard algorithm>
                    command += ["--jb-discard", system.split(":", 1)[1]]
            else:
                directory = baresip_config(work / f"baresip-{role}", role, work / "silence.wav",
                                           "opus" if system == "baresip-opus" else "g722")
                side_env["HOME"] = str(directory)
                command = ["baresip", "-f", str(directory)]
                if role == "caller":
                    command += ["-e", f"/dial sip:callee@127.0.0.1:{CALLEE_PORT}"]
            process = subprocess.Popen(command, env=side_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, text=True)
            processes.append(process)
            wanted = ("ready", "connected") if system.startswith("callclient") else ("baresip is ready", "Call established")
            seen = threading.Event()
            # Drain the child's output for the whole take: baresip prints a status line every 100 ms and
            # would block on a full pipe.
            threading.Thread(target=_drain, args=(process, wanted[role == "caller"], seen), daemon=True).start()
            if not seen.wait(30):
                raise RuntimeError(f"{system} {role} did not report {wanted[role == 'caller']!r}")
        time.sleep(2.0)  # let the device streams and jitter buffers settle, as a user's first words would
        parec = subprocess.Popen(["parec", "--device=ear.monitor", "--file-format=wav", f"--rate={RATE_HZ}",
                                  "--channels=1", "--format=s16le", str(recording)], env=env)
        subprocess.run(["paplay", "--device=click", str(train)], env=env, check=True, timeout=60)
        time.sleep(SPACING_S)  # the last burst's far copy
        parec.terminate()
        parec.wait(10)
    finally:
        for process in processes:
            if process.poll() is None:
                try:
                    process.stdin.close()  # type: ignore[union-attr]
                    process.wait(10)
                except (OSError, subprocess.TimeoutExpired):
                    process.kill()
                    process.wait(5)
    samples, rate = read_wav(recording)
    assert rate == RATE_HZ
    if os.environ.get("M2E_KEEP"):
        np.save(Path(os.environ["M2E_KEEP"]) / f"{system.replace(':', '-')}.npy", samples)
    return measure_take(samples, burst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--instance", choices=["caller", "callee"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--systems", default="callclient,baresip",
                        help="comma-separated, in take order; callclient:ALGO overrides the jitter buffer's discard")
    parser.add_argument("--jb-discard", help=argparse.SUPPRESS)
    parser.add_argument("--opus", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.instance:
        instance_main(args.instance, args.jb_discard, args.opus)
        return
    from media.wavfile import encode_wav
    from tests.fixtures.pulse import running_pulse

    os.nice(-10)  # as bench/call_quality.py: the same for both systems, fewer of the neighbours' bursts
    pulse_gen = running_pulse()
    pulse = next(pulse_gen)
    results: dict[str, list[float]] = {system: [] for system in args.systems.split(",")}
    per_run: list[dict[str, object]] = []
    try:
        for sink in ("caller_mic", "caller_speaker", "callee_mic", "ear"):
            out = pulse.run("pactl", "load-module", "module-null-sink", f"sink_name={sink}", "rate=48000",
                            "channels=1")
            assert out.returncode == 0, out.stderr
        out = pulse.run("pactl", "load-module", "module-combine-sink", "sink_name=click", "slaves=caller_mic,ear",
                        "rate=48000", "channels=1")
        assert out.returncode == 0, out.stderr
        with tempfile.TemporaryDirectory(prefix="cc-m2e-") as directory:
            work = Path(directory)
            train = work / "bursts.wav"
            burst = burst_train(train)
            (work / "silence.wav").write_bytes(encode_wav(np.zeros(16000 * 120, np.float32), 16000))
            for run in range(args.runs):
                for system in args.systems.split(","):
                    delays = one_take(system, pulse, work, train, burst, f"{system.replace(':', '-')}-{run}")
                    results[system] += delays
                    per_run.append({"system": system, "run": run, "delays_ms": delays,
                                    "load": os.getloadavg()[0]})
                    print(f"{system:10s} run {run}: {len(delays)} bursts, mouth to ear "
                          f"{np.mean(delays) if delays else float('nan'):.0f} ms "
                          f"(min {min(delays, default=0):.0f}, max {max(delays, default=0):.0f}; in order: "
                          f"{' '.join(f'{d:.0f}' for d in delays)})", flush=True)
                    if args.json:
                        args.json.write_text(json.dumps(per_run, indent=1))
    finally:
        pulse_gen.close()
    for system, delays in results.items():
        if delays:
            print(f"{system}: {np.mean(delays):.0f} ± {np.std(delays):.0f} ms over {len(delays)} bursts")


if __name__ == "__main__":
    main()
