"""Concurrent writers of settings and of the keychain's account index (item 15): no write may be lost.

The threads start together on a barrier and write as fast as they can; nothing sleeps. Before the fix
the settings were read, changed and written back as three steps (Core.set_settings) and the keychain
index the same way, so the last writer won and the others' changes vanished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callclient.storage.keychain import Keychain, SecretKind, system_keyring
from callclient.storage.preferences import UNSET, Preferences
from callclient.storage.store import LocalStore, open_store

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
