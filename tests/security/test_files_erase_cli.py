"""`callclient --erase-all-data` must never run by accident (item 16).

`callclient --e` (an argparse abbreviation) erased everything without a question. Each case runs the
real command line in a child process with its own HOME, and checks whether the user's files survive.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.headless import REPO, AppHome


@pytest.fixture
def home(tmp_path: Path, secret_service) -> Iterator[AppHome]:  # the session keychain, so erasing can finish
    app_home = AppHome(tmp_path)
    yield app_home
    app_home.cleanup()


def users_data(home: AppHome) -> Path:
    """Something CallClient keeps that the user would miss: a file in its data folder."""
    data = home.home / ".local/share/CallClient"
    data.mkdir(parents=True)
    marker = data / "favorites-i-care-about"
    marker.write_text("Mum +33 1 23 45 67 89")
    return marker


def run_without_terminal(home: AppHome, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "callclient", *args], env=home.env, cwd=REPO, text=True,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


def run_in_terminal(home: AppHome, answer: str, *args: str) -> tuple[int, str]:
    """The command on a pseudo-terminal, as a user in a shell runs it; `answer` is typed at the prompt."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "callclient", *args], env=home.env, cwd=REPO,
                               stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    seen = b""
    try:
        while b"to erase everything" not in seen:
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no prompt within 30 s: {seen!r}"
            seen += os.read(leader, 4096)
        os.write(leader, answer.encode() + b"\n")
        while True:
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no end within 30 s: {seen!r}"
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        return process.wait(30), seen.decode(errors="replace")
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
            process.wait(10)


@pytest.mark.parametrize("abbreviation", ["--e", "--erase", "--erase-all"])
def test_an_abbreviated_option_is_refused_and_erases_nothing(home: AppHome, abbreviation: str) -> None:
    marker = users_data(home)
    done = run_without_terminal(home, abbreviation)
    assert done.returncode == 2
    assert f"unrecognized arguments: {abbreviation}" in done.stderr
    assert marker.exists()


def test_without_a_terminal_erase_refuses_unless_yes_is_given(home: AppHome) -> None:
    marker = users_data(home)
    refused = run_without_terminal(home, "--erase-all-data")
    assert refused.returncode == 1
    assert "Nothing was erased" in refused.stderr and "--yes" in refused.stderr
    assert marker.exists()

    confirmed = run_without_terminal(home, "--erase-all-data", "--yes")
    assert confirmed.returncode == 0, confirmed.stderr
    assert not marker.exists()
    assert "All CallClient data on this machine has been erased." in confirmed.stdout


def test_on_a_terminal_erase_asks_and_only_the_exact_answer_erases(home: AppHome) -> None:
    marker = users_data(home)
    code, transcript = run_in_terminal(home, "y", "--erase-all-data")
    assert code == 1 and "It cannot be undone" in transcript and "nothing was erased" in transcript
    assert marker.exists()

    code, transcript = run_in_terminal(home, "erase", "--erase-all-data")
    assert code == 0, transcript
    assert not marker.exists()
    assert "All CallClient data on this machine has been erased." in transcript
