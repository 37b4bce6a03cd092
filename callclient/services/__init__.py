"""Services under Core: each the only owner of one decision, each with start()/stop() where it has a life.

    settings     the one route for every setting change, and the config in force  (settings.py)
    accounts     the engine's accounts, sign-in/out, the PBX tokens                 (accounts.py)
    calls        call actions and the one record of live calls                      (calls.py)
    alerting     ringing and tones: the one ringer                                  (alerting.py)
    presence     busy lamps for every account's favorites (SIP or PBX); pickup       (presence.py)
    my_status    my status (available/away/DND/invisible), on the PBX; local DND   (my_status.py)
    pbx          the PBX in use, its push events, history and voicemail             (pbx_events.py)
    audio        sound devices and voice processing, as the settings say            (audio.py)
    recording    call recording under the admin's policy                            (recording.py)
    refusals     calls refused by policy, as notices for this run only              (refusals.py)
    diagnostics  log level, SIP trace, the log bundle                               (diagnostics.py)
    directory    contacts search across sources, caller names, the offline cache   (directory.py)
    news         the ordered stream of events a front end follows                  (events.py)
    desktop      notifications, media keys, headset buttons, hotkeys, autostart, links (desktop.py)
    updates      whether and when to check for a newer version (admin policy)       (updates.py)
    lock         the app lock: when the windows lock, unlocking through the OS      (lock.py)
    forwarding   call forwarding kept on the PBX, its destinations checked           (forwarding.py)

Core (callclient/app.py) builds them and hands this `Services` to the front ends; docs/architecture.md
draws who calls whom and on which thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from callclient.services.accounts import AccountsService
from callclient.services.alerting import Alerting
from callclient.services.audio import AudioService
from callclient.services.calls import CallActions
from callclient.services.desktop import Desktop
from callclient.services.diagnostics import Diagnostics
from callclient.services.events import News
from callclient.services.lock import AppLockService
from callclient.services.my_status import MyStatusService
from callclient.services.forwarding import Forwarding
from callclient.services.pbx_events import PbxEvents
from callclient.services.presence import FavoritesService, Presence
from callclient.services.recording import Recording
from callclient.services.refusals import RefusedCalls
from callclient.services.settings import SettingsService
from callclient.services.updates import UpdateChecks

if TYPE_CHECKING:  # callclient.directory reads the dial plan from this package: no import at load time
    from callclient.services.directory import DirectoryService


@dataclass(frozen=True)
class DemoNumber:
    number: str
    name: str
    description: str


@dataclass(frozen=True)
class Services:
    settings: SettingsService
    accounts: AccountsService
    calls: CallActions
    alerting: Alerting | None  # None without sound devices: nothing to ring on
    presence: Presence
    favorites: FavoritesService
    pbx: PbxEvents
    audio: AudioService
    recording: Recording
    diagnostics: Diagnostics
    news: News
    refusals: RefusedCalls = field(default_factory=lambda: RefusedCalls(lambda: True))
    notices: list[str] = field(default_factory=list)  # things to tell the user once
    demo_numbers: tuple[DemoNumber, ...] = ()  # set in demo mode
    demo_pbx_url: str = ""
    log_dir: Any = None  # pathlib.Path of the log files, for the diagnostics text
    desktop: Desktop | None = None  # None only where a Services is built without Core (UI tests)
    updates: UpdateChecks | None = None  # None only where a Services is built without Core (UI tests)
    directory: DirectoryService | None = None  # contacts search and caller names
    lock: AppLockService | None = None  # None only where a Services is built without Core (UI tests)
    my_status: MyStatusService | None = None  # None only where a Services is built without Core (UI tests)
    forwarding: Forwarding | None = None  # None only where a Services is built without Core (UI tests)

    @property
    def demo(self) -> bool:
        return bool(self.demo_numbers)


__all__ = ["DemoNumber", "Services"]
