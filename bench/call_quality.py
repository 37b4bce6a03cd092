"""Call quality on real networks: CallClient's Opus and G.722 against baresip's, on the same relay, in one run.

For every seed and every network condition of bench/udp_relay.py, in turn: pjsua2-to-pjsua2 calls with the
app's media configuration (bench/pesq_loss.py's phones: `configure_media` of the engine, the app's Opus
codec and its FEC following RTCP), with Opus ("callclient-opus") and G.722 ("callclient"), then baresip to
baresip with G.722 and with Opus (bench/baresip_anchor.py). CPU: the two phone processes' CPU time per
second of call (`resource.getrusage` of the children), so Opus's cost shows beside G.722's. Each is scored PESQ-WB against the espeak-ng
speech after alignment. `--grid` instead runs the jitter-buffer candidates (one process per candidate, in
parallel on their own ports) to choose the app's default.

    .venv/bin/python bench/call_quality.py [--seeds 5] [--json out.json]
    .venv/bin/python bench/call_quality.py --grid --slot 1 --jitter-buffer 40 40 -1 -1 none [--conditions 0 1 2 4 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import baresip_anchor, pesq_loss  # noqa: E402
from bench.udp_relay import CONDITIONS  # noqa: E402


PJMEDIA_DEFAULTS = ("-1", "-1", "-1", "-1", "progressive")


def score(reference: np.ndarray, received: np.ndarray) -> float:
    from pesq import pesq

    return float(pesq(16000, reference, pesq_loss.aligned(reference, received), "wb"))


def delay_growth_ms(reference: np.ndarray, received: np.ndarray) -> float:
    """How much later the last 2 s of speech arrived than the first 2 s (what a buffer that never drops
    frames costs in latency over the take)."""
    def lag(segment: np.ndarray) -> int:
        n = 1 << int(np.ceil(np.log2(len(received) + len(segment))))
        corr = np.fft.irfft(np.fft.rfft(received, n) * np.conj(np.fft.rfft(segment, n)), n)[: len(received)]
        return int(np.argmax(corr))

    two_s = 32000
    start = lag(reference[:two_s])
    end = lag(reference[-two_s:]) - (len(reference) - two_s)
    return 1000 * (end - start) / 16000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--conditions", type=int, nargs="+", default=list(range(len(CONDITIONS))))
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--slot", type=int, default=0)
    parser.add_argument("--jitter-buffer", nargs=5, default=None,
                        metavar=("INIT", "MIN_PRE", "MAX_PRE", "MAX", "DISCARD"))
    parser.add_argument("--systems", nargs="+",
                        default=["callclient-opus", "callclient", "baresip-g722", "baresip-opus"])
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()
    # Seven other sessions share these two cores: the phones, baresip and the relay (a thread of this
    # process; children inherit it) run at nice -10, the same for every system, so the figures are the
    # network's and the software's rather than the neighbours' bursts.
    os.nice(-10)
    results: list[dict[str, object]] = []
    pulse_gen = None
    env: dict[str, str] = {}
    if not args.grid and any(s.startswith("baresip") for s in args.systems):
        from tests.fixtures.pulse import running_pulse  # baresip's player paces its decoding
        pulse_gen = running_pulse()
        env = next(pulse_gen).env
    try:
        with tempfile.TemporaryDirectory(prefix="cc-quality-") as directory:
            workdir = Path(directory)
            reference = pesq_loss.speech(16000, workdir / "speech16k.wav")
            seconds = len(reference) / 16000
            for seed in range(1, args.seeds + 1):
                for index in args.conditions:
                    condition = CONDITIONS[index]
                    for system in (["callclient"] if args.grid else args.systems):
                        started = time.monotonic()
                        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                        if system.startswith("callclient"):
                            # "callclient": the app's defaults (or the grid's candidate); "callclient-before":
                            # pjmedia's own jitter-buffer defaults, as shipped before this tuning.
                            jitter_buffer = (PJMEDIA_DEFAULTS if system == "callclient-before"
                                             else args.jitter_buffer)
                            codec = "opus/48000" if system == "callclient-opus" else "G722/16000"
                            received = pesq_loss.one_call(codec, condition, seed, workdir,
                                                          workdir / "speech16k.wav", seconds, slot=args.slot,
                                                          jitter_buffer=jitter_buffer)
                        else:
                            codec = "opus" if system.endswith("opus") else "G722"
                            try:
                                received = baresip_anchor.one_call(codec, condition, seed, workdir,
                                                                   workdir / "speech16k.wav", seconds, env)
                            except RuntimeError as error:  # a port still held by a neighbour: once more
                                print(f"retrying after: {str(error)[:200]}", flush=True)
                                received = baresip_anchor.one_call(codec, condition, seed, workdir,
                                                                   workdir / "speech16k.wav", seconds, env)
                        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
                        cpu_s = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
                        value = score(reference, received)
                        results.append({"system": system, "condition": condition.name, "seed": seed,
                                        "pesq_wb": value, "jitter_buffer": args.jitter_buffer,
                                        "delay_growth_ms": delay_growth_ms(reference, received),
                                        "load": os.getloadavg()[0], "seconds": time.monotonic() - started,
                                        "cpu_s": cpu_s, "call_s": seconds})
                        print(f"{system:13s} {condition.name:32s} seed {seed}: {value:.2f} "
                              f"(delay +{results[-1]['delay_growth_ms']:.0f} ms)", flush=True)
                        args.json.write_text(json.dumps(results, indent=1))
    finally:
        if pulse_gen is not None:
            pulse_gen.close()


if __name__ == "__main__":
    main()
