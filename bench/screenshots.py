"""Screenshots of every main screen, grabbed from the real app (offscreen) in demo mode.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots.py [OUT_DIR] [--language fr]

--language fr (or de…) runs the app in a system locale of that language (LANG/LC_ALL), so the window takes
its words and formats from the system as a French or German desktop gives them; the PNGs go to
docs/screenshots/fr/ unless OUT_DIR is given. Build the catalogues first: scripts/translations build.

Starts the real Core with the demo far ends and demo PBX in a sandbox (bench/ui_sandbox.py), drives the
real windows (add favorites, play with sections, place a call, receive a call) and saves PNGs to
docs/screenshots/ (or OUT_DIR). README and docs/user-guide.md show them.

The desktop shots need an X screen: the app's Core runs with DISPLAY set to an Xvfb of its own (the windows
stay offscreen), GNOME's notification-daemon (package notification-daemon: it draws action buttons, as
GNOME and most desktops do) shows the app's notifications there, and `import -window root` photographs
the screen, cropped to the notification. Another X client holds ctrl+alt+m first, so Settings > Desktop
shows a shortcut conflict; the headset list is the kernel's device list as a Jabra headset shows it (no
headset is plugged into a build machine).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ui_sandbox import REPO, demo_desktop, process_until, sandbox

_args = sys.argv[1:]
LANGUAGE = _args.pop(_args.index("--language") + 1) if "--language" in _args else ""
if LANGUAGE:
    _args.remove("--language")
    os.environ["LANG"] = os.environ["LC_ALL"] = os.environ["LANGUAGE"] = f"{LANGUAGE}_{LANGUAGE.upper()}.UTF-8"
OUT = Path(_args[0]) if _args else REPO / "docs" / "screenshots" / LANGUAGE
SIZE = (980, 680)
NOTIFICATION_DAEMON = "/usr/lib/notification-daemon/notification-daemon"
NOTIFICATION_TIMEOUT_S = 15.0


def desktop_session(stack: contextlib.ExitStack) -> object:
    """An X screen with a notification server for the app's Core (see the module's docstring)."""
    from tests.fixtures.xvfb import running_xvfb

    if not Path(NOTIFICATION_DAEMON).exists():
        raise SystemExit(f"{NOTIFICATION_DAEMON} is missing: apt-get install notification-daemon "
                         "(scripts/debian-packages.txt)")
    display = stack.enter_context(running_xvfb(Path(os.environ["XDG_RUNTIME_DIR"]) / "xvfb"))
    os.environ["DISPLAY"] = display.name
    # The notification names its icon "callclient", as install.sh puts it in the user's icon theme.
    icons = Path(os.environ["XDG_DATA_HOME"]) / "icons/hicolor/scalable/apps"
    icons.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "resources/icons/callclient.svg", icons / "callclient.svg")
    daemon = subprocess.Popen([NOTIFICATION_DAEMON], env=display.env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    stack.callback(lambda: (daemon.terminate(), daemon.wait(10)))
    process_until(lambda: _bus_name_owned("org.freedesktop.Notifications"), 15, "the notification server")

    from Xlib import X, XK
    from Xlib import display as xdisplay

    other = xdisplay.Display(display.name)  # "another program" holding ctrl+alt+m
    keycode = other.keysym_to_keycode(XK.string_to_keysym("m"))
    for locks in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
        other.screen().root.grab_key(keycode, X.ControlMask | X.Mod1Mask | locks, False, X.GrabModeAsync,
                                     X.GrabModeAsync)
    other.sync()
    stack.callback(other.close)
    return display


def _bus_name_owned(name: str) -> bool:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(os.environ["DBUS_SESSION_BUS_ADDRESS"]) as connection:
        return bool(connection.send_and_get_reply(message_bus.NameHasOwner(name)).body[0])


def save_notification(display: object, name: str) -> None:
    """The X screen, cropped to what the notification server drew on its empty (black) root window."""
    shot = OUT / f"{name}-screen.png"
    out = OUT / f"{name}.png"

    def drawn() -> bool:
        display.screenshot(shot)
        subprocess.run(["convert", str(shot), "-trim", "+repage", "-bordercolor", "#d0d0d0", "-border", "1",
                        str(out)], check=True, timeout=30, capture_output=True)  # a blank screen trims to nothing
        size = subprocess.run(["identify", "-format", "%w %h", str(out)], capture_output=True, text=True,
                              check=True, timeout=30).stdout.split()
        return int(size[0]) > 200 and int(size[1]) > 60

    try:
        process_until(drawn, NOTIFICATION_TIMEOUT_S, "the notification on the X screen")
    finally:
        shot.unlink(missing_ok=True)
    print(f"saved {out}")


def headset_listing(desktop_service: object, workdir: Path) -> str:
    """Points the desktop service at a Jabra headset's entries in the kernel's device lists (evdev and
    hidraw, recorded); returns its stable evdev path."""
    from tests.desktop.test_headset import PROC_DEVICES

    listing = workdir / "input-devices"
    listing.write_text(PROC_DEVICES)
    by_id = workdir / "by-id"
    by_id.mkdir(exist_ok=True)
    jabra = by_id / "usb-GN_Audio_A_S_Jabra_Evolve2_40-event-if03"
    if not jabra.is_symlink():
        os.symlink("../event12", jabra)
    desktop_service.input_devices_file = listing
    desktop_service.input_names_dir = by_id
    from tests.desktop.test_hid_telephony import DESCRIPTOR

    hidraw = workdir / "sys-class-hidraw" / "hidraw3" / "device"
    hidraw.mkdir(parents=True, exist_ok=True)
    (hidraw / "report_descriptor").write_bytes(DESCRIPTOR)
    (hidraw / "uevent").write_text("HID_NAME=GN Audio A/S Jabra Evolve2 40\n")
    desktop_service.hidraw_dir = hidraw.parent.parent
    return str(jabra)
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
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication

        from callclient.services.directory import PersonalContactFields
        from callclient.engine.events import CallState
        from ui.main import apply_theme
        from ui.settings import SettingsDialog
        from ui.sign_in import SignInWindow

        session = contextlib.ExitStack()
        x_screen = desktop_session(session)
        app = QApplication([sys.argv[0]])
        app.setStyle("Fusion")
        apply_theme(app)
        try:
            desktop = session.enter_context(demo_desktop(app))  # closed before the desktop session below
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
            window.call_view.quality.ask()
            process_until(lambda: " ms" in window.call_view.quality.text(), 10, "the quality figures")  # any language
            save(window, "in-call")
            core.engine.hangup_all().result(10)
            process_until(lambda: not window.call_view.has_calls(), 10, "the hang-up")

            # A call being recorded (where the policy allows it): the red dot and the time.
            window.parts.services.settings.change({"policy.recording_allowed": True}, by="the screenshots")
            window.call("100")
            process_until(lambda: any(c.state is CallState.CONFIRMED for c in window.call_view.calls.values())
                          and window.call_view.record.isVisible() and window.call_view.record.isEnabled(),
                          20, "the call with its record button")
            window.call_view.record.click()
            process_until(lambda: "0:03" in window.call_view.recording_state.text(), 15, "three seconds recorded")
            save(window, "recording")
            core.engine.hangup_all().result(10)
            process_until(lambda: not window.call_view.has_calls()
                          and core.services.recording.in_progress is None, 10, "the hang-up")
            window.parts.services.settings.change({"policy.recording_allowed": False}, by="the screenshots")

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
            save_notification(x_screen, "notification-incoming-call")
            window.answering.decline(window.incoming.call_id)

            settings = SettingsDialog(window.parts, window)
            settings.resize(680, 520)
            settings.show()
            process_until(lambda: settings.audio_page.playback.count() > 1, 15, "the devices")
            settings.tabs.setCurrentWidget(settings.audio_page)
            save(settings, "settings-audio")
            settings.tabs.setCurrentWidget(settings.network_page)
            save(settings, "settings-network")
            settings.tabs.setCurrentWidget(settings.directory_page)
            save(settings, "settings-directory")
            settings.close()

            headset = headset_listing(core.services.desktop, Path(os.environ["XDG_RUNTIME_DIR"]))
            core.services.settings.change({"desktop.hotkey_answer": "ctrl+alt+a", "desktop.hotkey_hang_up":
                                           "ctrl+alt+h", "desktop.hotkey_mute": "ctrl+alt+m",
                                           "desktop.headset_devices": [headset], "desktop.link_handler": True},
                                          by="the screenshot script")
            settings = SettingsDialog(window.parts, window)
            settings.resize(720, 640)
            settings.show()
            settings.tabs.setCurrentWidget(settings.desktop_page)
            process_until(lambda: settings.desktop_page.conflict_labels["mute"].isVisible(), 15, "the conflict")
            save(settings, "settings-desktop")
            settings.close()
            # Forwarding as the PBX has it (set as a desk phone would), and the banner while all calls go.
            from callclient.demo.pbx_server.forwards import change_forward

            me = core.pbx.session.user_uuid
            change_forward(core.demo.pbx, me, "busy", True, "1002")
            change_forward(core.demo.pbx, me, "noanswer", True, "0612345678")
            change_forward(core.demo.pbx, me, "unconditional", True, "0612345678")
            process_until(window.forwarding_banner.isVisible, 10, "the forwarding banner")
            save(window, "main-forwarded")
            settings = SettingsDialog(window.parts, window)
            settings.resize(680, 520)
            settings.tabs.setCurrentWidget(settings.forwarding_page)
            settings.show()
            process_until(lambda: settings.forwarding_page.status.text() == "", 10, "the forwards")
            save(settings, "settings-forwarding")
            settings.close()
            for name in ("busy", "noanswer", "unconditional"):
                change_forward(core.demo.pbx, me, name, False, "")

            sign_in = SignInWindow(window.parts, window)
            sign_in.show()
            save(sign_in, "sign-in")
            sign_in.close()

            presence_shots(window, core, save)
        finally:
            session.close()
    return 0


def presence_shots(window, core, save) -> None:  # noqa: ANN001
    """Busy lamps in every state (the demo PBX's colleagues, set by hand) and the status menu open."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from callclient.services.types import MyStatus

    server = core.demo.pbx
    server.presence.stop()  # the demo's own lamp changes: each lamp shows its state for the picture
    favorites = core.services.favorites
    account = window.parts.account_id
    for favorite in favorites.list(account):
        favorites.remove(favorite.id)
    colleagues = [e for e in server.data.directory if e["backend"] == "wazo" and e["user_uuid"]][1:8]
    states = [{"line_state": "available"}, {"line_state": "ringing"}, {"line_state": "talking"},
              {"line_state": "holding"}, {"state": "away"}, {"dnd": True, "status": "In a meeting until 3"},
              {"line_state": "unavailable"}]
    for entry, change in zip(colleagues, states, strict=True):
        server.presence.set(entry["user_uuid"], **{"line_state": "available", "state": "available", "dnd": False,
                                                    **change})
        favorites.add(account, entry["name"], entry["number"])
    window.show_section("favorites")
    window.favorites_view.refresh()
    view = window.favorites_view
    process_until(lambda: view.model.rowCount() == 7, 15, "the colleagues")
    wanted = ["available", "ringing", "busy", "on hold", "away", "do not disturb", "offline"]
    process_until(lambda: sorted(view.lamp_state(r) for r in range(7)) == sorted(wanted), 15, "every lamp")
    ringing = next(r for r in range(7) if view.lamp_state(r) == "ringing")
    view.list.setCurrentIndex(view.model.index(ringing, 0))  # its Pick up button lights up
    core.services.my_status.set(MyStatus.AWAY)
    process_until(lambda: window.status_button.text() == "Away", 10, "my status")
    save(window, "favorites-lamps")

    menu = window.status_button.menu_of_statuses
    # Above the button, as Qt opens it at the bottom of a real screen (offscreen, the screen has room below).
    corner = window.status_button.mapToGlobal(QPoint(0, -menu.sizeHint().height()))
    menu.popup(corner)
    process_until(menu.isVisible, 5, "the status menu")
    process_until(lambda: True, 1, "a paint")
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(corner), menu.grab())
    painter.end()
    picture.save(str(OUT / "status-menu.png"))
    print(f"saved {OUT / 'status-menu'}.png")
    menu.close()
    core.services.my_status.set(MyStatus.AVAILABLE)


if __name__ == "__main__":
    sys.exit(main())
