"""The Contacts tab through the real window against the demo Core's spec-checked PBX (dird's /personal routes,
chatd presences over the websocket): a personal contact is edited and deleted from its context menu, a CSV file
is imported (the good lines land on the PBX, the bad one is named with its reason), and a colleague found by
the search box shows a busy lamp that follows what the PBX pushes; a click on it while it rings picks up."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from callclient.app import Core
from callclient.services.types import CallEnded, CallUpdated, PresenceState
from ui.lamp_rows import lamp_rect
from ui.main_window import MainWindow
from ui.models import SECONDARY_ROLE

LOAD_MS = 15_000
PUSH_MS = 5_000
SOPHIE = "5c7a3e9e-1b7c-4b8e-9f35-000000000002"  # the demo's personal contacts (data.personal_sample)
DENTIST = "5c7a3e9e-1b7c-4b8e-9f35-000000000003"
COLLEAGUE = "00000000-0000-4000-8000-000000000008"  # extension 1010, left alone by the demo's activity timer


@pytest.fixture
def server(core: Core) -> Any:
    assert core.demo is not None
    return core.demo.pbx


@pytest.fixture
def personal(server: Any, core: Core) -> Iterator[dict[str, dict[str, str]]]:
    """The signed-in user's personal contacts on the test PBX, put back as they were afterwards."""
    alice = next(iter(server.data.users))
    with server._lock:
        before = copy.deepcopy(server.data.personal[alice])
    yield server.data.personal[alice]
    with server._lock:
        server.data.personal[alice] = before
    assert core.services.directory is not None
    core.services.directory.refresh()  # the cached copy too


def search(qtbot: Any, window: MainWindow, term: str) -> None:
    window.search.clear()
    window.search.setText(term)  # what typing does (textChanged); QTest cannot type non-ASCII letters
    view = window.contacts_view
    qtbot.waitUntil(lambda: view.last_update is not None and view.last_update.term == term
                    and view.last_update.complete, timeout=LOAD_MS)


def result_named(window: MainWindow, name: str) -> Any:
    return next(r for r in window.contacts_view.model.results if r.name == name)


def action(menu: Any, text: str) -> Any:
    return next(a for a in menu.actions() if a.text() == text)


def test_editing_a_personal_contact_changes_it_on_the_pbx(qtbot: Any, window: MainWindow,
                                                          personal: dict[str, dict[str, str]]) -> None:
    view = window.contacts_view
    search(qtbot, window, "klein")
    menu = view.menu_for(result_named(window, "Sophie Klein"))
    action(menu, "Edit…").trigger()
    dialog = view.edit_dialog
    assert dialog is not None and dialog.isVisible()
    assert (dialog.firstname.text(), dialog.lastname.text(), dialog.number.text(), dialog.mobile.text(),
            dialog.email.text()) == ("Sophie", "Klein", "0612345678", "+49 171 2345678", "sophie@klein.example")
    dialog.company.setText("Klein Logistik")
    dialog.number.setText("0698765432")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: personal[SOPHIE].get("company") == "Klein Logistik", timeout=LOAD_MS)
    assert personal[SOPHIE]["number"] == "0698765432" and personal[SOPHIE]["mobile"] == "+49 171 2345678"
    assert personal[SOPHIE]["firstname"] == "Sophie", "fields the user did not touch are kept"
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=LOAD_MS)
    assert "Sophie Klein saved" in view.message.text()
    # The search runs again: the row shows the new number and company, and the old number is gone.
    qtbot.waitUntil(lambda: any(r.name == "Sophie Klein" and r.company == "Klein Logistik"
                                for r in view.model.results), timeout=LOAD_MS)
    numbers = {n.number for n in result_named(window, "Sophie Klein").numbers}
    assert "0698765432" in numbers and "0612345678" not in numbers


