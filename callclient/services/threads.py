"""Which thread a method runs on, said where it is defined.

`@runs_on(ENGINE_EVENTS)` on a def is read by people (and by `thread_of` in tests and docs/architecture.md):
it says which thread calls the method, so a newcomer knows what the method may touch. It changes nothing at
run time; a method marked `ANY_THREAD` guards its own state with a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

GUI = "gui"  # the Qt thread: widgets only
ENGINE_EVENTS = "core-events"  # Core's reader of the engine's event stream: alerting, call tracking, MWI
PBX_UPDATES = "pbx-updates"  # the PBX backend's websocket / polling thread
CONFIG_WATCHER = "config-watcher"  # the config files' watcher (and remote provisioning's interval)
WORKER = "worker"  # a blocking call made off the GUI thread (the UI's task pool, the control socket, the CLI)
CALLER = "caller"  # whoever calls it (start/stop: the thread that builds the Core)
ANY_THREAD = "any"  # may be called from any thread; the method guards its state with a lock


def runs_on(thread: str) -> Callable[[F], F]:
    """Marks `function` as running on `thread` (one of the names above)."""

    def mark(function: F) -> F:
        function.__runs_on__ = thread  # type: ignore[attr-defined]
        return function

    return mark


def thread_of(function: Callable[..., object]) -> str | None:
    return getattr(function, "__runs_on__", None)
