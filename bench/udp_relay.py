"""A seeded userspace UDP relay that impairs RTP on loopback: packet loss and delay jitter.

`tc netem` is not available here, so the benchmark puts this relay in the media path instead. Each
side of a call binds its RTP to 127.0.0.1:P and advertises another loopback address (127.0.0.2,
127.0.0.3) with the same port in its SDP; the relay owns those advertised addresses. A packet arriving
at the relay's copy of B's address came from A: it is forwarded to B from the relay's copy of A's
address, so each side sees its peer exactly where the SDP said it would be (symmetric RTP holds).

Impairments apply to RTP only (even ports); RTCP (port + 1) is relayed untouched. Loss is independent
per packet with probability `loss`; each surviving packet is delayed by a uniform 0..`jitter_ms` on
top of `base_delay_ms`, so packets can reorder, as on a real network with that much jitter. The RNG is
seeded, so a run is reproducible.
"""

from __future__ import annotations

import heapq
import random
import selectors
import socket
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    """One side of the call: where its RTP really is, and the address it advertises (the relay's)."""

    bound_host: str
    advertised_host: str
    rtp_port: int


@dataclass
class RelayCounts:
    forwarded: int = 0
    dropped: int = 0


class UdpRelay:
    def __init__(self, a: Endpoint, b: Endpoint, *, loss: float, jitter_ms: float, base_delay_ms: float = 5.0,
                 seed: int = 1) -> None:
        self._random = random.Random(seed)
        self._loss = loss
        self._jitter_s = jitter_ms / 1000
        self._base_s = base_delay_ms / 1000
        self.counts = RelayCounts()
        self._selector = selectors.DefaultSelector()
        self._sockets: list[socket.socket] = []
        # (socket that receives, socket to send from, destination, impaired)
        for offset, impaired in ((0, True), (1, False)):
            at_a = self._bind(a.advertised_host, a.rtp_port + offset)  # B sends here, meaning A
            at_b = self._bind(b.advertised_host, b.rtp_port + offset)  # A sends here, meaning B
            self._selector.register(at_a, selectors.EVENT_READ, (at_b, (a.bound_host, a.rtp_port + offset), impaired))
            self._selector.register(at_b, selectors.EVENT_READ, (at_a, (b.bound_host, b.rtp_port + offset), impaired))
        self._queue: list[tuple[float, int, socket.socket, tuple[str, int], bytes]] = []
        self._sequence = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="udp-relay", daemon=True)

    def _bind(self, host: str, port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
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
                sender, destination, impaired = key.data
                try:
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                except OSError:
                    continue
                if impaired and self._random.random() < self._loss:
                    self.counts.dropped += 1
                    continue
                delay = self._base_s + (self._random.uniform(0, self._jitter_s) if impaired else 0.0)
                self._sequence += 1
                heapq.heappush(self._queue, (time.monotonic() + delay, self._sequence, sender, destination, data))
            now = time.monotonic()
            while self._queue and self._queue[0][0] <= now:
                _, _, sender, destination, data = heapq.heappop(self._queue)
                try:
                    sender.sendto(data, destination)
                    self.counts.forwarded += 1
                except OSError:
                    pass  # the far side has gone (end of call): nothing to deliver to
