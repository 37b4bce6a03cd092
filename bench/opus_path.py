"""What an own Opus media path would give: opuslib with in-band FEC and PLC behind a simple numpy jitter buffer.

A prototype for the Opus decision of docs/benchmarks.md ("Call quality on real networks"), not app code.
The speech is encoded in 20 ms packets (16 kHz, VOIP, 28 kbit/s like baresip's default; FEC for an expected
loss of 10 % (baresip's setting in the anchor), of 3 %, or none), sent through the same seeded network
models as the real relay
(bench/udp_relay.Network, in virtual time: arrival = departure of the model), and played out by a
fixed-delay jitter buffer: frame k plays at first arrival + `playout_delay_ms` + 20 ms * k. At its tick a
frame is decoded from its own packet if that has arrived, else from the in-band FEC of the next packet if
that one has, else by Opus PLC; packets later than their tick are dropped. The buffer's arrays are
preallocated (what an audio-thread version would need).

CPU: process time of encode + decode for the whole take / its duration = share of one core per call (one
direction encodes, the other decodes: a call does both once). Added latency: the playout delay beyond
the network's base delay, plus packetisation (20 ms) and the encoder's look-ahead.

    .venv/bin/python bench/opus_path.py [--seeds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import pesq_loss  # noqa: E402
from bench.udp_relay import CONDITIONS, Condition, Network  # noqa: E402

RATE_HZ = 16000
FRAME = 320  # 20 ms
MAX_PACKET = 400


class PlayoutBuffer:
    """Fixed-delay jitter buffer over a ring of packets indexed by sequence number."""

    def __init__(self, slots: int = 64) -> None:
        self.payload = np.zeros((slots, MAX_PACKET), np.uint8)
        self.length = np.zeros(slots, np.int32)
        self.sequence = np.full(slots, -1, np.int64)

    def put(self, sequence: int, packet: bytes) -> None:
        slot = sequence % len(self.length)
        self.payload[slot, :len(packet)] = np.frombuffer(packet, np.uint8)
        self.length[slot] = len(packet)
        self.sequence[slot] = sequence

    def get(self, sequence: int) -> bytes | None:
        slot = sequence % len(self.length)
        if self.sequence[slot] != sequence:
            return None
        return self.payload[slot, :self.length[slot]].tobytes()


def transmit(speech: np.ndarray, condition: Condition, seed: int, *, fec: bool, playout_delay_ms: float,
             bitrate: int = 28000, expected_loss_percent: int = 10) -> tuple[np.ndarray, float, dict[str, int]]:
    import opuslib

    from opuslib.api import ctl
    from opuslib.api.encoder import encoder_ctl

    encoder = opuslib.Encoder(RATE_HZ, 1, opuslib.APPLICATION_VOIP)
    # opuslib 3.0.1's property setters call the ctl without its value: set through its api directly.
    encoder_ctl(encoder.encoder_state, ctl.set_bitrate, bitrate)
    encoder_ctl(encoder.encoder_state, ctl.set_inband_fec, int(fec))
    encoder_ctl(encoder.encoder_state, ctl.set_packet_loss_perc, expected_loss_percent if fec else 0)
    decoder = opuslib.Decoder(RATE_HZ, 1)
    pcm = (np.clip(speech, -1, 1) * 32767).astype("<i2")
    frames = len(pcm) // FRAME
    cpu_s = 0.0
    started = time.process_time()
    packets = [encoder.encode(pcm[k * FRAME:(k + 1) * FRAME].tobytes(), FRAME) for k in range(frames)]
    cpu_s += time.process_time() - started
    network = Network(condition, seed)
    arrivals = [network.depart_s(k * FRAME / RATE_HZ) for k in range(frames)]
    first = min(a for a in arrivals if a is not None)
    order = sorted((a, k) for k, a in enumerate(arrivals) if a is not None)
    buffer = PlayoutBuffer()
    out = np.zeros(frames * FRAME, np.int16)
    counts = {"own": 0, "fec": 0, "plc": 0}
    next_arrival = 0
    started = time.process_time()
    for k in range(frames):
        tick_s = first + playout_delay_ms / 1000 + k * FRAME / RATE_HZ
        while next_arrival < len(order) and order[next_arrival][0] <= tick_s:
            _, sequence = order[next_arrival]
            if sequence >= k:  # later than its tick: dropped
                buffer.put(sequence, packets[sequence])
            next_arrival += 1
        own, following = buffer.get(k), buffer.get(k + 1)
        if own is not None:
            decoded, counts["own"] = decoder.decode(own, FRAME), counts["own"] + 1
        elif fec and following is not None:
            decoded, counts["fec"] = decoder.decode(following, FRAME, decode_fec=True), counts["fec"] + 1
        else:
            decoded, counts["plc"] = decoder.decode(b"", FRAME), counts["plc"] + 1
        out[k * FRAME:(k + 1) * FRAME] = np.frombuffer(decoded, "<i2")[:FRAME]
    cpu_s += time.process_time() - started
    lookahead_ms = 1000 * encoder.lookahead / RATE_HZ
    counts["lookahead_ms"] = int(round(lookahead_ms))
    return out.astype(np.float32) / 32768, cpu_s / (frames * FRAME / RATE_HZ), counts


def main() -> None:
    from pesq import pesq

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--playout-delay-ms", type=float, default=60.0)
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="cc-opus-") as directory:
        speech = pesq_loss.speech(RATE_HZ, Path(directory) / "speech16k.wav")
    # FEC's cost: the encoder spends bits on it in proportion to the loss it is told to expect, so the
    # variants are FEC tuned for 10 % and for 3 % (as RTCP-reported loss would set it) and no FEC.
    for name, fec, expected in (("opus-fec10", True, 10), ("opus-fec3", True, 3), ("opus-nofec", False, 0)):
        for condition in CONDITIONS:
            for seed in range(1, args.seeds + 1):
                received, cpu_share, counts = transmit(speech, condition, seed, fec=fec,
                                                       playout_delay_ms=args.playout_delay_ms,
                                                       expected_loss_percent=expected)
                value = float(pesq(RATE_HZ, speech, pesq_loss.aligned(speech, received), "wb"))
                results.append({"system": name, "condition": condition.name,
                                "seed": seed, "pesq_wb": value, "cpu_share": cpu_share, **counts})
                print(f"fec={fec} {condition.name:32s} seed {seed}: {value:.2f} cpu {100 * cpu_share:.2f} % {counts}",
                      flush=True)
    args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
