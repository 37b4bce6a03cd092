"""The news a front end follows, in one ordered stream per subscriber: engine events (after the services
have taken them in, so a view that reads `CallActions.calls` on an event sees that event's state), PBX
events, and `SettingsChanged` / `AccountsChanged`.

Each subscriber gets its own queue; publishing never blocks and never waits for a reader.
"""

from __future__ import annotations

import queue
import threading

from callclient.services.threads import ANY_THREAD, runs_on


class NewsStream:
    def __init__(self, feed: News) -> None:
        self._feed = feed
        self._queue: queue.Queue[object] = queue.Queue()

    def put(self, item: object) -> None:
        self._queue.put(item)

    def get(self, timeout: float | None = None) -> object:
        """The next item; raises queue.Empty after `timeout` seconds."""
        return self._queue.get(timeout=timeout)

    def close(self) -> None:
        self._feed.unsubscribe(self)


class News:
    def __init__(self) -> None:
        self._streams: list[NewsStream] = []
        self._lock = threading.Lock()

    @runs_on(ANY_THREAD)
    def subscribe(self) -> NewsStream:
        stream = NewsStream(self)
        with self._lock:
            self._streams.append(stream)
        return stream

    def unsubscribe(self, stream: NewsStream) -> None:
        with self._lock:
            if stream in self._streams:
                self._streams.remove(stream)

    @runs_on(ANY_THREAD)
    def publish(self, item: object) -> None:
        with self._lock:
            streams = list(self._streams)
        for stream in streams:
            stream.put(item)
