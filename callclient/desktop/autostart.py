"""Start at login (every platform) and the sip:/sips:/tel:/callto: link handler (freedesktop systems).

Autostart, behind one call (`set_autostart`), is where each platform looks at login: on Windows the
HKCU Run key (value "CallClient"), on macOS a LaunchAgent (~/Library/LaunchAgents/org.callclient.plist,
RunAtLoad), elsewhere an XDG autostart entry (XDG Autostart Specification) in $XDG_CONFIG_HOME/autostart that starts
CallClient minimised to the tray. The link handler is `xdg-mime default callclient.desktop
x-scheme-handler/…`, which writes the user's mimeapps.list as every desktop reads it. Both are opt-in and
undone when turned off: we remove only the entries we wrote (marked X-CallClient-Generated) and only the
mimeapps.list defaults that name us, never another program's choice.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import plistlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

DESKTOP_ID = "callclient.desktop"
LINK_SCHEMES = ("sip", "sips", "tel", "callto")
MARK = "X-CallClient-Generated=true"
# What the autostarted app reads to start in the tray whatever ui.start_minimised says (ui/main.py).
START_MINIMISED_ENV = "CALLCLIENT_START_MINIMISED"
XDG_MIME_TIMEOUT_S = 30.0
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"  # under HKEY_CURRENT_USER: this user only
RUN_VALUE = "CallClient"
LAUNCH_AGENT_LABEL = "org.callclient"


class DesktopIntegrationFailed(Exception):
    """Autostart or the link handler could not be set up; the message says what to install or fix."""


def _config_home(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("XDG_CONFIG_HOME") or Path(environ.get("HOME", "~")).expanduser() / ".config")


def _data_home(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("XDG_DATA_HOME") or Path(environ.get("HOME", "~")).expanduser() / ".local/share")


def launcher() -> list[str]:
    """How to start this CallClient: the installed `callclient` script beside this Python, else `python -m`."""
    script = Path(sys.executable).with_name("callclient")
    if script.exists():
        return [str(script)]
    found = shutil.which("callclient")
    return [found] if found else [sys.executable, "-m", "callclient"]


def _exec_line(args: list[str]) -> str:
    # The Desktop Entry Specification's Exec quoting: double quotes, with \", \`, \$ and \\ escaped inside.
    def quote(arg: str) -> str:
        if arg and all(c.isalnum() or c in "/._-+=:,@%" for c in arg):
            return arg
        return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'

    return " ".join(quote(a) if not a.startswith("%") else a for a in args)


def _entry(name_suffix: str, exec_args: list[str], extra: str = "") -> str:
    return ("[Desktop Entry]\nType=Application\nVersion=1.4\n"
            f"Name=CallClient{name_suffix}\nGenericName=Softphone\n"
            "Comment=Place and receive calls through your organisation's phone system\n"
            f"Exec={_exec_line(exec_args)}\nIcon=callclient\nTerminal=false\nCategories=Network;Telephony;Qt;\n"
            f"{extra}{MARK}\n")


def _ours(path: Path) -> bool:
    try:
        return MARK in path.read_text(errors="replace")
    except OSError:
        return False


# ---------------------------------------------------------------------------- autostart

def autostart_file(environ: Mapping[str, str]) -> Path:
    return _config_home(environ) / "autostart" / DESKTOP_ID


class Registry(Protocol):
    """The few HKEY_CURRENT_USER calls autostart needs (winreg on Windows; a test hands a dict-backed one)."""

    def get_value(self, key_path: str, name: str) -> str | None: ...

    def set_value(self, key_path: str, name: str, value: str) -> None: ...

    def delete_value(self, key_path: str, name: str) -> None: ...


class WinReg:
    """The real registry, through the standard library's winreg (Windows only)."""

    def get_value(self, key_path: str, name: str) -> str | None:
        import winreg  # type: ignore[import-not-found]

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path, 0, winreg.KEY_QUERY_VALUE) as key:
                return str(winreg.QueryValueEx(key, name)[0])
        except FileNotFoundError:
            return None

    def set_value(self, key_path: str, name: str, value: str) -> None:
        import winreg  # type: ignore[import-not-found]

        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key_path, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete_value(self, key_path: str, name: str) -> None:
        import winreg  # type: ignore[import-not-found]

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path, 0, winreg.KEY_SET_VALUE) as key:
            winreg.DeleteValue(key, name)


def launch_agent_file(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("HOME") or Path("~").expanduser()) / "Library" / "LaunchAgents" / \
        f"{LAUNCH_AGENT_LABEL}.plist"


def set_autostart(enabled: bool, environ: Mapping[str, str], platform: str = sys.platform,
                  registry: Registry | None = None) -> None:
    if platform == "win32":
        _set_run_key(enabled, registry or WinReg())
    elif platform == "darwin":
        _set_launch_agent(enabled, environ)
    else:
        _set_xdg_autostart(enabled, environ)


