"""A seeded userspace UDP relay that impairs RTP on loopback the way real networks do.

`tc netem` is not available here, so the benchmark puts this relay in the media path instead. Each
side of a call binds its RTP to 127.0.0.1:P and advertises another loopback address (127.0.0.2,
127.0.0.3) with the same port in its SDP; the relay owns those advertised addresses. A packet arriving
at the relay's copy of B's address came from A: it is forwarded to B from the relay's copy of A's
address, so each side sees its peer exactly where the SDP said it would be (symmetric RTP holds).

Impairments apply to RTP only (even ports); RTCP (port + 1) is relayed untouched. Each direction has
its own `Network` (its own seeded models and state), so what one side sends does not shift the other
side's loss pattern. A `Network` is pure (arrival time in, departure time or None out), so its
statistics are unit-tested without sockets (tests/bench_relay) and the Opus prototype (bench/opus_path.py)
replays the very same models in virtual time.

The models:
- `RandomLoss(p)`: each packet lost independently with probability p.
- `GilbertElliott(loss, mean_burst)`: two-state bursty loss; in the bad state every packet is lost,
  bursts last `mean_burst` packets on average (geometric), the long-run loss rate is `loss`.
- `Jitter(max_ms, keep_order=False)`: a uniform 0..max extra delay per packet, so 20 ms packets swap
  places when max > 20 (a multi-path/VPN network).
- `Jitter(max_ms, keep_order=True)`: the same delays, but a packet never leaves before the one sent
  before it (one queue, as on Wi-Fi, where retransmissions hold back everything behind them).
- `DelaySpikes(stall_ms, every_s)`: every `every_s` the path stalls for `stall_ms`; what arrives
  during the stall is held and leaves in one burst at its end (a Wi-Fi scan, a cell handover).
"""

from __future__ import annotations

import heapq
import math
import random
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol


class Impairment(Protocol):
    def depart_s(self, arrival_s: float, earliest_s: float) -> float | None:
        """When a packet that arrived at `arrival_s` and could leave at `earliest_s` leaves; None: lost."""


class RandomLoss:
    def __init__(self, loss: float, rng: random.Random) -> None:
        self.loss = loss
        self._rng = rng

    def depart_s(self, arrival_s: float, earliest_s: float) -> float | None:
        return None if self._rng.random() < self.loss else earliest_s


class GilbertElliott:
    """Simple Gilbert model (bad state loses everything): P(good->bad) = p, P(bad->good) = r = 1/mean_burst,
    long-run loss p / (p + r), so p = r * loss / (1 - loss)."""

    def __init__(self, loss: float, mean_burst: float, rng: random.Random) -> None:
        self.to_good = 1.0 / mean_burst
        self.to_bad = self.to_good * loss / (1.0 - loss)
        self.bad = False
        self._rng = rng

    def depart_s(self, arrival_s: float, earliest_s: float) -> float | None:
        if self.bad:
            self.bad = self._rng.random() >= self.to_good
        else:
            self.bad = self._rng.random() < self.to_bad
        return None if self.bad else earliest_s


class Jitter:
    def __init__(self, max_ms: float, rng: random.Random, *, keep_order: bool) -> None:
        self.max_s = max_ms / 1000
        self.keep_order = keep_order
        self._last_departure_s = -math.inf
        self._rng = rng

    def depart_s(self, arrival_s: float, earliest_s: float) -> float | None:
        departure = earliest_s + self._rng.uniform(0.0, self.max_s)
        if self.keep_order:
            departure = max(departure, self._last_departure_s)
            self._last_departure_s = departure
        return departure


class DelaySpikes:
    """Stalls of `stall_ms` starting `first_s` after the first packet, then every `every_s`."""

    def __init__(self, stall_ms: float, every_s: float, first_s: float = 5.0) -> None:
        self.stall_s = stall_ms / 1000
        self.every_s = every_s
        self.first_s = first_s
        self._origin_s: float | None = None

    def depart_s(self, arrival_s: float, earliest_s: float) -> float | None:
        if self._origin_s is None:
            self._origin_s = arrival_s + self.first_s
        since = arrival_s - self._origin_s
        if since < 0:
            return earliest_s
        into_period = since % self.every_s
        if into_period < self.stall_s:
            return max(earliest_s, arrival_s - into_period + self.stall_s)
        return earliest_s


