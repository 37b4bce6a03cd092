"""Markdown tables for docs/benchmarks.md from the JSON of bench/call_quality.py and bench/opus_path.py.

    .venv/bin/python bench/call_quality_report.py main_cc.json main_bs.json opus.json
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.udp_relay import CONDITIONS  # noqa: E402

NAMES = {
    "callclient-opus": "CallClient Opus (shipped: FEC follows RTCP)",
    "callclient": "CallClient G.722 (shipped defaults)",
    "callclient-before": "CallClient G.722 (pjmedia's defaults, before)",
    "baresip-g722": "baresip G.722",
    "baresip-opus": "baresip Opus 28 kbit/s, FEC",
    "opus-fec3": "Opus prototype, FEC for 3 % (offline)",
    "opus-fec10": "Opus prototype, FEC for 10 % (offline)",
    "opus-nofec": "Opus prototype, no FEC (offline)",
}


def main() -> None:
    scores: dict[tuple[str, str], list[float]] = collections.defaultdict(list)
    growth: dict[tuple[str, str], list[float]] = collections.defaultdict(list)
    loads: list[float] = []
    cpu: dict[str, list[float]] = collections.defaultdict(list)
    for path in sys.argv[1:]:
        for row in json.loads(Path(path).read_text()):
            key = (row["system"], row["condition"])
            scores[key].append(row["pesq_wb"])
            if "delay_growth_ms" in row:
                growth[key].append(row["delay_growth_ms"])
            if "load" in row:
                loads.append(row["load"])
            if "cpu_share" in row:
                cpu[row["system"]].append(row["cpu_share"])
            if "cpu_s" in row:  # both phone processes, per second of call
                cpu[row["system"]].append(row["cpu_s"] / row["call_s"])
    conditions = [c.name for c in CONDITIONS]
    systems = [s for s in NAMES if any((s, c) in scores for c in conditions)]

    def cell(values: list[float], digits: int = 2) -> str:
        return f"{np.mean(values):.{digits}f} ± {np.std(values):.{digits}f}" if values else "—"

    print("| PESQ-WB | " + " | ".join(conditions) + " |")
    print("|---|" + "---|" * len(conditions))
    for system in systems:
        print(f"| {NAMES[system]} | " + " | ".join(cell(scores[(system, c)]) for c in conditions) + " |")
    print()
    # Median: one misaligned take (a 3.5 s "growth") would swamp a mean.
    print("| Delay growth over the take, ms, median (max) | " + " | ".join(conditions) + " |")
    print("|---|" + "---|" * len(conditions))
    for system in systems:
        if any(growth[(system, c)] for c in conditions):
            print(f"| {NAMES[system]} | " + " | ".join(
                f"{np.median(growth[(system, c)]):.0f} ({np.max(growth[(system, c)]):.0f})"
                if growth[(system, c)] else "—" for c in conditions) + " |")
    print()
    ours = {c: np.mean(scores[("callclient", c)]) for c in conditions if scores[("callclient", c)]}
    theirs = {c: np.mean(scores[("baresip-g722", c)]) for c in conditions if scores[("baresip-g722", c)]}
    print("Targets (CallClient G.722, shipped):")
    for c in conditions[1:3]:
        if c in ours and "none" in ours:
            drop = ours["none"] - ours[c]
            print(f"- {c}: {drop:.2f} below unimpaired (≤ 0.3): {'met' if drop <= 0.3 else 'not met'}")
    for c in conditions:
        if c in ours and c in theirs:
            verdict = "met" if ours[c] >= theirs[c] else "not met"
            print(f"- {c}: {ours[c]:.2f} vs baresip G.722 {theirs[c]:.2f}: {verdict}")
    if loads:
        print(f"\nload average (1 min) during the calls: {min(loads):.1f}-{max(loads):.1f}, mean {np.mean(loads):.1f}")
    for system, shares in cpu.items():
        print(f"CPU {system}: {100 * np.mean(shares):.2f} ± {100 * np.std(shares):.2f} % of one core")
    opus = {c: np.mean(scores[("callclient-opus", c)]) for c in conditions if scores[("callclient-opus", c)]}
    bs_opus = {c: np.mean(scores[("baresip-opus", c)]) for c in conditions if scores[("baresip-opus", c)]}
    if opus:
        print("\nCallClient Opus against CallClient G.722 and baresip Opus:")
        for c in conditions:
            if c in opus:
                print(f"- {c}: {opus[c]:.2f} vs G.722 {ours.get(c, float('nan')):.2f} "
                      f"({opus[c] - ours.get(c, float('nan')):+.2f}), baresip Opus {bs_opus.get(c, float('nan')):.2f}")


if __name__ == "__main__":
    main()
