"""The echo/noise/gain boxes and the in-call device switch are settings: saved, applied, and still in force
after a restart. Failed before the services: both called the audio pipeline directly and saved nothing,
so the next start came back with echo cancellation on and the old speaker."""

from __future__ import annotations

import sys

import pytest

from callclient.services.audio import processing_settings
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.pulse import PulseServer
from tests.services.conftest import CoreHome, account_toml


def test_processing_boxes_and_the_in_call_device_switch_are_saved_and_survive_a_restart(
        sound: PulseServer, core_home: CoreHome, kamailio: Kamailio) -> None:
    # `sound` first: it is torn down last, after every Core has closed its streams (PortAudio's
    # Pa_Terminate waits forever for a stream that is still open).
    core_home.config_file.write_text(account_toml(kamailio, "erin"))
    core_home.set_password("erin", "erin")
    core = core_home.start(use_sound_devices=True)
    audio = core.services.audio
    assert audio.available and core.audio._processor.settings.aec
    other = next(d.name for d in audio.devices() if d.outputs and d.name != audio.playback_device_name)

    # What the Settings window's boxes and the call view's device menu call.
    audio.choose_processing("the Settings window", echo_cancellation=False, noise_suppression=False)
    audio.choose_devices(None, other, by="the in-call device menu")
    assert audio.playback_device_name == other, "the call moved to the chosen speaker at once"
    assert not core.audio._processor.settings.aec and not core.audio._processor.settings.ns
    assert core.config.origin("audio.echo_cancellation") == "preferences"
    core_home.stop(core)

    core = core_home.start(use_sound_devices=True)
    try:
        assert core.services.audio.playback_device_name == other, "the speaker chosen in the call is still in use"
        settings = core.audio._processor.settings
        assert (settings.aec, settings.ns, settings.agc) == (False, False, True), "the boxes as the user left them"
    finally:
        core_home.stop(core)


def test_the_desktop_builds_the_voice_processing_once_its_window_shows_as_the_settings_then_say(
        sound: PulseServer, core_home: CoreHome, kamailio: Kamailio) -> None:
    """The desktop's Core opens the sound devices without the echo canceller (livekit's ~0.15 s would hold up the
    window) and builds it in finish_start: from the settings in force then, with the streams' delay hint."""
    core_home.config_file.write_text(account_toml(kamailio, "erin"))
    core_home.set_password("erin", "erin")
    core = core_home.start(use_sound_devices=True, processing_in_background=True)
    try:
        assert core.audio is not None and core.audio._processor is None, "built before the window showed"
        core.finish_start().result(timeout=15)
        processor = core.audio._processor
        assert processor is not None and processor.settings == processing_settings(core.config.config.audio)
        assert processor.settings.aec, "echo cancellation is on by default"
        assert processor._delay_ms == core.audio._delay_hint_ms > 0, "the open streams' latency as AEC3's hint"
        assert core.finish_start() is None, "built once"

        # A change afterwards is applied as before: the boxes, then the pipeline.
        core.services.audio.choose_processing("the Settings window", echo_cancellation=False)
        assert not core.audio._processor.settings.aec
        assert core.audio._processor._delay_ms == core.audio._delay_hint_ms, "a rebuilt processor keeps the hint"
    finally:
        core_home.stop(core)


def test_without_the_sound_modules_calls_still_start_on_the_null_device_with_a_notice(
        core_home: CoreHome, monkeypatch: pytest.MonkeyPatch) -> None:
    """A frozen build missing the sound modules (or numpy's wheel broken): Core starts on pjsua's null device
    and says why, instead of failing on the fallback itself."""
    monkeypatch.setitem(sys.modules, "media.bridge", None)  # `import media.bridge` raises ImportError
    core = core_home.start(use_sound_devices=True)
    try:
        assert core.audio is None
        assert any(n.startswith("No sound device is usable") and "media.bridge" in n for n in core.notices)
    finally:
        core_home.stop(core)
