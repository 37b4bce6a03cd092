"""Favorites: add, rename, remove, reorder, persisted encrypted, and the URIs the engine watches."""

from __future__ import annotations

from pathlib import Path

import pytest

from callclient.storage.favorites import FavoriteNotFound, Favorites, InvalidFavorite
from callclient.storage.keychain import Keychain
from callclient.storage.store import LocalStore, open_store

ALICE = "alice@pbx.example.com"
BOB = "bob@pbx.example.com"


def _labels(favorites: Favorites, account: str = ALICE) -> list[str]:
    return [favorite.label for favorite in favorites.list(account)]


def test_added_favorites_are_listed_in_the_order_added(store: LocalStore) -> None:
    favorites = Favorites(store)
    first = favorites.add(ALICE, "Reception", "100")
    favorites.add(ALICE, "Sales", "+1 (555) 010-2000")
    favorites.add(ALICE, "Carol", "sip:carol@partner.example.org")

    assert _labels(favorites) == ["Reception", "Sales", "Carol"]
    assert favorites.list(ALICE)[0] == first
    assert first.target == "100"


def test_favorites_belong_to_their_account(store: LocalStore) -> None:
    favorites = Favorites(store)
    favorites.add(ALICE, "Reception", "100")
    favorites.add(BOB, "Support", "200")

    assert _labels(favorites, ALICE) == ["Reception"]
    assert _labels(favorites, BOB) == ["Support"]


def test_rename_and_change_target(store: LocalStore) -> None:
    favorites = Favorites(store)
    favorite = favorites.add(ALICE, "Recption", "100")

    favorites.rename(favorite.id, "  Reception ")
    favorites.change_target(favorite.id, "101")

    (changed,) = favorites.list(ALICE)
    assert (changed.label, changed.target) == ("Reception", "101")


def test_remove_takes_only_that_favorite(store: LocalStore) -> None:
    favorites = Favorites(store)
    keep = favorites.add(ALICE, "Keep", "100")
    gone = favorites.add(ALICE, "Gone", "101")

    favorites.remove(gone.id)

    assert favorites.list(ALICE) == [keep]
    with pytest.raises(FavoriteNotFound):
        favorites.remove(gone.id)


def test_reorder_puts_favorites_in_the_given_order(store: LocalStore) -> None:
    favorites = Favorites(store)
    a, b, c = (favorites.add(ALICE, label, "100") for label in "ABC")

    favorites.reorder(ALICE, [c.id, a.id, b.id])

    assert _labels(favorites) == ["C", "A", "B"]


def test_reorder_must_list_every_favorite_once(store: LocalStore) -> None:
    favorites = Favorites(store)
    a, b = favorites.add(ALICE, "A", "100"), favorites.add(ALICE, "B", "101")

    with pytest.raises(InvalidFavorite, match="exactly once"):
        favorites.reorder(ALICE, [a.id])
    with pytest.raises(InvalidFavorite):
        favorites.reorder(ALICE, [a.id, a.id])
    assert _labels(favorites) == ["A", "B"]
    assert b.position == 1


def test_move_to_an_index(store: LocalStore) -> None:
    favorites = Favorites(store)
    *_, c = (favorites.add(ALICE, label, "100") for label in "ABC")

    favorites.move(c.id, 0)
    assert _labels(favorites) == ["C", "A", "B"]
    favorites.move(c.id, 99)
    assert _labels(favorites) == ["A", "B", "C"]


def test_adding_after_removal_goes_to_the_end(store: LocalStore) -> None:
    favorites = Favorites(store)
    a = favorites.add(ALICE, "A", "100")
    favorites.add(ALICE, "B", "101")
    favorites.remove(a.id)
    favorites.add(ALICE, "C", "102")

    assert _labels(favorites) == ["B", "C"]


@pytest.mark.parametrize("target", ["", "   ", "call bob", "sip:", "12ab34"])
def test_targets_that_cannot_be_called_are_refused(store: LocalStore, target: str) -> None:
    with pytest.raises(InvalidFavorite):
        Favorites(store).add(ALICE, "Someone", target)
    assert Favorites(store).list(ALICE) == []


def test_a_favorite_needs_a_name(store: LocalStore) -> None:
    with pytest.raises(InvalidFavorite, match="name"):
        Favorites(store).add(ALICE, "  ", "100")


def test_presence_uris_are_sip_uris_in_list_order_without_duplicates(store: LocalStore) -> None:
    favorites = Favorites(store)
    favorites.add(ALICE, "Reception", "100")
    favorites.add(ALICE, "Sales", "+1 (555) 010-2000")
    favorites.add(ALICE, "Carol", "sip:carol@partner.example.org")
    favorites.add(ALICE, "Dave", "dave@partner.example.org")
    favorites.add(ALICE, "Reception again", "100")
    favorites.add(ALICE, "Landline", "tel:+15550103000")
    favorites.add(BOB, "Bob's only", "300")

    assert favorites.presence_uris(ALICE, "pbx.example.com") == [
        "sip:100@pbx.example.com",
        "sip:+15550102000@pbx.example.com",
        "sip:carol@partner.example.org",
        "sip:dave@partner.example.org",
    ]


def test_favorites_persist_encrypted(tmp_path: Path, keychain: Keychain) -> None:
    path = tmp_path / "store.db"
    with open_store(path, keychain).store as store:
        Favorites(store).add(ALICE, "Quartermaster Unique", "4242")

    assert b"Quartermaster Unique" not in path.read_bytes()
    assert b"4242" not in path.read_bytes()
    with open_store(path, keychain).store as store:
        assert _labels(Favorites(store)) == ["Quartermaster Unique"]
