"""Preferences and local state: JSON values in the encrypted store, app-wide or per account."""

from __future__ import annotations

from pathlib import Path

import pytest

from callclient.storage.keychain import Keychain
from callclient.storage.preferences import Preferences
from callclient.storage.store import LocalStore, open_store


def test_values_round_trip_with_their_types(store: LocalStore) -> None:
    preferences = Preferences(store)
    values = {"ring_volume": 0.8, "start_minimized": True, "theme": "dark", "columns": [1, 2], "geometry": None}
    for key, value in values.items():
        preferences.set(key, value)

    assert {key: preferences.get(key, "unset") for key in values} == values
    assert preferences.all() == values


def test_missing_keys_give_the_default(store: LocalStore) -> None:
    assert Preferences(store).get("nothing", 42) == 42


def test_setting_again_replaces_and_delete_removes(store: LocalStore) -> None:
    preferences = Preferences(store)
    preferences.set("theme", "dark")
    preferences.set("theme", "light")
    assert preferences.get("theme") == "light"

    preferences.delete("theme")
    assert preferences.get("theme") is None


def test_account_preferences_are_separate_from_app_wide_ones(store: LocalStore) -> None:
    preferences = Preferences(store)
    preferences.set("dnd", False)
    preferences.set("dnd", True, account_id="alice@pbx")

    assert preferences.get("dnd") is False
    assert preferences.get("dnd", account_id="alice@pbx") is True
    assert preferences.all(account_id="alice@pbx") == {"dnd": True}


def test_values_that_json_cannot_hold_are_refused_before_writing(store: LocalStore) -> None:
    preferences = Preferences(store)
    with pytest.raises(TypeError):
        preferences.set("bad", object())
    assert preferences.all() == {}


def test_erasing_an_account_removes_only_its_rows(store: LocalStore) -> None:
    preferences = Preferences(store)
    preferences.set("theme", "dark")
    preferences.set("dnd", True, account_id="alice@pbx")
    preferences.set("dnd", True, account_id="bob@pbx")

    store.erase_account("alice@pbx")

    assert preferences.all(account_id="alice@pbx") == {}
    assert preferences.all(account_id="bob@pbx") == {"dnd": True}
    assert preferences.get("theme") == "dark"


def test_preferences_persist_encrypted(tmp_path: Path, keychain: Keychain) -> None:
    path = tmp_path / "store.db"
    with open_store(path, keychain).store as store:
        Preferences(store).set("last_dialled", "5550199887")

    assert b"5550199887" not in path.read_bytes()
    with open_store(path, keychain).store as store:
        assert Preferences(store).get("last_dialled") == "5550199887"
