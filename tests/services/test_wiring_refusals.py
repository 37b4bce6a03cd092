"""A far end's REFER to a host outside the account's domain is refused by the engine, and the refusal
reaches the windows' news stream as `TransferRefused` (imported from services.types, as the windows do),
with the full target for the notice; the call itself goes on."""

from __future__ import annotations

from callclient.services.types import CallState, CallUpdated, MediaState, TransferRefused
from tests.fixtures.kamailio import Kamailio
from tests.services.conftest import CoreHome, news, registered_core


def test_a_foreign_refer_reaches_the_news_as_a_transfer_refused_notice(
        core_home: CoreHome, kamailio: Kamailio, far_end) -> None:  # noqa: ANN001
    core = registered_core(core_home, kamailio, "erin")
    stream = news(core)
    bob = far_end("bob")

    bob.send(op="call", account="bob", uri=f"sip:erin@{kamailio.domain}")
    ringing = stream.wait(CallUpdated, state=CallState.INCOMING)
    core.services.calls.answer(ringing.call_id).result(5)
    stream.wait(CallUpdated, call_id=ringing.call_id, media=MediaState.ACTIVE)
    bob.expect_state("CONFIRMED")

    target = "sip:mallory@attacker.example"
    bob.send(op="xfer", to=target)
    refused = stream.wait(TransferRefused, call_id=ringing.call_id)
    assert target in refused.target and refused.reason_text
    assert ringing.call_id in core.services.calls.calls.answered(), "the call itself goes on"
