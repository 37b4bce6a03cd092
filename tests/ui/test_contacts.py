"""Contacts and caller names through the real windows: the demo Core's directory service asks the demo PBX's
dird routes (spec-checked) over HTTPS; calls come from the demo far ends' own pjsua2 process."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from callclient.app import Core
from callclient.services.directory_search import SearchUpdate
from tests.fixtures.opened_files import OpenedFiles
from tests.ui.conftest import CALL_TIMEOUT_MS
from ui.main_window import MainWindow
from ui.models import SOURCES_ROLE
from ui.settings import SettingsDialog

LOAD_MS = 15_000
COLLEAGUE = "Nadia Okonkwo-Sørensen"


def demo_pbx(core: Core) -> Any:
    assert core.demo is not None
    return core.demo.pbx


def row_of(window: MainWindow, name: str) -> int:
    names = window.contacts_view.visible_names()
    return names.index(name) if name in names else -1


def test_search_streams_local_results_at_once_then_the_pbx_directory(qtbot: Any, window: MainWindow,
                                                                     core: Core) -> None:
    window.favorites_view.add("Bob Durand", "1002")
    qtbot.waitUntil(lambda: any(f.label == "Bob Durand" for f in window.favorites_view.favorites), timeout=LOAD_MS)
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() > 0, timeout=LOAD_MS)
    updates: list[SearchUpdate] = []
    window.contacts_view.update_shown.connect(updates.append)
    try:
        qtbot.keyClicks(window.search, "durand")
        assert window.current_section() == "contacts"
        # The local answer is on screen when the keystroke returns; the PBX is still being asked.
        first = next(u for u in updates if u.term == "durand")  # shown inside the keystroke's search()
        assert "Company directory" in first.pending, "the local answer does not wait for the PBX"
        assert [r.name for r in first.results][:1] == ["Bob Durand"], "the favorite ranks first"
        qtbot.waitUntil(lambda: updates[-1].term == "durand" and updates[-1].complete, timeout=LOAD_MS)
        qtbot.waitUntil(lambda: "PBX" in (window.contacts_view.model.index(row_of(window, "Bob Durand"), 0)
                                          .data(SOURCES_ROLE) or ""), timeout=LOAD_MS)
        bob = window.contacts_view.model.index(row_of(window, "Bob Durand"), 0)
        sources = bob.data(SOURCES_ROLE).split(" · ")
        assert sources[0] == "PBX" and "Favorite" in sources and "History" in sources
        assert window.contacts_view.visible_names().count("Bob Durand") == 1, "merged by number, not repeated"
        assert "Sales" in bob.data(Qt.ItemDataRole.AccessibleTextRole) or "Example Corp" in \
            bob.data(Qt.ItemDataRole.AccessibleTextRole), "company or title beside the number"

        # Enter dials the highlighted result's number.
        window.contacts_view.list.setCurrentIndex(bob)
        window.contacts_view.list.activated.emit(bob)
        qtbot.waitUntil(lambda: any(c.remote.number == "1002" for c in window.call_view.calls.values()),
                        timeout=CALL_TIMEOUT_MS)
    finally:
        window.contacts_view.update_shown.disconnect(updates.append)
        for favorite in core.favorites.list(window.parts.account_id):
            if favorite.label == "Bob Durand":
                core.favorites.remove(favorite.id)


def test_a_source_that_fails_is_a_quiet_notice_and_the_others_keep_answering(qtbot: Any, window: MainWindow,
                                                                            core: Core) -> None:
    settings = core.services.settings
    settings.change({"directory.ldap_url": "ldap://127.0.0.1:9", "directory.ldap_base_dn": "dc=example,dc=com",
                     "directory.ldap_timeout_s": 2}, by="test")
    try:
        qtbot.keyClicks(window.search, "petit")
        qtbot.waitUntil(lambda: window.contacts_view.last_update is not None
                        and window.contacts_view.last_update.complete, timeout=LOAD_MS)
        view = window.contacts_view
        assert view.problems.isVisible() and "LDAP" in view.problems.text()
        assert "127.0.0.1" in view.problems.text(), "the notice names the server that could not be reached"
        assert "Carol Petit" in view.visible_names(), "the PBX directory's answer is still shown"
    finally:
        settings.change({"directory.ldap_url": "", "directory.ldap_base_dn": "", "directory.ldap_timeout_s": 5},
                        by="test")


@pytest.fixture
def colleague_calling_from_400(core: Core) -> Iterator[str]:
    """A colleague in the PBX's directory whose number is the demo far end that calls back (400)."""
    server = demo_pbx(core)
    entry = {"id": str(uuid.uuid4()), "name": COLLEAGUE, "number": "400", "mobile": "+33 6 98 76 54 32",
             "email": "nadia@example.com", "company": "Example Corp", "title": "Head of Support",
             "backend": "wazo", "source": "wazo_default", "user_uuid": str(uuid.uuid4())}
    with server._lock:
        server.data.directory.append(entry)
    yield COLLEAGUE
    with server._lock:
        server.data.directory.remove(entry)
    assert core.services.directory is not None
    core.services.directory.forget()  # later tests expect 400 to be "Call me back" again


