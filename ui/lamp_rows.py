"""Busy lamps on list rows, as Favorites and the colleagues in Contacts show them: where a row's lamp sits (and
is clicked), how it stays readable on a selected row, how often a list redraws its lamps, and the click on a
ringing lamp that asks for pickup. The lamp itself, its shape and colour per state, is ui/lamps.py's; which
lamp a row shows, and what pickup dials, stays with each view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QWidget

from callclient.services.types import PresenceChanged, PresenceState
from ui.lamps import paint_lamp
from ui.models import LAMP_ROLE, TwoLineDelegate, role_of

LAMP_REPAINT_MS = 100  # lamp events are drawn together at most this often
LAMP_SIZE = 14


def lamp_rect(row: QRect) -> QRect:
    """Where a row's lamp is drawn (and clicked): the left of the row, where other lists draw their dot."""
    inner = row.adjusted(12, 6, -12, -6)
    return QRect(inner.left() - 2, inner.center().y() - LAMP_SIZE // 2, LAMP_SIZE, LAMP_SIZE)


class PendingLamps(QTimer):
    """A list's lamp repaint timer, holding the lamp events that came since it last fired: the latest
    PresenceChanged per URI, for the account in use. It fires once `repaint_ms` after the first of them (the list
    connects `timeout` to its drawing, which `take`s them all), so a flood of presence changes (a PBX pushing
    hundreds a second) is drawn a few times a second and never stalls the window."""

    def __init__(self, parent: QObject, repaint_ms: int, account_id: Callable[[], str]) -> None:
        super().__init__(parent)
        self.setSingleShot(True)
        self.setInterval(repaint_ms)
        self._account_id = account_id
        self._pending: dict[str, PresenceChanged] = {}  # lamp URI -> the latest event not drawn yet

    def add(self, event: PresenceChanged) -> None:
        # Lamps are per account: the same colleague watched from another account is another subscription.
        if event.account_id and event.account_id != self._account_id():
            return
        self._pending[event.uri] = event  # only the latest per lamp is drawn
        if not self.isActive():
            self.start()

    def take(self) -> dict[str, PresenceChanged]:
        """The events held since the last `take`, by lamp URI."""
        pending, self._pending = self._pending, {}
        return pending


class LampDelegate(TwoLineDelegate):
    """The two-line row with the lamp of its state (LAMP_ROLE) drawn in shape and colour; a click on a ringing
    lamp calls `pick_up(index)`. A row without a lamp state shows `unset_state`'s lamp, or none when it is None
    (a search result that is not a colleague)."""

    def __init__(self, pick_up: Callable[[QModelIndex], None], parent: QWidget,
                 unset_state: PresenceState | None = None) -> None:
        super().__init__(parent)
        self._pick_up = pick_up
        self._unset_state = unset_state

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:  # noqa: ANN001
        super().paint(painter, option, index)
        state = role_of(index, LAMP_ROLE)  # role_of: see models.role_of
        if state is None:
            state = self._unset_state
        if state is None:
            return
        box = QRectF(lamp_rect(option.rect))
        if option.state & QStyle.StateFlag.State_Selected:  # a light disc: the lamp stays readable on the highlight
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("white"))
            painter.drawEllipse(box.adjusted(-2, -2, 2, 2))
            painter.restore()
        paint_lamp(painter, box, str(state))

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index) -> bool:  # noqa: N802, ANN001
        if (event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
                and event.button() == Qt.MouseButton.LeftButton
                and lamp_rect(option.rect).adjusted(-4, -4, 4, 4).contains(event.position().toPoint())
                and role_of(index, LAMP_ROLE) == PresenceState.RINGING):
            self._pick_up(index)
            return True
        return super().editorEvent(event, model, option, index)


__all__ = ["LAMP_REPAINT_MS", "LAMP_SIZE", "LampDelegate", "PendingLamps", "lamp_rect"]
