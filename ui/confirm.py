"""Placing a call the user asked for, with the one question the engine cannot answer itself: a target
outside the account's domain (a clicked link, a typed address) is called only after the user saw the
full target, as plain text, and said yes. Links from the desktop and the dialpad both come here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from callclient.services.threads import GUI, runs_on
from callclient.services.types import ForeignDomain
from ui.parts import AppParts

CONFIRM_OBJECT_NAME = "confirm-foreign-call"


@runs_on(GUI)
def place_call(parts: AppParts, parent: QWidget, target: str, on_failure: Callable[[str], None]) -> None:
    """Calls `target`; on ForeignDomain asks the user (non-blocking) and calls ForeignDomain.uri — the very
    address shown — with allow_foreign_domain only on "Yes". Other failures go to `on_failure(text)`."""
    calls = parts.services.calls
    account_id = parts.account_id or None

    def failed(error: BaseException) -> None:
        if isinstance(error, ForeignDomain):
            ask_foreign_call(parent, error.uri, lambda: parts.tasks.follow(
                calls.place_call(error.uri, account_id, allow_foreign_domain=True), None,
                lambda again: on_failure(_could_not_call(error.uri, again))))
        else:
            on_failure(_could_not_call(target, error))

    parts.tasks.follow(calls.place_call(target, account_id), None, failed)


@runs_on(GUI)
def ask_foreign_call(parent: QWidget, uri: str, on_yes: Callable[[], None]) -> QMessageBox:
    # The target comes from a link anyone may write: plain text, never markup, shown whole.
    return ask_yes_no(parent, QMessageBox.Icon.Warning,
                      QCoreApplication.translate("confirm", "Call outside your organisation?"),
                      QCoreApplication.translate("confirm", "This address is outside your account's domain. The call "
                                                 "will not go through your organisation's phone system.\n\n%1\n\n"
                                                 "Call it?").replace("%1", uri),
                      on_yes, object_name=CONFIRM_OBJECT_NAME)


@runs_on(GUI)
def ask_yes_no(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, on_yes: Callable[[], None],
               object_name: str = "") -> QMessageBox:
    """A window-modal Yes/No question, No by default, its text shown as plain text (it quotes names and
    addresses others wrote); `on_yes` runs only on Yes, and the box deletes itself once answered."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    if object_name:
        box.setObjectName(object_name)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda result: on_yes() if result == QMessageBox.StandardButton.Yes else None)
    box.open()
    return box


def _could_not_call(target: str, error: BaseException) -> str:
    return (QCoreApplication.translate("confirm", "Could not call %1: %2").replace("%1", target)
            .replace("%2", str(error)))
