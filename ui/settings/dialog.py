"""Settings: accounts, audio devices (with a quick switch that applies at once), ringtone device, echo
cancellation / noise suppression / gain control, codecs, network and TLS, privacy (erase my data), and about
with diagnostics. Beside every provisioned setting it says where the value came from and, when an admin
locked it, that it cannot be changed here."""

from __future__ import annotations

import platform
import sys
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from callclient import APP_NAME, __version__
from ui.parts import AppParts

DEFAULT_DEVICE = ""  # the system's default device


def origin_text(config: Any, key: str) -> str:
    """'from the system file (/etc/…)', 'default' … and the lock, in words."""
    from PySide6.QtCore import QCoreApplication

    if config is None:
        return QCoreApplication.translate("SettingsDialog", "default")
    if config.locked(key):
        return config.lock_reason(key) or QCoreApplication.translate("SettingsDialog", "locked by your administrator")
    origin = config.origin(key)
    if origin == "default":
        return QCoreApplication.translate("SettingsDialog", "default")
    return QCoreApplication.translate("SettingsDialog", "set by %1").replace("%1", origin)


class SettingsDialog(QDialog):
    devices_changed = Signal(str, str)  # capture, playback ("" = system default)
    erase_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self.setWindowTitle(self.tr("Settings"))
        self.resize(640, 520)
        self.config = parts.config()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(self._accounts_tab(), self.tr("Accounts"))
        self.tabs.addTab(self._audio_tab(), self.tr("Audio"))
        self.tabs.addTab(self._calls_tab(), self.tr("Calls and codecs"))
        self.tabs.addTab(self._network_tab(), self.tr("Network"))
        self.tabs.addTab(self._privacy_tab(), self.tr("Privacy"))
        self.tabs.addTab(self._about_tab(), self.tr("About"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close settings"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    # ------------------------------------------------------------------ helpers

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
        control.setAccessibleName(text)
        if self.config is not None and self.config.locked(key):
            control.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(control, 1)
        row.addWidget(self._origin_label(key))
        form.addRow(text if label is None else label, row)

    # ------------------------------------------------------------------ pages

    def _accounts_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.accounts = QListWidget()
        self.accounts.setAccessibleName(self.tr("Accounts"))
        core = self._parts.core
        for account in (core.accounts if core is not None else ()):
            name = account.display_name or account.account_id
            self.accounts.addItem(f"{name} · {account.aor} · {account.transport.upper()}")
        if self.accounts.count() == 0:
            self.accounts.addItem(self.tr("No account yet: sign in or set up a SIP account."))
        layout.addWidget(QLabel(self.tr("Your accounts")))
        layout.addWidget(self.accounts, 1)
        layout.addWidget(self._origin_label("accounts"))
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out of your phone system"))
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        layout.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignLeft)
        return tab

    def _audio_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.capture = QComboBox()
        self.playback = QComboBox()
        self.ring = QComboBox()
        for combo in (self.capture, self.playback, self.ring):
            combo.addItem(self.tr("System default"), DEFAULT_DEVICE)
        self._row(form, self.tr("Microphone"), self.capture, "audio.capture_device")
        self._row(form, self.tr("Speaker"), self.playback, "audio.playback_device")
        self._row(form, self.tr("Ringtone plays on"), self.ring, "audio.ring_device")
        self.echo = QCheckBox(self.tr("Echo cancellation"))
        self.noise = QCheckBox(self.tr("Noise suppression"))
        self.gain = QCheckBox(self.tr("Automatic gain control"))
        for box, name in ((self.echo, "echo_cancellation"), (self.noise, "noise_suppression"), (self.gain, "auto_gain")):
            box.setChecked(bool(self._value("audio", name, True)))
            box.toggled.connect(self._processing_changed)
            self._row(form, box.text(), box, f"audio.{name}", "")
        self.speaker_test = QPushButton(self.tr("Test speaker"))
        self.speaker_test.setAccessibleName(self.tr("Play a test sound on the speaker"))
        self.speaker_test.clicked.connect(self.test_speaker)
        self.microphone_test = QPushButton(self.tr("Test microphone"))
        self.microphone_test.setCheckable(True)
        self.microphone_test.setAccessibleName(self.tr("Show the microphone level"))
        self.microphone_test.toggled.connect(self._test_microphone)
        self.microphone_level = QProgressBar()
        self.microphone_level.setRange(-60, 0)
        self.microphone_level.setValue(-60)
        self.microphone_level.setTextVisible(False)
        self.microphone_level.setAccessibleName(self.tr("Microphone level"))
        tests = QHBoxLayout()
        tests.addWidget(self.speaker_test)
        tests.addWidget(self.microphone_test)
        tests.addWidget(self.microphone_level, 1)
        form.addRow(self.tr("Try them"), tests)
        self._level_timer = QTimer(self)
        self._level_timer.setInterval(100)
        self._level_timer.timeout.connect(self._show_microphone_level)
        self.speaker_player: Any = None
        self.device_note = QLabel()
        self.device_note.setProperty("role", "muted")
        self.device_note.setWordWrap(True)
        form.addRow("", self.device_note)
        self.capture.activated.connect(self._device_chosen)
        self.playback.activated.connect(self._device_chosen)
        if self._parts.audio is None:
            self.device_note.setText(self.tr("Calls use no sound device in this session."))
        self._parts.tasks.run(_list_devices, self._show_devices,
                              lambda error: self.device_note.setText(str(error)))
        return tab

    def _show_devices(self, devices: list[Any]) -> None:
        wanted = {self.capture: self._value("audio", "capture_device"),
                  self.playback: self._value("audio", "playback_device"),
                  self.ring: self._value("audio", "ring_device")}
        for device in devices:
            label = f"{device.name} ({device.host_api})"
            if device.inputs:
                self.capture.addItem(label, device.name)
            if device.outputs:
                self.playback.addItem(label, device.name)
                self.ring.addItem(label, device.name)
        for combo, name in wanted.items():
            index = combo.findData(name)
            if index >= 0:
                combo.setCurrentIndex(index)

    def choose_devices(self, capture: str, playback: str) -> None:
        """Switches the call's microphone and speaker now (the audio pipeline swaps streams off this thread)."""
        for combo, name in ((self.capture, capture), (self.playback, playback)):
            index = combo.findData(name)
            if index >= 0:
                combo.setCurrentIndex(index)
        self._device_chosen()

    def _device_chosen(self, *_args: object) -> None:
        capture, playback = self.capture.currentData(), self.playback.currentData()
        audio, core = self._parts.audio, self._parts.core
        if core is not None:
            # Saved as in-app settings, the top config layer (so `config show --origin` and this window
            # agree), and applied by Core, which switches the streams.
            self._parts.tasks.run(lambda: core.set_settings({"audio.capture_device": capture or "",
                                                             "audio.playback_device": playback or ""}),
                                  None, lambda error: self.device_note.setText(str(error)))
        elif audio is not None:
            self._parts.tasks.run(lambda: audio.set_devices(capture, playback), None,
                                  lambda error: self.device_note.setText(str(error)))
        self.devices_changed.emit(capture, playback)

    def test_speaker(self) -> None:
        """Plays the ring pattern once on the chosen speaker (decoding and opening the device off this thread)."""
        device = self.playback.currentData() or ""

        def play() -> Any:
            from media.player import VoicemailPlayer

            player = VoicemailPlayer(_test_sound_wav(), device)
            player.play()
            return player

        def started(player: Any) -> None:
            if not self.isVisible():
                player.close()  # the dialog went away while the device opened
                return
            if self.speaker_player is not None:
                self.speaker_player.close()
            self.speaker_player = player
            self.device_note.setText(self.tr("Playing a test sound on %1.").replace(
                "%1", device or self.tr("the system default")))

        self._parts.tasks.run(play, started, lambda error: self.device_note.setText(
            self.tr("Could not play on this speaker: %1").replace("%1", str(error))))

    def _test_microphone(self, on: bool) -> None:
        if self._parts.audio is None:
            self.device_note.setText(self.tr("Calls use no sound device in this session."))
            return
        if on:
            self._level_timer.start()
        else:
            self._level_timer.stop()
            self.microphone_level.setValue(-60)

    def _show_microphone_level(self) -> None:
        level = self._parts.audio.levels().input_dbfs
        self.microphone_level.setValue(int(max(-60.0, min(0.0, level))))

    def stop_tests(self) -> None:
        """Closes the test sound's stream: a PortAudio stream must be closed before its callback goes away."""
        self._level_timer.stop()
        if self.speaker_player is not None:
            self.speaker_player.close()
            self.speaker_player = None

    def done(self, result: int) -> None:
        self.stop_tests()
        super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name; a hidden dialog closes without done()
        self.stop_tests()
        super().closeEvent(event)

    def _processing_changed(self) -> None:
        audio = self._parts.audio
        if audio is None:
            return
        from media.processing import ProcessingSettings

        settings = ProcessingSettings(aec=self.echo.isChecked(), ns=self.noise.isChecked(), agc=self.gain.isChecked(),
                                      high_pass=bool(self._value("audio", "high_pass", True)))
        self._parts.tasks.run(lambda: audio.set_processing(settings))

    def _calls_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
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
        region = QLabel(str(self._value("dialplan", "region", "")) or self.tr("not set"))
        self._row(form, self.tr("Phone number region"), region, "dialplan.region")
        prefix = QLabel(str(self._value("dialplan", "outside_line_prefix", "")) or self.tr("none"))
        self._row(form, self.tr("Outside-line prefix"), prefix, "dialplan.outside_line_prefix")
        close_to_tray = QCheckBox(self.tr("Keep running in the tray when the window closes"))
        close_to_tray.setChecked(bool(self._value("ui", "close_to_tray", True)))
        close_to_tray.setEnabled(False)
        self._row(form, self.tr("Window"), close_to_tray, "ui.close_to_tray")
        return tab

    def codec_order(self) -> list[str]:
        return [self.codecs.item(row).text() for row in range(self.codecs.count())
                if self.codecs.item(row).checkState() == Qt.CheckState.Checked]

    def _codecs_changed(self, *_args: object) -> None:
        core, order = self._parts.core, self.codec_order()
        if core is None or not order:
            return
        self._parts.tasks.run(lambda: core.set_settings({"codecs.order": order}), None,
                              lambda error: QMessageBox.warning(self, self.tr("Codecs"), str(error)))

    def _network_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        sip = self.config.config.sip if self.config is not None else None
        verify = QCheckBox(self.tr("Verify the server's certificate"))
        verify.setChecked(bool(sip.tls_verify_server) if sip else True)
        verify.setEnabled(False)  # turning verification off is an administrator's decision, in the config file
        self._row(form, self.tr("TLS"), verify, "sip.tls_verify_server")
        ca = QLabel((sip.tls_ca_file if sip else "") or self.tr("the system's trusted authorities"))
        ca.setWordWrap(True)
        self._row(form, self.tr("Certificate authorities"), ca, "sip.tls_ca_file")
        ports = QLabel(self.tr("UDP %1 · TCP %2 · TLS %3").replace("%1", _port(sip, "udp_port"))
                       .replace("%2", _port(sip, "tcp_port")).replace("%3", _port(sip, "tls_port")))
        self._row(form, self.tr("Local ports"), ports, "sip.udp_port")
        stun = QLabel(", ".join(sip.stun_servers) if sip and sip.stun_servers else self.tr("none"))
        self._row(form, self.tr("STUN servers"), stun, "sip.stun_servers")
        demo = getattr(self._parts.core, "demo", None)
        pbx = QLabel(self._value("pbx", "base_url", "")
                     or (self.tr("demo phone system (%1)").replace("%1", demo.pbx_url) if demo else self.tr("none")))
        self._row(form, self.tr("Phone system API"), pbx, "pbx.base_url")
        return tab

    def _privacy_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        text = QLabel(self.tr("CallClient keeps your accounts' passwords in the system keychain and your "
                              "favorites, settings and cached voicemail encrypted on this computer. "
                              "Erasing removes all of it and quits."))
        text.setWordWrap(True)
        self.erase_button = QPushButton(self.tr("Erase my data…"))
        self.erase_button.setObjectName("declineButton")
        self.erase_button.setAccessibleName(self.tr("Erase all my data from this computer"))
        self.erase_button.clicked.connect(self._confirm_erase)
        layout.addWidget(text)
        layout.addWidget(self.erase_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return tab

    def _confirm_erase(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Erase my data"),
            self.tr("Remove every password, favorite, setting and cached voicemail of CallClient from this "
                    "computer, and quit?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.erase_requested.emit()

    def _about_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.diagnostics = QPlainTextEdit(diagnostics_text(self._parts))
        self.diagnostics.setReadOnly(True)
        self.diagnostics.setAccessibleName(self.tr("Diagnostics"))
        title = QLabel(f"{APP_NAME} {__version__}")
        title.setProperty("role", "title")
        copy = QPushButton(self.tr("Copy diagnostics"))
        copy.setAccessibleName(self.tr("Copy diagnostics to the clipboard"))
        copy.clicked.connect(self._copy_diagnostics)
        export = QPushButton(self.tr("Export log bundle…"))
        export.setAccessibleName(self.tr("Export the redacted logs and diagnostics to a zip file"))
        export.clicked.connect(self._export_logs)
        export.setEnabled(self._parts.core is not None)
        layout.addWidget(title)
        layout.addWidget(self.diagnostics, 1)
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(export, 0, Qt.AlignmentFlag.AlignLeft)
        return tab

    def _export_logs(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export log bundle"), "callclient-logs.zip",
                                              self.tr("Zip archives (*.zip)"))
        if not name:
            return
        text = self.diagnostics.toPlainText()
        self._parts.tasks.run(lambda: self._parts.core.export_log_bundle(Path(name), text),
                              lambda path: QMessageBox.information(self, self.tr("Log bundle"),
                                                                   self.tr("Saved to {0}").format(path)),
                              lambda error: QMessageBox.warning(self, self.tr("Log bundle"), str(error)))

    def _copy_diagnostics(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.diagnostics.toPlainText())


# What this pjsua2 build can offer (pjsua2-python 2.15.1: no Opus), for the codec list in Settings.
KNOWN_CODECS = ("G722/16000", "PCMA/8000", "PCMU/8000", "speex/16000", "speex/8000", "iLBC/8000", "GSM/8000")


def diagnostics_text(parts: AppParts) -> str:
    """What support asks for first; no secrets (accounts without passwords, no tokens)."""
    core = parts.core
    lines = [f"{APP_NAME} {__version__}", f"Python {sys.version.split()[0]} · Qt for Python {pyside_version}",
             f"OS: {platform.platform()}"]
    if core is not None:
        lines.append(f"Logs: {core.paths.log_dir}")
        lines.extend(f"Account {a.account_id}: {a.aor} ({a.transport})" for a in core.accounts)
        lines.extend(f"Notice: {notice}" for notice in core.notices)
    return "\n".join(lines)


def _test_sound_wav() -> bytes:
    import io
    import wave

    import numpy as np

    from ui.ringer import RATE_HZ, ring_pattern

    samples = (ring_pattern()[: RATE_HZ] * 32767).astype(np.int16)  # the double ring, once
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE_HZ)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def _port(sip: Any, name: str) -> str:
    value = getattr(sip, name, 0) if sip is not None else 0
    return str(value) if value else "auto"


def _list_devices() -> list[Any]:
    from media.devices import list_devices

    return list_devices()
