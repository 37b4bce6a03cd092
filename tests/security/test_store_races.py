"""Concurrent writers of settings and of the keychain's account index (item 15): no write may be lost.

The threads start together on a barrier and write as fast as they can; nothing sleeps. Before the fix
the settings were read, changed and written back as three steps (Core.set_settings) and the keychain
index the same way, so the last writer won and the others' changes vanished.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callclient.storage.keychain import Keychain, SecretKind, system_keyring
from callclient.storage.preferences import UNSET, Preferences
from callclient.storage.store import LocalStore, open_store

REPO = Path(__file__).resolve().parents[2]
THREADS = 8
ROUNDS = 25


@pytest.fixture
def store(tmp_path: Path, keychain: Keychain) -> Iterator[LocalStore]:
    opened = open_store(tmp_path / "store.db", keychain)
    yield opened.store
    opened.store.close()


def race(work: Callable[[int], None]) -> None:
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait(10)
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    assert not failures, failures


def test_settings_saved_together_from_many_threads_all_survive(store: LocalStore) -> None:
    preferences = Preferences(store)
    preferences.merge("settings", {"ui.theme": "dark"})

    def save_settings(index: int) -> None:
        for round_number in range(ROUNDS):
            preferences.merge("settings", {f"test.thread{index}.round{round_number}": round_number})

    race(save_settings)
    saved = preferences.get("settings")
    assert saved["ui.theme"] == "dark"
    missing = [f"test.thread{i}.round{r}" for i in range(THREADS) for r in range(ROUNDS)
               if f"test.thread{i}.round{r}" not in saved]
    assert missing == []


def test_undoing_a_merge_undoes_only_that_merge(store: LocalStore) -> None:
    preferences = Preferences(store)
    preferences.merge("settings", {"audio.capture_device": "Headset"})
    undo = preferences.merge("settings", {"audio.capture_device": "Laptop", "ui.theme": "dark"})
    preferences.merge("settings", {"ui.close_to_tray": False})  # another writer, meanwhile
    preferences.merge("settings", undo)
    assert undo == {"audio.capture_device": "Headset", "ui.theme": UNSET}
    assert preferences.get("settings") == {"audio.capture_device": "Headset", "ui.close_to_tray": False}


def test_accounts_saved_from_many_threads_are_all_in_the_keychain_index(keychain: Keychain) -> None:
    race(lambda index: keychain.set(f"line-{index}", SecretKind.SIP_PASSWORD, f"pw-{index}-x"))
    assert sorted(keychain.accounts_with_secrets()) == sorted(f"line-{i}" for i in range(THREADS))


def test_the_index_survives_writers_on_separate_keychain_objects(keychain: Keychain) -> None:
    """Separate Keychain objects on one service, as the app's and the PBX token store's are."""
    others = [Keychain(system_keyring(), service=keychain.service) for _ in range(THREADS)]
    race(lambda index: others[index].set(f"desk-{index}", SecretKind.SIP_PASSWORD, f"pw-{index}-y"))
    assert sorted(keychain.accounts_with_secrets()) == sorted(f"desk-{i}" for i in range(THREADS))
    race(lambda index: others[index].delete_all_for_account(f"desk-{index}") if index % 2 else None)
    assert sorted(keychain.accounts_with_secrets()) == sorted(f"desk-{i}" for i in range(0, THREADS, 2))


# The app's own settings path, in a child process (one pjsua2 endpoint per process): the Settings window,
# the tray and the CLI each call SettingsService.change, possibly at the same moment from different threads.
CORE_RACE = textwrap.dedent("""
    import json, os, sys, threading
    from pathlib import Path
    from callclient.app import Core, CoreOptions
    from callclient.services.settings import SETTINGS_KEY
    from callclient.storage.paths import AppPaths
    root, service = Path(sys.argv[1]), sys.argv[2]
    changes = json.loads(sys.argv[3])
    paths = AppPaths(data_dir=root / "data", cache_dir=root / "cache", log_dir=root / "log", config_dir=root / "config")
    (root / "user.toml").write_text("")
    core = Core(CoreOptions(paths=paths, demo=False, use_sound_devices=False, keychain_service=service,
                            config_file=root / "user.toml",
                            environ={**os.environ, "CALLCLIENT_SYSTEM_CONFIG": str(root / "no-system.toml")}))
    core.start()
    try:
        start = threading.Barrier(len(changes))
        def save(key, value):
            start.wait(10)
            core.services.settings.change({key: value}, by='race')
        threads = [threading.Thread(target=save, args=item) for item in changes.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        print(json.dumps(core.preferences.get(SETTINGS_KEY, {})))
    finally:
        core.stop()
""")


def test_settings_changed_at_once_through_the_app_are_all_saved(tmp_path: Path, keychain: Keychain) -> None:
    changes = {"audio.echo_cancellation": False, "audio.noise_suppression": False, "audio.auto_gain": False,
               "audio.high_pass": False, "ui.start_minimised": True, "ui.close_to_tray": False, "ui.theme": "dark"}
    done = subprocess.run([sys.executable, "-c", CORE_RACE, str(tmp_path), keychain.service, json.dumps(changes)],
                          capture_output=True, text=True, timeout=180, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-3000:]
    saved = json.loads(done.stdout.strip().splitlines()[-1])
    assert saved == changes
