"""Settings → Desktop as the user meets it: the Settings window on a running Core, every change through the
one settings route, and what the desktop service could not apply shown beside the control that asked —
a shortcut another X client grabbed first (under Xvfb) appears next to its key-sequence editor."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLabel

from callclient.app import Core
from callclient.config import load_config
from callclient.config.sources import ConfigSources
from callclient.desktop.autostart import DESKTOP_ID
from tests.desktop.conftest import x_display  # noqa: F401 - fixture
from tests.desktop.test_headset import PROC_DEVICES
from tests.desktop.test_hid_telephony import DESCRIPTOR
from tests.desktop.test_hotkeys import other_program  # noqa: F401 - fixture
from tests.fixtures.app import app_parts
from tests.fixtures.xvfb import XDisplay
from tests.services.conftest import CoreHome, core_home  # noqa: F401 - fixture
from ui.parts import AppParts
from ui.settings import SettingsDialog
from ui.settings.desktop_page import sequence_from_shortcut, shortcut_from_sequence

WAIT_MS = 15_000


@pytest.fixture
def core_on_x(core_home: CoreHome, x_display: XDisplay, tmp_path: Path,  # noqa: F811
              monkeypatch: pytest.MonkeyPatch) -> Core:
    monkeypatch.setenv("DISPLAY", x_display.name)
    (tmp_path / "system-data").mkdir()
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "system-data"))  # nothing installed system-wide is seen
    monkeypatch.delenv("XDG_CURRENT_DESKTOP", raising=False)
    return core_home.start()


@pytest.fixture
def parts(core_on_x: Core, qtbot: Any) -> Iterator[AppParts]:
    with app_parts(core_on_x, "desktop-page-work") as parts:
        yield parts
        for dialog in _open:
            dialog.close()
            dialog.deleteLater()
        _open.clear()


_open: list[SettingsDialog] = []  # the test's windows live until it ends, as the app keeps its own


def settings_window(parts: AppParts, qtbot: Any, config: Any = None) -> SettingsDialog:
    dialog = SettingsDialog(parts, config=config)
    _open.append(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.desktop_page)
    return dialog


def tick(qtbot: Any, box: QCheckBox) -> None:
    """A click on the box itself (a wide row's middle can be empty space)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def desktop_config(core: Core) -> Any:
    return core.services.settings.config.config.desktop


def test_shortcuts_round_trip_between_the_editor_and_the_setting(qapp: Any) -> None:
    for shortcut in ("ctrl+alt+a", "super+F5", "ctrl+shift+Prior", "alt+space"):
        assert shortcut_from_sequence(sequence_from_shortcut(shortcut)) == shortcut


def test_check_boxes_change_the_settings_and_the_desktop_follows(parts: AppParts, qtbot: Any) -> None:
    core = parts.core
    page = settings_window(parts, qtbot).desktop_page
    environ = core.options.environ

    entry = Path(environ["XDG_CONFIG_HOME"]) / "autostart" / DESKTOP_ID
    tick(qtbot, page.autostart)
    # The setting is in force before the desktop service has written the entry: wait for the entry.
    qtbot.waitUntil(lambda: desktop_config(core).autostart and entry.exists(), timeout=WAIT_MS)

    tick(qtbot, page.link_handler)

    def sip_handler() -> str:
        return subprocess.run(["xdg-mime", "query", "default", "x-scheme-handler/sip"], env=dict(environ),
                              capture_output=True, text=True, timeout=30).stdout.strip()

    qtbot.waitUntil(lambda: desktop_config(core).link_handler and sip_handler() == DESKTOP_ID, timeout=WAIT_MS)

    tick(qtbot, page.media_keys)
    qtbot.waitUntil(lambda: not desktop_config(core).media_keys, timeout=WAIT_MS)
    tick(qtbot, page.start_minimised)
    qtbot.waitUntil(lambda: core.services.settings.config.config.ui.start_minimised, timeout=WAIT_MS)
    # Back off again: the page compares with the values in force now, not those it opened with.
    tick(qtbot, page.autostart)
    qtbot.waitUntil(lambda: not desktop_config(core).autostart and not entry.exists(), timeout=WAIT_MS)


def test_a_shortcut_another_program_holds_is_shown_beside_its_editor(
        parts: AppParts, qtbot: Any, other_program: Callable[[str], None]) -> None:  # noqa: F811
    core = parts.core
    other_program("m")
    page = settings_window(parts, qtbot).desktop_page
    answer, mute = page.shortcut_editors["answer"], page.shortcut_editors["mute"]

    answer.setFocus()
    qtbot.keyClick(answer, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: desktop_config(core).hotkey_answer == "ctrl+alt+a", timeout=WAIT_MS)
    mute.setFocus()
    qtbot.keyClick(mute, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: desktop_config(core).hotkey_mute == "ctrl+alt+m", timeout=WAIT_MS)

    conflict = page.findChild(QLabel, "conflict:mute")
    qtbot.waitUntil(lambda: conflict.isVisible(), timeout=WAIT_MS)
    assert conflict.text() == "Not set: ctrl+alt+m is already taken by another program"
    assert not page.conflict_labels["answer"].isVisible()
    assert core.services.desktop.hotkeys.grabbed == {"answer": "ctrl+alt+a"}

    # Reopening Settings still shows it: the conflict is the service's, not the old window's.
    again = settings_window(parts, qtbot).desktop_page
    assert again.conflict_labels["mute"].isVisible()

    # Another key for mute: the conflict goes from beside the editor.
    mute.setFocus()
    qtbot.keyClick(mute, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: desktop_config(core).hotkey_mute == "ctrl+alt+u", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: core.services.desktop.hotkeys.grabbed == {"answer": "ctrl+alt+a", "mute": "ctrl+alt+u"},
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not conflict.isVisible(), timeout=WAIT_MS)
    assert core.services.desktop.hotkey_conflicts() == {}


def test_the_device_picker_lists_headsets_by_stable_name_and_saves_the_choice(
        parts: AppParts, qtbot: Any, tmp_path: Path) -> None:
    # A hardware headset cannot run here: the kernel's device list and udev's names are a recording.
    core = parts.core
    listing = tmp_path / "input-devices"
    listing.write_text(PROC_DEVICES)
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    jabra = by_id / "usb-GN_Audio_A_S_Jabra_Evolve2_40-event-if03"
    os.symlink("../event12", jabra)
    hidraw = tmp_path / "sys-class-hidraw" / "hidraw3" / "device"
    hidraw.mkdir(parents=True)
    (hidraw / "report_descriptor").write_bytes(DESCRIPTOR)
    (hidraw / "uevent").write_text("DRIVER=hid-generic\nHID_ID=0003:00000B0E:000024AC\n"
                                   "HID_NAME=GN Audio A/S Jabra Evolve2 40\n")
    core.services.desktop.input_devices_file = listing
    core.services.desktop.input_names_dir = by_id
    core.services.desktop.hidraw_dir = hidraw.parent.parent

    page = settings_window(parts, qtbot).desktop_page
    items = [page.devices.item(row) for row in range(page.devices.count())]
    assert [item.data(Qt.ItemDataRole.UserRole) for item in items] == [str(jabra), "/dev/hidraw3"], \
        "the keyboard has no call keys"
    assert "Jabra Evolve2 40" in items[0].text() and "answer, hang up" in items[0].text()
    assert items[1].text() == "GN Audio A/S Jabra Evolve2 40, with its mute light (answer, hang up, mute)"

    items[0].setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: desktop_config(core).headset_devices == (str(jabra),), timeout=WAIT_MS)
    # The setting is in force before the desktop service has acted on it: wait for the service.
    qtbot.waitUntil(lambda: core.services.desktop.headset is not None, timeout=WAIT_MS)
    # And for the page to hear the news (a queued event): it lists what its own config says is chosen.
    qtbot.waitUntil(lambda: page.config.config.desktop.headset_devices == (str(jabra),), timeout=WAIT_MS)

    # Unplugged, it stays listed as chosen, so it can be unticked.
    listing.write_text(PROC_DEVICES.split("\n\n")[1])
    (hidraw / "report_descriptor").unlink()
    page.list_devices()
    assert page.chosen_devices() == [str(jabra)] and "not connected" in page.devices.item(0).text()
    page.devices.item(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: desktop_config(core).headset_devices == () and core.services.desktop.headset is None,
                    timeout=WAIT_MS)


def test_keys_an_administrator_locked_are_disabled_with_the_reason(
        parts: AppParts, qtbot: Any, tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    system.write_text('[desktop]\nautostart = true\nhotkey_answer = "ctrl+alt+a"\n\n'
                      '[locks]\nkeys = ["desktop.autostart", "desktop.hotkey_answer", "desktop.headset_devices"]\n')
    loaded = load_config(ConfigSources(system_file=system, user_file=tmp_path / "none.toml", fetch_remote=False,
                                       environ={}))
    page = settings_window(parts, qtbot, config=loaded).desktop_page
    assert page.autostart.isChecked() and not page.autostart.isEnabled()
    assert not page.shortcut_editors["answer"].isEnabled() and page.shortcut_editors["mute"].isEnabled()
    assert not page.devices.isEnabled()
    assert page.link_handler.isEnabled()
    for key in ("desktop.autostart", "desktop.hotkey_answer"):
        assert "locked by your administrator" in page.findChild(QLabel, f"origin:{key}").text()
    assert shortcut_from_sequence(page.shortcut_editors["answer"].keySequence()) == "ctrl+alt+a"
