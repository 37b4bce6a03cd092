"""Calls refused by policy, shown as missed-call notices in the main window until the user dismisses them.

The engine refused them without ringing (no SRTP offered while the account requires it, do not disturb,
not from the phone system, too many calls); the refusals service keeps them for this run. This panel only
shows what `RefusedCalls.notices()` holds, each with the reason in the user's words, and asks the service
to dismiss.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from callclient.services.refusals import RefusedCall
from ui.models import format_time
from ui.text import caller_line, plain, set_plain

# Beyond this many rows the panel says how many more there are: the notices must not push the lists away.
_ROWS_SHOWN = 4


def tr(text: str) -> str:
    # lupdate files a bare tr() call under the empty context, so that is where its translation is looked up.
    return QCoreApplication.translate("", text)


def refusal_words(notice: RefusedCall) -> str:
    """Why the call did not ring, as the user would say it."""
    words = {
        "encryption required": tr("refused: the caller's phone does not encrypt audio"),
        "do not disturb": tr("refused while do-not-disturb was on"),
        "not from the PBX": tr("refused: not from your phone system"),
        "too many calls": tr("refused: too many calls"),
    }
    return words.get(str(notice.reason.value), plain(notice.reason_text))


def notice_text(notice: RefusedCall) -> str:
    when = format_time(datetime.fromtimestamp(notice.refused_at).astimezone())
    return (tr("Missed call from %1 at %2 — %3").replace("%1", caller_line(notice.party))
            .replace("%2", when).replace("%3", refusal_words(notice)))


class RefusedCallsPanel(QFrame):
    dismiss_requested = Signal(int)  # notice id
    dismiss_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName(tr("Refused calls"))
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.more = QLabel()
        self.more.setProperty("role", "muted")
        self.dismiss_all = QPushButton(tr("Dismiss all"))
        self.dismiss_all.setAccessibleName(tr("Dismiss every refused-call notice"))
        self.dismiss_all.clicked.connect(self.dismiss_all_requested)
        footer = QHBoxLayout()
        footer.addWidget(self.more, 1)
        footer.addWidget(self.dismiss_all)
        layout = QVBoxLayout(self)
        layout.addLayout(self.rows)
        layout.addLayout(footer)
        self.labels: list[QLabel] = []
        self.hide()

    def show_notices(self, notices: tuple[RefusedCall, ...]) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.labels = []
        newest_first = list(reversed(notices))
        for notice in newest_first[:_ROWS_SHOWN]:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel()
            label.setWordWrap(True)
            label.setAccessibleName(tr("Refused call"))
            set_plain(label, notice_text(notice))
            dismiss = QPushButton(tr("Dismiss"))
            dismiss.setAccessibleName(tr("Dismiss this notice"))
            dismiss.clicked.connect(lambda _checked=False, n=notice.notice_id: self.dismiss_requested.emit(n))
            line.addWidget(label, 1, Qt.AlignmentFlag.AlignVCenter)
            line.addWidget(dismiss)
            self.rows.addWidget(row)
            self.labels.append(label)
        hidden = len(notices) - _ROWS_SHOWN
        self.more.setText(self.tr("%n more", "", hidden) if hidden > 0 else "")
        self.dismiss_all.setVisible(len(notices) > 1)
        self.setVisible(bool(notices))
