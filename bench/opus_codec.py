"""The shipped Opus codec as pjmedia drives it: speech quality under loss and CPU per call, in virtual time.

callclient/engine/opus_codec.py registers Opus into pjmedia; a call's stream then calls the codec's op
table (encode per 20 ms frame; decode per packet, or recover when the jitter buffer has none). This bench
takes that same route on a running SipEngine (pjmedia's codec manager allocates and opens the codec, the
op table is called) with the espeak-ng take of bench/pesq_loss.py, drops packets with the seeded loss
models of bench/udp_relay.py (in order: what pjmedia's jitter buffer hands the decoder once it has
reordered them), and scores PESQ-WB. No sound card, relay or scheduling in the way: the codec's share.

CPU per call: thread time of the encode and decode calls (ctypes callbacks into Python, libopus on
pjmedia's buffers) for the whole take / its length; a call encodes one direction and decodes the other.

    .venv/bin/python bench/opus_codec.py [--seeds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import pesq_loss  # noqa: E402
from bench.udp_relay import CONDITIONS, Network  # noqa: E402
from tests.fixtures.pjmedia_codec import PjmediaOpus  # noqa: E402

FRAME = 320  # 20 ms at 16 kHz


def take(codec: PjmediaOpus, speech: np.ndarray, lost: np.ndarray) -> tuple[np.ndarray, float]:
    """Encodes the take, then decodes it with `lost` packets missing; (decoded, CPU seconds)."""
    from callclient.engine import pjmedia_abi as abi

    pcm, packet = ctypes.create_string_buffer(FRAME * 2), ctypes.create_string_buffer(1500)
    out = ctypes.create_string_buffer(FRAME * 2 * 6)
    samples = (speech * 32767).astype(np.int16)
    packets, decoded = [], []
    started = time.thread_time()
    for k in range(len(samples) // FRAME):
        ctypes.memmove(pcm, samples[k * FRAME:(k + 1) * FRAME].tobytes(), FRAME * 2)
        encoded = abi.Frame(buf=ctypes.addressof(packet))
        codec.op.encode(codec.handle, ctypes.byref(abi.Frame(type=1, buf=ctypes.addressof(pcm), size=FRAME * 2)),
                        1500, ctypes.byref(encoded))
        packets.append(ctypes.create_string_buffer(packet.raw[:encoded.size], encoded.size))
    for k, data in enumerate(packets):
        result = abi.Frame(type=1, buf=ctypes.addressof(out), size=FRAME * 2)
        if lost[k]:
            codec.op.recover(codec.handle, FRAME * 2, ctypes.byref(result))
        else:
            source = abi.Frame(type=1, buf=ctypes.addressof(data), size=len(data))
            codec.op.decode(codec.handle, ctypes.byref(source), FRAME * 2, ctypes.byref(result))
        decoded.append(np.frombuffer(out.raw[:result.size], np.int16).copy())
    cpu_s = time.thread_time() - started
    return np.concatenate(decoded).astype(np.float32) / 32768, cpu_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from pesq import pesq

    from callclient.engine import EngineSettings, SipEngine
    from callclient.engine.opus_fec import fec_loss_percent

    engine = SipEngine(EngineSettings(log_level=1))
    engine.start()
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        speech = pesq_loss.speech(16000, Path(directory) / "speech16k.wav")
        frames = len(speech) // FRAME
        for condition in CONDITIONS:
            if condition.name != "none" and not condition.loss:
                continue  # jitter and stalls are the jitter buffer's, not the codec's: pjmedia hands it frames in order
            shipped = fec_loss_percent(100 * condition.loss)
            other = ("no FEC", 0) if shipped else ("FEC 3 % (a call's first seconds)", 3)
            for fec_name, fec in (("shipped", shipped), other):
                scores, cpu = [], []
                for seed in range(1, args.seeds + 1):
                    network = Network(condition, seed)
                    lost = np.array([network.depart_s(0.02 * k) is None for k in range(frames)])
                    codec = PjmediaOpus(peer_fec=True, fec_loss_percent=fec)
                    decoded, cpu_s = take(codec, speech, lost)
                    codec.close()
                    scores.append(pesq(16000, speech, pesq_loss.aligned(speech, decoded), "wb"))
                    cpu.append(cpu_s / (frames * 0.02))
                rows.append({"condition": condition.name, "fec": fec_name, "fec_percent": fec,
                             "pesq_wb": float(np.mean(scores)), "sd": float(np.std(scores)),
                             "cpu_share": float(np.mean(cpu))})
                print(f"{condition.name:32s} FEC {fec_name:8s} ({fec:2d} %): {np.mean(scores):.2f} ± "
                      f"{np.std(scores):.2f}  CPU {100 * np.mean(cpu):.2f} % of a core", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    engine.stop()
    os._exit(0)  # the codec's pjsua2 objects are gone; leave without running pjsua2's destructors twice


if __name__ == "__main__":
    main()
