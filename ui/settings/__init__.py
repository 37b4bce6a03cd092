"""The settings window: one page per subject (accounts, audio, calls and codecs, network, privacy, about)."""

from ui.settings.dialog import SettingsDialog

__all__ = ["SettingsDialog"]
