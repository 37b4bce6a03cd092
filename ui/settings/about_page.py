"""Settings → About: the version, the main components and the third-party notices (Help → About), the
diagnostics support asks for, and the redacted log bundle."""

from __future__ import annotations

import platform
import sys
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callclient import APP_NAME, __version__
from callclient.services.types import PROJECT_LICENCE, NoticesMissing, main_components, third_party_notices
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
        self.components = QLabel("\n".join(f"{c.name}: {c.role} ({c.licence})" for c in main_components()))
        self.components.setTextFormat(Qt.TextFormat.PlainText)
        self.components.setWordWrap(True)
        self.components.setAccessibleName(self.tr("Main components and their licences"))
        licence = QLabel(self.tr("Licensed under %1. Built on:").replace("%1", PROJECT_LICENCE))
        licence.setTextFormat(Qt.TextFormat.PlainText)
        self.notices_button = QPushButton(self.tr("Third-party notices…"))
        self.notices_button.setAccessibleName(self.tr("Show the licences of every component CallClient ships"))
        self.notices_button.clicked.connect(self.show_notices)
        self.notices_window: QDialog | None = None
        layout.addWidget(title)
        layout.addWidget(licence)
        layout.addWidget(self.components)
        layout.addWidget(self.notices_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.diagnostics, 1)
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(export, 0, Qt.AlignmentFlag.AlignLeft)

    def show_notices(self) -> None:
        """The full notices, read off the GUI thread, shown as plain text; a missing file says where it looked."""
        self._parts.tasks.run(third_party_notices, self._show_notices, self._notices_missing)

    def _show_notices(self, text: str) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Third-party notices"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view = QPlainTextEdit(dialog)  # plain text only: the notices quote licence texts verbatim
        view.setReadOnly(True)
        view.setPlainText(text)
        view.setAccessibleName(self.tr("Third-party notices"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.close)
        box = QVBoxLayout(dialog)
        box.addWidget(view)
        box.addWidget(buttons)
        dialog.resize(720, 560)
        self.notices_window = dialog
        dialog.show()

    def _notices_missing(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, NoticesMissing) else f"{type(error).__name__}: {error}"
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Third-party notices"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.notices_window = box
        box.open()

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
                                                                   self.tr("Saved to %1").replace("%1", str(path))),
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
