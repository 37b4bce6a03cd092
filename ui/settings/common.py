"""What every Settings page shares: the origin label beside a provisioned value, disabled locked controls,
and one way to change a setting (through the settings service, off the GUI thread)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QFormLayout, QHBoxLayout, QLabel, QWidget

from ui.parts import AppParts

DEFAULT_DEVICE = ""  # the system's default device


def origin_text(config: Any, key: str) -> str:
    """'from the system file (/etc/…)', 'default' … and the lock, in words."""
    if config is None:
        return QCoreApplication.translate("SettingsDialog", "default")
    if config.locked(key):
        return config.lock_reason(key) or QCoreApplication.translate("SettingsDialog", "locked by your administrator")
    origin = config.origin(key)
    if origin == "default":
        return QCoreApplication.translate("SettingsDialog", "default")
    return QCoreApplication.translate("SettingsDialog", "set by %1").replace("%1", origin)


class SettingsPage(QWidget):
    """A page of the Settings window. `config` is the LoadedConfig shown (the one in force unless given)."""

    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self.config = config

    def _value(self, section: str, name: str, fallback: Any = "") -> Any:
        if self.config is None:
            return fallback
        return getattr(getattr(self.config.config, section), name, fallback)

    def _origin_label(self, key: str) -> QLabel:
        label = QLabel(origin_text(self.config, key))
        label.setProperty("role", "muted")
        label.setAccessibleName(self.tr("Where %1 comes from").replace("%1", key))
        label.setObjectName(f"origin:{key}")
        return label

    def _row(self, form: QFormLayout, text: str, control: QWidget, key: str, label: str | None = None) -> None:
        """`control` with the origin of `key` beside it; `label` ("" for check boxes, which name themselves)."""
        # A check box says its own sentence; the row's label ("Window") goes before it, not instead of it.
        own = control.text() if isinstance(control, QAbstractButton) else ""
        spoken = self.tr("%1: %2").replace("%1", text).replace("%2", own) if own and own != text else text
        control.setAccessibleName(spoken)
        if self.config is not None and self.config.locked(key):
            control.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(control, 1)
        row.addWidget(self._origin_label(key))
        form.addRow(text if label is None else label, row)

    def change(self, values: Mapping[str, Any], by: str, on_error: Callable[[BaseException], None]) -> None:
        """Saves and applies `values` through the one settings route (validation, locks, the store, then one
        SettingsChanged every part reacts to), off the GUI thread."""
        settings = self._parts.services.settings
        self._parts.tasks.run(lambda: settings.change(values, by=by), None, on_error)
