"""Settings → About: the version, diagnostics support asks for, and the redacted log bundle."""

from __future__ import annotations

import platform
import sys
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from callclient import APP_NAME, __version__
from ui.parts import AppParts
from ui.settings.common import SettingsPage


class AboutPage(SettingsPage):
    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        layout = QVBoxLayout(self)
        self.diagnostics = QPlainTextEdit(diagnostics_text(parts))
        self.diagnostics.setReadOnly(True)
        self.diagnostics.setAccessibleName(self.tr("Diagnostics"))
        title = QLabel(f"{APP_NAME} {__version__}")
        title.setProperty("role", "title")
        copy = QPushButton(self.tr("Copy diagnostics"))
        copy.setAccessibleName(self.tr("Copy diagnostics to the clipboard"))
        copy.clicked.connect(self._copy_diagnostics)
        export = QPushButton(self.tr("Export log bundle…"))
        export.setAccessibleName(self.tr("Export the redacted logs and diagnostics to a zip file"))
        export.clicked.connect(self._export_logs)
        layout.addWidget(title)
        layout.addWidget(self.diagnostics, 1)
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(export, 0, Qt.AlignmentFlag.AlignLeft)

    def _export_logs(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export log bundle"), "callclient-logs.zip",
                                              self.tr("Zip archives (*.zip)"))
        if name:
            self.export_logs(Path(name))

    def export_logs(self, destination: Any) -> None:
        text, diagnostics = self.diagnostics.toPlainText(), self._parts.services.diagnostics
        self._parts.tasks.run(lambda: diagnostics.export_log_bundle(destination, text),
                              lambda path: QMessageBox.information(self, self.tr("Log bundle"),
                                                                   self.tr("Saved to {0}").format(path)),
                              lambda error: QMessageBox.warning(self, self.tr("Log bundle"), str(error)))

    def _copy_diagnostics(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.diagnostics.toPlainText())


def diagnostics_text(parts: AppParts) -> str:
    """What support asks for first; no secrets (accounts without passwords, no tokens)."""
    services = parts.services
    lines = [f"{APP_NAME} {__version__}", f"Python {sys.version.split()[0]} · Qt for Python {pyside_version}",
             f"OS: {platform.platform()}"]
    if services.log_dir is not None:
        lines.append(f"Logs: {services.log_dir}")
    lines.extend(f"Account {a.account_id}: {a.aor} ({a.transport})" for a in services.accounts.accounts)
    lines.extend(f"Notice: {notice}" for notice in services.notices)
    return "\n".join(lines)
