"""Where files go (platform directories, redirectable through XDG) and the app-lock seam."""

from __future__ import annotations

from pathlib import Path

import pytest

from callclient.storage.app_lock import AppLock, NoAppLock, UnlockResult
from callclient.storage.paths import AppPaths


def test_app_paths_follow_the_xdg_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable, sub in [
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
    ]:
        monkeypatch.setenv(variable, str(tmp_path / sub))

    paths = AppPaths.for_user()

    assert paths.data_dir == tmp_path / "data" / "CallClient"
    assert paths.cache_dir == tmp_path / "cache" / "CallClient"
    assert paths.log_dir == tmp_path / "state" / "CallClient" / "log"
    assert paths.config_dir == tmp_path / "config" / "CallClient"
    assert paths.store_file == tmp_path / "data" / "CallClient" / "store.db"
    assert paths.voicemail_dir == tmp_path / "cache" / "CallClient" / "voicemail"
    assert not any(directory.exists() for directory in paths.all_dirs())  # building paths creates nothing


def test_without_an_app_lock_the_app_is_always_unlocked() -> None:
    lock = NoAppLock()
    assert isinstance(lock, AppLock)
    assert lock.available is False
    assert lock.unlock("Unlock CallClient to see your voicemail") is UnlockResult.UNLOCKED
