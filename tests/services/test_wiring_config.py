"""The new configuration keys reach the engine through Core's shipped load path: an account's `realm`,
`sip.public_address` and `sip.incoming_ring_timeout_s`. Before the wiring the schema refused them as
unknown keys, so the engine always ran with its defaults."""

from __future__ import annotations

import pytest

from callclient.engine.engine import SipEngine
from callclient.services.types import AccountSettings
from tests.fixtures.kamailio import Kamailio
from tests.services.conftest import CoreHome, account_toml


def test_realm_public_address_and_ring_timeout_from_the_config_reach_the_engine(
        core_home: CoreHome, kamailio: Kamailio, monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[AccountSettings] = []
    real = SipEngine.add_account
    monkeypatch.setattr(SipEngine, "add_account", lambda self, s: (handed.append(s), real(self, s))[1])
    core_home.config_file.write_text(
        "[sip]\npublic_address = \"198.51.100.7\"\nincoming_ring_timeout_s = 25\n"
        + account_toml(kamailio, "erin") + 'realm = "voice.example"\n')
    core_home.set_password("erin", "erin")
    core = core_home.start()

    engine_settings = core.engine.settings
    assert engine_settings.public_address == "198.51.100.7"
    assert engine_settings.incoming_ring_timeout_s == 25
    assert next(a for a in handed if a.account_id == "erin").realm == "voice.example"
    assert core.config.origin("sip.public_address") != "default"
