"""Config failures that are not ConfigError (item 7): a hostile or broken layer, a cache that cannot be
written. None may crash startup or end live reload; each becomes a ConfigError or a notice naming it."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.config import ConfigError, ConfigWatcher, LoadedConfig, load_config
from tests.config.conftest import Files
from tests.config.provisioning_server import Answer, ProvisioningServer
from tests.fixtures.net import wait_until
from tests.fixtures.tls import Pki
from tests.storage.disk_conditions import ReadOnlySwitch

DEPTH = 5000  # far past Python's recursion limit: tomllib parses nested arrays recursively
DEEP = "[ui]\ntheme = " + "[" * DEPTH + "]" * DEPTH + "\n"
REMOTE = b'[ui]\ntheme = "dark"\n'


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(tmp_path)


@pytest.fixture
def server(pki: Pki) -> Iterator[ProvisioningServer]:
    running = ProvisioningServer(pki)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def read_only() -> Iterator[ReadOnlySwitch]:
    switch = ReadOnlySwitch()
    yield switch
    switch.restore()


def provisioned(files: Files, server: ProvisioningServer, pki: Pki) -> None:
    files.system.write_text(f'[provisioning]\nurl = "{server.url}"\nca_file = "{pki.ca_file}"\n'
                            '[ui]\ntheme = "light"\n')


def test_a_deeply_nested_user_file_is_a_config_error_naming_the_file(files: Files) -> None:
    files.user.write_text(DEEP)
    with pytest.raises(ConfigError) as raised:
        load_config(files.sources())
    assert str(raised.value).startswith(f"{files.user}:2: values are nested too deeply")


def test_a_deeply_nested_remote_answer_falls_back_to_the_cached_copy(files: Files, server: ProvisioningServer,
                                                                    pki: Pki, keychain) -> None:
    provisioned(files, server, pki)
    server.answer = Answer(body=REMOTE)
    assert load_config(files.sources(), keychain=keychain).config.ui.theme == "dark"
    server.answer = Answer(body=DEEP.encode())
    loaded = load_config(files.sources(), keychain=keychain)
    assert loaded.config.ui.theme == "dark", "the last good remote copy is still in force"
    assert loaded.remote_problem.startswith("using the last good remote config")
    assert f"{server.url}:2: values are nested too deeply" in loaded.remote_problem


def test_a_cache_that_cannot_be_written_leaves_the_fresh_remote_config_in_force_with_a_notice(
        files: Files, server: ProvisioningServer, pki: Pki, keychain, read_only: ReadOnlySwitch) -> None:
    provisioned(files, server, pki)
    server.answer = Answer(body=b'[ui]\ntheme = "system"\n')
    load_config(files.sources(), keychain=keychain)  # a cached copy from an earlier start
    read_only.make_read_only(files.root / "cache")
    server.answer = Answer(body=REMOTE)
    loaded = load_config(files.sources(), keychain=keychain)  # what Core.start calls: it must not raise
    assert loaded.config.ui.theme == "dark"
    assert "could not be kept" in loaded.remote_problem and "read-only" in loaded.remote_problem
    assert loaded.remote_problem in loaded.warnings, "the notice reaches the user with the other warnings"


def watch(files: Files) -> tuple[ConfigWatcher, queue.Queue[LoadedConfig], queue.Queue[str]]:
    current = load_config(files.sources())
    changes: queue.Queue[LoadedConfig] = queue.Queue()
    errors: queue.Queue[str] = queue.Queue()
    return ConfigWatcher(files.sources(), current, changes.put, errors.put, poll_s=0.05), changes, errors


def test_live_reload_survives_a_deeply_nested_edit_and_applies_the_next_good_one(files: Files) -> None:
    files.user.write_text('[ui]\ntheme = "light"\n')
    watcher, changes, errors = watch(files)
    watcher.start()
    try:
        files.user.write_text(DEEP)
        problem = errors.get(timeout=10)
        assert f"{files.user}:2: values are nested too deeply" in problem
        assert watcher.current.config.ui.theme == "light"
        files.user.write_text('[ui]\ntheme = "dark"\n')
        assert changes.get(timeout=10).config.ui.theme == "dark", "live reload still runs after the error"
    finally:
        watcher.stop()


def test_live_reload_survives_a_cache_write_failure_and_applies_the_next_edit(
        files: Files, server: ProvisioningServer, pki: Pki, keychain, read_only: ReadOnlySwitch) -> None:
    provisioned(files, server, pki)
    server.answer = Answer(body=b'[ui]\nclose_to_tray = false\n')
    current = load_config(files.sources(), keychain=keychain)
    changes: queue.Queue[LoadedConfig] = queue.Queue()
    errors: queue.Queue[str] = queue.Queue()
    watcher = ConfigWatcher(files.sources(), current, changes.put, errors.put, keychain=keychain, poll_s=0.05)
    watcher.start()
    try:
        read_only.make_read_only(files.root / "cache")
        server.answer = Answer(body=REMOTE)
        watcher.reload()  # SIGHUP / a settings change: re-fetches; keeping the copy fails
        reloaded = changes.get(timeout=15)
        assert reloaded.config.ui.theme == "dark"
        assert "could not be kept" in reloaded.remote_problem
        files.user.write_text('[ui]\nclose_to_tray = true\n')
        assert changes.get(timeout=10).config.ui.close_to_tray is True, "live reload still runs"
        assert errors.empty()
    finally:
        watcher.stop()


def test_the_app_starts_when_the_provisioning_cache_cannot_be_written(tmp_path: Path, server: ProvisioningServer,
                                                                     pki: Pki, secret_service,
                                                                     read_only: ReadOnlySwitch) -> None:
    """The shipped start (`callclient --headless`): before, the OSError from the cache write ended startup."""
    from tests.fixtures.headless import AppHome, HeadlessApp

    home = AppHome(tmp_path / "app")
    user_file = tmp_path / "user.toml"
    user_file.write_text("")
    Path(home.env["CALLCLIENT_SYSTEM_CONFIG"]).write_text(
        f'[provisioning]\nurl = "{server.url}"\nca_file = "{pki.ca_file}"\n')
    cache = home.home / ".cache" / "CallClient"
    try:
        server.answer = Answer(body=REMOTE)
        first = HeadlessApp(home, user_file, "--no-demo")
        first.ready()
        # The exit code is not what this test is about, and is not checked: a SIGTERM sent right after the
        # ready line can reach numpy's OpenBLAS thread, started before --headless blocks its signals.
        first.stop()
        assert (cache / "provisioning.cache").exists()

        read_only.make_read_only(cache)
        server.answer = Answer(body=b'[ui]\ntheme = "system"\n')  # a newer admin file the app cannot keep
        second = HeadlessApp(home, user_file, "--no-demo")
        second.ready()
        wait_until(lambda: "is in force, but it could not be kept" in "".join(second.stderr), 10,
                   "the notice that the remote config was not kept")
        assert "read-only" in "".join(second.stderr)
        second.stop()

        server.answer = Answer(body=DEEP.encode())  # and a broken one: the cached copy is used, with a notice
        third = HeadlessApp(home, user_file, "--no-demo")
        third.ready()
        wait_until(lambda: "using the last good remote config" in "".join(third.stderr), 10,
                   "the notice that the cached remote config is used")
        assert "values are nested too deeply" in "".join(third.stderr)
        third.stop()
    finally:
        home.cleanup()