def _set_run_key(enabled: bool, registry: Registry) -> None:
    if enabled:
        # The Run key has no place for environment variables, so this start shows the window unless
        # ui.start_minimised is on (see the user guide).
        registry.set_value(RUN_KEY, RUN_VALUE, subprocess.list2cmdline(launcher()))  # CreateProcess's quoting
        log.info("autostart on: HKCU\\%s\\%s", RUN_KEY, RUN_VALUE)
        return
    current = registry.get_value(RUN_KEY, RUN_VALUE)
    if current is not None and "callclient" in current.lower():  # ours; another program's value stays
        registry.delete_value(RUN_KEY, RUN_VALUE)
        log.info("autostart off: removed HKCU\\%s\\%s", RUN_KEY, RUN_VALUE)


def _set_launch_agent(enabled: bool, environ: Mapping[str, str]) -> None:
    path = launch_agent_file(environ)
    if enabled:
        agent = {"Label": LAUNCH_AGENT_LABEL, "ProgramArguments": launcher(), "RunAtLoad": True,
                 "EnvironmentVariables": {START_MINIMISED_ENV: "1"},
                 "ProcessType": "Interactive", "LimitLoadToSessionType": "Aqua"}  # the logged-in GUI session
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(plistlib.dumps(agent))
        os.replace(temporary, path)
        log.info("autostart on: %s", path)
        return
    try:
        ours = plistlib.loads(path.read_bytes()).get("Label") == LAUNCH_AGENT_LABEL
    except FileNotFoundError:
        return
    except (OSError, plistlib.InvalidFileException, ValueError) as error:
        log.warning("autostart off: left %s alone, it is not a LaunchAgent we wrote (%s)", path, error)
        return
    if ours:
        path.unlink()
        log.info("autostart off: removed %s", path)


def _set_xdg_autostart(enabled: bool, environ: Mapping[str, str]) -> None:
    path = autostart_file(environ)
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        args = ["env", f"{START_MINIMISED_ENV}=1", *launcher()]
        _write(path, _entry("", args, "X-GNOME-Autostart-enabled=true\n"))
        log.info("autostart on: %s", path)
    elif path.exists() and _ours(path):
        path.unlink()
        log.info("autostart off: removed %s", path)


# ---------------------------------------------------------------------------- links

def _installed_entry(environ: Mapping[str, str]) -> Path | None:
    """A callclient.desktop a package installed (not one we generated), which xdg-mime may name as it is."""
    dirs = environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    for directory in [_data_home(environ), *map(Path, dirs.split(":"))]:
        candidate = directory / "applications" / DESKTOP_ID
        if candidate.is_file() and not _ours(candidate):
            return candidate
    return None


def set_link_handler(enabled: bool, environ: Mapping[str, str]) -> None:
    generated = _data_home(environ) / "applications" / DESKTOP_ID
    if enabled:
        if _installed_entry(environ) is None:  # run from a checkout or pip: give the desktop an entry to name
            mime = "".join(f"x-scheme-handler/{s};" for s in LINK_SCHEMES)
            generated.parent.mkdir(parents=True, exist_ok=True)
            _write(generated, _entry("", [*launcher(), "%u"], f"NoDisplay=true\nMimeType={mime}\n"))
        for scheme in LINK_SCHEMES:
            _xdg_mime(["default", DESKTOP_ID, f"x-scheme-handler/{scheme}"], environ)
        log.info("CallClient now opens %s links", ", ".join(f"{s}:" for s in LINK_SCHEMES))
        return
    _forget_defaults(_config_home(environ) / "mimeapps.list")
    if generated.exists() and _ours(generated):
        generated.unlink()


def link_handler_is_us(scheme: str, environ: Mapping[str, str]) -> bool:
    return _xdg_mime(["query", "default", f"x-scheme-handler/{scheme}"], environ).strip() == DESKTOP_ID


def _forget_defaults(mimeapps: Path) -> None:
    """Drops the scheme defaults that name us from mimeapps.list; other lines stay exactly as they were."""
    try:
        lines = mimeapps.read_text().splitlines(keepends=True)
    except FileNotFoundError:
        return
    ours = {f"x-scheme-handler/{s}" for s in LINK_SCHEMES}
    kept = [line for line in lines
            if not (line.split("=", 1)[0].strip() in ours and line.split("=", 1)[-1].strip().rstrip(";") == DESKTOP_ID)]
    if kept != lines:
        _write(mimeapps, "".join(kept))
        log.info("CallClient no longer opens %s links", ", ".join(f"{s}:" for s in LINK_SCHEMES))


def _xdg_mime(args: list[str], environ: Mapping[str, str]) -> str:
    program = shutil.which("xdg-mime", path=environ.get("PATH"))
    if program is None:
        raise DesktopIntegrationFailed("cannot register CallClient for sip: and tel: links: xdg-mime is missing "
                                       "(install the xdg-utils package)")
    try:
        done = subprocess.run([program, *args], env=dict(environ), capture_output=True, text=True,
                              timeout=XDG_MIME_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DesktopIntegrationFailed(f"xdg-mime {shlex.join(args)} failed: {error}") from None
    if done.returncode != 0:
        raise DesktopIntegrationFailed(f"xdg-mime {shlex.join(args)} failed ({done.returncode}): "
                                       f"{done.stderr.strip()[:300]}")
    return done.stdout


def _write(path: Path, text: str) -> None:
    """Writes whole or not at all: a half-written mimeapps.list would break every desktop's defaults."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)