def test_an_incoming_call_from_a_directory_colleague_shows_the_name_title_and_number(
        qtbot: Any, window: MainWindow, colleague_calling_from_400: str) -> None:
    incoming = window.incoming
    # Looked up once before (the directory's answer is cached with every number she has)...
    qtbot.keyClicks(window.search, "okonkwo")
    qtbot.waitUntil(lambda: window.contacts_view.last_update is not None
                    and window.contacts_view.last_update.complete
                    and colleague_calling_from_400 in window.contacts_view.visible_names(), timeout=LOAD_MS)
    # ...she calls (the reverse lookup answers with the one number that matched).
    window.call("400")
    qtbot.waitUntil(lambda: incoming.isVisible() and incoming.call_id is not None, timeout=40_000)
    qtbot.waitUntil(lambda: incoming.caller.text() == colleague_calling_from_400, timeout=5_000)
    assert incoming.number.text() == "400"
    assert incoming.details.isVisible() and incoming.details.text() == "Head of Support, Example Corp"
    assert incoming.caller_id is not None and incoming.caller_id.kind.value == "pbx-user"
    qtbot.mouseClick(incoming.answer, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.call_view.name.text() == colleague_calling_from_400, timeout=CALL_TIMEOUT_MS)
    assert window.call_view.number.text().startswith("400")
    qtbot.waitUntil(lambda: window.call_view.other_numbers.isVisibleTo(window.call_view), timeout=5_000)
    other = [a.text() for a in window.call_view.other_numbers.menu().actions()]
    assert other == ["Call +33 6 98 76 54 32"], "the contact's other numbers are offered"


def test_history_add_to_contacts_creates_the_personal_contact_on_the_pbx(qtbot: Any, window: MainWindow,
                                                                        core: Core) -> None:
    server = demo_pbx(core)
    window.show_section("history")
    view = window.history_view
    qtbot.waitUntil(lambda: view.filtered.rowCount() > 0, timeout=LOAD_MS)
    row = next(r for r in range(view.filtered.rowCount())
               if view.filtered.index(r, 0).data(Qt.ItemDataRole.DisplayRole) == "Carol Petit")
    # The row carries the directory's title for Carol beside her number.
    qtbot.waitUntil(lambda: "1003 · " in (view.filtered.index(row, 0).data(Qt.ItemDataRole.UserRole + 1) or ""),
                    timeout=LOAD_MS)
    menu = view.menu_for(view.filtered.index(row, 0))
    action = next(a for a in menu.actions() if a.text() == "Add to contacts…")
    assert action.isEnabled()
    action.trigger()
    dialog = window.add_contact_dialog
    assert dialog is not None and dialog.isVisible()
    assert (dialog.firstname.text(), dialog.lastname.text(), dialog.number.text()) == ("Carol", "Petit", "1003")
    dialog.company.setText("Petit Consulting")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    def saved() -> list[dict[str, str]]:
        with server._lock:
            return [c for contacts in server.data.personal.values() for c in contacts.values()
                    if c.get("number") == "1003" and c.get("company") == "Petit Consulting"]

    try:
        qtbot.waitUntil(lambda: bool(saved()), timeout=LOAD_MS)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=LOAD_MS)
        assert saved()[0]["firstname"] == "Carol" and saved()[0]["lastname"] == "Petit"
        assert "added to your contacts" in window.banner_text.text()
    finally:
        with server._lock:
            for contacts in server.data.personal.values():
                for key in [k for k, c in contacts.items() if c.get("company") == "Petit Consulting"]:
                    del contacts[key]


VCARD = """BEGIN:VCARD
VERSION:3.0
FN:Hélène Garnier
N:Garnier;Hélène;;;
ORG:Boulangerie Garnier
TEL;TYPE=WORK:+33 4 72 00 11 22
END:VCARD
"""


