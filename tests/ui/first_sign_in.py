"""The first run of a user with no account, in a process of its own (one pjsua2 Endpoint per process: the
UI tests' session Core already has one): the real Core and main window, a SIP account set up by hand in the
sign-in window, then a favorite added in the Favorites section. Prints one JSON line with what it saw.

    python -m tests.ui.first_sign_in USER DOMAIN REGISTRAR PASSWORD KEYCHAIN_SERVICE
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication


def wait(app: QApplication, condition: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        # Wake on the next event (a queued signal from the services), at most 20 ms later to re-check.
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)


def main(user: str, domain: str, registrar: str, password: str, keychain_service: str) -> int:
    from callclient.app import Core, CoreOptions
    from ui.bridge import EngineBridge, Tasks
    from ui.main_window import MainWindow
    from ui.parts import parts_from_core
    from ui.sign_in import SignInWindow

    app = QApplication(sys.argv[:1])
    core = Core(CoreOptions(demo=False, use_sound_devices=False, keychain_service=keychain_service))
    core.start()
    executor = ThreadPoolExecutor(2)
    bridge = EngineBridge(core.services.news.subscribe())
    seen: dict[str, object] = {}
    try:
        parts = parts_from_core(core, bridge, Tasks(executor))
        window = MainWindow(parts)
        window.show()
        window.start()
        window.show_section("favorites")
        view = window.favorites_view
        wait(app, lambda: view.state.text() != "", "the favorites' first state")
        seen["before"] = view.state.text()

        dialog = SignInWindow(parts, window)
        dialog.show()
        dialog.tabs.setCurrentIndex(1)
        dialog.user.setText(user)
        dialog.domain.setText(domain)
        dialog.sip_password.setText(password)
        dialog.registrar.setText(registrar)
        added: list[str] = []
        dialog.account_added.connect(added.append)
        dialog.save_button.click()
        wait(app, lambda: bool(added) or dialog.status.text().startswith("Could not"), "the account to be saved")
        seen["status"] = dialog.status.text()
        if not added:
            raise SystemExit(f"not saved: {dialog.status.text()}")

        view.name_field.setText("Bob")
        view.number_field.setText(f"sip:bob@{domain}")
        view.add_button.click()
        wait(app, lambda: any(f.label == "Bob" for f in view.favorites), "the favorite to be listed", 10)
        seen["listed"] = [f.label for f in view.favorites]
        seen["stored"] = [f.label for f in core.favorites.list(parts.account_id)]
        print(json.dumps(seen), flush=True)
        window.quitting = True
        window.close()
    finally:
        bridge.stop()
        core.stop()
        executor.shutdown(wait=False)
        keychain = core.keychain
        if keychain is not None:
            keychain.delete_everything()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
