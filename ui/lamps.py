"""Busy lamps drawn so that each state differs in shape as well as colour (colour alone fails colour-blind
users and greyscale screens): idle a filled circle, ringing a circle in a ring, in a call a square, on hold
two bars, away a half circle, do not disturb a circle crossed by a bar, offline an empty circle, unknown a
dashed one. The favorites view, its legend and the status menu all draw them from here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from callclient.services.types import PresenceState


def tr(text: str) -> str:
    return QCoreApplication.translate("Lamps", text)


# Colours chosen apart in hue and lightness (deuteranopia-safe pairs: blue/orange, not red/green alone).
COLOURS = {
    PresenceState.AVAILABLE: "#2e9d5b",
    PresenceState.RINGING: "#1f6fd1",
    PresenceState.BUSY: "#d64541",
    PresenceState.ON_HOLD: "#e08a1e",
    PresenceState.AWAY: "#c9a227",
    PresenceState.DND: "#8e44ad",
    PresenceState.OFFLINE: "#8a8f98",
    PresenceState.UNKNOWN: "#b0b4ba",
}

LEGEND_ORDER = (PresenceState.AVAILABLE, PresenceState.RINGING, PresenceState.BUSY, PresenceState.ON_HOLD,
                PresenceState.AWAY, PresenceState.DND, PresenceState.OFFLINE)


def lamp_label(state: PresenceState | str) -> str:
    """The state in the user's words (legend, tooltip, the detail line)."""
    labels = {
        PresenceState.AVAILABLE: tr("Idle"),
        PresenceState.RINGING: tr("Ringing"),
        PresenceState.BUSY: tr("In a call"),
        PresenceState.ON_HOLD: tr("On hold"),
        PresenceState.AWAY: tr("Away"),
        PresenceState.DND: tr("Do not disturb"),
        PresenceState.OFFLINE: tr("Offline or not registered"),
        PresenceState.UNKNOWN: tr("Unknown"),
    }
    try:
        return labels[PresenceState(state)]
    except ValueError:
        return labels[PresenceState.UNKNOWN]


def paint_lamp(painter: QPainter, box: QRectF, state: PresenceState | str) -> None:
    """Draws the lamp of `state` inside `box` (a square)."""
    try:
        state = PresenceState(state)
    except ValueError:
        state = PresenceState.UNKNOWN
    colour = QColor(COLOURS[state])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = min(box.width(), box.height())
    centre = box.center()
    r = side / 2 - 1
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    if state is PresenceState.AVAILABLE:
        painter.drawEllipse(centre, r, r)
    elif state is PresenceState.RINGING:
        painter.drawEllipse(centre, r * 0.45, r * 0.45)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, max(1.5, side / 9)))
        painter.drawEllipse(centre, r * 0.85, r * 0.85)
    elif state is PresenceState.BUSY:
        s = r * 1.6
        painter.drawRect(QRectF(centre.x() - s / 2, centre.y() - s / 2, s, s))
    elif state is PresenceState.ON_HOLD:
        bar_w, bar_h = r * 0.55, r * 1.8
        painter.drawRect(QRectF(centre.x() - bar_w * 1.3, centre.y() - bar_h / 2, bar_w, bar_h))
        painter.drawRect(QRectF(centre.x() + bar_w * 0.3, centre.y() - bar_h / 2, bar_w, bar_h))
    elif state is PresenceState.AWAY:
        painter.drawPie(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), 90 * 16, 180 * 16)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, max(1.2, side / 12)))
        painter.drawEllipse(centre, r * 0.92, r * 0.92)
    elif state is PresenceState.DND:
        painter.drawEllipse(centre, r, r)
        painter.setBrush(QColor("white"))
        painter.drawRect(QRectF(centre.x() - r * 0.6, centre.y() - r * 0.18, r * 1.2, r * 0.36))
    elif state is PresenceState.OFFLINE:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, max(1.5, side / 8)))
        painter.drawEllipse(centre, r * 0.85, r * 0.85)
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen = QPen(colour, max(1.2, side / 10))
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.drawEllipse(centre, r * 0.8, r * 0.8)
    painter.restore()


def lamp_pixmap(state: PresenceState | str, size: int = 14) -> QPixmap:
    pixmap = QPixmap(size * 2, size * 2)  # drawn at twice the size: sharp on HiDPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_lamp(painter, QRectF(QPointF(0, 0), QPointF(size, size)), state)
    painter.end()
    return pixmap


def lamp_icon(state: PresenceState | str, size: int = 16) -> QIcon:
    return QIcon(lamp_pixmap(state, size))
