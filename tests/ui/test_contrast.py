"""WCAG 2.1 AA contrast (1.4.3: 4.5:1 for normal text) for every text/background pair the light and dark themes
draw: the palette's text roles on their backgrounds, and every stylesheet rule's text colour on its background
(a rule that sets only a text colour is drawn on the window, the lists and the navigation card)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette

from ui import theme

AA_NORMAL_TEXT = 4.5
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COLOUR = re.compile(r"(?<![-\w])color:\s*([#\w]+)")
_BACKGROUND = re.compile(r"background:\s*([#\w]+)")


def luminance(colour: str) -> float:
    """Relative luminance, WCAG 2.1 definition."""
    rgb = QColor(colour)
    assert rgb.isValid(), colour

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(rgb.red()) + 0.7152 * linear(rgb.green()) + 0.0722 * linear(rgb.blue())


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def pairs(dark: bool) -> list[tuple[str, str, str]]:
    """(where, text colour, background colour) for one theme."""
    colours = theme.PALETTES[dark]
    palette = theme.palette(dark)
    role = QPalette.ColorRole
    found = [(f"palette {text.name}/{back.name}", palette.color(text).name(), palette.color(back).name())
             for text, back in ((role.WindowText, role.Window), (role.Text, role.Base), (role.ButtonText, role.Button),
                                (role.HighlightedText, role.Highlight), (role.PlaceholderText, role.Base),
                                (role.ToolTipText, role.ToolTipBase), (role.Link, role.Base), (role.Link, role.Window),
                                (role.Text, role.AlternateBase))]
    found.append(("missed call name on a list", theme.MISSED_TEXT[dark], colours["base"]))
    for selector, body in _RULE.findall(theme.stylesheet(dark)):
        text = _COLOUR.search(body)
        if not text:
            continue
        background = _BACKGROUND.search(body)
        grounds = ([background.group(1)] if background
                   else [colours["window"], colours["base"], colours["card"]])
        found += [(selector.strip(), text.group(1), ground) for ground in grounds]
    return found


def test_the_stylesheet_parse_finds_the_coloured_buttons() -> None:
    where = {w for w, _t, _b in pairs(False)}
    assert any("answerButton" in w for w in where) and any("muted" in w for w in where)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_meets_wcag_aa_contrast(dark: bool) -> None:
    failing = [f"{where}: {text} on {ground} is {contrast(text, ground):.2f}:1"
               for where, text, ground in pairs(dark) if contrast(text, ground) < AA_NORMAL_TEXT]
    assert not failing, "below 4.5:1:\n" + "\n".join(failing)


def test_the_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_the_system_choice_follows_the_desktop_colour_scheme_else_the_starting_palette(qapp) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    assert theme.system_prefers_dark(qapp, Qt.ColorScheme.Dark)
    assert not theme.system_prefers_dark(qapp, Qt.ColorScheme.Light)
    # Unknown (no desktop setting, as here): the palette the app started with, not the one CallClient set since.
    started_dark = theme.system_prefers_dark(qapp, Qt.ColorScheme.Unknown)
    try:
        qapp.setProperty("callclientSystemDark", not started_dark)
        assert theme.system_prefers_dark(qapp, Qt.ColorScheme.Unknown) is (not started_dark)
        assert theme.wants_dark("dark", qapp) and not theme.wants_dark("light", qapp)
    finally:
        qapp.setProperty("callclientSystemDark", started_dark)
