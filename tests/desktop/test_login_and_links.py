"""Start at login and sip:/tel: links, as the user turns them on and off in Settings (the one settings route),
checked with the desktop's own tool (`xdg-mime query default`) in a private XDG config and data dir."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

import pytest

from callclient.app import Core
from callclient.desktop.autostart import DESKTOP_ID, LINK_SCHEMES, START_MINIMISED_ENV
from tests.services.conftest import CoreHome, core_home  # noqa: F401 - fixture


@pytest.fixture
def desktop_home(core_home: CoreHome, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CoreHome:  # noqa: F811
    # Nothing installed system-wide is seen: the test's data dirs hold no callclient.desktop.
    (tmp_path / "system-data").mkdir()
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "system-data"))
    monkeypatch.delenv("XDG_CURRENT_DESKTOP", raising=False)
    return core_home


def xdg_mime_default(core: Core, scheme: str) -> str:
    done = subprocess.run(["xdg-mime", "query", "default", f"x-scheme-handler/{scheme}"],
                          env=dict(core.options.environ), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(path)
    return parser["Desktop Entry"]


def test_autostart_writes_an_xdg_entry_that_starts_minimised_and_removes_it_when_turned_off(
        desktop_home: CoreHome) -> None:
    core = desktop_home.start()
    autostart = Path(core.options.environ["XDG_CONFIG_HOME"]) / "autostart" / DESKTOP_ID
    assert not autostart.exists(), "opt-in: nothing at login until the user asks"

    core.services.settings.change({"desktop.autostart": True}, by="settings window")
    entry = desktop_entry(autostart)
    assert entry["Type"] == "Application" and entry.get("Hidden", "false") == "false"
    assert f"{START_MINIMISED_ENV}=1" in entry["Exec"] and "callclient" in entry["Exec"]
    # The Exec line starts a CallClient: run its program with --version as the session would run it.
    program = entry["Exec"].replace(f"env {START_MINIMISED_ENV}=1 ", "").split()
    version = subprocess.run([*program, "--version"], capture_output=True, text=True, timeout=60,
                             env=dict(core.options.environ))
    assert version.returncode == 0 and "CallClient" in version.stdout, version.stderr

    core.services.settings.change({"desktop.autostart": False}, by="settings window")
    assert not autostart.exists()


def test_the_link_handler_makes_callclient_the_default_for_every_call_scheme_and_gives_it_back(
        desktop_home: CoreHome) -> None:
    core = desktop_home.start()
    assert xdg_mime_default(core, "sip") == ""
    mimeapps = Path(core.options.environ["XDG_CONFIG_HOME"]) / "mimeapps.list"
    mimeapps.write_text("[Default Applications]\nx-scheme-handler/mailto=thunderbird.desktop\n")

    core.services.settings.change({"desktop.link_handler": True}, by="settings window")
    assert {scheme: xdg_mime_default(core, scheme) for scheme in LINK_SCHEMES} == \
        {scheme: DESKTOP_ID for scheme in LINK_SCHEMES}
    generated = Path(core.options.environ["XDG_DATA_HOME"]) / "applications" / DESKTOP_ID
    entry = desktop_entry(generated)
    assert entry["Exec"].endswith("%u") and "x-scheme-handler/tel;" in entry["MimeType"]

    core.services.settings.change({"desktop.link_handler": False}, by="settings window")
    assert [xdg_mime_default(core, scheme) for scheme in LINK_SCHEMES] == ["", "", "", ""]
    assert "x-scheme-handler/mailto=thunderbird.desktop" in mimeapps.read_text(), "another program's default stays"
    assert not generated.exists()
