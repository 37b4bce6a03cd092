"""In-app settings are the top configuration layer: saved encrypted, shown with their origin, checked, and
applied through the one settings route."""

from __future__ import annotations

import pytest

from callclient.app import Core


def test_an_in_app_setting_becomes_the_preferences_layer_and_bad_values_are_refused(core: Core) -> None:
    settings = core.services.settings
    before = core.config.config.ui.theme
    try:
        change = settings.change({"ui.theme": "dark"}, by="a test")
        assert change.keys == {"ui.theme"}, "one event names exactly the key that changed"
        assert core.config.config.ui.theme == "dark"
        assert core.config.origin("ui.theme") == "preferences"
        with pytest.raises(ValueError, match="ui.theme: 'purple' is not allowed"):
            settings.change({"ui.theme": "purple"})
        assert core.config.config.ui.theme == "dark", "a refused value changes nothing"
        with pytest.raises(ValueError, match="not a setting a user can change"):
            settings.change({"locks.keys": ["ui.theme"]})
    finally:
        settings.change({"ui.theme": before})


def test_the_codec_order_from_settings_reaches_the_engine(core: Core) -> None:
    settings = core.services.settings
    before = list(core.config.config.codecs)
    try:
        settings.change({"codecs.order": ["PCMU/8000", "G722/16000"]})
        priorities = core.engine.codec_priorities().result(5)
        pcmu = next(p for c, p in priorities.items() if c.startswith("PCMU/8000"))
        g722 = next(p for c, p in priorities.items() if c.startswith("G722/16000"))
        pcma = next(p for c, p in priorities.items() if c.startswith("PCMA/8000"))
        assert pcmu > g722 > 0 and pcma == 0, priorities
    finally:
        settings.change({"codecs.order": before})


def test_unticking_a_codec_in_settings_stops_the_engine_offering_it(qtbot, parts, core: Core) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    from ui.settings import SettingsDialog

    before = list(core.config.config.codecs)
    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    page = dialog.calls_page
    try:
        pcma = page.codecs.findItems("PCMA/8000", Qt.MatchFlag.MatchExactly)[0]
        assert pcma.checkState() == Qt.CheckState.Checked
        pcma.setCheckState(Qt.CheckState.Unchecked)
        assert page.codec_order() == [c for c in before if c != "PCMA/8000"]

        def pcma_disabled() -> bool:
            priorities = core.engine.codec_priorities().result(5)
            return next(p for c, p in priorities.items() if c.startswith("PCMA/8000")) == 0

        qtbot.waitUntil(pcma_disabled, timeout=10000)
        assert core.config.origin("codecs.order") == "preferences"
    finally:
        core.services.settings.change({"codecs.order": before})


def test_the_processing_boxes_are_saved_and_applied_to_the_call_audio(qtbot, parts, core: Core) -> None:  # noqa: ANN001
    """Failed before the settings route: the boxes called the audio pipeline directly and saved nothing."""
    from ui.settings import SettingsDialog

    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    page = dialog.audio_page
    assert page.echo.isChecked()
    try:
        page.echo.click()
        qtbot.waitUntil(lambda: core.config.config.audio.echo_cancellation is False, timeout=10000)
        assert core.config.origin("audio.echo_cancellation") == "preferences", "saved in the in-app layer"
        qtbot.waitUntil(lambda: not core.audio._processor.settings.aec, timeout=10000)
    finally:
        core.services.settings.change({"audio.echo_cancellation": True})
    assert core.audio._processor.settings.aec


def test_appearance_language_and_region_settings_change_what_the_user_sees_and_hears(qtbot, window, parts,  # noqa: ANN001
                                                                                     core: Core) -> None:
    """ui.theme, ui.language and dialplan.region: each read by the part it names, live."""
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from ui.models import TRAILING_ROLE
    from ui.settings import SettingsDialog

    settings = core.services.settings
    dialog = SettingsDialog(parts)
    qtbot.addWidget(dialog)
    page = dialog.calls_page
    app = QApplication.instance()
    history = window.history_view.model
    qtbot.waitUntil(lambda: history.rowCount() > 0, timeout=15000)
    try:
        page.theme.setCurrentIndex(page.theme.findData("dark"))
        page.theme.activated.emit(page.theme.currentIndex())
        qtbot.waitUntil(lambda: app.property("callclientTheme") == "dark", timeout=10000)
        assert core.config.origin("ui.theme") == "preferences"

        settings.change({"ui.language": "fr"}, by="a test")
        french_days = {QLocale(QLocale.Language.French).dayName(day, QLocale.FormatType.ShortFormat)
                       for day in range(1, 8)}
        qtbot.waitUntil(lambda: any(str(history.item(row).data(TRAILING_ROLE)).split(" ")[0] in french_days
                                    for row in range(history.rowCount())), timeout=15000)

        settings.change({"dialplan.region": "US"}, by="a test")
        assert core.audio.tone_source.region == "us", "North American call-progress tones"
    finally:
        settings.change({"ui.theme": "system", "ui.language": "", "dialplan.region": ""}, by="the test's clean-up")
    assert core.audio.tone_source.region == "eu"
