"""Screenshots of every main screen, grabbed from the real app (offscreen) in demo mode.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots.py [OUT_DIR]

Starts the real Core with the demo far ends and demo PBX in a sandbox (bench/ui_sandbox.py), drives the
real windows (add favorites, play with sections, place a call, receive a call) and saves PNGs to
docs/screenshots/ (or OUT_DIR). README and docs/user-guide.md show them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ui_sandbox import REPO, process_until, sandbox

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
SIZE = (980, 680)
CARDS = """BEGIN:VCARD
VERSION:4.0
FN:Hélène Durand
N:Durand;Hélène;;;
ORG:Boulangerie Durand
TEL;TYPE=cell:+33 4 72 00 11 22
END:VCARD
"""


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with sandbox():
        from PySide6.QtWidgets import QApplication

        from callclient.app import CoreOptions
        from callclient.services.directory import PersonalContactFields
        from callclient.engine.events import CallState
        from ui.main import DesktopApp, apply_theme
        from ui.settings import SettingsDialog
        from ui.sign_in import SignInWindow

        app = QApplication([sys.argv[0]])
        app.setStyle("Fusion")
        apply_theme(app)
        desktop = DesktopApp(app, CoreOptions(demo=True))
        desktop.start()
        try:
            process_until(lambda: desktop.window is not None, 60, "the main window")
            window = desktop.window
            core = desktop.core
            window.resize(*SIZE)
            for label, number in (("Echo test", "100"), ("Recorded message", "200"), ("Voicemail box", "300"),
                                  ("Bob Durand", "1002")):
                core.favorites.add(window.parts.account_id, label, number)
            window.start()
            process_until(lambda: window.history_view.model.rowCount() > 0
                          and window.voicemail_view.model.rowCount() > 0
                          and window.favorites_view.model.rowCount() == 4
                          and window.registration_label.text().startswith("Ready"), 30, "the lists")

            def save(widget, name: str) -> None:
                process_until(lambda: True, 1, "a paint")
                widget.grab().save(str(OUT / f"{name}.png"))
                print(f"saved {OUT / name}.png")

            window.dialpad.number.setText("100")
            save(window, "main-dialpad")
            window.dialpad.number.clear()
            # History rows named by the directory (the reception desk's number, colleagues' titles).
            history = window.history_view.model
            process_until(lambda: any(history.item(r).text() == "Reception" for r in range(history.rowCount())),
                          15, "the history's names")
            for section in ("favorites", "history"):
                window.show_section(section)
                save(window, f"main-{section}")
            window.show_section("voicemail")
            first = window.voicemail_view.message_rows()[0]
            window.voicemail_view.open_message(first)
            process_until(lambda: window.voicemail_view.player is not None, 15, "the message")
            window.voicemail_view.seek(window.voicemail_view.player.duration_s / 3)
            save(window, "main-voicemail")
            # Search results from several sources: the PBX's users and phonebook, a personal contact on the
            # PBX, the desktop's address book (allowed for the screenshot), favorites and history.
            directory = core.services.directory
            book = Path.home() / "Documents" / "contacts.vcf"  # in the sandbox's home
            book.parent.mkdir(parents=True, exist_ok=True)
            book.write_text(CARDS)
            try:
                core.services.settings.change({"directory.vcard_paths": [str(book)],
                                               "directory.address_book_allowed": True}, by="screenshots")
                process_until(lambda: directory.caller_id("+33 4 72 00 11 22") is not None, 15, "the address book")
            finally:
                book.unlink()
            directory.add_personal_contact(PersonalContactFields(firstname="Julie", lastname="Durand",
                                                                 number="+33 6 45 12 78 90", company="Garage Durand"))
            window.search.setText("durand")
            process_until(lambda: window.contacts_view.last_update is not None
                          and window.contacts_view.last_update.complete
                          and window.contacts_view.model.rowCount() >= 3, 15, "the search results")
            save(window, "main-search")
            window.search.clear()
            window.show_section("contacts")
            save(window, "main-contacts")

            window.call("100")
            process_until(lambda: any(c.state is CallState.CONFIRMED for c in window.call_view.calls.values()),
                          20, "the call")
            window.call_view._ask_quality()
            process_until(lambda: "jitter" in window.call_view.quality.text(), 10, "the quality figures")
            save(window, "in-call")
            core.engine.hangup_all().result(10)
            process_until(lambda: not window.call_view.has_calls(), 10, "the hang-up")

            # The call-back comes from a colleague the PBX's directory knows (seeded like the tests do).
            with core.demo.pbx._lock:
                core.demo.pbx.data.directory.append(
                    {"id": "screenshot-colleague", "name": "Nadia Okonkwo", "number": "400", "mobile": "",
                     "email": "nadia.okonkwo@example.com", "company": "Example Corp", "title": "Head of Support",
                     "backend": "wazo", "source": "wazo_default", "user_uuid": "00000000-0000-4000-8000-000000000400"})
            window.call("400")
            process_until(lambda: window.incoming.isVisible() and window.incoming.caller.text() == "Nadia Okonkwo",
                          40, "the named call-back")
            save(window.incoming, "incoming-call")
            window.decline(window.incoming.call_id)

            settings = SettingsDialog(window.parts, window)
            settings.resize(680, 520)
            settings.show()
            process_until(lambda: settings.audio_page.playback.count() > 1, 15, "the devices")
            settings.tabs.setCurrentIndex(1)
            save(settings, "settings-audio")
            settings.tabs.setCurrentIndex(3)
            save(settings, "settings-network")
            settings.tabs.setCurrentWidget(settings.directory_page)
            save(settings, "settings-directory")
            settings.close()

            sign_in = SignInWindow(window.parts, window)
            sign_in.show()
            save(sign_in, "sign-in")
            sign_in.close()
        finally:
            window = desktop.window
            if window is not None:
                window.quitting = True
                window.close()
            desktop.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
