"""Settings → Calls: codecs in order of preference, the dial plan (region, outside-line prefix), and the
window's behaviour and appearance."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, \
    QMessageBox, QWidget

from ui.parts import AppParts
from ui.settings.common import SettingsPage

# What the app can offer, for the codec list in Settings: pjsua2-python 2.15.1's codecs and our Opus
# (callclient/engine/opus_codec.py).
KNOWN_CODECS = ("opus/48000", "G722/16000", "PCMA/8000", "PCMU/8000", "speex/16000", "speex/8000", "iLBC/8000",
                "GSM/8000")
THEMES = (("system", QT_TRANSLATE_NOOP("CallsPage", "Like the system")),
          ("light", QT_TRANSLATE_NOOP("CallsPage", "Light")), ("dark", QT_TRANSLATE_NOOP("CallsPage", "Dark")))
# Each language named in its own words, so a user lost in a foreign one finds theirs (never translated).
LANGUAGES = (("en", "English"), ("fr", "Français"), ("de", "Deutsch"))


class CallsPage(SettingsPage):
    def __init__(self, parts: AppParts, config: Any, parent: QWidget | None = None) -> None:
        super().__init__(parts, config, parent)
        form = QFormLayout(self)
        self.codecs = QListWidget()
        self.codecs.setAccessibleName(self.tr("Codecs, in order of preference"))
        self.codecs.setToolTip(self.tr("Drag to reorder; untick to stop offering a codec"))
        self.codecs.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        enabled = list(self.config.config.codecs) if self.config is not None else []
        for codec in enabled + [c for c in KNOWN_CODECS if c not in enabled]:
            item = QListWidgetItem(codec)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if codec in enabled else Qt.CheckState.Unchecked)
            self.codecs.addItem(item)
        self.codecs.itemChanged.connect(self._codecs_changed)
        self.codecs.model().rowsMoved.connect(self._codecs_changed)
        self._row(form, self.tr("Codecs, in order of preference"), self.codecs, "codecs.order")

        self.region = QLineEdit(str(self._value("dialplan", "region", "")))
        self.region.setPlaceholderText(self.tr("not set (for example FR or US)"))
        self.region.setMaxLength(2)
        self.region.editingFinished.connect(
            lambda: self._set("dialplan.region", self.region.text().strip().upper()))
        self._row(form, self.tr("Phone number region"), self.region, "dialplan.region")
        self.prefix = QLineEdit(str(self._value("dialplan", "outside_line_prefix", "")))
        self.prefix.setPlaceholderText(self.tr("none"))
        self.prefix.editingFinished.connect(lambda: self._set("dialplan.outside_line_prefix", self.prefix.text().strip()))
        self._row(form, self.tr("Outside-line prefix"), self.prefix, "dialplan.outside_line_prefix")
        emergency = QLabel(", ".join(self._value("dialplan", "emergency_numbers", ())))
        self._row(form, self.tr("Emergency numbers (always dialled as typed)"), emergency, "dialplan.emergency_numbers")

        self.close_to_tray = QCheckBox(self.tr("Keep running in the tray when the window closes"))
        self.close_to_tray.setChecked(bool(self._value("ui", "close_to_tray", True)))
        self.close_to_tray.toggled.connect(lambda on: self._set("ui.close_to_tray", on))
        self._row(form, self.tr("Window"), self.close_to_tray, "ui.close_to_tray")
        self.theme = QComboBox()
        for value, text in THEMES:
            self.theme.addItem(self.tr(text), value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self._value("ui", "theme", "system"))))
        self.theme.activated.connect(lambda _index: self._set("ui.theme", self.theme.currentData()))
        self._row(form, self.tr("Appearance"), self.theme, "ui.theme")
        self.language = QComboBox()
        self.language.addItem(self.tr("Like the system"), "")
        for value, name in LANGUAGES:
            self.language.addItem(name, value)
        chosen = str(self._value("ui", "language", "")).strip().lower()
        self.language.setCurrentIndex(max(0, self.language.findData("" if chosen == "system" else chosen)))
        self.language.activated.connect(lambda _index: self._set("ui.language", self.language.currentData()))
        self.language.setToolTip(self.tr("Open windows keep their words until CallClient starts again"))
        self._row(form, self.tr("Language"), self.language, "ui.language")

    def _set(self, key: str, value: Any) -> None:
        if self._value(*key.split(".", 1)) == value:
            return
        self.change({key: value}, "the Settings window",
                    lambda error: QMessageBox.warning(self, self.tr("Settings"), str(error)))

    def codec_order(self) -> list[str]:
        return [self.codecs.item(row).text() for row in range(self.codecs.count())
                if self.codecs.item(row).checkState() == Qt.CheckState.Checked]

    def _codecs_changed(self, *_args: object) -> None:
        order = self.codec_order()
        if not order:
            return
        self.change({"codecs.order": order}, "the Settings window",
                    lambda error: QMessageBox.warning(self, self.tr("Codecs"), str(error)))
