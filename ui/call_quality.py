"""The in-call quality line ("Good quality · opus · jitter 12 ms · loss 0,5 % · RTT 40 ms", estimated MOS in
its tooltip): asked of the call actions service every few seconds from pjsua2's stream statistics while the
current call is connected.

Its words stay in the "CallView" translation context: they are the in-call view's."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from callclient.services.types import CallQuality, CallState
from ui.parts import AppParts

_QUALITY_POLL_MS = 3000


class QualityLine(QLabel):
    """Polls the current call's statistics between start() and stop()."""

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._actions = parts.services.calls
        self.setProperty("role", "muted")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName(QCoreApplication.translate("CallView", "Call quality"))
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._timer = QTimer(self)
        self._timer.setInterval(_QUALITY_POLL_MS)
        self._timer.timeout.connect(self.ask)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def ask(self) -> None:
        calls = self._actions.calls
        call = calls.answered().get(calls.current_id or "")
        if call is None or call.state is not CallState.CONFIRMED:
            return
        self._parts.tasks.follow(self._actions.quality(call.call_id), self._show,
                                 lambda error: None)  # the call may have ended meanwhile: nothing to show

    def _show(self, quality: CallQuality) -> None:
        if quality.mos >= 4.0:
            verdict = QCoreApplication.translate("CallView", "Excellent")
        elif quality.mos >= 3.6:
            verdict = QCoreApplication.translate("CallView", "Good")
        elif quality.mos >= 3.1:
            verdict = QCoreApplication.translate("CallView", "Fair")
        else:
            verdict = QCoreApplication.translate("CallView", "Poor")
        text = QCoreApplication.translate("CallView", "%1 quality · %2 · jitter %3 ms · loss %4 % · RTT %5 ms")
        locale = QLocale()  # 0,5 % in French and German
        for placeholder, value in (("%1", verdict), ("%2", quality.codec),
                                   ("%3", locale.toString(quality.jitter_ms, "f", 0)),
                                   ("%4", locale.toString(quality.loss_percent, "f", 1)),
                                   ("%5", locale.toString(quality.rtt_ms, "f", 0))):
            text = text.replace(placeholder, value)
        self.setText(text)
        self.setToolTip(QCoreApplication.translate("CallView", "Estimated MOS %1")
                        .replace("%1", QLocale().toString(quality.mos, "f", 1)))
