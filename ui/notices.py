"""The main window's notices above its pages: the banner that says an error or a piece of news for a few seconds
(and has a screen reader read it out at once), the refused-call notices (ui/refused_calls.py; the tray tells
of each new one once, without the caller while the app is locked), and the far end's word on a transfer. The
refusals service keeps the refused calls; this only shows them and asks it to dismiss.

The main window composes one and places its two widgets; its words stay in the "MainWindow" translation
context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from callclient.services.threads import GUI, runs_on
from callclient.services.types import CallRefused, SettingsChanged, TransferProgress
from ui.announce import announce
from ui.refused_calls import RefusedCallsPanel, notice_text
from ui.sip_words import status_words
from ui.text import plain

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_BANNER_MS = 8000


class Notices(QObject):
    """`banner` (with `banner_text`) and `refused_calls` are the widgets the window lays out."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._refusals = window.parts.services.refusals
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)  # notices quote reason phrases and PBX errors
        self.banner_text.setAccessibleName(QCoreApplication.translate("MainWindow", "Notice"))
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text)
        self.banner.hide()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self.banner.hide)
        self.refused_calls = RefusedCallsPanel()
        self.refused_calls.dismiss_requested.connect(self.dismiss_refused)
        self.refused_calls.dismiss_all_requested.connect(self.dismiss_all_refused)
        self._refused_shown: set[int] = set()  # notice ids the tray has told of
        bridge = window.parts.bridge
        bridge.transfer_progress.connect(self.on_transfer_progress)
        bridge.settings_changed.connect(self._settings_changed)
        bridge.event.connect(self._on_event)

    def show_notice(self, text: str) -> None:
        self.banner_text.setText(plain(text))
        self.banner.show()
        announce(self.banner_text, self.banner_text.text(), assertive=True)  # errors and notices are read out
        self._banner_timer.start(_BANNER_MS)

    def on_transfer_progress(self, event: TransferProgress) -> None:
        """The far end's word on a transfer (RFC 3515 NOTIFY sipfrag), once it is final."""
        if not event.final:
            return
        if 200 <= event.code < 300:
            self.show_notice(QCoreApplication.translate("MainWindow", "Call transferred."))
        else:
            self.show_notice(QCoreApplication.translate("MainWindow", "The transfer did not go through: %1 (%2)")
                      .replace("%1", status_words(event.code, event.reason)).replace("%2", str(event.code)))

    @runs_on(GUI)
    def _on_event(self, event: object) -> None:
        if isinstance(event, CallRefused):
            self.show_refused_calls()

    def _settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("policy.refused_call_notices"):
            self.show_refused_calls()

    @runs_on(GUI)
    def show_refused_calls(self) -> None:
        """The refused calls the service keeps, as notices; the tray tells of each new one once. The call
        never rang: the engine refused it before alerting heard of it."""
        window = self._window
        notices = self._refusals.notices()
        for notice in notices:
            if notice.notice_id not in self._refused_shown:
                self._refused_shown.add(notice.notice_id)
                window.notify(QCoreApplication.translate("MainWindow", "Missed call"),
                              QCoreApplication.translate("MainWindow", "Unlock CallClient to see who called")
                              if window.app_lock.locked else notice_text(notice))
        self.refused_calls.show_notices(notices)
        window.system_tray.update()

    def dismiss_refused(self, notice_id: int) -> None:
        self._refusals.dismiss(notice_id)
        self.show_refused_calls()

    def dismiss_all_refused(self) -> None:
        self._refusals.dismiss_all()
        self.show_refused_calls()
