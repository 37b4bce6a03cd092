"""Live reload: the config files are watched, and the remote config re-fetched on its interval.

`ConfigWatcher` runs one thread that wakes every `poll_s` (or at once on `reload()`, which SIGHUP and
the settings window call), re-loads when a file's identity (mtime, size, inode) changed or the remote
interval passed, and calls `on_change` only with a valid config that differs from the one in force. An
invalid edit goes to `on_error` and changes nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from callclient.config.loader import ConfigError
from callclient.config.sources import ConfigSources, LoadedConfig, load_config
from callclient.storage.keychain import Keychain

log = logging.getLogger(__name__)


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class ConfigWatcher:
    def __init__(
        self,
        sources: ConfigSources,
        current: LoadedConfig,
        on_change: Callable[[LoadedConfig], None],
        on_error: Callable[[str], None],
        *,
        keychain: Keychain | None = None,
        poll_s: float = 2.0,
    ) -> None:
        self._sources = sources
        self._current = current
        self._on_change = on_change
        self._on_error = on_error
        self._keychain = keychain
        self._poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._forced = False
        self._seen = {path: _identity(path) for path in sources.files()}
        self._next_remote = time.monotonic() + current.config.provisioning.interval_minutes * 60
        self._thread = threading.Thread(target=self._run, name="config-watcher", daemon=True)

    @property
    def current(self) -> LoadedConfig:
        return self._current

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(5)

    def reload(self) -> None:
        """Re-read everything now (SIGHUP, a settings change), remote included."""
        self._forced = True
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._poll_s)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._check()
            except Exception as error:  # one failed round must not end live reload for the rest of the session
                log.exception("checking the configuration for changes failed")
                self._report(f"checking for changes failed ({type(error).__name__}: {error})")

    def _check(self) -> None:
        forced, self._forced = self._forced, False
        identities = {path: _identity(path) for path in self._sources.files()}
        files_changed = identities != self._seen
        remote_due = bool(self._current.config.provisioning.url) and time.monotonic() >= self._next_remote
        if not (forced or files_changed or remote_due):
            return
        self._seen = identities
        if remote_due or forced:
            self._next_remote = time.monotonic() + self._current.config.provisioning.interval_minutes * 60
        self._load(fetch_remote=forced or remote_due)

    def _load(self, fetch_remote: bool) -> None:
        sources = self._sources if fetch_remote else _without_fetch(self._sources)
        try:
            loaded = load_config(sources, keychain=self._keychain)
        except ConfigError as error:
            log.warning("configuration not reloaded: %s", error)
            self._report(str(error))
            return
        if loaded.config == self._current.config and loaded.origins == self._current.origins \
                and loaded.locks == self._current.locks:
            return
        self._current = loaded
        try:
            self._on_change(loaded)
        except Exception as error:  # the watcher must outlive one failed apply, or reloads stop for good
            log.exception("applying the reloaded configuration failed")
            self._report(f"the new configuration could not be applied: {error}")

    def _report(self, problem: str) -> None:
        try:
            self._on_error(problem)
        except Exception:  # a broken error listener must not stop the next reload either
            log.exception("reporting a configuration problem failed")


def _without_fetch(sources: ConfigSources) -> ConfigSources:
    from dataclasses import replace

    return replace(sources, fetch_remote=False)
