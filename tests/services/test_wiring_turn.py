"""The TURN password lives in the keychain, as the admin guide says: loaded from there into the engine's
account, saved there (never in the store or a file) when the user sets up an account by hand. Before the
wiring no code stored or loaded it, so ICE with a TURN relay always authenticated with an empty password."""

from __future__ import annotations

from pathlib import Path

import pytest

from callclient.engine.engine import SipEngine
from callclient.services.types import AccountSettings
from callclient.storage.keychain import SecretKind
from tests.fixtures.kamailio import Kamailio
from tests.services.conftest import CoreHome, account_toml

TURN_PASSWORD = "turn-Secret-4711"


@pytest.fixture
def handed_to_engine(monkeypatch: pytest.MonkeyPatch) -> list[AccountSettings]:
    """Every AccountSettings the app hands the real engine (which passes ice.turn_password to pjsua's
    natConfig.turnPassword, callclient/engine/accounts.py)."""
    seen: list[AccountSettings] = []
    real = SipEngine.add_account

    def add_account(self: SipEngine, settings: AccountSettings):  # noqa: ANN202
        seen.append(settings)
        return real(self, settings)

    monkeypatch.setattr(SipEngine, "add_account", add_account)
    return seen


def files_containing(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_a_provisioned_accounts_turn_password_comes_from_the_keychain(
        core_home: CoreHome, kamailio: Kamailio, handed_to_engine: list[AccountSettings]) -> None:
    core_home.config_file.write_text(account_toml(kamailio, "erin") + 'ice = true\nturn_server = "127.0.0.1:3478"\n'
                                     'turn_username = "erin-relay"\n')
    core_home.set_password("erin", "erin")
    core_home.keychain().set("erin", SecretKind.TURN_PASSWORD, TURN_PASSWORD)
    core = core_home.start()

    erin = next(a for a in handed_to_engine if a.account_id == "erin")
    assert (erin.ice.turn_username, erin.ice.turn_password) == ("erin-relay", TURN_PASSWORD)
    assert all(a.ice.turn_password == "" for a in core.services.accounts.accounts), "never shown to the windows"


def test_a_hand_set_accounts_turn_password_is_kept_in_the_keychain_only_and_used_after_a_restart(
        core_home: CoreHome, kamailio: Kamailio, handed_to_engine: list[AccountSettings]) -> None:
    from callclient.engine.settings import IceSettings

    core_home.config_file.write_text("")
    core = core_home.start()
    core.services.accounts.add_sip_account(AccountSettings(
        account_id="desk", user="erin", domain=kamailio.domain, registrar=kamailio.address("udp"),
        ice=IceSettings(enabled=True, turn_server="127.0.0.1:3478", turn_username="desk-relay",
                        turn_password=TURN_PASSWORD)))
    assert core_home.keychain().get("desk", SecretKind.TURN_PASSWORD) == TURN_PASSWORD
    assert TURN_PASSWORD not in repr(core.preferences.all()), "the store keeps the account without it"
    core_home.stop(core)
    assert files_containing(core_home.root, TURN_PASSWORD) == []

    handed_to_engine.clear()
    core_home.start()
    desk = next(a for a in handed_to_engine if a.account_id == "desk")
    assert (desk.ice.enabled, desk.ice.turn_username, desk.ice.turn_password) == (True, "desk-relay", TURN_PASSWORD)
