"""The in-call Transfer menu: transfer to a number (blind, RFC 3515 REFER), park the call (a blind transfer
to the PBX's parking extension, only where the admin named one in dialplan.park_extension), or an attended
transfer to another call on the line. It fills itself each time it opens, from the calls up at that moment;
the call actions service does the transfers.

Its words stay in the "CallView" translation context: they are the in-call view's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from ui.parts import AppParts

if TYPE_CHECKING:
    from ui.call_view import CallView


class TransferMenu(QMenu):
    """The Transfer button's menu, acting on the view's current call."""

    def __init__(self, parts: AppParts, view: CallView, parent: QWidget) -> None:
        super().__init__(parent)
        self._parts = parts
        self._actions = parts.services.calls
        self._view = view
        self.aboutToShow.connect(self._fill)

    def _fill(self) -> None:
        self.clear()
        blind = self.addAction(QCoreApplication.translate("CallView", "Transfer to a number…"))
        blind.triggered.connect(self._ask_target)
        park_extension = self._parts.config().config.dialplan.park_extension
        if park_extension:  # only where the admin named the PBX's parking extension (dialplan.park_extension)
            park = self.addAction(QCoreApplication.translate("CallView", "Park"))
            park.setToolTip(QCoreApplication.translate(
                "CallView", "Park the call on the phone system (%1); pick it up from any phone")
                .replace("%1", park_extension))
            park.triggered.connect(lambda _=False, extension=park_extension: self.blind_transfer(extension))
        for call in self._view.calls.values():
            if call.call_id == self._view.current_id:
                continue
            label = QCoreApplication.translate("CallView", "Transfer to %1 (attended)").replace(
                "%1", self._view.who(call))
            action = self.addAction(label)
            action.triggered.connect(lambda _=False, other=call.call_id: self._attended_transfer(other))

    def _ask_target(self) -> None:
        if self._view.current_id is None:
            return
        target, ok = QInputDialog.getText(self._view, QCoreApplication.translate("CallView", "Transfer"),
                                          QCoreApplication.translate("CallView", "Transfer this call to:"))
        if ok and target.strip():
            self.blind_transfer(target.strip())

    def blind_transfer(self, target: str) -> None:
        if self._view.current_id is not None:
            self._view.follow(self._actions.transfer(target, self._view.current_id),
                              QCoreApplication.translate("CallView", "Transfer failed"))

    def _attended_transfer(self, other_call_id: str) -> None:
        if self._view.current_id is not None:
            self._view.follow(self._actions.transfer_attended(self._view.current_id, other_call_id),
                              QCoreApplication.translate("CallView", "Transfer failed"))
