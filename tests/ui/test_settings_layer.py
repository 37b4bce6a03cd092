"""In-app settings are the top configuration layer: saved encrypted, shown with their origin, checked."""

from __future__ import annotations

import pytest

from callclient.app import Core


def test_an_in_app_setting_becomes_the_preferences_layer_and_bad_values_are_refused(core: Core) -> None:
    before = core.config.config.ui.theme
    try:
        core.set_setting("ui.theme", "dark")
        assert core.config.config.ui.theme == "dark"
        assert core.config.origin("ui.theme") == "preferences"
        with pytest.raises(ValueError, match="ui.theme: 'purple' is not allowed"):
            core.set_setting("ui.theme", "purple")
        assert core.config.config.ui.theme == "dark", "a refused value changes nothing"
        with pytest.raises(ValueError, match="not a setting a user can change"):
            core.set_setting("locks.keys", ["ui.theme"])
    finally:
        core.set_setting("ui.theme", before)
