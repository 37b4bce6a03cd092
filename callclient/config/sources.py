"""Where the layers come from, and loading them into one `LoadedConfig`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callclient.config.loader import (
    ConfigError,
    Layer,
    check_value,
    lock_for,
    merge,
    parse_layer,
    read_file_layer,
)
from callclient.config.model import AppConfig, build
from callclient.config.schema import ADMIN_ONLY, KEYS
from callclient.config.remote import CACHE_FILE_NAME, ProvisioningError, RemoteSource, cached_copy, fetch, remember
from callclient.storage.files import describe_os_error
from callclient.storage.keychain import Keychain, KeychainUnavailable, SecretKind
from callclient.storage.paths import AppPaths

log = logging.getLogger(__name__)

SYSTEM_CONFIG_ENV = "CALLCLIENT_SYSTEM_CONFIG"
PROVISIONING_URL_ENV = "CALLCLIENT_PROVISIONING_URL"
SYSTEM_FILE_NAME = "callclient.toml"
USER_FILE_NAME = "callclient.toml"


def system_config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The admin file: $CALLCLIENT_SYSTEM_CONFIG, else the platform's machine-wide configuration folder."""
    if environ.get(SYSTEM_CONFIG_ENV):
        return Path(environ[SYSTEM_CONFIG_ENV])
    if sys.platform == "win32":
        return Path(environ.get("ProgramData", r"C:\ProgramData")) / "CallClient" / SYSTEM_FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support/CallClient") / SYSTEM_FILE_NAME
    return Path("/etc/callclient") / SYSTEM_FILE_NAME


@dataclass(frozen=True)
class ConfigSources:
    system_file: Path | None
    user_file: Path | None
    cache_dir: Path | None = None  # where the last good remote copy is kept
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    preferences: Mapping[str, Any] = field(default_factory=dict)  # in-app settings, dotted keys: the top layer
    fetch_remote: bool = True

    @classmethod
    def for_platform(cls, user_file: Path | None = None, environ: Mapping[str, str] | None = None,
                     paths: AppPaths | None = None, preferences: Mapping[str, Any] | None = None) -> ConfigSources:
        env = dict(os.environ if environ is None else environ)
        paths = paths or AppPaths.for_user()
        return cls(
            system_file=system_config_path(env),
            user_file=user_file or paths.config_dir / USER_FILE_NAME,
            cache_dir=paths.cache_dir,
            environ=env,
            preferences=dict(preferences or {}),
        )

    def files(self) -> tuple[Path, ...]:
        return tuple(path for path in (self.system_file, self.user_file) if path is not None)


@dataclass(frozen=True)
class LoadedConfig:
    config: AppConfig
    layers: tuple[Layer, ...]
    origins: Mapping[str, str]
    locks: Mapping[str, str]  # pattern -> the admin layer that locked it
    warnings: tuple[str, ...]
    remote_problem: str | None = None  # why the remote layer is the cached copy, or missing

    def origin(self, key: str) -> str:
        """Which layer the key's value came from: default, system (PATH), remote (URL), user (PATH), preferences."""
        return self.origins.get(key, "default")

    def locked(self, key: str) -> bool:
        return lock_for(key, self.locks) is not None

    def lock_reason(self, key: str) -> str | None:
        pattern = lock_for(key, self.locks)
        return None if pattern is None else f"locked by your administrator ({self.locks[pattern]})"


def load_config(sources: ConfigSources, *, keychain: Keychain | None = None) -> LoadedConfig:
    """Reads every layer; raises ConfigError naming the first layer that cannot be used, and nothing else.

    The app refuses to start, and live reload keeps the config in force, on a ConfigError; any other
    exception escaping here would crash startup or kill the watcher thread, so none may.
    """
    step = LoadStep("defaults")
    try:
        return _load(sources, keychain, step)
    except ConfigError:
        raise
    except Exception as error:  # a problem no layer check foresaw: still a clear error, never a crash
        log.exception("loading the configuration failed at %s", step.source)
        raise ConfigError(step.source, f"could not be loaded ({type(error).__name__}: {error})") from None


@dataclass
class LoadStep:
    """Which source `load_config` is reading, for the message about a failure nobody foresaw."""

    source: str


def _load(sources: ConfigSources, keychain: Keychain | None, step: LoadStep) -> LoadedConfig:
    layers: list[Layer] = []
    if sources.system_file:
        step.source = str(sources.system_file)
    system = read_file_layer(sources.system_file, "system", sources.environ) if sources.system_file else None
    if system is not None:
        layers.append(system)
    step.source = "remote provisioning"
    remote_layer, remote_problem = _remote_layer(sources, system, keychain)
    if remote_layer is not None:
        layers.append(remote_layer)
    if sources.user_file:
        step.source = str(sources.user_file)
    user = read_file_layer(sources.user_file, "user", sources.environ) if sources.user_file else None
    if user is not None:
        layers.append(user)
    if sources.preferences:
        step.source = "in-app preferences"
        layers.append(_preferences_layer(sources.preferences))
    step.source = (sources.user_file or sources.system_file or Path("defaults")).as_posix()
    merged = merge(layers)
    config = build(merged, step.source)
    warnings = list(merged.warnings)
    if remote_problem:
        warnings.append(remote_problem)
    _move_initial_passwords(layers, keychain, warnings)
    return LoadedConfig(config=config, layers=tuple(layers), origins=merged.origins, locks=merged.locks,
                        warnings=tuple(warnings), remote_problem=remote_problem)


