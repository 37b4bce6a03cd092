"""The chosen headset in the running app: remembered by name while unplugged, and its going and coming back
told through the news the window follows (Core composed as shipped, on the test PulseAudio)."""

from __future__ import annotations

from callclient.app import Core
from callclient.services.audio import AudioDeviceChanged
from tests.fixtures.pulse import PulseServer

HEADSET = "ui_headset"


def next_device_news(stream, timeout_s: float = 5.0) -> AudioDeviceChanged:  # noqa: ANN001
    while True:
        item = stream.get(timeout=timeout_s)
        if isinstance(item, AudioDeviceChanged):
            return item


def test_an_unplugged_headset_stays_chosen_and_shows_as_not_connected(qtbot, parts, core: Core) -> None:  # noqa: ANN001
    from ui.settings import SettingsDialog

    core.services.settings.change({"audio.playback_device": "Jabra Evolve2 40"})
    try:
        dialog = SettingsDialog(parts)
        qtbot.addWidget(dialog)
        combo = dialog.audio_page.playback
        qtbot.waitUntil(lambda: combo.count() > 1, timeout=10000)
        assert combo.currentData() == "Jabra Evolve2 40"
        assert "(not connected)" in combo.currentText()
        # The sound server's sinks are offered by their description, saved by their name.
        assert combo.findData("speaker") >= 0
    finally:
        core.services.settings.change({"audio.playback_device": ""})


def test_the_app_tells_when_the_chosen_headset_goes_and_comes_back(core: Core, ui_pulse: PulseServer) -> None:
    def load() -> str:
        done = ui_pulse.run("pactl", "load-module", "module-null-sink", f"sink_name={HEADSET}", "rate=48000",
                            "channels=1", "format=float32le")
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    module = load()
    news = core.services.news.subscribe()
    try:
        core.services.settings.change({"audio.playback_device": HEADSET})
        assert core.audio.playback_device_name == HEADSET
        assert ui_pulse.run("pactl", "unload-module", module).returncode == 0
        gone = next_device_news(news)
        assert "speaker" in gone.message and "system default" in gone.message, gone
        assert gone.playback_device != HEADSET
        assert core.config.config.audio.playback_device == HEADSET, "the choice itself is kept"
        module = load()
        back = next_device_news(news)
        assert "is back" in back.message and back.playback_device == HEADSET, back
    finally:
        news.close()
        core.services.settings.change({"audio.playback_device": ""})
        for line in ui_pulse.run("pactl", "list", "short", "modules").stdout.splitlines():
            if f"sink_name={HEADSET}" in line:
                ui_pulse.run("pactl", "unload-module", line.split()[0])
