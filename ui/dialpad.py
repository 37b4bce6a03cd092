"""The dialpad: a number field, twelve keys, call and backspace. Keyboard first: digits typed anywhere in
the window land here, Enter calls, Backspace deletes, and pasted numbers lose their formatting."""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme

KEYS = (("1", ""), ("2", "ABC"), ("3", "DEF"), ("4", "GHI"), ("5", "JKL"), ("6", "MNO"),
        ("7", "PQRS"), ("8", "TUV"), ("9", "WXYZ"), ("*", ""), ("0", "+"), ("#", ""))

# What people write between the digits of a phone number; a SIP address keeps everything.
_SEPARATORS = re.compile(r"[\s().\-/\u00a0]")


def clean_number(text: str) -> str:
    """A pasted '+33 1 23-45' becomes '+3312345'; SIP addresses and names stay as typed."""
    text = text.strip()
    if "@" in text or ":" in text or re.search(r"[A-Za-z]", text):
        return text
    return _SEPARATORS.sub("", text)


class NumberField(QLineEdit):
    """Pasting a formatted number ('+33 (0)1 23 45') keeps only what can be dialled."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.matches(QKeySequence.StandardKey.Paste):
            from PySide6.QtGui import QGuiApplication

            self.insert(clean_number(QGuiApplication.clipboard().text()))
            return
        super().keyPressEvent(event)


class Dialpad(QWidget):
    call_requested = Signal(str)  # what to call, as typed
    digit_pressed = Signal(str)  # every key, for DTMF when the pad is used in a call

    def __init__(self, with_call_button: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_called = ""
        self.number = NumberField()
        self.number.setObjectName("numberField")
        self.number.setPlaceholderText(self.tr("Number, extension or SIP address"))
        self.number.setAccessibleName(self.tr("Number to call"))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.returnPressed.connect(self._call)
        self.backspace = QToolButton()
        self.backspace.setIcon(theme.icon("backspace"))
        self.backspace.setIconSize(QSize(22, 22))
        self.backspace.setAutoRaise(True)
        self.backspace.setToolTip(self.tr("Delete the last digit"))
        self.backspace.setAccessibleName(self.tr("Backspace"))
        self.backspace.clicked.connect(self.number.backspace)
        self.backspace.setAutoRepeat(True)

        field_row = QHBoxLayout()
        field_row.addWidget(self.number, 1)
        field_row.addWidget(self.backspace)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(12)
        self.keys: dict[str, QToolButton] = {}
        for position, (digit, letters) in enumerate(KEYS):
            key = QToolButton()
            key.setObjectName("dialKey")
            key.setText(f"{digit}\n{letters}" if letters else digit)
            key.setAccessibleName(self.tr("Key %1").replace("%1", digit))
            key.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            key.clicked.connect(lambda _=False, d=digit: self.press(d))
            grid.addWidget(key, position // 3, position % 3, Qt.AlignmentFlag.AlignCenter)
            self.keys[digit] = key

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(14)
        layout.addLayout(field_row)
        layout.addStretch(1)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.call_button: QPushButton | None = None
        if with_call_button:
            self.call_button = QPushButton()
            self.call_button.setObjectName("callButton")
            self.call_button.setIcon(theme.icon("call", "#ffffff"))
            self.call_button.setIconSize(QSize(24, 24))
            self.call_button.setToolTip(self.tr("Call (Enter); with an empty number, redial"))
            self.call_button.setAccessibleName(self.tr("Call"))
            self.call_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.call_button.clicked.connect(self._call)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.call_button)
            row.addStretch(1)
            layout.addLayout(row)
        QShortcut(QKeySequence("Ctrl+R"), self, self.redial, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setFocusProxy(self.number)

    def press(self, digit: str) -> None:
        self.number.insert(digit)
        self.digit_pressed.emit(digit)

    def type_text(self, text: str) -> None:
        """Text typed while another part of the window had focus: bring it here."""
        self.number.setFocus()
        self.number.insert(clean_number(text))

    def redial(self) -> None:
        if self._last_called:
            self.number.setText(self._last_called)
            self._call()

    def _call(self) -> None:
        target = clean_number(self.number.text())
        if not target:
            if self._last_called:
                self.number.setText(self._last_called)
            return
        self._last_called = target
        self.call_requested.emit(target)
        self.number.clear()
