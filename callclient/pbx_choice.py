"""Which PBX service the configuration asks for: the only owner of choosing Wazo or SIP only.

A Wazo PBX (`pbx.kind = "wazo"` with its address) gives history, voicemail, the directory and presence
over its API, and has a session to resume at start; anything else is a plain SIP registrar, where the
first account's domain and voicemail number are all there is to know.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callclient.engine.settings import AccountSettings
from callclient.pbx.service import PbxService
from callclient.pbx.sip_only import SipOnlyService


def uses_wazo(app: Any) -> bool:
    """Whether `app` (the config in force) names a Wazo PBX."""
    return bool(app.pbx.kind == "wazo" and app.pbx.base_url)


def pbx_for(app: Any, accounts: list[AccountSettings], wazo: Callable[[str, str | None], PbxService],
            on_event: Callable[[Any], None]) -> PbxService:
    """The PBX service for `app`: `wazo(base_url, ca_file)` makes a Wazo one; otherwise SIP only, from the
    first of `accounts`, reporting through `on_event`."""
    if uses_wazo(app):
        return wazo(app.pbx.base_url, app.pbx.ca_file or None)
    first = accounts[0] if accounts else None
    return SipOnlyService(sip_domain=first.domain if first else "",
                          voicemail_access_number=(first.voicemail_number or None) if first else None,
                          on_event=on_event)
