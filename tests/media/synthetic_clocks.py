"""Two audio clocks simulated in virtual time, for testing the buffers between them.

Each clock ticks at its own period; a stall holds one clock's ticks back and then releases them in a
burst, which is how a late PortAudio callback or a GIL-starved pjmedia clock thread behaves.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Clock:
    name: str
    period_s: float
    tick: Callable[[], None]


def stalled_ticks(period_s: float, duration_s: float, stalls: list[tuple[float, float]]) -> Iterator[float]:
    """Tick times of one clock over `duration_s`, each tick inside a stall moved to the stall's end."""
    k = 0
    stalls = sorted(stalls)
    i = 0
    while True:
        t = k * period_s
        if t > duration_s:
            return
        while i < len(stalls) and stalls[i][0] + stalls[i][1] <= t:
            i += 1
        if i < len(stalls) and stalls[i][0] <= t:
            t = stalls[i][0] + stalls[i][1]
        yield t
        k += 1


def random_stalls(rng: np.random.Generator, duration_s: float, every_s: float, max_ms: float) -> list[tuple[float, float]]:
    starts = np.cumsum(rng.exponential(every_s, size=int(duration_s / every_s * 2) + 10))
    starts = starts[starts < duration_s]
    return [(float(s), float(rng.uniform(0, max_ms) / 1000)) for s in starts]


class VirtualTime:
    """The simulated time, readable as a clock by the code under test."""

    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def run(clocks: list[tuple[Clock, list[tuple[float, float]]]], duration_s: float,
        now: VirtualTime | None = None) -> None:
    """Run every clock's ticks in time order (ties: the order given), advancing `now`."""
    def events(n: int, clock: Clock, stalls: list[tuple[float, float]]) -> Iterator[tuple]:
        for t in stalled_ticks(clock.period_s, duration_s, stalls):
            yield t, n, clock.tick

    streams = [events(n, clock, stalls) for n, (clock, stalls) in enumerate(clocks)]
    for t, _n, tick in heapq.merge(*streams, key=lambda e: (e[0], e[1])):
        if now is not None:
            now.now_s = t
        tick()
