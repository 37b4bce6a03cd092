"""Busy lamps for every account: the presence service is the only subscriber set, and it holds the
favorites of all accounts. Failed before the services: each watch request replaced the whole watched set,
so with two accounts only the last account's lamps survived (Core._watch_favorites looped per account)."""

from __future__ import annotations

from callclient.services.types import PresenceChanged, PresenceState
from tests.fixtures.kamailio import Kamailio
from tests.services.conftest import CoreHome, account_toml, news, registered


def test_two_accounts_keep_both_accounts_lamps_and_they_follow_calls(core_home: CoreHome, kamailio: Kamailio,
                                                                     far_end) -> None:  # noqa: ANN001
    core_home.config_file.write_text(account_toml(kamailio, "alice") + account_toml(kamailio, "erin"))
    core_home.set_password("alice", "alice")
    core_home.set_password("erin", "erin")
    peers = far_end("bob", "carol")
    bob_uri, carol_uri = f"sip:bob@{kamailio.domain}", f"sip:carol@{kamailio.domain}"

    core = core_home.start()
    events = news(core)
    registered(core, "alice", "erin")
    favorites = core.services.favorites
    favorites.add("alice", "Bob", bob_uri)  # what the Favorites view calls
    favorites.add("erin", "Carol", carol_uri)
    events.wait(PresenceChanged, timeout=15, uri=bob_uri, state=PresenceState.AVAILABLE)
    events.wait(PresenceChanged, timeout=15, uri=carol_uri, state=PresenceState.AVAILABLE)
    peers.send(op="presence", account="bob", busy=True)
    peers.send(op="presence", account="carol", busy=True)
    events.wait(PresenceChanged, timeout=15, uri=bob_uri, state=PresenceState.BUSY)
    events.wait(PresenceChanged, timeout=15, uri=carol_uri, state=PresenceState.BUSY)
    core_home.stop(core)

    # Next start: the favorites are in the store already; both accounts' lamps come back.
    core = core_home.start()
    events = news(core)
    registered(core, "alice", "erin")
    events.wait(PresenceChanged, timeout=15, uri=bob_uri)
    events.wait(PresenceChanged, timeout=15, uri=carol_uri)
    assert set(core.services.presence.watched) == {bob_uri, carol_uri}
