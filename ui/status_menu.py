"""My status from the main window and the tray: available, away, do not disturb, invisible.

The menu asks the my-status service (callclient/services/my_status.py), which keeps the status on the PBX
where there is one, and shows what the service announces (`MyStatusChanged`) — a change made on the desk phone
shows here too. A refused change is reported through `refused` and the check mark goes back to the status in
force. The same actions serve the window's status button and the tray's "Status" submenu.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from callclient.services.threads import GUI, runs_on
from callclient.services.types import MyStatus, MyStatusChanged, PresenceState
from ui.lamps import lamp_icon
from ui.parts import AppParts


def tr(text: str) -> str:
    return QCoreApplication.translate("StatusMenu", text)


def status_label(status: MyStatus) -> str:
    return {MyStatus.AVAILABLE: tr("Available"), MyStatus.AWAY: tr("Away"),
            MyStatus.DND: tr("Do not disturb"), MyStatus.INVISIBLE: tr("Invisible")}[status]


def status_hint(status: MyStatus, on_pbx: bool) -> str:
    hints = {
        MyStatus.AVAILABLE: tr("Calls ring; colleagues see you as available."),
        MyStatus.AWAY: tr("Calls still ring; colleagues see you as away."),
        MyStatus.DND: tr("Incoming calls are refused as busy, on every device of yours.") if on_pbx else
        tr("Incoming calls are refused as busy (in this app only: no phone system keeps your status)."),
        MyStatus.INVISIBLE: tr("Calls still ring; colleagues see you as offline."),
    }
    return hints[status]


# The lamp colleagues see for each status (ui.lamps), so the menu teaches the legend.
STATUS_LAMP = {MyStatus.AVAILABLE: PresenceState.AVAILABLE, MyStatus.AWAY: PresenceState.AWAY,
               MyStatus.DND: PresenceState.DND, MyStatus.INVISIBLE: PresenceState.OFFLINE}


class StatusActions(QObject):
    """One checkable action per status, in an exclusive group; `changed` after each status shown."""

    changed = Signal(object)  # MyStatus now shown
    refused = Signal(str)  # why a change did not go through

    def __init__(self, parts: AppParts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._service = parts.services.my_status
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[MyStatus, QAction] = {}
        for status in MyStatus:
            action = QAction(lamp_icon(STATUS_LAMP[status]), status_label(status), self)
            action.setCheckable(True)
            action.setData(status.value)
            action.setToolTip(status_hint(status, self.on_pbx))
            action.setStatusTip(status_hint(status, self.on_pbx))
            action.triggered.connect(lambda _checked=False, s=status: self.choose(s))
            self.group.addAction(action)
            self.actions[status] = action
        self.status = self._service.status if self._service is not None else MyStatus.AVAILABLE
        self._show(self.status)
        parts.bridge.event.connect(self._on_event)

    @property
    def on_pbx(self) -> bool:
        return bool(self._service is not None and self._service.on_pbx)

    @runs_on(GUI)
    def choose(self, status: MyStatus) -> None:
        """What the user picked: the service sets it (on the PBX: network), the check follows its answer."""
        service = self._service
        if service is None:
            return
        self._show(status)  # at once; put back below if the PBX refuses

        def failed(error: BaseException) -> None:
            self._show(service.status)
            self.refused.emit(str(error))

        self._parts.tasks.run(lambda: service.set(status), self._show, failed)

    @runs_on(GUI)
    def _on_event(self, event: object) -> None:
        if isinstance(event, MyStatusChanged):
            self._show(event.status)

    def _show(self, status: MyStatus) -> None:
        self.status = MyStatus(status)
        self.actions[self.status].setChecked(True)
        for each, action in self.actions.items():
            action.setToolTip(status_hint(each, self.on_pbx))
        self.changed.emit(self.status)


class StatusButton(QToolButton):
    """The window's status button: the lamp and word of my status, its menu the statuses."""

    def __init__(self, actions: StatusActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_actions = actions
        self.menu_of_statuses = QMenu(self)
        self.menu_of_statuses.setObjectName("statusMenu")
        self.menu_of_statuses.addActions(list(actions.actions.values()))
        self.setMenu(self.menu_of_statuses)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setObjectName("statusButton")
        actions.changed.connect(self._show)
        self._show(actions.status)

    def _show(self, status: MyStatus) -> None:
        self.setIcon(lamp_icon(STATUS_LAMP[status]))
        self.setText(status_label(status))
        where = tr("kept on your phone system") if self.status_actions.on_pbx else tr("this app only")
        self.setToolTip(tr("My status: %1 (%2). %3").replace("%1", status_label(status)).replace("%2", where)
                        .replace("%3", status_hint(status, self.status_actions.on_pbx)))
        self.setAccessibleName(tr("My status: %1").replace("%1", status_label(status)))


def tray_status_menu(actions: StatusActions, parent: QWidget) -> QMenu:
    """The tray's "Status" submenu: the same actions as the window's button."""
    menu = QMenu(tr("Status"), parent)
    menu.setObjectName("trayStatusMenu")
    menu.addActions(list(actions.actions.values()))
    actions.changed.connect(lambda status: menu.setIcon(lamp_icon(STATUS_LAMP[status])))
    menu.setIcon(lamp_icon(STATUS_LAMP[actions.status]))
    return menu
