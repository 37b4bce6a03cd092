"""Provisioning: layered TOML configuration for IT admins, validated with clear errors.

See docs/admin-guide.md. `load_config(ConfigSources.for_platform(...))` gives a `LoadedConfig`; its
`.config` is the typed `AppConfig` the rest of the app reads.
"""

from callclient.config.loader import ConfigError
from callclient.config.model import AccountConfig, AppConfig
from callclient.config.remote import ProvisioningError, RemoteSource
from callclient.config.sources import ConfigSources, LoadedConfig, load_config, system_config_path
from callclient.config.watcher import ConfigWatcher

__all__ = [
    "AccountConfig",
    "AppConfig",
    "ConfigError",
    "ConfigSources",
    "ConfigWatcher",
    "LoadedConfig",
    "ProvisioningError",
    "RemoteSource",
    "load_config",
    "system_config_path",
]
