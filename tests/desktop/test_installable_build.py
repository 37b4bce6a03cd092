"""The installable build, as a user gets it: scripts/build-linux runs `pyinstaller build.spec` and packs the
tarball; the frozen app answers --version and places a demo call headless (no Python, no source tree on
its path); install.sh installs it for one user — menu entry, icon, link handler — in a private HOME.

Slow (minutes of PyInstaller): the build runs once per session, in the background from the session's start."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import frozen_build
from tests.fixtures.headless import READY_LINE, private_dirs
from tests.fixtures.net import wait_until

# The build starts in the background when the session begins (tests/conftest.py, tests/fixtures/frozen_build.py)
# and these tests run last; waiting for it counts against the first test's setup.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(frozen_build.BUILD_TIMEOUT_S + 300)]
SCHEMES = ("sip", "sips", "tel", "callto")


@pytest.fixture(scope="session")
def tarball() -> Path:
    return frozen_build.start().tarball()


@pytest.fixture
def unpacked(tarball: Path, tmp_path: Path) -> Path:
    with tarfile.open(tarball) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    (top,) = (tmp_path / "unpacked").iterdir()
    return top


def user_env(tmp_path: Path) -> dict[str, str]:
    """A user's session with nothing of this checkout in it: no PYTHONPATH, no venv, private HOME/XDG."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "VIRTUAL_ENV", "CALLCLIENT_CONTROL_SOCKET", "XDG_CURRENT_DESKTOP")}
    env.update(private_dirs(tmp_path / "home", tmp_path / "no-admin.toml", "cc-frozen-"))
    (tmp_path / "system-data").mkdir()
    env["XDG_DATA_DIRS"] = str(tmp_path / "system-data")  # nothing installed system-wide is seen
    env["PATH"] = "/usr/bin:/bin"
    return env


def run(args: list[str], env: dict[str, str], cwd: Path, timeout_s: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout_s)


def test_the_frozen_app_answers_version_and_places_a_demo_call_headless(
        unpacked: Path, tmp_path: Path, secret_service: Any) -> None:  # the keychain on the test's session bus

    program = unpacked / "CallClient" / "callclient"
    env = user_env(tmp_path)
    version = run([str(program), "--version"], env, tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("CallClient "), version.stderr

    empty = tmp_path / "empty.toml"
    empty.write_text("# no account: demo mode\n")
    app = subprocess.Popen([str(program), "--headless", "--no-audio", "--config", str(empty)], env=env,
                           cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        assert app.stdout is not None
        for line in app.stdout:
            if line.startswith(READY_LINE):
                break
        else:
            raise AssertionError(f"the frozen app exited before it was ready: {app.stderr.read()[-4000:]}")

        def status() -> dict:
            done = run([str(program), "status"], env, tmp_path)
            return json.loads(done.stdout) if done.returncode == 0 else {}

        wait_until(lambda: status().get("accounts"), 60, "the demo account")
        assert status()["demo"] is True
        called = run([str(program), "call", "100"], env, tmp_path)
        assert called.returncode == 0, called.stderr
        wait_until(lambda: [c["state"] for c in status().get("calls", [])] == ["confirmed"], 30,
                   "the demo echo number to answer")
        assert run([str(program), "hangup"], env, tmp_path).returncode == 0
        wait_until(lambda: status().get("calls") == [], 30, "the call to end")
    finally:
        app.terminate()
        code = app.wait(30)
        run([str(program), "--erase-all-data", "--yes"], env, tmp_path)  # the demo's keychain entries
    assert code == 0, app.stderr.read()[-4000:] if app.stderr else ""


def test_install_sh_installs_for_the_user_with_a_valid_menu_entry_icon_and_link_handler(
        unpacked: Path, tmp_path: Path) -> None:
    env = user_env(tmp_path)
    home = Path(env["HOME"])
    data = Path(env["XDG_DATA_HOME"])
    env["CALLCLIENT_POLKIT_DIR"] = str(tmp_path / "polkit-actions")  # the tests run as root: not /usr/share
    shipped = unpacked / "CallClient/_internal/resources/linux"
    if not list(shipped.glob("*.policy")):  # this branch ships none yet: one stands in for the app lock's
        shipped.mkdir(parents=True, exist_ok=True)
        (shipped / "org.callclient.test.policy").write_text("<policyconfig/>\n")
    policies = sorted(p.name for p in shipped.glob("*.policy"))

    done = run([str(unpacked / "install.sh")], env, tmp_path)
    assert done.returncode == 0, done.stderr

    program = home / ".local/opt/callclient/callclient"
    link = home / ".local/bin/callclient"
    assert link.resolve() == program.resolve()
    assert run([str(link), "--version"], env, tmp_path).stdout.startswith("CallClient ")

    entry = data / "applications/callclient.desktop"
    validated = run(["desktop-file-validate", str(entry)], env, tmp_path)
    assert validated.returncode == 0 and not validated.stdout.strip(), validated.stdout + validated.stderr
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(entry)
    fields = parser["Desktop Entry"]
    assert fields["Exec"] == f"{program} %u" and fields["TryExec"] == str(program)
    assert set(fields["MimeType"].strip(";").split(";")) == {f"x-scheme-handler/{s}" for s in SCHEMES}
    assert (data / "icons/hicolor/scalable/apps/callclient.svg").read_text().lstrip().startswith("<")
    for scheme in SCHEMES:
        default = run(["xdg-mime", "query", "default", f"x-scheme-handler/{scheme}"], env, tmp_path)
        assert default.stdout.strip() == "callclient.desktop", (scheme, default.stdout, default.stderr)
    assert sorted(p.name for p in (tmp_path / "polkit-actions").iterdir()) == policies

    # Again (an upgrade) and then away: nothing of the install stays, the user's data does.
    (Path(env["XDG_CONFIG_HOME"]) / "CallClient").mkdir(exist_ok=True)
    assert run([str(unpacked / "install.sh")], env, tmp_path).returncode == 0
    assert run([str(unpacked / "install.sh"), "--uninstall"], env, tmp_path).returncode == 0
    assert not program.exists() and not link.is_symlink() and not entry.exists()
    assert (Path(env["XDG_CONFIG_HOME"]) / "CallClient").exists()
    shutil.rmtree(Path(env["XDG_RUNTIME_DIR"]), ignore_errors=True)
