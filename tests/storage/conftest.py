"""Fixtures for the storage tests: the real Secret Service, app directories, a read-only folder, a full disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.storage.keychain import Keychain
from callclient.storage.paths import AppPaths
from callclient.storage.store import LocalStore, open_store

from tests.storage.disk_conditions import IS_ROOT, FullDisk, ReadOnlySwitch, run_command


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    home = tmp_path / "home"
    return AppPaths(
        data_dir=home / ".local/share/CallClient",
        cache_dir=home / ".cache/CallClient",
        log_dir=home / ".local/state/CallClient/log",
        config_dir=home / ".config/CallClient",
    )


@pytest.fixture
def read_only() -> Iterator[ReadOnlySwitch]:
    switch = ReadOnlySwitch()
    yield switch
    switch.restore()


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[FullDisk]:
    directory = tmp_path / "small-disk"
    directory.mkdir()
    if IS_ROOT:
        run_command(["mount", "-t", "tmpfs", "-o", f"size={FullDisk.SIZE_BYTES},mode=0700", "tmpfs", str(directory)])
    disk = FullDisk(directory)
    try:
        yield disk
    finally:
        disk.free()
        if IS_ROOT:
            run_command(["umount", str(directory)])


@pytest.fixture
def store(tmp_path: Path, keychain: Keychain) -> Iterator[LocalStore]:
    """A fresh encrypted store, keyed from the real keychain."""
    opened = open_store(tmp_path / "store.db", keychain)
    yield opened.store
    opened.store.close()
