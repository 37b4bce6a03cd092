"""Where CallClient keeps its files on this machine, as one value the composition root builds once.

Everything in storage receives these paths as arguments, so tests (and the privacy suite) can point the
whole app at a temporary home without touching the user's real directories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from callclient import APP_NAME

STORE_FILE_NAME = "store.db"
VOICEMAIL_DIR_NAME = "voicemail"
RECORDINGS_DIR_NAME = "recordings"  # beside the store: erase_account finds it from the store's path


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    cache_dir: Path
    log_dir: Path
    config_dir: Path

    @classmethod
    def for_user(cls, app_name: str = APP_NAME) -> AppPaths:
        """The platform's per-user directories (XDG on Linux, ~/Library on macOS, %LOCALAPPDATA% on Windows)."""
        dirs = platformdirs.PlatformDirs(appname=app_name, appauthor=False)
        return cls(
            data_dir=dirs.user_data_path,
            cache_dir=dirs.user_cache_path,
            log_dir=dirs.user_log_path,
            config_dir=dirs.user_config_path,
        )

    @property
    def store_file(self) -> Path:
        return self.data_dir / STORE_FILE_NAME

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / RECORDINGS_DIR_NAME

    @property
    def voicemail_dir(self) -> Path:
        return self.cache_dir / VOICEMAIL_DIR_NAME

    def all_dirs(self) -> tuple[Path, ...]:
        return (self.data_dir, self.cache_dir, self.log_dir, self.config_dir)
