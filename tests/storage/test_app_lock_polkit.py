"""The Linux app lock end to end: a real polkitd on a private system bus, our action's policy, and pkttyagent
answering as the user's authentication agent. The app (the shipped lock service on the shipped PolkitLock)
runs as a throwaway non-root user, since polkit lets root in without asking; each answer reaches it through
D-Bus as polkit's reply to CheckAuthorization."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.polkit import CancellingAgent, PolkitSystem, TtyAgent, polkit_system

ANSWER_TIMEOUT_S = 30.0
CHILD = Path(__file__).with_name("polkit_app.py")


@pytest.fixture(scope="module")
def polkit() -> Iterator[PolkitSystem]:
    with polkit_system() as system:
        yield system


class LockedApp:
    """The app's lock service as the test user, locked and waiting for commands."""

    def __init__(self, system: PolkitSystem) -> None:
        self.process = subprocess.Popen(system.python() + [str(CHILD)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, user=system.user.uid, group=system.user.gid,
                                        extra_groups=[], env=system.python_env(), cwd=str(system.user.home))
        self.hello = self.read()
        self.send("lock")
        assert self.read()["locked"] is True

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command.encode() + b"\n")
        self.process.stdin.flush()

    def read(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # the child's answers; it exits (EOF) if anything goes wrong
        assert line, f"the app exited with {self.process.wait(ANSWER_TIMEOUT_S)}"
        return json.loads(line)

    def answer(self) -> dict:
        """The state after the platform's answer (the first LockChanged no longer unlocking)."""
        while True:
            state = self.read()
            if not state["unlocking"]:
                return state

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(ANSWER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def app(polkit: PolkitSystem) -> Iterator[LockedApp]:
    locked = LockedApp(polkit)
    yield locked
    locked.close()


@pytest.fixture
def agent(polkit: PolkitSystem, app: LockedApp) -> Iterator[TtyAgent]:
    tty = TtyAgent(polkit, app.hello["pid"])
    yield tty
    tty.stop()


def test_the_lock_is_offered_to_a_user_where_polkit_knows_our_action(app: LockedApp) -> None:
    assert app.hello["uid"] != 0
    assert app.hello == {**app.hello, "available": True, "why": ""}


def test_the_right_password_at_the_agent_unlocks_the_app(polkit: PolkitSystem, app: LockedApp,
                                                         agent: TtyAgent) -> None:
    app.send("unlock")
    assert app.read()["unlocking"] is True
    agent.answer(polkit.user.password.encode())
    assert app.answer() == {"locked": False, "unlocking": False, "message": "", "retry_in_s": 0.0,
                            "hide_caller": False}
    assert b"Confirm it is you to unlock CallClient" in agent.output  # our policy's message, shown by the agent


def test_every_unlock_asks_again(polkit: PolkitSystem, app: LockedApp, agent: TtyAgent) -> None:
    """auth_self, not auth_self_keep: a second unlock straight after the first asks the agent again."""
    for _attempt in range(2):
        app.send("unlock")
        agent.answer(polkit.user.password.encode())
        assert app.answer()["locked"] is False
        app.send("lock")
        assert app.read()["locked"] is True
    assert agent.wait_for(b"AUTHENTICATION COMPLETE", times=2).count(b"Password: ") == 2


def test_a_wrong_password_leaves_the_app_locked_and_says_so(app: LockedApp, agent: TtyAgent) -> None:
    app.send("unlock")
    agent.answer(b"not-the-password")
    state = app.answer()
    assert state["locked"] is True
    assert state["message"].startswith("Not unlocked: the system could not confirm it is you.")
    assert b"AUTHENTICATION FAILED" in agent.wait_for(b"AUTHENTICATION FAILED")


def test_cancelling_while_the_agent_asks_leaves_the_app_locked(app: LockedApp, agent: TtyAgent) -> None:
    app.send("unlock")
    agent.wait_for(b"Password: ")
    app.send("cancel")  # the lock screen's Cancel: CancelCheckAuthorization on the same connection
    state = app.answer()
    assert state["locked"] is True
    assert state["message"] == "Unlock cancelled: CallClient stays locked."


def test_cancel_at_the_desktops_agent_reaches_the_app_as_cancelled(polkit: PolkitSystem, app: LockedApp) -> None:
    agent = CancellingAgent(polkit, app.hello["pid"], app.hello["uid"])
    try:
        app.send("unlock")
        state = app.answer()
    finally:
        agent.stop()
    assert agent.begun == ["org.callclient.unlock"]
    assert state["locked"] is True
    assert state["message"] == "Unlock cancelled: CallClient stays locked."


def test_without_an_agent_the_app_stays_locked_and_names_the_missing_agent(app: LockedApp) -> None:
    app.send("unlock")
    state = app.answer()
    assert state["locked"] is True
    assert "no authentication agent is running" in state["message"]
