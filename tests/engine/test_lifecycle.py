from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import psutil

from callclient.engine import SipEngine
from callclient.engine.errors import EngineNotRunning
from callclient.engine.events import CallEnded, CallState, CallUpdated
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio

ROOT = Path(__file__).resolve().parents[2]


def test_shutdown_with_calls_up_hangs_up_cleanly(kamailio: Kamailio, far_end) -> None:
    bob = far_end("bob", auto_answer=True)
    run = subprocess.run(
        [sys.executable, "-m", "tests.engine.shutdown_with_calls_up", kamailio.address(), "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, f"engine process died: {run.returncode}\n{run.stderr[-3000:]}"
    assert "Assertion" not in run.stderr
    assert [line for line in run.stdout.split() if line in ("UP", "STOPPED")] == ["UP", "STOPPED"]
    for _ in range(2):
        assert bob.expect_state("DISCONNECTED")["code"] == 200, "each far end got a BYE"


def test_two_hundred_calls_in_a_row_leak_nothing(engine: SipEngine, events: Events, register,
                                                kamailio: Kamailio, sipp) -> None:
    register("alice", auto_answer=True)
    process = psutil.Process()
    threads_before = (threading.active_count(), process.num_threads())
    # one after another: auto-answer picks up only when no other call is up
    caller = sipp("uac_call", remote=kamailio.address(), service="alice", calls=200, rate=100, limit=1,
                  timeout_s=120, talk_ms=20)
    caller.assert_passed(timeout_s=150)
    ended = [events.wait(CallEnded, timeout=20) for _ in range(200)]
    assert len({e.call_id for e in ended}) == 200 and all(e.answered for e in ended)
    assert engine.status().result(5).calls == ()
    assert (threading.active_count(), process.num_threads()) == threads_before


def test_commands_after_stop_fail_clearly(engine: SipEngine) -> None:
    engine.stop()
    future = engine.make_call("bob")
    assert isinstance(future.exception(1), EngineNotRunning)


def test_an_incoming_call_then_shutdown_declines_it(engine: SipEngine, events: Events, register, far_end) -> None:
    register("alice")
    bob = far_end("bob")
    bob.send(op="call", account="bob", uri="sip:alice@pbx.test")
    events.wait(CallUpdated, state=CallState.INCOMING)
    engine.stop()
    assert bob.expect_state("DISCONNECTED")["code"] >= 400
