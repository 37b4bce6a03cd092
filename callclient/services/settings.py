"""Settings: the one route every change takes, whoever makes it.

The Settings window, the in-call device menu, the processing boxes, the tray, the `callclient` CLI, an edited
admin or user file (the config watcher), remote provisioning and SIGHUP all end in `SettingsService`: it
validates, checks the administrator's locks, saves an in-app change to its layer (the store's preferences),
re-reads the layers, and announces one `SettingsChanged` naming the keys whose effective value changed.
The engine, audio, alerting, logging and the windows each react to that event alone.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from callclient.services.threads import ANY_THREAD, CALLER, CONFIG_WATCHER, runs_on

log = logging.getLogger(__name__)

SETTINGS_KEY = "settings"  # in-app settings in the store: config keys -> values, the top configuration layer
ACCOUNTS = "accounts"  # the key SettingsChanged names when any provisioned account changed


class SettingLocked(Exception):
    """An administrator locked this setting; the message says which layer."""


class SettingsRefused(Exception):
    """The layers as they now stand cannot be used (a file broke meanwhile); the config in force stays."""


@dataclass(frozen=True)
class SettingsChanged:
    """One change, announced once: the dotted keys whose effective value changed, and the config now in force."""

    keys: frozenset[str]
    config: Any  # callclient.config.LoadedConfig
    by: str  # who asked: "settings window", "config file", "SIGHUP", "CLI"…, for the log

    def touches(self, *prefixes: str) -> bool:
        """True when a key equal to or under one of `prefixes` ("audio." or "codecs.order") changed."""
        return any(key == prefix or key.startswith(prefix) for key in self.keys for prefix in prefixes)


Listener = Callable[[SettingsChanged], None]


def flatten(config: Any) -> dict[str, Any]:
    """An AppConfig as dotted keys -> values, the way the schema names them ("accounts" for all accounts)."""
    flat: dict[str, Any] = {}
    for section, table in dataclasses.asdict(config).items():
        if section == "accounts":
            flat[ACCOUNTS] = table
        elif section == "codecs":
            flat["codecs.order"] = list(table)
        else:
            for name, value in table.items():
                flat[f"{section}.{name}"] = list(value) if isinstance(value, tuple) else value
    return flat


def changed_keys(before: Any, after: Any) -> frozenset[str]:
    old, new = flatten(before), flatten(after)
    return frozenset(key for key in new.keys() | old.keys() if old.get(key) != new.get(key))


class SettingsService:
    """Owns the configuration in force and the in-app layer. `load(fetch_remote, preferences)` reads the layers."""

    def __init__(self, preferences: Any, load: Callable[[bool, Mapping[str, Any]], Any], current: Any) -> None:
        self._preferences = preferences  # callclient.storage.preferences.Preferences
        self._load = load
        self._current = current
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()  # one change at a time, whichever thread makes it

    @property
    def config(self) -> Any:
        """The LoadedConfig in force (`.config` is the typed AppConfig; `.origin(key)`, `.locked(key)`)."""
        return self._current

    def in_app_values(self) -> dict[str, Any]:
        return dict(self._preferences.get(SETTINGS_KEY, {}))

    @runs_on(CALLER)
    def subscribe(self, listener: Listener) -> None:
        """`listener(SettingsChanged)` after each change, on the changing thread: cross to your own from there."""
        self._listeners.append(listener)

    @runs_on(ANY_THREAD)
    def change(self, values: Mapping[str, Any], by: str = "in-app") -> SettingsChanged:
        """Saves in-app settings (config keys such as "audio.capture_device") and applies them together.

        Raises SettingLocked naming the admin layer when an administrator locked a key, ValueError (the
        message a file would get) for a value the schema refuses, and SettingsRefused when another layer
        broke meanwhile; nothing is saved then."""
        from callclient.config.loader import ConfigError, Layer, check_value
        from callclient.config.schema import ADMIN_ONLY, KEYS

        with self._lock:
            checked: dict[str, Any] = {}
            for key, value in values.items():
                spec = KEYS.get(key)
                if spec is None or key in ADMIN_ONLY:
                    raise ValueError(f"{key} is not a setting a user can change")
                try:
                    checked[key] = check_value(Layer("preferences", "in-app preferences"), key, spec, value)
                except ConfigError as error:
                    raise ValueError(str(error)) from None
                reason = self._current.lock_reason(key)
                if reason is not None:
                    raise SettingLocked(f"{key} is {reason}")
            # merge writes only these keys, in one transaction: a change another writer (a second window,
            # a tool on the same store) saved meanwhile is kept, not overwritten by our older copy.
            undo = self._preferences.merge(SETTINGS_KEY, dict(values))
            try:
                # a settings change is no reason to call the provisioning server
                loaded = self._load(False, self.in_app_values())
            except ConfigError as error:
                self._preferences.merge(SETTINGS_KEY, undo)  # takes back this change alone
                raise SettingsRefused(str(error)) from None
            return self._announce(loaded, by)

    @runs_on(ANY_THREAD)
    def reload(self, by: str, fetch_remote: bool = True) -> SettingsChanged:
        """Re-reads every layer now (SIGHUP, `callclient config reload`); SettingsRefused keeps the config in force."""
        from callclient.config.loader import ConfigError

        with self._lock:
            try:
                loaded = self._load(fetch_remote, self.in_app_values())
            except ConfigError as error:
                raise SettingsRefused(str(error)) from None
            return self._announce(loaded, by)

    @runs_on(CONFIG_WATCHER)
    def files_changed(self, _seen: Any) -> None:
        """The watcher saw a file (or the remote copy) change. Its copy of the layers has the in-app layer of
        start-up, so the layers are read again here with today's in-app settings (the remote copy it just
        fetched is the cached one now)."""
        try:
            self.reload("a configuration file", fetch_remote=False)
        except SettingsRefused as error:
            log.warning("configuration not reloaded: %s", error)
            raise

    def _announce(self, loaded: Any, by: str) -> SettingsChanged:
        keys = changed_keys(self._current.config, loaded.config)
        if loaded.locks != self._current.locks or loaded.origins != self._current.origins:
            keys |= {"locks.keys"} if loaded.locks != self._current.locks else frozenset()
        self._current = loaded
        event = SettingsChanged(frozenset(keys), loaded, by)
        log.info("settings changed by %s: %s", by, ", ".join(sorted(keys)) or "nothing")
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # one reactor failing must not keep the others from the news
                log.exception("a settings listener failed on %s", ", ".join(sorted(keys)))
        return event


def keys_under(keys: Iterable[str], prefix: str) -> list[str]:
    return [key for key in keys if key.startswith(prefix)]
