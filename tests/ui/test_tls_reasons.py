"""Issue 21: a registrar whose TLS certificate is not trusted is named as such, in the same words, in the
window's status line, the tray's tooltip and `callclient status` (the control socket's status reply, which
the command prints as it is). Against Kamailio over TLS with a certificate from a CA the app does not trust.

The window runs in a process of its own (one pjsua2 Endpoint per process: the UI tests' session Core
already has one); run as a module, this file is that process and prints one JSON line with what it saw:

    python -m tests.ui.test_tls_reasons CONFIG_FILE PASSWORD KEYCHAIN_SERVICE
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SIP_USERS
from tests.fixtures.headless import private_dirs
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki

REPO = Path(__file__).resolve().parents[2]


def test_an_untrusted_certificate_is_named_alike_in_the_window_the_tray_and_status(
        kamailio: Kamailio, pki: Pki, secret_service, tmp_path: Path) -> None:  # noqa: ANN001
    config = tmp_path / "callclient.toml"
    config.write_text(f"""
[sip]
tls_ca_file = "{pki.other_ca_file}"

[[accounts]]
id = "erin"
display_name = "Erin"
user = "erin"
domain = "{kamailio.domain}"
registrar = "{kamailio.address('tls')}"
outbound_proxy = "{kamailio.address('tls')}"
transport = "tls"
""")
    home = tmp_path / "home"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PULSE_", "XDG_"))}
    env.update(private_dirs(home, tmp_path / "no-admin.toml", "cc-tls-run-"),
               QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.test_tls_reasons", str(config), SIP_USERS["erin"],
         f"CallClient-tls-{secrets.token_hex(4)}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout[-2000:] + result.stderr[-3000:]
    seen = json.loads(lines[-1])

    shown = seen["status_line"]
    assert seen["plain_text"], "the status line shows the reason as plain text"
    assert "certificate not trusted" in shown and "sip.tls_ca_file" in shown, shown
    assert "PJSIP_TLS_ECERTVERIF" not in shown
    assert shown in seen["tray_tooltip"].splitlines(), seen
    assert seen["status_reason"] and shown == f"Not connected: {seen['status_reason']}", seen


def _window_process(config_file: str, password: str, keychain_service: str) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication

    from callclient.app import Core, CoreOptions
    from callclient.control.client import ControlClient
    from callclient.control.protocol import socket_path
    from callclient.control.server import ControlServer
    from callclient.storage.keychain import Keychain, SecretKind, system_keyring
    from ui.bridge import EngineBridge, Tasks
    from ui.main_window import MainWindow
    from ui.parts import parts_from_core

    app = QApplication([])
    keychain = Keychain(system_keyring(), service=keychain_service)
    keychain.set("erin", SecretKind.SIP_PASSWORD, password)
    core = Core(CoreOptions(config_file=Path(config_file), demo=False, use_sound_devices=False,
                            keychain_service=keychain_service))
    core.start()
    control = ControlServer(socket_path(), lambda: core.services.calls if core.services else None)
    control.start()
    executor = ThreadPoolExecutor(2, thread_name_prefix="tls-test-work")
    bridge = EngineBridge(core.services.news.subscribe())
    window = MainWindow(parts_from_core(core, bridge, Tasks(executor)))
    window.show()
    window.start()
    try:
        deadline = time.monotonic() + 30
        while "certificate not trusted" not in window.registration_label.text():
            if time.monotonic() > deadline:
                print(json.dumps({"status_line": window.registration_label.text(), "timed_out": True}))
                return 1
            # Wake on the next event (a queued signal from the services), at most 20 ms later to re-check.
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
        with ControlClient(socket_path()) as client:
            status = client.request("status")
        reason = next(a["reason"] for a in status["accounts"] if a["account_id"] == "erin")
        print(json.dumps({"status_line": window.registration_label.text(), "tray_tooltip": window.system_tray.text(),
                          "plain_text": window.registration_label.textFormat() is Qt.TextFormat.PlainText,
                          "status_reason": reason}), flush=True)
        return 0
    finally:
        window.quitting = True
        window.close()
        control.stop()
        bridge.stop()
        executor.shutdown(wait=True)
        core.stop()
        keychain.delete_everything()


if __name__ == "__main__":
    sys.exit(_window_process(*sys.argv[1:4]))
