"""A short soak: calls in a row leave no file descriptor, thread or much memory behind.

The long run (1000 calls, audio checked at the far end) is bench/soak.py; this is its regression guard:
30 calls through Kamailio to a pjsua2 far end in its own process, hold/resume and DTMF on every 10th."""

from __future__ import annotations

import os
from pathlib import Path

from callclient.engine import SipEngine
from callclient.engine.events import CallEnded, CallState, CallUpdated, MediaState
from tests.fixtures.engine_events import Events
from tests.fixtures.net import wait_until

CALLS = 30
RSS_GROWTH_LIMIT_KB = 8 * 1024  # loose: 30 calls; the long run holds the 5 MB line over 950 calls


def counts() -> tuple[int, int, int]:
    """RSS (KiB), open fds and OS threads of this process."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), len(os.listdir("/proc/self/fd")), int(fields["Threads"])


def one_call(engine: SipEngine, events: Events, bob, number: int) -> None:  # noqa: ANN001 - SipPeer
    call_id = engine.make_call("bob").result(10)
    events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
    far_call = bob.expect(lambda e: e["ev"] == "incoming", what="the incoming call")["call"]
    if number % 10 == 0:
        engine.hold(call_id).result(10)
        events.wait(CallUpdated, call_id=call_id, media=MediaState.LOCAL_HOLD)
        engine.resume(call_id).result(10)
        events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE, only_new=True)
        engine.send_dtmf("5#", call_id).result(10)
        for digit in "5#":
            bob.expect(lambda e, d=digit: e["ev"] == "dtmf" and e["digit"] == d, what=f"DTMF {digit}")
    engine.hangup(call_id).result(10)
    events.wait(CallEnded, call_id=call_id)
    bob.expect(lambda e: e["ev"] == "state" and e["call"] == far_call and e["state"] == "DISCONNECTED",
               what="the far end's hang-up")
    bob.seen.clear()
    events.drain()
    events.history.clear()  # the helper keeps every event: over many calls that is memory of the test's own


def test_thirty_calls_in_a_row_return_fds_and_threads_to_their_start(engine: SipEngine, events: Events,
                                                                      register, far_end) -> None:  # noqa: ANN001
    register("alice")
    bob = far_end("bob", auto_answer=True)
    one_call(engine, events, bob, 1)  # the first call makes what every call then reuses (pools, the media clock)
    start_rss_kb, start_fds, start_threads = counts()
    for number in range(2, CALLS + 1):
        one_call(engine, events, bob, number)
    # Worker threads and sockets may go a moment after the last call ends: waited for, not slept on.
    wait_until(lambda: counts()[1] <= start_fds and counts()[2] <= start_threads, 10,
               f"fds back to {start_fds} and threads to {start_threads} (now {counts()[1:]})")
    growth_kb = counts()[0] - start_rss_kb
    assert growth_kb < RSS_GROWTH_LIMIT_KB, f"RSS grew {growth_kb} KiB over {CALLS - 1} calls"
