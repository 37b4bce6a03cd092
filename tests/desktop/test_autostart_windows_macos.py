"""Start at login on Windows (the HKCU Run key) and macOS (a LaunchAgent plist), through the same
`set_autostart` call the desktop service makes. The LaunchAgent is only a file, so it is written for real
in a temporary HOME and read back as launchd reads it (a plist); the registry is a stand-in holding values
as winreg would (Windows does not run here)."""

from __future__ import annotations

import plistlib
import shlex
import subprocess
from pathlib import Path

from callclient.desktop.autostart import (LAUNCH_AGENT_LABEL, RUN_KEY, RUN_VALUE, START_MINIMISED_ENV,
                                          launch_agent_file, set_autostart)


class RecordedRegistry:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get_value(self, key_path: str, name: str) -> str | None:
        return self.values.get((key_path, name))

    def set_value(self, key_path: str, name: str, value: str) -> None:
        self.values[(key_path, name)] = value

    def delete_value(self, key_path: str, name: str) -> None:
        del self.values[(key_path, name)]


def test_windows_autostart_is_a_run_value_that_starts_callclient_and_goes_when_turned_off() -> None:
    registry = RecordedRegistry()
    set_autostart(True, {}, platform="win32", registry=registry)
    assert RUN_KEY == r"Software\Microsoft\Windows\CurrentVersion\Run"
    command = registry.values[(RUN_KEY, RUN_VALUE)]
    # The value is one command line (CreateProcess quoting); here POSIX splitting reads it back the same
    # way as long as no argument holds a backslash or quote, which the checkout's paths do not.
    version = subprocess.run([*shlex.split(command), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and "CallClient" in version.stdout, version.stderr

    set_autostart(False, {}, platform="win32", registry=registry)
    assert registry.values == {}


def test_windows_autostart_off_leaves_another_programs_run_value_alone() -> None:
    registry = RecordedRegistry()
    registry.set_value(RUN_KEY, RUN_VALUE, r'"C:\Program Files\Other\other.exe" --tray')
    set_autostart(False, {}, platform="win32", registry=registry)
    assert registry.get_value(RUN_KEY, RUN_VALUE) == r'"C:\Program Files\Other\other.exe" --tray'


def test_macos_autostart_is_a_launch_agent_that_starts_callclient_minimised(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path)}
    set_autostart(True, environ, platform="darwin")
    path = tmp_path / "Library" / "LaunchAgents" / "org.callclient.plist"
    assert launch_agent_file(environ) == path
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == LAUNCH_AGENT_LABEL and agent["RunAtLoad"] is True
    assert agent["EnvironmentVariables"] == {START_MINIMISED_ENV: "1"}
    version = subprocess.run([*agent["ProgramArguments"], "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and "CallClient" in version.stdout, version.stderr

    set_autostart(False, environ, platform="darwin")
    assert not path.exists()


def test_macos_autostart_off_leaves_a_file_it_did_not_write(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path)}
    path = launch_agent_file(environ)
    path.parent.mkdir(parents=True)
    path.write_bytes(plistlib.dumps({"Label": "com.example.other", "ProgramArguments": ["/bin/true"]}))
    set_autostart(False, environ, platform="darwin")
    assert plistlib.loads(path.read_bytes())["Label"] == "com.example.other"
    path.write_text("not a plist")
    set_autostart(False, environ, platform="darwin")
    assert path.read_text() == "not a plist"
