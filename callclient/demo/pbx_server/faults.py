"""Fault injection: what a test asks the PBX to do wrong to the next matching requests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Rewrites the JSON body the route answered with; returns the new body, or bytes to send as they are.
Tamper = Callable[[Any], Any]


@dataclass
class Fault:
    kind: str  # "status", "junk", "delay", "tamper"
    path_contains: str | None
    remaining: int
    status: int = 500
    delay_s: float = 0.0
    tamper: Tamper | None = None  # for "tamper"

    def matches(self, path: str) -> bool:
        return self.remaining > 0 and (self.path_contains is None or self.path_contains in path)



class Faults:
    """Pending faults, taken first-come by the requests whose path they match. Safe from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._pending.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def take(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._pending:
                if fault.matches(path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._pending.remove(fault)
                    return fault
        return None
