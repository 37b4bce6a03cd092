"""Settings → Network: TLS trust, local ports, STUN and the phone system's API, with where each came from
(these are an administrator's decisions, set in the config files)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QWidget

from ui.parts import AppParts
from ui.settings.common import SettingsPage


class NetworkPage(SettingsPage):
    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        form = QFormLayout(self)
        sip = self.config.config.sip if self.config is not None else None
        verify = QCheckBox(self.tr("Verify the server's certificate"))
        verify.setChecked(bool(sip.tls_verify_server) if sip else True)
        verify.setEnabled(False)  # turning verification off is an administrator's decision, in the config file
        self._row(form, self.tr("TLS"), verify, "sip.tls_verify_server")
        ca = QLabel((sip.tls_ca_file if sip else "") or self.tr("the system's trusted authorities"))
        ca.setWordWrap(True)
        self._row(form, self.tr("Certificate authorities"), ca, "sip.tls_ca_file")
        ports = QLabel(self.tr("UDP %1 · TCP %2 · TLS %3").replace("%1", _port(sip, "udp_port"))
                       .replace("%2", _port(sip, "tcp_port")).replace("%3", _port(sip, "tls_port")))
        self._row(form, self.tr("Local ports"), ports, "sip.udp_port")
        stun = QLabel(", ".join(sip.stun_servers) if sip and sip.stun_servers else self.tr("none"))
        self._row(form, self.tr("STUN servers"), stun, "sip.stun_servers")
        demo_url = parts.services.demo_pbx_url
        pbx = QLabel(self._value("pbx", "base_url", "")
                     or (self.tr("demo phone system (%1)").replace("%1", demo_url) if demo_url else self.tr("none")))
        self._row(form, self.tr("Phone system API"), pbx, "pbx.base_url")


def _port(sip: Any, name: str) -> str:
    value = getattr(sip, name, 0) if sip is not None else 0
    return str(value) if value else "auto"
