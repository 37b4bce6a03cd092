"""The settings window says where each provisioned value came from and disables what an admin locked:
a real config loaded from a system file (admin layer, with a lock) and a user file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel

from callclient.config import load_config
from callclient.config.sources import ConfigSources
from ui.parts import AppParts
from ui.settings import SettingsDialog


def test_settings_name_the_layer_of_each_value_and_disable_locked_ones(qtbot: Any, parts: AppParts,
                                                                       tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    system.write_text('[audio]\ncapture_device = "pulse"\n\n[locks]\nkeys = ["audio.capture_device"]\n')
    user = tmp_path / "user.toml"
    user.write_text('[audio]\nplayback_device = "pulse"\n')
    loaded = load_config(ConfigSources(system_file=system, user_file=user, fetch_remote=False, environ={}))
    dialog = SettingsDialog(parts, config=loaded)
    qtbot.addWidget(dialog)

    def origin(key: str) -> str:
        label = dialog.findChild(QLabel, f"origin:{key}")
        assert label is not None, key
        return label.text()

    assert "locked by your administrator" in origin("audio.capture_device")
    assert origin("audio.playback_device") == f"set by user ({user})"
    assert origin("audio.ring_device") == "default"
    assert not dialog.findChild(QComboBox, "") or not dialog.audio_page.capture.isEnabled()
    assert dialog.audio_page.playback.isEnabled()
