"""What a screen reader says without the user moving focus: the incoming call, a call's state changing, an error.

Qt sends a QAccessibleAnnouncementEvent to the platform's accessibility bridge (AT-SPI's Object:Announcement on
Linux, the live-region equivalent Orca speaks); assertive interrupts what is being read, polite waits for it.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str, assertive: bool = False) -> None:
    """Has assistive technology read `text` (already translated, plain) on behalf of `widget`."""
    if not text or not QAccessible.isActive():
        return  # no screen reader listening: building the event would be wasted
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)
