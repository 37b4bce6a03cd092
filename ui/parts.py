"""What the composition root hands the windows: the running services, built once in callclient/app.py.

Windows take an `AppParts` instead of the whole Core so tests (and the screenshot script) can build them
from the same real parts, and so a window's needs are visible in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from callclient.engine import SipEngine
from callclient.pbx.service import PbxService
from callclient.storage.favorites import Favorites
from callclient.storage.preferences import Preferences
from ui.bridge import EngineBridge, Tasks


@dataclass(frozen=True)
class DemoNumberInfo:
    number: str
    name: str
    description: str


@dataclass(frozen=True)
class AppParts:
    engine: SipEngine
    bridge: EngineBridge
    tasks: Tasks  # engine Futures, PBX requests, store and keychain work: never on the GUI thread
    account_id: str  # the account favorites and presence belong to ("" when none is set up)
    domain: str = ""  # that account's SIP domain, for favorites' presence URIs
    pbx: Callable[[], PbxService | None] = lambda: None  # the current PBX service (it changes on sign-in)
    favorites: Favorites | None = None
    preferences: Preferences | None = None
    demo_numbers: tuple[DemoNumberInfo, ...] = ()  # set in demo mode
    config: Callable[[], Any] = lambda: None  # the current callclient.config.LoadedConfig, or None
    audio: Any = None  # media.bridge.DeviceAudio when real sound devices are in use
    core: Any = None  # callclient.app.Core: sign in/out, accounts, erase (None in window-only tests)
    player_factory: Callable[[bytes], Any] | None = None  # bytes -> media.player.VoicemailPlayer-like

    @property
    def demo(self) -> bool:
        return bool(self.demo_numbers)


def parts_from_core(core: Any, bridge: EngineBridge, tasks: Tasks,
                    player_factory: Callable[[bytes], Any] | None = None) -> AppParts:
    """AppParts for a started Core: its first account, its PBX and storage, its demo numbers."""
    accounts = core.accounts
    account = accounts[0] if accounts else None
    demo_numbers: tuple[DemoNumberInfo, ...] = ()
    if core.demo is not None:
        from callclient.demo.far_ends import DEMO_NUMBERS

        demo_numbers = tuple(DemoNumberInfo(n.number, n.name, n.description) for n in DEMO_NUMBERS)
    return AppParts(
        engine=core.engine, bridge=bridge, tasks=tasks,
        account_id=account.account_id if account else "", domain=account.domain if account else "",
        pbx=lambda: core.pbx, favorites=core.favorites, preferences=core.preferences,
        demo_numbers=demo_numbers, config=lambda: core.config, audio=core.audio, core=core,
        player_factory=player_factory,
    )
