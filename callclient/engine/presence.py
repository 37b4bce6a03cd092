"""Presence subscriptions (RFC 3856) for busy lamps, and our own published state."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pjsua2 as pj

from callclient.engine.events import PresenceChanged, PresenceState

if TYPE_CHECKING:
    from callclient.engine.core import EngineCore

_BUSY_WORDS = ("busy", "on the phone", "on-the-phone", "in a call")


def presence_state(status: pj.PresenceStatus) -> PresenceState:
    if status.status == pj.PJSUA_BUDDY_STATUS_OFFLINE:
        return PresenceState.OFFLINE
    if status.status != pj.PJSUA_BUDDY_STATUS_ONLINE:
        return PresenceState.UNKNOWN
    note = (status.note or "").lower()
    if status.activity == pj.PJRPID_ACTIVITY_BUSY or any(word in note for word in _BUSY_WORDS):
        return PresenceState.BUSY
    if status.activity == pj.PJRPID_ACTIVITY_AWAY or "away" in note:
        return PresenceState.AWAY
    return PresenceState.AVAILABLE


def own_status(on_the_phone: bool) -> pj.PresenceStatus:
    status = pj.PresenceStatus()
    status.status = pj.PJSUA_BUDDY_STATUS_ONLINE
    if on_the_phone:
        status.activity = pj.PJRPID_ACTIVITY_BUSY
        status.note = "On the phone"
    else:
        status.activity = pj.PJRPID_ACTIVITY_UNKNOWN
        status.note = "Available"
    return status


class Watched(pj.Buddy):
    def __init__(self, core: EngineCore, uri: str, account: pj.Account) -> None:
        super().__init__()
        self.core = core
        self.uri = uri
        self.account = account

    def onBuddyState(self) -> None:
        info = self.getInfo()
        self.core.publish(PresenceChanged(self.uri, presence_state(info.presStatus), str(info.presStatus.note),
                                          self.account_id))

    @property
    def account_id(self) -> str:
        return str(self.account.account_id)
