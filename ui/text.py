"""Remote text on screen: always plain, never markup, never reordered, never unbounded.

A SIP display name, a URI's user part (URL-decoded), a reason phrase, a PBX string (a voicemail caller name,
an error message) or a presence note is chosen by whoever is at the other end. Qt's default `AutoText`
would render `<b><font size=7>Your Bank</font></b>` or an `<img width=2000>` from it, a bidi override would
turn "CEO \u202e0001 555" into "CEO 555 1000", and 3000 characters would stretch a window across the
screen (issue 12, item 2). Every widget that shows such text goes through this module:

    plain(text, limit)          control and bidi characters neutralised, elided to `limit` characters
    plain_name(text)            the same with the limit for a person's name
    caller(party)               the name and, beside it, the number, both plain
    set_plain(label, text)      a QLabel in Qt.PlainText, elided to its width, the full text for screen readers
    plain_tooltip(text)         a tooltip (tooltips have no text format of their own: it is escaped HTML)
    notification_body(text)     a tray notification's body (Linux notification servers read markup)
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # convertFromPlainText lives in QtGui's Qt namespace
from PySide6.QtWidgets import QLabel

NAME_LIMIT = 64  # a display name longer than this is not a name a person reads
NUMBER_LIMIT = 40
MESSAGE_LIMIT = 240  # reason phrases, PBX error messages, presence notes
ELLIPSIS = "…"
_NO_MAXIMUM_PX = (1 << 24) - 1  # QWIDGETSIZE_MAX, which PySide6 does not export

# Explicit bidi formatting: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the marks
# (U+200E, U+200F, U+061C). They reorder the characters around them, so "0001 555" can be shown as "555 1000".
# Removed, not replaced: the Unicode bidi algorithm still lays out Arabic or Hebrew names correctly without them.
_BIDI_CONTROLS = dict.fromkeys([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_SPACES = re.compile(r"\s+")


class _Party(Protocol):
    uri: str
    display_name: str
    number: str


def neutralise(text: str) -> str:
    """`text` without bidi controls, with control characters and line breaks as single spaces."""
    text = (text or "").translate(_BIDI_CONTROLS)
    # Cc: C0/C1 controls (NUL, ESC, CR, LF, ...); Zl/Zp: U+2028/U+2029 line and paragraph separators.
    text = "".join(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text)
    return _SPACES.sub(" ", text).strip()


def elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def plain(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Remote `text` as it may be shown: neutralised and at most `limit` characters."""
    return elide(neutralise(text), limit)


def plain_name(text: str, limit: int = NAME_LIMIT) -> str:
    return plain(text, limit)


def caller(party: _Party) -> tuple[str, str]:
    """(name, number) for a call's other party, neutralised but whole (`set_plain(label, name, NAME_LIMIT)`
    elides): the display name with the number beside it, so a name that claims to be someone cannot hide
    the number that is really calling. Without a display name the number (or the URI) is the name and the
    second line shows the URI."""
    number = plain(party.number, NUMBER_LIMIT)
    name = neutralise(party.display_name)
    if name:
        return name, number or plain(party.uri)
    return number or neutralise(party.uri), plain(party.uri) if number else ""


def caller_line(party: _Party) -> str:
    """One line for a tray message or a list: "Name (number)"."""
    name, number = caller(party)
    name = plain_name(name)
    return f"{name} ({number})" if number and number != name else name


def set_plain(label: QLabel, text: str, limit: int = MESSAGE_LIMIT) -> None:
    """Shows remote `text` in `label` as plain text. A label with a maximum width is also elided to that
    width in pixels; when anything was cut, the whole (neutralised) text is the accessible description."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    full = neutralise(text)
    shown = elide(full, limit)
    if label.maximumWidth() < _NO_MAXIMUM_PX and not label.wordWrap():
        margins = label.contentsMargins()
        width_px = label.maximumWidth() - margins.left() - margins.right()
        shown = label.fontMetrics().elidedText(shown, Qt.TextElideMode.ElideRight, max(width_px, 0))
    label.setText(shown)
    label.setAccessibleDescription(full if shown != full else "")


def plain_tooltip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A tooltip for remote `text`: tooltips guess their format (Qt::mightBeRichText), so the text is handed
    over already escaped as HTML, which shows it literally."""
    shown = plain(text, limit)
    return GuiQt.convertFromPlainText(shown) if shown else ""


def notification_body(text: str) -> str:
    """Plain `text` for QSystemTrayIcon.showMessage. On Linux Qt hands it to the desktop's notification
    server, which reads the body as markup when it can (the Desktop Notifications spec's "body-markup":
    <b>, <i>, <a>, <img>), so it gets the text HTML-escaped; elsewhere the body is shown as it is."""
    return html.escape(text, quote=False) if sys.platform.startswith("linux") else text
