"""A pjsua2 far end with a 16 kHz conference bridge (tests/fixtures/sip_peer.py's, in its own process),
and the device-less reference call between two of them: what the codec and network alone cost.

Run as a script (`--far-end ARGS`) it is that far end's process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script (the far end): `bench` and `tests` importable
    sys.path.insert(0, str(ROOT))

from bench.speech_scoring import RATE, pesq_wb, read_samples  # noqa: E402


def far_end_main(argv: list[str]) -> None:
    """tests/fixtures/sip_peer.py's far end with its conference bridge at 16 kHz: at its usual 8 kHz
    it would hear G.722 through a narrowband bridge and PESQ-WB would score the bridge, not us."""
    import pjsua2 as pj

    lib_init = pj.Endpoint.libInit

    def wideband(endpoint: object, config: object) -> None:
        media = config.medConfig  # type: ignore[attr-defined]
        media.clockRate = media.sndClockRate = RATE
        media.noVad = True  # as the app: with VAD on, the first syllables after a pause arrive garbled
        lib_init(endpoint, config)

    pj.Endpoint.libInit = wideband
    from tests.fixtures import sip_peer

    sys.argv = ["sip_peer", *argv]
    sip_peer._peer_main()


class WidebandFarEnd:
    """A `SipPeer` whose process is `far_end_main`: same commands and events, 16 kHz bridge."""

    def __new__(cls, accounts: list[dict]) -> object:
        import json
        import queue

        from tests.fixtures.sip_peer import SipPeer

        peer = SipPeer.__new__(SipPeer)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        peer.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--far-end", "--accounts", json.dumps(accounts),
             "--codecs", "G722/16000", "--auto-answer"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
        peer.events = queue.SimpleQueue()
        peer.seen = []
        threading.Thread(target=peer._read, daemon=True).start()
        peer.port = peer.expect(lambda e: e["ev"] == "ready", timeout=20)["port"]
        return peer


def bridge_reference(kamailio: object, work: Path, near: np.ndarray, far: np.ndarray) -> tuple[float, float]:
    """The same G.722 call between two pjsua2 far ends, player and recorder at their bridges: the codec's
    and network's own cost, with no sound devices. Scores (carol -> bob, bob -> carol)."""
    from tests.conftest import SIP_USERS

    def spec(user: str) -> dict:
        return dict(user=user, password=SIP_USERS[user], domain=kamailio.domain,  # type: ignore[attr-defined]
                    registrar=kamailio.address())  # type: ignore[attr-defined]

    bob, carol = WidebandFarEnd([spec("bob")]), WidebandFarEnd([spec("carol")])
    try:
        for peer, user in ((bob, "bob"), (carol, "carol")):
            peer.expect(lambda e, u=user: e["ev"] == "registration" and e["code"] == 200, what=f"{user} registered")
        carol.send(op="call", uri=f"sip:bob@{kamailio.domain}")  # type: ignore[attr-defined]
        carol_call = carol.expect_state("CONFIRMED", timeout=15)["call"]
        bob_call = bob.expect_state("CONFIRMED", timeout=15)["call"]
        for peer, call in ((bob, bob_call), (carol, carol_call)):
            peer.send(op="record", call=call, file=str(work / f"bridge-{call}-{id(peer)}.wav"))
            peer.expect(lambda e: e["ev"] == "recording", what="recording")
        carol.send(op="play", call=carol_call, file=str(work / "near.wav"))
        bob.send(op="play", call=bob_call, file=str(work / "far.wav"))
        for peer in (carol, bob):
            peer.expect(lambda e: e["ev"] == "play_done", timeout=90, what="played")
        for peer, call in ((bob, bob_call), (carol, carol_call)):
            peer.send(op="stop_media", call=call)
            peer.expect(lambda e: e["ev"] == "media_stopped", what="recording closed")
        at_bob = read_samples(work / f"bridge-{bob_call}-{id(bob)}.wav")
        at_carol = read_samples(work / f"bridge-{carol_call}-{id(carol)}.wav")
        carol.send(op="hangup", call=carol_call)
        bob.expect_state("DISCONNECTED", call=bob_call)
    finally:
        bob.close()
        carol.close()
    return pesq_wb(near, at_bob), pesq_wb(far, at_carol)


if __name__ == "__main__":
    if sys.argv[1:2] != ["--far-end"]:
        sys.exit("usage: wideband_far_end.py --far-end SIP_PEER_ARGS   (started by WidebandFarEnd)")
    far_end_main(sys.argv[2:])
