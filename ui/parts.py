"""What the composition root hands the windows: the running services (callclient/services/), the bridge
that brings their news to the GUI thread, and the worker pool for blocking calls.

Windows take an `AppParts` instead of the whole Core so tests (and the screenshot script) build them from
the same real services, and so a window's needs are visible in one place. Everything here is read live:
the account a window follows changes when the user signs in, and the config when a setting changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from callclient.services import DemoNumber, Services
from callclient.services.types import AccountSettings
from ui.bridge import EngineBridge, Tasks

DemoNumberInfo = DemoNumber  # the name older callers use


@dataclass(frozen=True)
class AppParts:
    services: Services
    bridge: EngineBridge
    tasks: Tasks  # call actions' Futures, PBX requests, store and keychain work: never on the GUI thread
    core: Any = None  # callclient.app.Core, for erase-everything only (None in window-only tests)

    @property
    def demo(self) -> bool:
        return self.services.demo

    @property
    def demo_numbers(self) -> tuple[DemoNumber, ...]:
        return self.services.demo_numbers

    def config(self) -> Any:
        """The callclient.config.LoadedConfig in force now."""
        return self.services.settings.config

    @property
    def account(self) -> AccountSettings | None:
        """The account favorites and the status line follow: the first the engine has, read now."""
        accounts = self.services.accounts.accounts
        return accounts[0] if accounts else None

    @property
    def account_id(self) -> str:
        account = self.account
        return account.account_id if account is not None else ""

    @property
    def domain(self) -> str:
        account = self.account
        return account.domain if account is not None else ""


def parts_from_core(core: Any, bridge: EngineBridge, tasks: Tasks) -> AppParts:
    """AppParts for a started Core."""
    return AppParts(services=core.services, bridge=bridge, tasks=tasks, core=core)
