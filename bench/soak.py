"""A long run: many calls in a row through Kamailio from the shipped Core, watching for leaks.

    .venv/bin/python bench/soak.py [--calls 1000] [--audio-s 1.5] [--every 100] [--sound-devices]

The app side is `callclient.app.Core` (what `callclient --headless` runs) in this process, signed in as
alice on a Kamailio on loopback; the far end is bob, a pjsua2 endpoint in its own process
(tests/fixtures/sip_peer.py) that answers at once and measures the level of what it hears. Each call
carries `--audio-s` seconds of audio, then the app hangs up; every 10th call is also held, resumed and
sends DTMF (checked at the far end). With `--sound-devices` the app's audio runs through DeviceAudio
(PortAudio on a private PulseAudio whose microphone sink carries a sine: the shipped device path);
without it, through the engine's null device with a tone player on the bridge (the engine alone).

Sampled after every call (from /proc/self): RSS, open file descriptors, OS threads. Pass criteria
(docs/benchmarks.md, "Long run"): RSS growth from call 50 to the end < 5 MB; fds and threads back to
their count before the first call; every call's audio present at the far end; no pjsua assertion in
the app's log. Prints a Markdown table of samples every `--every` calls and writes a CSV (and a PNG
if matplotlib happens to be installed) beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import platform
import queue
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ui_sandbox import REPO, sandbox

from bench.sip_setup import kamailio_with_alice
from callclient.app import Core, CoreOptions
from callclient.engine import events as ev
from callclient.storage.keychain import Keychain, system_keyring
from tests.conftest import SIP_USERS
from tests.fixtures.sip_peer import SipPeer

KEYCHAIN_SERVICE = "CallClient-soak"
MIN_LEVEL_RMS = 50.0
silent: list[str] = []  # calls whose audio did not reach the far end: reported, the run goes on  # int16 RMS the far end must hear: silence measures ~0, the tone thousands
RSS_GROWTH_LIMIT_KB = 5 * 1024


@dataclass(frozen=True)
class Sample:
    call: int
    rss_kb: int
    fds: int
    threads: int
    level_rms: float
    seconds: float


def process_counts() -> tuple[int, int, int]:
    """RSS in KiB, open fds and OS threads of this process, from /proc/self."""
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    rss_kb = int(fields["VmRSS"].split()[0])
    threads = int(fields["Threads"])
    return rss_kb, len(os.listdir("/proc/self/fd")), threads


class News:
    """The Core's news stream, waited on by kind and fields; keeps nothing it has matched or passed over
    (the tests' Events helper keeps a history, which would itself grow over 1000 calls)."""

    def __init__(self, core: Core) -> None:
        assert core.services is not None
        self.stream = core.services.news.subscribe()

    def wait(self, kind: type, timeout_s: float, **fields: object) -> Any:
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {kind.__name__} with {fields} within {timeout_s} s")
            try:
                event = self.stream.get(timeout=remaining)
            except queue.Empty:
                continue
            if isinstance(event, kind) and all(getattr(event, k) == v for k, v in fields.items()):
                return event


def one_call(core: Core, news: News, peer: SipPeer, number: int, audio_s: float, features: bool,
             debug_dir: Path | None = None) -> float:
    """Places, checks and hangs up one call; returns the level the far end heard (int16 RMS)."""
    calls = core.services.calls  # type: ignore[union-attr]
    call_id = calls.place_call("bob").result(10)
    news.wait(ev.CallUpdated, 10, call_id=call_id, state=ev.CallState.CONFIRMED)
    incoming = peer.expect(lambda e: e["ev"] == "incoming", 10, "the incoming call")
    far_call = incoming["call"]
    peer.expect(lambda e: e["ev"] == "media" and e["call"] == far_call and e["status"] == 1, 10, "media active")
    peer.level(far_call)  # resets the meter: what follows is this call's audio only
    deadline = time.monotonic() + audio_s
    dtmf_methods: set[str] = set()
    if features:
        calls.hold(call_id).result(10)
        news.wait(ev.CallUpdated, 10, call_id=call_id, media=ev.MediaState.LOCAL_HOLD)
        calls.resume(call_id).result(10)
        news.wait(ev.CallUpdated, 10, call_id=call_id, media=ev.MediaState.ACTIVE)
        peer.level(far_call)  # the level is judged on audio after the resume
        calls.send_dtmf("159#", call_id).result(10)
        for digit in "159#":
            dtmf_methods.add(peer.expect(lambda e, d=digit: e["ev"] == "dtmf" and e["call"] == far_call
                                         and e["digit"] == d, 10, f"DTMF {digit}")["method"])
        deadline = max(deadline, time.monotonic() + 0.5)
    time.sleep(max(0.0, deadline - time.monotonic()))  # the audio itself: the call is meant to last this long
    peer.send(op="level", call=far_call)
    measured = peer.expect(lambda e: e["ev"] == "level" and e["call"] == far_call, what="level")
    level = measured["rms"]
    if level < MIN_LEVEL_RMS:  # what each side thought of the call, for the report
        ours = next((c for c in calls.status().result(5).calls if c.call_id == call_id), None)
        media = [e for e in peer.seen if e["ev"] == "media" and e["call"] == far_call]
        silent.append(f"call {number}{' (hold/DTMF)' if features else ''}: far end heard {level:.0f} RMS "
                      f"over {measured.get('samples', 0)} samples (0: no audio frame reached its meter); "
                      f"our media {getattr(ours, 'media', '?')}, far end's media events {media[-3:]}, "
                      f"DTMF by {sorted(dtmf_methods)}")
        peer.send(op="dump", call=far_call)
        dump = peer.expect(lambda e: e["ev"] == "dump" and e["call"] == far_call, 10, "the call's dump")
        far_rx = " / ".join(line.strip() for line in dump["text"].splitlines()
                            if line.strip().startswith(("RX pt", "total", "pkt loss")))
        silent[-1] += (f"; far end's bridge: {dump['wiring']}; ours: {_our_wiring(core, call_id)}; "
                       f"far end's RTP: {far_rx}")
        print(silent[-1], flush=True)
        if debug_dir is not None:
            kept = debug_dir / f"call-{number}"
            kept.mkdir(parents=True, exist_ok=True)
            (kept / "far-end-dump.txt").write_text(f"{dump['wiring']}\n{dump['text']}")
    calls.hang_up(call_id).result(10)
    news.wait(ev.CallEnded, 10, call_id=call_id)
    if level < MIN_LEVEL_RMS:  # pjsua's statistics of the call's streams, logged at its end
        log_text = (core.paths.log_dir / "callclient.log").read_text(errors="replace")[-4000:]
        stats = [line.strip() for line in log_text.splitlines() if line.strip().startswith(("RX pt", "TX pt", "total"))]
        silent[-1] += f"; our RTP at hang-up: {' / '.join(stats[-4:])}"
        print(silent[-1], flush=True)
        if debug_dir is not None:  # the app's logs as they stand (the far end's log is one file for the run)
            for log_file in core.paths.log_dir.glob("*.log*"):
                (debug_dir / f"call-{number}" / log_file.name).write_text(log_file.read_text(errors="replace"))
    peer.expect(lambda e: e["ev"] == "state" and e["call"] == far_call and e["state"] == "DISCONNECTED", 10,
                "the far end's hang-up")
    peer.seen.clear()  # the far end's other events (ringing, media updates): kept, they would grow this process
    return level


def _our_wiring(core: Core, call_id: str) -> dict:
    """The app's bridge around the call (diagnostics only: reaches into the engine)."""
    engine = core.engine  # type: ignore[attr-defined]

    def read() -> dict:
        call = engine._core.call(call_id)
        audio = call._audio
        capture = engine._core.audio.capture
        call_info = audio.getPortInfo() if audio is not None else None  # kept: the vectors live inside
        capture_info = capture.getPortInfo()
        return {"call_slot": audio.getPortId() if audio is not None else None,
                "call_listeners": list(call_info.listeners) if call_info is not None else None,
                "capture_slot": capture.getPortId(), "capture_listeners": list(capture_info.listeners),
                "media": str(call.media_state)}

    try:
        return engine._submit(read).result(5)
    except Exception as error:  # a diagnostic must not end the run
        return {"error": repr(error)}


def settle(start: tuple[int, int, int], timeout_s: float = 10.0) -> tuple[int, int, int]:
    """fds and threads after the calls, given up to `timeout_s` to wind down (worker threads end lazily)."""
    deadline = time.monotonic() + timeout_s
    counts = process_counts()
    while time.monotonic() < deadline and (counts[1] > start[1] or counts[2] > start[2]):
        time.sleep(0.1)
        counts = process_counts()
    return counts


def main() -> int:  # noqa: C901 - one run, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--audio-s", type=float, default=1.5)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--sound-devices", action="store_true")
    parser.add_argument("--hold-every", type=int, default=10, help="hold, resume and DTMF on every Nth call")
    parser.add_argument("--tracemalloc", action="store_true", help="print where Python memory grew after call 10")
    parser.add_argument("--debug-logs", type=Path, default=None,
                        help="both sides' pjsua logs at level 5 with SIP messages, kept here for each silent call")
    parser.add_argument("--csv", type=Path, default=Path(tempfile.gettempdir()) / "callclient-soak.csv")
    args = parser.parse_args()

    samples: list[Sample] = []
    started = time.time()
    with sandbox() as env, tempfile.TemporaryDirectory(prefix="cc-soak-") as tmp:
        root = Path(tmp)
        if args.sound_devices:
            # A sine into the microphone sink: the app's default source (its monitor) then carries sound.
            import subprocess

            subprocess.run(["pactl", "load-module", "module-sine", "sink=microphone", "frequency=440"], env=env,
                           check=True, capture_output=True)
        kamailio, config = kamailio_with_alice(root, KEYCHAIN_SERVICE)
        if args.debug_logs is not None:
            args.debug_logs.mkdir(parents=True, exist_ok=True)
            config.write_text(config.read_text() + '\n[logging]\nlevel = "debug"\nsip_trace = true\n')
        keychain = Keychain(system_keyring(), service=KEYCHAIN_SERVICE)
        peer = SipPeer([dict(user="bob", password=SIP_USERS["bob"], domain=kamailio.domain,
                             registrar=kamailio.address())], auto_answer=True, codecs="G722/16000,PCMU/8000",
                       log_file=str(args.debug_logs / "far-end.log") if args.debug_logs else "")
        peer.expect(lambda e: e["ev"] == "registration" and e["code"] == 200, 20, "bob registered")
        audio = None if args.sound_devices else _tone_audio
        core = Core(CoreOptions(config_file=config, demo=False, use_sound_devices=args.sound_devices,
                                audio=audio, keychain_service=KEYCHAIN_SERVICE, environ=dict(env)))
        core.start()
        try:
            news = News(core)
            deadline = time.monotonic() + 15
            while not any(a.state is ev.RegistrationState.REGISTERED
                          for a in core.services.calls.status().result(5).accounts):  # type: ignore[union-attr]
                if time.monotonic() > deadline:
                    raise AssertionError("alice never registered")
                news.wait(ev.RegistrationChanged, 15)
            start_counts = process_counts()
            print(f"before the first call: RSS {start_counts[0] / 1024:.1f} MB, {start_counts[1]} fds, "
                  f"{start_counts[2]} threads", flush=True)
            for number in range(1, args.calls + 1):
                began = time.monotonic()
                level = one_call(core, news, peer, number, args.audio_s, features=number % args.hold_every == 0,
                                 debug_dir=args.debug_logs)
                rss_kb, fds, threads = process_counts()
                samples.append(Sample(number, rss_kb, fds, threads, level, time.monotonic() - began))
                if args.tracemalloc and number == 10:
                    import tracemalloc

                    tracemalloc.start(12)
                    first_snapshot = tracemalloc.take_snapshot()
                if number == 1 or number % args.every == 0:
                    print(f"call {number}: RSS {rss_kb / 1024:.1f} MB, {fds} fds, {threads} threads, "
                          f"level {level:.0f}", flush=True)
            if args.tracemalloc:
                _print_growth(first_snapshot)
            end_counts = settle(start_counts)
            log_text = "".join(p.read_text(errors="replace") for p in core.paths.log_dir.glob("*.log*")
                               if p.is_file())
        except BaseException:
            kept = args.csv.with_suffix(".logs")  # the sandbox goes with the run: keep what explains a failure
            kept.mkdir(exist_ok=True)
            (kept / "kamailio.log").write_text(kamailio.log_text())
            for log_file in core.paths.log_dir.glob("*.log*"):
                (kept / log_file.name).write_text(log_file.read_text(errors="replace"))
            print(f"logs kept in {kept}", file=sys.stderr)
            raise
        finally:
            core.stop()
            peer.close()
            kamailio.stop()
            with contextlib.suppress(Exception):
                keychain.delete_everything()

    with args.csv.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["call", "rss_kb", "fds", "threads", "level_rms", "seconds"])
        for s in samples:
            writer.writerow([s.call, s.rss_kb, s.fds, s.threads, f"{s.level_rms:.1f}", f"{s.seconds:.3f}"])
    _plot(samples, args.csv.with_suffix(".png"))

    base = samples[min(49, len(samples) - 1)]
    growth_kb = samples[-1].rss_kb - base.rss_kb
    asserts = [line for line in log_text.splitlines() if "Assertion" in line or "assert" in line.lower()]
    verdicts = {
        f"RSS growth from call {base.call} to {samples[-1].call}: {growth_kb / 1024:+.2f} MB (< 5 MB)":
            growth_kb < RSS_GROWTH_LIMIT_KB,
        f"fds {start_counts[1]} before → {end_counts[1]} after": end_counts[1] <= start_counts[1],
        f"threads {start_counts[2]} before → {end_counts[2]} after": end_counts[2] <= start_counts[2],
        f"audio present at the far end on {len(samples) - len(silent)} of {len(samples)} calls":
            len(samples) == args.calls and not silent,
        f"pjsua assertions in the log: {len(asserts)}": not asserts,
    }
    load = os.getloadavg()
    print(f"\n{len(samples)} calls, {args.audio_s} s of audio each, "
          f"{'DeviceAudio on PulseAudio' if args.sound_devices else 'null device + tone'}; "
          f"{platform.node()}, {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} UTC, "
          f"{(time.time() - started) / 60:.1f} min, load average at the end {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}")
    print("\n| Call | RSS (MB) | open fds | threads | far-end level (RMS) | call time (s) |\n|---|---|---|---|---|---|")
    print(f"| before | {start_counts[0] / 1024:.1f} | {start_counts[1]} | {start_counts[2]} | | |")
    for s in samples:
        if s.call in (1, 50) or s.call % args.every == 0:
            print(f"| {s.call} | {s.rss_kb / 1024:.1f} | {s.fds} | {s.threads} | {s.level_rms:.0f} | {s.seconds:.2f} |")
    print(f"| after (settled) | {end_counts[0] / 1024:.1f} | {end_counts[1]} | {end_counts[2]} | | |\n")
    for verdict, met in verdicts.items():
        print(f"- {'met' if met else 'NOT MET'}: {verdict}")
    for line in silent:
        print(f"  - {line}")
    return 0 if all(verdicts.values()) else 1