def test_deleting_a_personal_contact_asks_first_then_removes_it_from_the_pbx(
        qtbot: Any, window: MainWindow, personal: dict[str, dict[str, str]]) -> None:
    view = window.contacts_view
    search(qtbot, window, "dentist")
    action(view.menu_for(result_named(window, "Dentist")), "Delete").trigger()
    box = view.delete_box
    assert box is not None and box.isVisible() and "Dentist" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert DENTIST in personal, "No keeps the contact"
    assert "Dentist" in view.visible_names()

    action(view.menu_for(result_named(window, "Dentist")), "Delete").trigger()
    qtbot.mouseClick(view.delete_box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: DENTIST not in personal, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: "Dentist" not in view.visible_names(), timeout=LOAD_MS)
    assert "Dentist deleted" in view.message.text()
    assert window.parts.services.directory.caller_id("0144556677") is None, "no longer names that number"


def test_a_non_personal_result_offers_no_edit_or_delete(qtbot: Any, window: MainWindow) -> None:
    search(qtbot, window, "carol petit")
    texts = [a.text() for a in window.contacts_view.menu_for(result_named(window, "Carol Petit")).actions()]
    assert "Edit…" not in texts and "Delete" not in texts


CSV = ("firstname,lastname,number,company\n"
       "Yannick,Quémeneur,+33 2 98 00 11 22,Crêperie Quémeneur\n"
       "Broken,line\n"
       'Ingrid,Håkansson,+46 8 123 456 78,"Håkansson, Berg & Co"\n')


def test_csv_import_brings_in_the_good_lines_and_names_the_bad_one(
        qtbot: Any, window: MainWindow, personal: dict[str, dict[str, str]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = window.contacts_view
    book = tmp_path / "contacts.csv"
    book.write_bytes(b"\xef\xbb\xbf" + CSV.encode())  # as a spreadsheet exports "CSV UTF-8", with a BOM
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(book), ""))
    before = len(personal)
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    dialog = view.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: "imported" in dialog.summary.text() and "Importing" not in dialog.summary.text(),
                    timeout=LOAD_MS)
    assert dialog.summary.text().startswith("2 contact(s) imported"), dialog.summary.text()
    assert [dialog.failed.item(i).text() for i in range(dialog.failed.count())] == \
        ["Line 2: expected 4 fields, found 2"]
    assert len(personal) == before + 2
    ingrid = next(c for c in personal.values() if c.get("firstname") == "Ingrid")
    assert ingrid["company"] == "Håkansson, Berg & Co" and ingrid["number"] == "+46 8 123 456 78"
    assert not any(c.get("firstname") == "Broken" for c in personal.values())
    search(qtbot, window, "quémeneur")
    assert "Yannick Quémeneur" in view.visible_names()

    # A file that is not UTF-8 text: nothing is sent, the dialog says why.
    book.write_bytes("firstname,number\nJosé,123\n".encode("latin-1"))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    dialog = view.import_dialog
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.summary.text(), timeout=LOAD_MS)
    assert "not UTF-8" in dialog.summary.text() and "contacts.csv" in dialog.summary.text()
    assert len(personal) == before + 2


@pytest.fixture
def colleague(server: Any, core: Core, window: MainWindow, qtbot: Any) -> Iterator[tuple[str, str]]:
    """A colleague of the PBX's directory (not a favorite), available; their name and extension."""
    qtbot.waitUntil(lambda: core.services.pbx.live, timeout=LOAD_MS)
    entry = next(e for e in server.data.directory if e["user_uuid"] == COLLEAGUE)
    server.presence.set(COLLEAGUE, line_state="available", state="available", dnd=False)
    yield entry["name"], entry["number"]
    server.presence.set(COLLEAGUE, line_state="available", state="available", dnd=False)


def row_of(window: MainWindow, name: str) -> int:
    return window.contacts_view.visible_names().index(name)