@dataclass(frozen=True)
class Condition:
    """A named network condition: what the benchmark tables call a column."""

    name: str
    loss: float = 0.0
    bursty: bool = False  # Gilbert-Elliott instead of independent loss
    mean_burst: float = 3.0
    jitter_ms: float = 0.0
    keep_order: bool = True
    stall_ms: float = 0.0
    stall_every_s: float = 10.0
    base_delay_ms: float = 5.0


CONDITIONS: tuple[Condition, ...] = (
    Condition("none"),
    Condition("jitter 30 ms, in order", jitter_ms=30, keep_order=True),
    Condition("jitter 30 ms, reordering", jitter_ms=30, keep_order=False),
    Condition("loss 1 %", loss=0.01),
    Condition("loss 3 %", loss=0.03),
    Condition("loss 10 %", loss=0.10),
    Condition("bursty loss 3 %, bursts of 3", loss=0.03, bursty=True, mean_burst=3),
    Condition("200 ms stall every 10 s", stall_ms=200, stall_every_s=10),
)


@dataclass
class Network:
    """One direction of the path: loss first, then the delays, applied in order."""

    condition: Condition
    seed: int
    stages: list[Impairment] = field(init=False)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        c = self.condition
        self.stages = []
        if c.loss:
            self.stages.append(GilbertElliott(c.loss, c.mean_burst, rng) if c.bursty else RandomLoss(c.loss, rng))
        if c.jitter_ms:
            self.stages.append(Jitter(c.jitter_ms, rng, keep_order=c.keep_order))
        if c.stall_ms:
            self.stages.append(DelaySpikes(c.stall_ms, c.stall_every_s))

    def depart_s(self, arrival_s: float) -> float | None:
        departure: float | None = arrival_s + self.condition.base_delay_ms / 1000
        for stage in self.stages:
            departure = stage.depart_s(arrival_s, departure)
            if departure is None:
                return None
        return departure


@dataclass(frozen=True)
class Endpoint:
    """One side of the call: where its RTP really is, and the address it advertises (the relay's)."""

    bound_host: str
    advertised_host: str
    rtp_port: int
    advertised_port: int = 0  # 0: the same port (baresip binds RTP to every address, so it needs another)

    @property
    def relay_port(self) -> int:
        return self.advertised_port or self.rtp_port


@dataclass
class RelayCounts:
    forwarded: int = 0
    dropped: int = 0


class UdpRelay:
    def __init__(self, a: Endpoint, b: Endpoint, condition: Condition, *, seed: int = 1) -> None:
        self.condition = condition
        self.counts = RelayCounts()
        self._selector = selectors.DefaultSelector()
        self._sockets: list[socket.socket] = []
        # (socket to send from, destination, the direction's network or None for RTCP)
        for offset in (0, 1):
            at_a = self._bind(a.advertised_host, a.relay_port + offset)  # B sends here, meaning A
            at_b = self._bind(b.advertised_host, b.relay_port + offset)  # A sends here, meaning B
            to_a = Network(condition, seed * 2) if offset == 0 else None
            to_b = Network(condition, seed * 2 + 1) if offset == 0 else None
            self._selector.register(at_a, selectors.EVENT_READ, (at_b, (a.bound_host, a.rtp_port + offset), to_a))
            self._selector.register(at_b, selectors.EVENT_READ, (at_a, (b.bound_host, b.rtp_port + offset), to_b))
        self._queue: list[tuple[float, int, socket.socket, tuple[str, int], bytes]] = []
        self._sequence = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="udp-relay", daemon=True)

    def _bind(self, host: str, port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.setblocking(False)
        self._sockets.append(sock)
        return sock

    def start(self) -> UdpRelay:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for sock in self._sockets:
            sock.close()
        self._selector.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            timeout = 0.05
            if self._queue:
                timeout = max(0.0, min(timeout, self._queue[0][0] - now))
            for key, _ in self._selector.select(timeout):
                sender, destination, network = key.data
                try:
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                except OSError:
                    continue
                arrival = time.monotonic()
                departure = arrival if network is None else network.depart_s(arrival)
                if departure is None:
                    self.counts.dropped += 1
                    continue
                self._sequence += 1  # ties leave in arrival order
                heapq.heappush(self._queue, (departure, self._sequence, sender, destination, data))
            now = time.monotonic()
            while self._queue and self._queue[0][0] <= now:
                _, _, sender, destination, data = heapq.heappop(self._queue)
                try:
                    sender.sendto(data, destination)
                    self.counts.forwarded += 1
                except OSError:
                    pass  # the far side has gone (end of call): nothing to deliver to
