"""The main window's tray icon: its tooltip (the registration state, my status, the missed, refused and
voicemail counts), the badge on its icon, its menu (the state line, my status, quick dial, show the window,
call forwarding, quit) and the notifications the window shows through it. Where the desktop has no tray,
there is no icon and notifications are only remembered (`last_notification`).

Its words stay in the "MainWindow" translation context, but for the plural counts: lupdate reads plurals only
from tr(), so those are the tray's own ("SystemTray")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QInputDialog, QMenu, QSystemTrayIcon

from callclient.services.types import MyStatus
from ui import theme
from ui.status_menu import status_label, tray_status_menu
from ui.text import notification_body

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class SystemTray(QObject):
    """Built once the window's navigation, menus and forwarding menu exist; `icon` is None without a tray."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.last_notification: tuple[str, str] | None = None  # what the tray was last asked to show
        self.icon = self._build() if QSystemTrayIcon.isSystemTrayAvailable() else None

    def _build(self) -> QSystemTrayIcon:
        window = self._window
        tray = QSystemTrayIcon(theme.app_icon(), window)
        menu = QMenu(window)
        self.status_line = menu.addAction(QCoreApplication.translate("MainWindow", "Starting…"))
        self.status_line.setEnabled(False)
        self.status_menu = tray_status_menu(window.status_actions, menu)
        menu.addMenu(self.status_menu)
        menu.addAction(QCoreApplication.translate("MainWindow", "Quick dial…"), self._quick_dial)
        menu.addAction(QCoreApplication.translate("MainWindow", "Show CallClient"), window.bring_to_front)
        menu.addMenu(window.forwarding_menu)
        menu.addSeparator()
        menu.addAction(QCoreApplication.translate("MainWindow", "Quit"), window.quit)
        tray.setContextMenu(menu)
        tray.activated.connect(lambda reason: window.bring_to_front()
                               if reason is QSystemTrayIcon.ActivationReason.Trigger else None)
        tray.show()
        return tray

    def text(self) -> str:
        """Status and badges, as the tray's tooltip shows them."""
        window = self._window
        status = window.registration_label.text()
        mine = window.status_actions.status
        if window.dnd.isChecked():
            status = QCoreApplication.translate("MainWindow", "Do not disturb · %1").replace("%1", status)
        elif mine is not MyStatus.AVAILABLE:
            status = f"{status_label(mine)} · {status}"
        lines = [QCoreApplication.translate("MainWindow", "CallClient"), status]
        if window.missed_calls:
            lines.append(self.tr("%n missed", "", window.missed_calls))
        refused = len(window.parts.services.refusals.notices())
        if refused:
            lines.append(self.tr("%n refused", "", refused))
        if window.unread_voicemail:
            lines.append(self.tr("%n voicemail", "", window.unread_voicemail))
        return "\n".join(lines)

    def update(self) -> None:
        if self.icon is None:
            return
        window = self._window
        self.icon.setToolTip(self.text())
        self.icon.setIcon(theme.badged_icon(window.missed_calls + window.unread_voicemail))
        self.status_line.setText(window.registration_label.text().replace("&", "&&"))  # "&" is a mnemonic

    def notify(self, title: str, text: str) -> None:
        """A tray notification of plain words (callers build `text` with ui.text)."""
        self.last_notification = (title, text)
        if self.icon is not None:
            self.icon.showMessage(title, notification_body(text))

    def _quick_dial(self) -> None:
        target, ok = QInputDialog.getText(self._window, QCoreApplication.translate("MainWindow", "Quick dial"),
                                          QCoreApplication.translate("MainWindow", "Number to call:"))
        if ok and target.strip():
            self._window.call(target.strip())