def test_a_colleague_in_the_results_shows_the_lamp_the_pbx_pushes_and_a_ringing_one_picks_up(
        qtbot: Any, window: MainWindow, server: Any, core: Core, colleague: tuple[str, str]) -> None:
    name, extension = colleague
    view = window.contacts_view
    presence = core.services.presence
    search(qtbot, window, name.lower())
    assert COLLEAGUE in presence.search_users_followed
    qtbot.waitUntil(lambda: view.lamp_state(row_of(window, name)) == PresenceState.AVAILABLE, timeout=PUSH_MS)
    assert all(view.lamp_state(r) == "" for r, result in enumerate(view.model.results)
               if all(c.kind.value != "pbx-user" for c in result.contacts)), "only colleagues have a lamp"
    for change, lamp in [({"line_state": "talking"}, PresenceState.BUSY),
                         ({"line_state": "available", "state": "away"}, PresenceState.AWAY),
                         ({"state": "available", "dnd": True}, PresenceState.DND),
                         ({"dnd": False, "line_state": "unavailable"}, PresenceState.OFFLINE),
                         ({"line_state": "ringing"}, PresenceState.RINGING)]:
        server.presence.set(COLLEAGUE, **change)
        qtbot.waitUntil(lambda lamp=lamp: view.lamp_state(row_of(window, name)) == lamp, timeout=PUSH_MS)
    item = view.model.item(row_of(window, name))
    tooltip = item.toolTip().replace("\xa0", " ")  # escaped as HTML: spaces are non-breaking
    assert "Ringing" in tooltip and "pick it up" in tooltip
    assert "Ringing" in item.data(SECONDARY_ROLE) and item.data(SECONDARY_ROLE).startswith(extension)
    assert "Pick up their call" in [a.text() for a in view.menu_for(result_named(window, name)).actions()]

    placed: list[object] = []
    window.parts.bridge.call_updated.connect(placed.append)
    window.parts.bridge.call_ended.connect(placed.append)
    index = view.model.index(row_of(window, name), 0)
    view.list.scrollTo(index)
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=lamp_rect(view.list.visualRect(index)).center())
    qtbot.waitUntil(lambda: any(isinstance(e, CallUpdated | CallEnded) and f"*8{extension}" in e.remote.uri
                                for e in placed), timeout=LOAD_MS)

    # Other results: the colleague is no longer followed.
    search(qtbot, window, "dentist")
    assert COLLEAGUE not in presence.search_users_followed
    window.search.clear()
    qtbot.waitUntil(lambda: presence.search_users_followed == (), timeout=PUSH_MS)


def test_a_colleague_who_is_also_a_favorite_has_one_lamp_in_both_lists(
        qtbot: Any, window: MainWindow, server: Any, core: Core, colleague: tuple[str, str]) -> None:
    name, extension = colleague
    favorites = window.favorites_view
    favorites.add(name, extension)
    try:
        qtbot.waitUntil(lambda: any(f.target == extension for f in favorites.favorites), timeout=LOAD_MS)
        row = next(r for r, f in enumerate(favorites.favorites) if f.target == extension)
        server.presence.set(COLLEAGUE, line_state="holding")
        qtbot.waitUntil(lambda: favorites.lamp_state(row) == PresenceState.ON_HOLD, timeout=PUSH_MS)
        # Already known: the results show it as soon as the colleague is on screen.
        search(qtbot, window, name.lower())
        qtbot.waitUntil(lambda: window.contacts_view.lamp_state(row_of(window, name)) == PresenceState.ON_HOLD,
                        timeout=PUSH_MS)
        window.search.clear()
        qtbot.waitUntil(lambda: core.services.presence.search_users_followed == (), timeout=PUSH_MS)
        server.presence.set(COLLEAGUE, line_state="talking")
        qtbot.waitUntil(lambda: favorites.lamp_state(row) == PresenceState.BUSY, timeout=PUSH_MS)
    finally:
        for favorite in core.services.favorites.list(window.parts.account_id):
            if favorite.target == extension:
                core.services.favorites.remove(favorite.id)
