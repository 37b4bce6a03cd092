"""Where other threads' news reaches the GUI thread.

The services publish immutable events (engine events once the services have taken them in, PBX push
events, settings and accounts changes) on their threads and resolve call actions' Futures on the engine
thread; PBX and disk work runs on worker threads. None of them may touch a widget. `EngineBridge` drains the
services' news stream on a reader thread and re-emits each item as a Qt signal; `Tasks` runs blocking work on worker
threads and delivers each result (or error) to a GUI-thread callback. Both cross threads only through Qt's
queued signal delivery, so every slot runs on the GUI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from callclient.services.threads import GUI, runs_on
from callclient.services.types import (
    AccountsChanged,
    CallEnded,
    CallUpdated,
    DtmfReceived,
    EngineFault,
    Event,
    HistoryChanged,
    MessageSummary,
    PresenceChanged,
    RegistrationChanged,
    SettingsChanged,
    TransferProgress,
    UpdateModeChanged,
    VoicemailChanged,
)

log = logging.getLogger(__name__)

_READ_TIMEOUT_S = 0.2


class EngineBridge(QObject):
    """The services' news as Qt signals, emitted on the GUI thread in the order it was published."""

    event = Signal(object)  # every event, for views that want them all
    registration_changed = Signal(object)  # RegistrationChanged
    call_updated = Signal(object)  # CallUpdated
    call_ended = Signal(object)  # CallEnded
    message_summary = Signal(object)  # MessageSummary
    presence_changed = Signal(object)  # PresenceChanged
    dtmf_received = Signal(object)  # DtmfReceived
    transfer_progress = Signal(object)  # TransferProgress
    fault = Signal(str)
    settings_changed = Signal(object)  # SettingsChanged: the keys that changed and the config now in force
    accounts_changed = Signal(object)  # AccountsChanged
    history_changed = Signal(object)  # HistoryChanged, pushed by the PBX
    voicemail_changed = Signal(object)  # VoicemailChanged, pushed by the PBX (or SIP MWI)
    pbx_updates_changed = Signal(object)  # UpdateModeChanged: the websocket went up or down

    _arrived = Signal(object)

    def __init__(self, stream: Any, parent: QObject | None = None) -> None:
        """`stream` is a news stream (Services.news.subscribe()); the bridge closes it on stop()."""
        super().__init__(parent)
        self._stream = stream
        self._stopping = threading.Event()
        # Queued: the reader thread only posts; the slot runs on the thread this object lives in (GUI).
        self._arrived.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._reader = threading.Thread(target=self._read, name="engine-events-to-gui", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stopping.is_set():
            try:
                event = self._stream.get(timeout=_READ_TIMEOUT_S)
            except queue.Empty:
                continue
            self._arrived.emit(event)

    @Slot(object)
    @runs_on(GUI)
    def _dispatch(self, event: Event) -> None:
        self.event.emit(event)
        if isinstance(event, RegistrationChanged):
            self.registration_changed.emit(event)
        elif isinstance(event, CallUpdated):
            self.call_updated.emit(event)
        elif isinstance(event, CallEnded):
            self.call_ended.emit(event)
        elif isinstance(event, MessageSummary):
            self.message_summary.emit(event)
        elif isinstance(event, PresenceChanged):
            self.presence_changed.emit(event)
        elif isinstance(event, DtmfReceived):
            self.dtmf_received.emit(event)
        elif isinstance(event, TransferProgress):
            self.transfer_progress.emit(event)
        elif isinstance(event, EngineFault):
            self.fault.emit(event.message)
        elif isinstance(event, SettingsChanged):
            self.settings_changed.emit(event)
        elif isinstance(event, AccountsChanged):
            self.accounts_changed.emit(event)
        elif isinstance(event, HistoryChanged):
            self.history_changed.emit(event)
        elif isinstance(event, VoicemailChanged):
            self.voicemail_changed.emit(event)
        elif isinstance(event, UpdateModeChanged):
            self.pbx_updates_changed.emit(event)

    def stop(self) -> None:
        self._stopping.set()
        self._reader.join(2 * _READ_TIMEOUT_S + 1)
        self._stream.close()


class Tasks(QObject):
    """Runs blocking work off the GUI thread and hands each outcome to a callback on the GUI thread."""

    _finished = Signal(object, object, object)  # future, on_result, on_error

    def __init__(self, executor: Executor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, work: Callable[[], Any], on_result: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> Future:
        """`work()` on a worker thread; then `on_result(value)` or `on_error(exception)` on the GUI thread.

        After shutdown (the app is quitting) the work is dropped: a late timer must not raise into Qt."""
        try:
            submitted = self._executor.submit(work)
        except RuntimeError:
            log.info("work dropped: the app is shutting down")
            cancelled: Future = Future()
            cancelled.cancel()
            return cancelled
        return self.follow(submitted, on_result, on_error)

    def follow(self, future: Future, on_result: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> Future:
        """Delivers an existing Future's outcome (an engine command's, say) to GUI-thread callbacks."""
        future.add_done_callback(lambda done: self._finished.emit(done, on_result, on_error))
        return future

    @Slot(object, object, object)
    def _deliver(self, future: Future, on_result: Callable | None, on_error: Callable | None) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            if on_result is not None:
                on_result(future.result())
        elif on_error is not None:
            on_error(error)
        else:
            log.warning("background work failed and nobody was waiting for it: %s", error)
