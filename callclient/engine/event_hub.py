"""How the engine's events reach their readers: each subscriber gets its own ordered queue.

The engine thread publishes; any thread may subscribe, read its stream and close it. The hub only
delivers: which events exist is `events.py`'s business, what they mean the publisher's.
"""

from __future__ import annotations

import queue
import threading

from callclient.engine.events import Event


class EventStream:
    """One subscriber's view of the engine's events, in order."""

    def __init__(self, hub: EventHub) -> None:
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._hub = hub

    def put(self, event: Event) -> None:
        self._queue.put(event)

    def get(self, timeout: float | None = None) -> Event:
        """The next event; raises queue.Empty after `timeout` seconds."""
        return self._queue.get(timeout=timeout)

    def get_nowait(self) -> Event:
        return self._queue.get_nowait()

    def close(self) -> None:
        self._hub.unsubscribe(self)


class EventHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: list[EventStream] = []

    def subscribe(self) -> EventStream:
        stream = EventStream(self)
        with self._lock:
            self._streams.append(stream)
        return stream

    def unsubscribe(self, stream: EventStream) -> None:
        with self._lock:
            if stream in self._streams:
                self._streams.remove(stream)

    def publish(self, event: Event) -> None:
        with self._lock:
            streams = list(self._streams)
        for stream in streams:
            stream.put(event)
