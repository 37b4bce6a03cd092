"""Sleep and network changes, as the engine sees them (engine thread only).

Before the computer sleeps every registered account un-REGISTERs, so the PBX sends calls to voicemail or
another device instead of into a sleeping laptop; on wake each registers again, through handleIpChange
too: TCP/TLS connections rarely survive a sleep, and the address may have changed meanwhile. On an address or route
change pjsua's `handleIpChange` re-creates the listeners, re-registers with the new Contact and
re-INVITEs calls (where the PBX allows, the call survives). Meanwhile each account reports
`RECONNECTING`, never the registration it had before.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pjsua2 as pj

if TYPE_CHECKING:
    from callclient.engine.core import EngineCore

log = logging.getLogger(__name__)


def unregister_for_sleep(core: EngineCore) -> None:
    for account in core.accounts.values():
        account.unregister_for_sleep()


def register_after_wake(core: EngineCore) -> None:
    for account in core.accounts.values():
        account.wake()
    _handle_ip_change(core)


def handle_network_change(core: EngineCore) -> None:
    assert core.endpoint is not None
    if any(account.asleep for account in core.accounts.values()):
        log.info("network change while asleep: registering waits for the wake-up")
        return
    for account in core.accounts.values():
        account.network_changed()
    _handle_ip_change(core)


def _handle_ip_change(core: EngineCore) -> None:
    assert core.endpoint is not None
    change = pj.IpChangeParam()
    # pjsua restarts a listener on the wildcard address with the same port, dropping sip.bind_address
    # (pjsua_core.c handle_ip_change); a socket bound to one address keeps working once it is back.
    change.restartListener = not core.settings.bind_address
    core.endpoint.handleIpChange(change)
