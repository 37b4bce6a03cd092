"""Voicemail: the messages from the PBX, a player with play / pause and a seekable progress bar, mark read
and delete. Recordings come through the PBX service, which keeps them in the encrypted cache, so a message
fetched once plays offline. Fetching and decoding run on workers; the GUI only polls the play position.
Each message shows the best name the directory knows for the caller; its context menu adds the caller to
favorites or to the personal contacts on the PBX."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from callclient.services.types import PlayerState, VoicemailFolder, VoicemailMessage
from ui import theme
from ui.caller_names import ListNames, number_menu, offer_row_menus
from ui.models import NUMBER_ROLE, VALUE_ROLE, TwoLineDelegate, VoicemailModel, format_duration
from ui.parts import AppParts
from ui.text import plain, plain_name

log = logging.getLogger(__name__)

_POSITION_POLL_MS = 200
_SLIDER_STEPS_PER_S = 10


class VoicemailView(QWidget):
    call_requested = Signal(str)
    unread_count_changed = Signal(int)
    error = Signal(str)
    add_favorite_requested = Signal(str, str)  # name, number
    add_contact_requested = Signal(str, str)  # name, number: a personal contact on the PBX

    def __init__(self, parts: AppParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._messages: tuple[VoicemailMessage, ...] = ()
        self.names = ListNames(parts, self)
        self.names.changed.connect(lambda: self.model.show(self._messages, self.names.names, self._region()))
        self.player: Any = None  # media.player.VoicemailPlayer for the selected message
        self._played_reported: str | None = None  # the message whose playback to the end was reported
        self.playing_id: str | None = None
        self.model = VoicemailModel(self)
        title = QLabel(self.tr("Voicemail"))
        title.setProperty("role", "heading")
        self.refresh_button = QPushButton(theme.icon("refresh"), "")
        self.refresh_button.setToolTip(self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh voicemail"))
        self.refresh_button.clicked.connect(self.refresh)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.refresh_button)

        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setAccessibleName(self.tr("Voicemail messages"))
        self.list.activated.connect(lambda index: self.open_message(index.data(VALUE_ROLE)))
        self.list.clicked.connect(lambda index: self.open_message(index.data(VALUE_ROLE)))
        offer_row_menus(self.list, self.menu_for)
        self.state = QLabel()
        self.state.setProperty("role", "muted")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.now_playing = QLabel(self.tr("Choose a message to play it."))
        self.now_playing.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the PBX's caller names
        self.now_playing.setProperty("role", "muted")
        self.now_playing.setAccessibleName(self.tr("Selected message"))
        self.play_button = QPushButton(theme.icon("play"), self.tr("Play"))
        self.play_button.setAccessibleName(self.tr("Play or pause the message"))
        self.play_button.setShortcut("Space")
        self.play_button.clicked.connect(self.toggle_play)
        self.progress = QSlider(Qt.Orientation.Horizontal)
        self.progress.setAccessibleName(self.tr("Position in the message"))
        self.progress.sliderMoved.connect(self._seek_to_slider)
        self.progress.sliderReleased.connect(lambda: self._seek_to_slider(self.progress.value()))
        self.position = QLabel("0:00 / 0:00")
        self.position.setAccessibleName(self.tr("Elapsed and total time"))
        self.call_back_button = QPushButton(theme.icon("call"), self.tr("Call back"))
        self.call_back_button.setAccessibleName(self.tr("Call the caller back"))
        self.call_back_button.clicked.connect(self._call_back)
        self.delete_button = QPushButton(theme.icon("delete"), self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete the message"))
        self.delete_button.setShortcut("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.progress, 1)
        controls.addWidget(self.position)
        actions = QHBoxLayout()
        actions.addWidget(self.now_playing, 1)
        actions.addWidget(self.call_back_button)
        actions.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.addLayout(header)
        layout.addWidget(self.state)
        layout.addWidget(self.list, 1)
        layout.addLayout(actions)
        layout.addLayout(controls)

        self._ticker = QTimer(self)
        self._ticker.setInterval(_POSITION_POLL_MS)
        self._ticker.timeout.connect(self._show_position)
        self._selected: VoicemailMessage | None = None
        self._locked = False  # the app lock (set_locked): no playback and no caller named while locked
        self._enable_player(False)

    # --- the list ---

    def _region(self) -> str:
        """dialplan.region, for numbers in the region's national format."""
        return str(self._parts.config().config.dialplan.region)

    def refresh(self) -> None:
        pbx = self._parts.services.pbx
        capabilities = pbx.capabilities
        if capabilities is None or not capabilities.voicemail_list:
            number = capabilities.voicemail_access_number if capabilities is not None else None
            self.state.setVisible(True)
            self.state.setText(self.tr("Your phone system keeps voicemail on the server: call %1 to listen.")
                               .replace("%1", number) if number else
                               self.tr("Your phone system does not share voicemail with CallClient."))
            self.model.clear()
            return
        self.state.setVisible(True)
        self.state.setText(self.tr("Loading…"))
        self._parts.tasks.run(pbx.voicemail_messages, self._show, self._failed)

    def _show(self, messages: tuple[VoicemailMessage, ...]) -> None:
        self._messages = tuple(messages)
        self.model.show(messages, self.names.names, self._region())
        self.names.look_up([message.caller_number for message in messages])
        self.state.setText("" if messages else self.tr("No voicemail."))
        self.state.setVisible(not messages)
        self.unread_count_changed.emit(self.model.unread())

    def _failed(self, error: BaseException) -> None:
        cached = self._parts.services.pbx.cached_voicemail()
        if cached:
            self._messages = tuple(cached)
            self.model.show(cached, self.names.names, self._region())
        self.state.setVisible(True)
        self.state.setText(self.tr("Could not load voicemail: %1").replace("%1", str(error)))

    # --- the player ---

    def open_message(self, message: VoicemailMessage | None) -> None:
        """Selects `message` and loads its recording (from the cache when it was fetched before)."""
        if message is None or (self._selected is not None and self._selected.id == message.id):
            return
        self._close_player()
        self._selected = message
        self.now_playing.setText(self.tr("Loading the message from %1…").replace(
            "%1", self._who(message)))
        pbx, audio = self._parts.services.pbx, self._parts.services.audio
        if not pbx.available:
            self.now_playing.setText(self.tr("No phone system is set up."))
            return

        def load() -> Any:
            return audio.player(pbx.recording(message.id))

        self._parts.tasks.run(load, lambda player: self._loaded(message, player),
                              lambda error: self._load_failed(message, error))

    def _loaded(self, message: VoicemailMessage, player: Any) -> None:
        if self._selected is None or self._selected.id != message.id:
            player.close()  # the user moved on while it loaded
            return
        self.player = player
        self.playing_id = message.id
        self.progress.setRange(0, int(player.duration_s * _SLIDER_STEPS_PER_S))
        if not self._locked:
            self.now_playing.setText(self._who(message))
        self._enable_player(True)
        self._show_position()

    def _load_failed(self, message: VoicemailMessage, error: BaseException) -> None:
        if self._selected is not None and self._selected.id == message.id:
            self.now_playing.setText(self.tr("Could not play the message: %1").replace("%1", str(error)))

    def set_locked(self, locked: bool) -> None:
        """The app lock: locking pauses the message and stops naming its caller; unlocking names them again
        (the person presses Play to go on)."""
        self._locked = locked
        if locked:
            if self.player is not None and self.player.state is PlayerState.PLAYING:
                self.player.pause()
                self._show_position()
            self.now_playing.setText(self.tr("Unlock CallClient to see this message."))
        elif self.player is not None and self._selected is not None:
            self.now_playing.setText(self._who(self._selected))
        else:
            self.now_playing.setText(self.tr("Choose a message to play it."))

    def toggle_play(self) -> None:
        if self.player is None or self._locked:
            return
        if self.player.state is PlayerState.PLAYING:
            self.player.pause()
        else:
            try:
                self.player.play()
            except Exception as error:  # a device that vanished: say so where the user looks
                log.warning("voicemail playback failed: %s", error)
                self.now_playing.setText(self.tr("Could not play the message: %1").replace("%1", str(error)))
                return
            self._mark_read(self._selected)
        self._ticker.start()
        self._show_position()

    def seek(self, seconds: float) -> None:
        if self.player is not None:
            self.player.seek(seconds)
            self._show_position()

    def _seek_to_slider(self, value: int) -> None:
        self.seek(value / _SLIDER_STEPS_PER_S)

    def _show_position(self) -> None:
        player = self.player
        if player is None:
            return
        playing = player.state is PlayerState.PLAYING
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_button.setIcon(theme.icon("pause" if playing else "play"))
        if not self.progress.isSliderDown():
            self.progress.setValue(int(player.position_s * _SLIDER_STEPS_PER_S))
        self.position.setText(f"{format_duration(player.position_s)} / {format_duration(player.duration_s)}")
        if not playing:
            self._ticker.stop()
        if player.state is PlayerState.FINISHED and self.playing_id is not None \
                and self._played_reported != self.playing_id:
            self._played_to_the_end(self.playing_id)

    def _played_to_the_end(self, message_id: str) -> None:
        """Heard to the end: the PBX service applies the cache policy ("after-playback" deletes the offline
        copy). Reported once per opened message; a replay needs no second report."""
        self._played_reported = message_id
        pbx = self._parts.services.pbx
        self._parts.tasks.run(lambda: pbx.voicemail_played(message_id), None,
                              lambda error: log.warning("the played voicemail's offline copy was not released: %s",
                                                        error))

    def _enable_player(self, enabled: bool) -> None:
        for control in (self.play_button, self.progress, self.delete_button, self.call_back_button):
            control.setEnabled(enabled)

    def _close_player(self) -> None:
        self._ticker.stop()
        if self.player is not None:
            self.player.close()
        self.player = None
        self.playing_id = None
        self._played_reported = None
        self._selected = None
        self.progress.setValue(0)
        self.position.setText("0:00 / 0:00")
        self._enable_player(False)

    # --- actions on the message ---

    def _mark_read(self, message: VoicemailMessage | None) -> None:
        pbx = self._parts.services.pbx
        if message is None or message.folder is VoicemailFolder.OLD:
            return
        self._parts.tasks.run(lambda: pbx.mark_read(message.id), lambda _: self.refresh(),
                              lambda error: self.error.emit(self.tr("Could not mark the message read: %1")
                                                            .replace("%1", str(error))))

    def delete_selected(self) -> None:
        message, pbx = self._selected, self._parts.services.pbx
        if message is None:
            return
        self._close_player()
        self._parts.tasks.run(lambda: pbx.delete(message.id), lambda _: self.refresh(),
                              lambda error: self.error.emit(self.tr("Could not delete the message: %1")
                                                            .replace("%1", str(error))))

    def _call_back(self) -> None:
        if self._selected is not None and self._selected.caller_number:
            self.call_requested.emit(self._selected.caller_number)

    def menu_for(self, index) -> QMenu:
        """Call back, add to favorites, add to contacts, for the message at `index`."""
        number = index.data(NUMBER_ROLE) or ""
        message = index.data(VALUE_ROLE)
        return number_menu(self, number, message.caller_name if message is not None else "",
                           self.names.names.get(number), self.call_requested, self.add_favorite_requested,
                           self.add_contact_requested)

    def message_rows(self) -> list[VoicemailMessage]:
        return [self.model.item(row).data(VALUE_ROLE) for row in range(self.model.rowCount())]

    def numbers(self) -> list[str]:
        return [self.model.item(row).data(NUMBER_ROLE) for row in range(self.model.rowCount())]

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._close_player()
        super().closeEvent(event)


    def _who(self, message: VoicemailMessage) -> str:
        """The caller as the directory (else the PBX) names them, neutralised and elided, or their number."""
        found = self.names.names.get(message.caller_number)
        return plain_name(found.name if found is not None else message.caller_name) or plain(message.caller_number)
