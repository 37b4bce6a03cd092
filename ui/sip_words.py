"""SIP final responses in the user's words and language. The far end's reason phrase is its own text (often
English, sometimes anything): the common status codes are said by us, translated; any other code shows the
far end's phrase as plain text."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ui.text import plain

_CONTEXT = "SipStatus"
# RFC 3261 §21 codes a caller meets; the words say what it means for the call, not the protocol.
_STATUS_WORDS = {
    403: QT_TRANSLATE_NOOP("SipStatus", "not allowed"),
    404: QT_TRANSLATE_NOOP("SipStatus", "number not found"),
    408: QT_TRANSLATE_NOOP("SipStatus", "no answer"),
    410: QT_TRANSLATE_NOOP("SipStatus", "number no longer in service"),
    480: QT_TRANSLATE_NOOP("SipStatus", "not reachable right now"),
    484: QT_TRANSLATE_NOOP("SipStatus", "incomplete number"),
    486: QT_TRANSLATE_NOOP("SipStatus", "busy"),
    487: QT_TRANSLATE_NOOP("SipStatus", "cancelled"),
    488: QT_TRANSLATE_NOOP("SipStatus", "the other phone cannot handle this call's audio"),
    500: QT_TRANSLATE_NOOP("SipStatus", "the phone system had an error"),
    502: QT_TRANSLATE_NOOP("SipStatus", "the phone system could not reach the other side"),
    503: QT_TRANSLATE_NOOP("SipStatus", "service unavailable"),
    504: QT_TRANSLATE_NOOP("SipStatus", "the phone system did not answer in time"),
    600: QT_TRANSLATE_NOOP("SipStatus", "busy everywhere"),
    603: QT_TRANSLATE_NOOP("SipStatus", "declined"),
    604: QT_TRANSLATE_NOOP("SipStatus", "number does not exist"),
}


def status_words(code: int, reason: str) -> str:
    """What a final response `code` means for the user; the far end's `reason` (plain text) for other codes."""
    words = _STATUS_WORDS.get(code)
    if words is not None:
        return QCoreApplication.translate(_CONTEXT, words)
    return plain(reason) or str(code)
