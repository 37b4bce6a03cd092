"""Call recordings on this computer (Call > Recordings…): each with its date and length, played through the
voicemail player (decrypted into memory only), exported as WAV or Ogg Opus to a file the user chooses, or
deleted. Decrypting, encoding and deleting run on workers; the recording service owns the files."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callclient.services.types import PlayerState
from ui import theme
from ui.models import format_duration
from ui.parts import AppParts
from ui.text import MESSAGE_LIMIT, plain

log = logging.getLogger(__name__)

PATH_ROLE = Qt.ItemDataRole.UserRole


class RecordingsDialog(QDialog):
    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._recording = parts.services.recording
        self.player: Any = None  # media.player.VoicemailPlayer of the selected recording
        self.setWindowTitle(self.tr("Call recordings"))
        self.resize(520, 420)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Call recordings"))
        self.list.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)  # error messages quote file names and causes
        self.state.setWordWrap(True)
        self.state.setAccessibleName(self.tr("Recordings status"))
        self.play_button = QPushButton(theme.icon("play"), self.tr("Play"))
        self.play_button.setAccessibleName(self.tr("Play or pause the recording"))
        self.play_button.clicked.connect(self.toggle_play)
        self.export_wav = QPushButton(self.tr("Export WAV…"))
        self.export_wav.clicked.connect(lambda: self._ask_export("wav"))
        self.export_opus = QPushButton(self.tr("Export Opus…"))
        self.export_opus.setToolTip(self.tr("Ogg Opus: about a tenth of the WAV's size"))
        self.export_opus.clicked.connect(lambda: self._ask_export("opus"))
        self.delete_button = QPushButton(theme.icon("delete"), self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete the recording"))
        self.delete_button.clicked.connect(self._confirm_delete)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.export_wav, self.export_opus, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._show_playing)
        self.refresh()

    # --- the list ---

    def refresh(self) -> None:
        self._close_player()
        self.list.clear()
        for recording in self._recording.list():
            when = recording.started_at.strftime("%Y-%m-%d %H:%M:%S")
            length = format_duration(self._recording.duration_s(recording.path))
            item = QListWidgetItem(theme.icon("record"), f"{when}  ·  {length}")
            item.setData(PATH_ROLE, str(recording.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
            self.state.clear()
        else:
            self.state.setText(self.tr("No call recordings on this computer."))
        self._selection_changed()

    def selected_path(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def _selection_changed(self) -> None:
        self._close_player()
        chosen = self.selected_path() is not None
        for button in (self.play_button, self.export_wav, self.export_opus, self.delete_button):
            button.setEnabled(chosen)

    # --- playback ---

    def toggle_play(self) -> None:
        if self.player is not None:
            if self.player.state is PlayerState.PLAYING:
                self.player.pause()
            else:
                self.player.play()
            self._show_playing()
            return
        path = self.selected_path()
        if path is None:
            return
        recording, audio = self._recording, self._parts.services.audio
        self.state.setText(self.tr("Opening the recording…"))
        self._parts.tasks.run(lambda: audio.player(recording.read_wav(path)),
                              lambda player: self._loaded(path, player), self._failed)

    def _loaded(self, path: Path, player: Any) -> None:
        if not shiboken6.isValid(self) or self.selected_path() != path:
            player.close()  # the user moved on while it was decrypted
            return
        self.player = player
        try:
            player.play()
        except Exception as error:  # a device that vanished: say so where the user looks
            log.warning("recording playback failed: %s", error)
            self._failed(error)
            return
        self._ticker.start()
        self._show_playing()

    def _show_playing(self) -> None:
        player = self.player
        if player is None:
            return
        playing = player.state is PlayerState.PLAYING
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_button.setIcon(theme.icon("pause" if playing else "play"))
        self.state.setText(f"{format_duration(player.position_s)} / {format_duration(player.duration_s)}")
        if not playing:
            self._ticker.stop()

    def _close_player(self) -> None:
        self._ticker.stop()
        if self.player is not None:
            self.player.close()
            self.player = None
        self.play_button.setText(self.tr("Play"))
        self.play_button.setIcon(theme.icon("play"))

    # --- export and delete ---

    def _ask_export(self, kind: str) -> None:
        path = self.selected_path()
        if path is None:
            return
        suffix = ".wav" if kind == "wav" else ".opus"
        filters = self.tr("WAV audio (*.wav)") if kind == "wav" else self.tr("Ogg Opus audio (*.opus *.ogg)")
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export the recording"),
                                                str(Path.home() / (path.stem + suffix)), filters)
        if chosen:
            self.export(Path(chosen), kind)

    def export(self, destination: Path, kind: str) -> None:
        """Exports the selected recording to `destination` (what the save dialog's choice leads to)."""
        path = self.selected_path()
        if path is None:
            return
        recording = self._recording
        self.state.setText(self.tr("Exporting…"))
        self._parts.tasks.run(lambda: recording.export(path, destination, kind),
                              lambda _none: self._exported(destination), self._failed)

    def _exported(self, destination: Path) -> None:
        if shiboken6.isValid(self):
            self.state.setText(self.tr("Exported to %1").replace("%1", plain(str(destination), MESSAGE_LIMIT)))

    def _confirm_delete(self) -> None:
        answer = QMessageBox.question(self, self.tr("Delete the recording"),
                                      self.tr("Delete this call recording from this computer? It cannot be "
                                              "brought back."))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_selected()

    def delete_selected(self) -> None:
        path = self.selected_path()
        if path is None:
            return
        self._close_player()
        self._parts.tasks.run(lambda: self._recording.delete(path),
                              lambda _none: self.refresh() if shiboken6.isValid(self) else None, self._failed)

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # closed meanwhile
        self.state.setText(plain(str(error), MESSAGE_LIMIT))

    def done(self, result: int) -> None:
        self._close_player()
        super().done(result)
