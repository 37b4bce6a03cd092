"""Settings → Forwarding: unconditional, busy and no-answer forwarding with their destinations, and how
long the phones ring first. These live on the phone system, not in CallClient's settings: the page reads
and writes them through the forwarding service, and shows what the PBX has (also after a refusal)."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from callclient.services.threads import GUI, runs_on
from callclient.services.types import Forward, ForwardingChanged, ForwardKind, Forwards
from ui.parts import AppParts
from ui.settings.common import SettingsPage
from ui.text import MESSAGE_LIMIT, plain

RING_SECONDS_RANGE = (5, 120)


class ForwardingPage(SettingsPage):
    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        self._forwarding = parts.services.forwarding
        self._shown: Forwards | None = None
        intro = QLabel(self.tr("Forwarding is kept on the phone system: your desk phone and other apps follow it."))
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        form = QFormLayout()
        self.enabled: dict[ForwardKind, QCheckBox] = {}
        self.destination: dict[ForwardKind, QLineEdit] = {}
        for kind, text in ((ForwardKind.UNCONDITIONAL, self.tr("Forward all calls")),
                           (ForwardKind.BUSY, self.tr("Forward when busy")),
                           (ForwardKind.NO_ANSWER, self.tr("Forward when not answered"))):
            box = QCheckBox(text)
            box.setAccessibleName(text)
            field = QLineEdit()
            field.setPlaceholderText(self.tr("number or extension"))
            field.setAccessibleName(self.tr("%1: destination").replace("%1", text))
            field.setMaxLength(40)
            box.toggled.connect(field.setEnabled)
            field.setEnabled(False)
            self.enabled[kind], self.destination[kind] = box, field
            form.addRow(box, field)
        self.ring_seconds = QSpinBox()
        self.ring_seconds.setRange(*RING_SECONDS_RANGE)
        self.ring_seconds.setSuffix(self.tr(" s"))
        self.ring_seconds.setAccessibleName(self.tr("Ring time before forwarding when not answered"))
        form.addRow(self.tr("Ring for"), self.ring_seconds)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setAccessibleName(self.tr("Apply call forwarding"))
        self.apply_button.clicked.connect(self.apply)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # quotes what was typed and the PBX's words
        self.status.setAccessibleName(self.tr("Forwarding status"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._controls: list[QWidget] = [*self.enabled.values(), self.ring_seconds, self.apply_button]

        if self._forwarding is None or not self._forwarding.available:
            for control in self._controls:
                control.setEnabled(False)
            self.status.setText(self.tr("Call forwarding is set on the phone system. Sign in to your Wazo phone "
                                        "system to set it here; with a SIP-only account, use your desk phone."))
            return
        parts.bridge.event.connect(self._on_event)
        if self._forwarding.current is not None:
            self.show_forwards(self._forwarding.current)
        self.status.setText(self.tr("Reading your forwarding from the phone system…"))
        parts.tasks.run(self._forwarding.refresh, self._read, self._refused)

    # --- what the PBX has ---

    @runs_on(GUI)
    def show_forwards(self, forwards: Forwards | None) -> None:
        if not shiboken6.isValid(self):
            return  # the Settings window closed while the PBX answered
        self._shown = forwards
        if forwards is None:
            return
        for kind in ForwardKind:
            forward = forwards.of(kind)
            self.enabled[kind].setChecked(forward.enabled)
            self.destination[kind].setText(forward.destination)
            self.destination[kind].setEnabled(forward.enabled)
        self.ring_seconds.setEnabled(forwards.ring_seconds is not None)
        if forwards.ring_seconds is not None:
            self.ring_seconds.setValue(max(RING_SECONDS_RANGE[0], min(RING_SECONDS_RANGE[1],
                                                                      forwards.ring_seconds)))

    def _read(self, forwards: Forwards) -> None:
        if shiboken6.isValid(self):
            self.show_forwards(forwards)
            self.status.clear()

    @runs_on(GUI)
    def _on_event(self, event: object) -> None:
        if isinstance(event, ForwardingChanged) and event.forwards is not None:
            self.show_forwards(event.forwards)

    # --- changing ---

    def forwards(self) -> Forwards:
        """What the page's controls say now."""
        values = {kind: Forward(self.enabled[kind].isChecked(), self.destination[kind].text().strip())
                  for kind in ForwardKind}
        ring = self.ring_seconds.value() if self.ring_seconds.isEnabled() else None
        return Forwards(values[ForwardKind.UNCONDITIONAL], values[ForwardKind.BUSY], values[ForwardKind.NO_ANSWER],
                        ring)

    def apply(self) -> None:
        assert self._forwarding is not None
        wanted = self.forwards()
        self.apply_button.setEnabled(False)
        self.status.setText(self.tr("Saving on the phone system…"))
        forwarding = self._forwarding
        self._parts.tasks.run(lambda: forwarding.apply(wanted), self._applied, self._refused)

    def _applied(self, forwards: Forwards) -> None:
        if not shiboken6.isValid(self):
            return
        self.apply_button.setEnabled(True)
        self.show_forwards(forwards)
        self.status.setText(self.tr("Saved on the phone system."))

    def _refused(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.apply_button.setEnabled(True)
        # A destination refused here keeps what was typed, to correct it; a PBX refusal comes with a
        # ForwardingChanged holding what the PBX kept, which _on_event shows.
        self.status.setText(plain(str(error), MESSAGE_LIMIT))
