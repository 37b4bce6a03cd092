"""One route for every setting: an edited config file (the watcher the app runs), SIGHUP and the Settings
window all reach the engine the same way. Each test failed on the code before the services: a pushed
codecs.order waited for a restart because only Core.set_settings special-cased codecs."""

from __future__ import annotations

from typing import Any

from callclient.services.types import CallState, CallUpdated, SettingsChanged
from tests.fixtures.kamailio import Kamailio
from tests.services.conftest import CoreHome, account_toml, news, offered_payload_types, registered

G722, PCMU = "9", "0"  # RFC 3551 static payload types


def call_and_read_offer(core: Any, events: Any, bob: Any) -> list[str]:
    call_id = core.services.calls.place_call("bob", "erin").result(10)
    incoming = bob.expect(lambda e: e["ev"] == "incoming", what="our INVITE")
    events.wait(CallUpdated, timeout=15, call_id=call_id, state=CallState.CONFIRMED)
    core.services.calls.hang_up(call_id).result(10)
    return offered_payload_types(incoming["sdp"])


def test_a_codec_order_pushed_in_the_config_file_reaches_the_next_call_without_a_restart(
        core_home: CoreHome, kamailio: Kamailio, far_end) -> None:  # noqa: ANN001
    core_home.config_file.write_text(account_toml(kamailio, "erin"))
    core_home.set_password("erin", "erin")
    bob = far_end("bob", auto_answer=True, codecs="PCMU/8000,G722/16000")
    core = core_home.start()
    events = news(core)
    registered(core, "erin")
    assert call_and_read_offer(core, events, bob)[1] == G722, "the default order offers G722 after Opus"

    # An administrator (or the user) edits the file; the app's own watcher picks it up.
    core_home.config_file.write_text(account_toml(kamailio, "erin") + '\n[codecs]\norder = ["PCMU/8000"]\n')
    change = events.wait(SettingsChanged, timeout=15, where=lambda c: "codecs.order" in c.keys)
    assert change.keys == {"codecs.order"}, "one event naming exactly what changed"
    offer = call_and_read_offer(core, events, bob)
    assert offer[0] == PCMU and G722 not in offer, f"the next call offers PCMU only, not {offer}"