def _print_growth(first: Any) -> None:
    import tracemalloc

    stats = tracemalloc.take_snapshot().compare_to(first, "traceback")
    for stat in stats[:8]:
        print(f"{stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks")
        for line in stat.traceback.format()[-8:]:
            print("    " + line)


def _tone_audio() -> Any:
    from callclient.engine.audio import NullAudio

    return ToneAudio(NullAudio())


class ToneAudio:
    """The null device, with a tone generator as the 'microphone' so every call carries sound."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.tone: Any = None

    def open(self, endpoint: Any) -> None:
        import pjsua2 as pj

        self.inner.open(endpoint)
        self.tone = pj.ToneGenerator()
        self.tone.createToneGenerator(16000, 1)
        desc = pj.ToneDesc()
        desc.freq1, desc.freq2, desc.on_msec, desc.off_msec, desc.volume = 440, 0, 1000, 0, 0
        tones = pj.ToneDescVector()
        tones.append(desc)
        self.tone.play(tones, True)

    @property
    def capture(self) -> Any:
        return self.tone

    @property
    def playback(self) -> Any:
        return self.inner.playback

    def close(self) -> None:
        self.tone = None
        self.inner.close()


def _plot(samples: list[Sample], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return  # not a dependency: the table and the CSV carry the same figures
    calls = [s.call for s in samples]
    figure, axes = plt.subplots(3, 1, sharex=True, figsize=(8, 6))
    for axis, values, label in ((axes[0], [s.rss_kb / 1024 for s in samples], "RSS (MB)"),
                                (axes[1], [s.fds for s in samples], "open fds"),
                                (axes[2], [s.threads for s in samples], "threads")):
        axis.plot(calls, values)
        axis.set_ylabel(label)
    axes[2].set_xlabel("call")
    figure.tight_layout()
    figure.savefig(path)
    print(f"plot: {path}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
