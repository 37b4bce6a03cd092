"""Issue 21: a registrar whose TLS certificate is not trusted is named as such, in the same words, in the
window's status line, the tray's tooltip and `callclient status` (the control socket's status reply, which
the command prints as it is). Against Kamailio over TLS with a certificate from a CA the app does not trust."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from callclient.control.client import ControlClient
from callclient.control.protocol import socket_path
from callclient.control.server import ControlServer
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki
from tests.services.conftest import CoreHome, core_home  # noqa: F401 - a Core in a home of its own
from tests.ui.conftest import CALL_TIMEOUT_MS
from ui.bridge import EngineBridge, Tasks
from ui.main_window import MainWindow
from ui.parts import parts_from_core


@pytest.fixture
def untrusted_window(core_home: CoreHome, kamailio: Kamailio, pki: Pki, qtbot: Any) -> Iterator[tuple]:  # noqa: F811
    core_home.config_file.write_text(f"""
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
    core_home.set_password("erin", "erin")
    core = core_home.start()
    control = ControlServer(socket_path(), lambda: core.services.calls if core.services else None)
    control.start()
    executor = ThreadPoolExecutor(2, thread_name_prefix="tls-test-work")
    bridge, tasks = EngineBridge(core.services.news.subscribe()), Tasks(executor)
    window = MainWindow(parts_from_core(core, bridge, tasks))
    qtbot.addWidget(window)
    window.show()
    window.start()
    yield window, core
    window.quitting = True
    control.stop()
    bridge.stop()
    executor.shutdown(wait=True)
    for thing in (bridge, tasks):
        thing.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_an_untrusted_certificate_is_named_alike_in_the_window_the_tray_and_status(untrusted_window: tuple,
                                                                                  qtbot: Any) -> None:
    window, _core = untrusted_window
    qtbot.waitUntil(lambda: "certificate not trusted" in window.registration_label.text(), timeout=CALL_TIMEOUT_MS)
    shown = window.registration_label.text()
    assert window.registration_label.textFormat() is Qt.TextFormat.PlainText
    assert "sip.tls_ca_file" in shown and "PJSIP_TLS_ECERTVERIF" not in shown, shown
    assert shown in window.tray_text().splitlines()

    with ControlClient(socket_path()) as client:
        status = client.request("status")
    [account] = [a for a in status["accounts"] if a["account_id"] == "erin"]
    assert account["reason"] and account["reason"] in shown, (account, shown)
    assert shown == f"Not connected: {account['reason']}"
