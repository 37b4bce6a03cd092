"""Screenshots of every main screen, grabbed from the real app (offscreen) in demo mode.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots.py [OUT_DIR] [--language fr]

--language fr (or de…) runs the app in a system locale of that language (LANG/LC_ALL), so the window takes
its words and formats from the system as a French or German desktop gives them; the PNGs go to
docs/screenshots/fr/ unless OUT_DIR is given. Build the catalogues first: scripts/translations build.

Starts the real Core with the demo far ends and demo PBX in a sandbox (bench/ui_sandbox.py), drives the
real windows (add favorites, play with sections, place a call, receive a call) and saves PNGs to
docs/screenshots/ (or OUT_DIR). README and docs/user-guide.md show them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ui_sandbox import REPO, process_until, sandbox

_args = sys.argv[1:]
LANGUAGE = _args.pop(_args.index("--language") + 1) if "--language" in _args else ""
if LANGUAGE:
    _args.remove("--language")
    os.environ["LANG"] = os.environ["LC_ALL"] = os.environ["LANGUAGE"] = f"{LANGUAGE}_{LANGUAGE.upper()}.UTF-8"
OUT = Path(_args[0]) if _args else REPO / "docs" / "screenshots" / LANGUAGE
SIZE = (980, 680)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with sandbox():
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication

        from callclient.app import CoreOptions
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
                          and window.registration_label.text().startswith(QCoreApplication.translate("", "Ready")),
                          30, "the lists")

            def save(widget, name: str) -> None:
                process_until(lambda: True, 1, "a paint")
                widget.grab().save(str(OUT / f"{name}.png"))
                print(f"saved {OUT / name}.png")

            window.dialpad.number.setText("100")
            save(window, "main-dialpad")
            window.dialpad.number.clear()
            for section in ("favorites", "history", "contacts"):
                window.show_section(section)
                save(window, f"main-{section}")
            window.show_section("voicemail")
            first = window.voicemail_view.message_rows()[0]
            window.voicemail_view.open_message(first)
            process_until(lambda: window.voicemail_view.player is not None, 15, "the message")
            window.voicemail_view.seek(window.voicemail_view.player.duration_s / 3)
            save(window, "main-voicemail")
            window.search.setText("bob")
            save(window, "main-search")
            window.search.clear()

            window.call("100")
            process_until(lambda: any(c.state is CallState.CONFIRMED for c in window.call_view.calls.values()),
                          20, "the call")
            window.call_view._ask_quality()
            process_until(lambda: " ms" in window.call_view.quality.text(), 10, "the quality figures")  # any language
            save(window, "in-call")
            core.engine.hangup_all().result(10)
            process_until(lambda: not window.call_view.has_calls(), 10, "the hang-up")

            window.call("400")
            process_until(lambda: window.incoming.isVisible(), 40, "the call-back")
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