def test_the_address_book_is_read_only_after_consent_and_revoking_removes_it(
        qtbot: Any, window: MainWindow, core: Core, tmp_path: Path) -> None:
    directory, settings = core.services.directory, core.services.settings
    assert directory is not None
    book = tmp_path / "contacts.vcf"
    book.write_text(VCARD)
    settings.change({"directory.vcard_paths": [str(book)]}, by="test")
    opened = OpenedFiles()
    dialog = SettingsDialog(window.parts, window)
    qtbot.addWidget(dialog)
    page = dialog.directory_page
    try:
        dialog.tabs.setCurrentWidget(page)
        dialog.show()
        assert not page.address_book.isChecked() and not page.vcard_paths.isEnabled()
        qtbot.keyClicks(window.search, "garnier")
        qtbot.waitUntil(lambda: window.contacts_view.last_update is not None
                        and window.contacts_view.last_update.complete, timeout=LOAD_MS)
        assert "Hélène Garnier" not in window.contacts_view.visible_names()

        # Ticking the switch explains first; "Not now" leaves it off and the file unread.
        page.address_book.click()
        consent = page.consent_dialog
        assert consent is not None and consent.isVisible() and not page.address_book.isChecked()
        qtbot.mouseClick(consent.deny_button, Qt.MouseButton.LeftButton)
        assert not settings.config.config.directory.address_book_allowed
        assert str(book) not in opened.paths, "the address book was read before the user allowed it"

        page.address_book.click()
        qtbot.mouseClick(page.consent_dialog.allow_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: settings.config.config.directory.address_book_allowed, timeout=LOAD_MS)
        assert page.address_book.isChecked() and page.vcard_paths.isEnabled()
        qtbot.waitUntil(lambda: directory.caller_id("+33472001122") is not None, timeout=LOAD_MS)
        assert str(book) in opened.paths
        window.search.clear()
        qtbot.keyClicks(window.search, "garnier")
        row = row_of(window, "Hélène Garnier")
        assert row >= 0 and window.contacts_view.model.index(row, 0).data(SOURCES_ROLE) == "Address book"

        page.address_book.click()  # revoke
        qtbot.waitUntil(lambda: not settings.config.config.directory.address_book_allowed, timeout=LOAD_MS)
        qtbot.waitUntil(lambda: directory.caller_id("+33472001122") is None, timeout=LOAD_MS)
        assert core.store is not None
        assert core.store.read("SELECT count(*) FROM directory_cache WHERE source = 'Address book'")[0][0] == 0
        window.search.clear()
        qtbot.keyClicks(window.search, "garnier")
        assert "Hélène Garnier" not in window.contacts_view.visible_names()
    finally:
        opened.on = False
        dialog.close()
        window.search.clear()
        settings.change({"directory.vcard_paths": [], "directory.address_book_allowed": False}, by="test")


def test_settings_directory_page_saves_through_the_settings_service(qtbot: Any, window: MainWindow,
                                                                    core: Core) -> None:
    settings = core.services.settings
    dialog = SettingsDialog(window.parts, window)
    qtbot.addWidget(dialog)
    page = dialog.directory_page
    try:
        page.pbx_enabled.click()
        qtbot.waitUntil(lambda: not settings.config.config.directory.pbx_enabled, timeout=LOAD_MS)
        assert settings.config.origin("directory.pbx_enabled") != "default"
        page.ldap_url.setText("ldaps://ldap.example.com")
        page.ldap_url.editingFinished.emit()
        qtbot.waitUntil(lambda: settings.config.config.directory.ldap_url == "ldaps://ldap.example.com",
                        timeout=LOAD_MS)
    finally:
        dialog.close()
        settings.change({"directory.pbx_enabled": True, "directory.ldap_url": ""}, by="test")


def test_history_and_voicemail_rows_carry_the_directory_s_name_for_a_bare_number(qtbot: Any,
                                                                                 window: MainWindow) -> None:
    """The demo PBX's call records name the reception desk only by its number; its phonebook knows it."""
    def names(model: Any) -> list[str]:
        return [model.item(row).text() for row in range(model.rowCount())]

    qtbot.waitUntil(lambda: "Reception" in names(window.history_view.model), timeout=LOAD_MS)
    assert "+33 1 23 45 67 89" not in names(window.history_view.model)
    qtbot.waitUntil(lambda: "Reception" in names(window.voicemail_view.model), timeout=LOAD_MS)