# What a fetch or the cached copy can fail with, besides its own ProvisioningError and ConfigError: the
# keychain holding the cache key or credential going away, the cache folder failing, a parse bug.
_REMOTE_FAILURES = (ProvisioningError, ConfigError, KeychainUnavailable, OSError, ValueError)


def _remote_layer(sources: ConfigSources, system: Layer | None,
                  keychain: Keychain | None) -> tuple[Layer | None, str | None]:
    values = system.values if system else {}
    url = sources.environ.get(PROVISIONING_URL_ENV) or values.get("provisioning.url", "")
    if not url:
        return None, None
    if not url.startswith("https://"):
        raise ConfigError(PROVISIONING_URL_ENV, f"{url!r} is not an https:// URL", expected="an https:// URL")
    source = RemoteSource(
        url=url,
        cache_file=(sources.cache_dir or Path(".")) / CACHE_FILE_NAME,
        auth=values.get("provisioning.auth", "none"),
        username=values.get("provisioning.username", ""),
        ca_file=values.get("provisioning.ca_file", ""),
    )
    if not sources.fetch_remote:
        return _cached_layer(source, keychain, sources.environ, problem=None)
    try:
        fetched = fetch(source, keychain)
        layer = parse_layer(fetched.text, "remote", url, sources.environ)
    except _REMOTE_FAILURES as error:
        # The remote layer is the admin's: a bad fetch must not leave the user without a phone. Use the
        # last good copy and say why.
        return _cached_layer(source, keychain, sources.environ, problem=str(error))
    try:
        remember(source, keychain, fetched)
    except (OSError, KeychainUnavailable) as error:
        # The fresh copy is valid and in force; only the offline copy for the next start could not be kept.
        reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
        log.warning("the remote configuration could not be kept for offline starts: %s", reason)
        return layer, (f"the remote configuration from {url} is in force, but it could not be kept in "
                       f"{source.cache_file} for offline starts ({reason})")
    return layer, None


def _cached_layer(source: RemoteSource, keychain: Keychain | None, environ: Mapping[str, str],
                  problem: str | None) -> tuple[Layer | None, str | None]:
    """The last good remote copy as a layer, and the notice that says why it is used (None: all is well)."""
    try:
        text = cached_copy(source, keychain)
        layer = parse_layer(text, "remote", source.url, environ) if text else None
    except (KeychainUnavailable, OSError, ValueError, ConfigError) as error:
        log.warning("the cached remote configuration cannot be used: %s", error)
        text, layer = None, None
        problem = problem or f"the cached remote configuration cannot be used: {error}"
    if problem is None:
        return layer, None
    if layer is None:
        return None, f"remote provisioning unavailable and nothing cached: {problem}"
    return layer, f"using the last good remote config: {problem}"


def _preferences_layer(preferences: Mapping[str, Any]) -> Layer:
    """In-app settings as a layer, validated like a file (a stored value the schema no longer accepts is dropped)."""
    layer = Layer(kind="preferences", source="in-app preferences")
    for dotted, value in preferences.items():
        spec = KEYS.get(dotted)
        if spec is None or dotted in ADMIN_ONLY:
            layer.warnings.append(f"in-app preferences: {dotted} is not a user setting; ignored")
            continue
        try:
            layer.values[dotted] = check_value(layer, dotted, spec, value)
        except ConfigError as error:
            layer.warnings.append(f"{error}; the setting is ignored")
    return layer


def _move_initial_passwords(layers: list[Layer], keychain: Keychain | None, warnings: list[str]) -> None:
    """An admin's initial_password goes into the keychain once (never over a password already there)."""
    for layer in layers:
        for account_id, fields in layer.accounts.items():
            password = fields.get("initial_password")
            if not password:
                continue
            if keychain is None:
                continue
            try:
                if keychain.get(account_id, SecretKind.SIP_PASSWORD) is None:
                    keychain.set(account_id, SecretKind.SIP_PASSWORD, password)
                    log.info("moved the initial password of account %s into the keychain", account_id)
            except KeychainUnavailable as error:
                warnings.append(f"{layer.source}: account {account_id!r}: the initial password could not be "
                                f"put in the keychain ({error.reason})")
                continue
            if layer.kind == "user":
                warnings.append(f"{layer.source}: account {account_id!r}: the initial_password is now in the "
                                "system keychain; remove it from the file")
