"""The news a front end follows, in one ordered stream per subscriber: engine events (after the services
have taken them in, so a view that reads `CallActions.calls` on an event sees that event's state), PBX
events, and `SettingsChanged` / `AccountsChanged`.

Each subscriber gets its own queue; publishing never blocks and never waits for a reader. Items that are
state rather than news (busy lamps, see `presence.lamp_key`) are kept, latest per key, and handed to each
new subscriber first: a front end that starts following after Core has started still sees them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Hashable

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
    def __init__(self, retain: Callable[[object], Hashable | None] = lambda _item: None) -> None:
        self._streams: list[NewsStream] = []
        self._retain = retain  # an item's key when the latest item of that key is kept, else None
        self._retained: dict[Hashable, object] = {}
        self._lock = threading.Lock()

    @runs_on(ANY_THREAD)
    def subscribe(self) -> NewsStream:
        stream = NewsStream(self)
        with self._lock:  # under the lock: a concurrent publish reaches the stream either here or by put
            for item in self._retained.values():
                stream.put(item)
            self._streams.append(stream)
        return stream

    def unsubscribe(self, stream: NewsStream) -> None:
        with self._lock:
            if stream in self._streams:
                self._streams.remove(stream)

    @runs_on(ANY_THREAD)
    def publish(self, item: object) -> None:
        key = self._retain(item)
        with self._lock:
            if key is not None:
                self._retained.pop(key, None)  # re-inserted last: new subscribers get lamps in arrival order
                self._retained[key] = item
            streams = list(self._streams)
        for stream in streams:
            stream.put(item)
