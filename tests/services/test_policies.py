"""Administrators' policies, enforced by the service that owns the decision."""

from __future__ import annotations

import pytest

from tests.fixtures.kamailio import Kamailio
from tests.services.conftest import CoreHome, account_toml


def test_favorites_are_refused_when_the_admin_forbids_them(core_home: CoreHome, kamailio: Kamailio) -> None:
    admin = core_home.config_file.parent / "admin.toml"  # CALLCLIENT_SYSTEM_CONFIG points here
    admin.write_text('[policy]\nfavorites_allowed = false\n\n[locks]\nkeys = ["policy.favorites_allowed"]\n')
    core_home.config_file.write_text(account_toml(kamailio, "erin"))
    core_home.set_password("erin", "erin")
    core = core_home.start()
    with pytest.raises(PermissionError, match="does not allow favorites"):
        core.services.favorites.add("erin", "Bob", "1002")
    assert core.services.favorites.list("erin") == []
    with pytest.raises(Exception, match="locked by your administrator"):
        core.services.settings.change({"policy.favorites_allowed": True}, by="a user")
