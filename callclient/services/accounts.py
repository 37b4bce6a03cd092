"""Accounts: which SIP accounts the engine has, kept in step with provisioning and with the user's own.

Accounts come from two places: provisioning (the config layers) and the user (signing in to the PBX, or a
SIP account set up by hand), which the store keeps as in-app preferences; their passwords live only in the
keychain. This service is their one owner: it reconciles the engine with the wanted set (an account with a
call up keeps its old settings until its calls end: a reload never drops a call), serialises the user's
accounts, keeps the PBX session's tokens in the keychain, signs in and out, and tells listeners (the
windows) each time the set changes.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from callclient.engine import events as ev
from callclient.engine.settings import AccountSettings, IceSettings, SrtpPolicy, Transport
from callclient.pbx.service import Profile, Session
from callclient.services.settings import ACCOUNTS, SettingsChanged
from callclient.services.threads import ANY_THREAD, CALLER, ENGINE_EVENTS, WORKER, runs_on
from callclient.storage.keychain import Keychain, SecretKind

log = logging.getLogger(__name__)

USER_ACCOUNTS_KEY = "accounts"  # in-app accounts (signed in or set up by hand), in the store's preferences
PBX_ACCOUNT_ID = "pbx"
DEMO_ACCOUNT_ID = "demo"


@dataclass(frozen=True)
class AccountsChanged:
    """The engine's accounts now (without passwords); `primary` is the one favorites and the window follow."""

    accounts: tuple[AccountSettings, ...]

    @property
    def primary(self) -> AccountSettings | None:
        return self.accounts[0] if self.accounts else None


class KeychainTokenStore:
    """The PBX session's tokens, one keychain entry each; the expiry and user travel with the access token."""

    def __init__(self, keychain: Keychain, account_id: str) -> None:
        self._keychain = keychain
        self._account_id = account_id

    def save_session(self, session: Session) -> None:
        access = json.dumps({"token": session.access_token, "expires_at": session.expires_at.isoformat(),
                             "user_uuid": session.user_uuid})
        self._keychain.set(self._account_id, SecretKind.PBX_ACCESS_TOKEN, access)
        if session.refresh_token:
            self._keychain.set(self._account_id, SecretKind.PBX_REFRESH_TOKEN, session.refresh_token)
        else:
            self._keychain.delete(self._account_id, SecretKind.PBX_REFRESH_TOKEN)

    def load_session(self) -> Session | None:
        access = self._keychain.get(self._account_id, SecretKind.PBX_ACCESS_TOKEN)
        if not access:
            return None
        try:
            fields = json.loads(access)
            return Session(access_token=fields["token"],
                           refresh_token=self._keychain.get(self._account_id, SecretKind.PBX_REFRESH_TOKEN),
                           expires_at=datetime.fromisoformat(fields["expires_at"]), user_uuid=fields["user_uuid"])
        except (ValueError, KeyError, TypeError):
            log.warning("the stored PBX session could not be read; signing in again is needed")
            return None

    def clear_session(self) -> None:
        self._keychain.delete(self._account_id, SecretKind.PBX_ACCESS_TOKEN)
        self._keychain.delete(self._account_id, SecretKind.PBX_REFRESH_TOKEN)


def account_to_dict(settings: AccountSettings) -> dict[str, Any]:
    """An account as the store keeps it: every field except secrets."""
    plain = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
             if f.name not in ("password", "ice", "backoff")}
    plain["transport"] = str(settings.transport)
    plain["srtp"] = str(settings.srtp)
    plain["dnd_response"] = int(settings.dnd_response)
    # ICE without its TURN password: that one lives in the keychain (SecretKind.TURN_PASSWORD)
    plain["ice"] = {"enabled": settings.ice.enabled, "turn_server": settings.ice.turn_server,
                    "turn_username": settings.ice.turn_username, "turn_transport": str(settings.ice.turn_transport)}
    return plain


def account_from_dict(plain: Mapping[str, Any]) -> AccountSettings:
    known = {f.name for f in dataclasses.fields(AccountSettings)} - {"password", "ice", "backoff"}
    values = {key: value for key, value in plain.items() if key in known}
    values["transport"] = Transport(values.get("transport", "udp"))
    values["srtp"] = SrtpPolicy(values.get("srtp", "off"))
    ice = plain.get("ice")
    if isinstance(ice, Mapping):
        values["ice"] = IceSettings(enabled=bool(ice.get("enabled", False)), turn_server=ice.get("turn_server", ""),
                                    turn_username=ice.get("turn_username", ""),
                                    turn_transport=Transport(ice.get("turn_transport", "udp")))
    return AccountSettings(**values)


class AccountsService:
    def __init__(self, engine: Any, keychain: Keychain, preferences: Any, store: Any, settings: Any,
                 pbx: Any, *, add_secret: Callable[[str], None], notices: list[str],
                 voicemail_cache: Any = None, log_files: Any = None, recordings_dir: Path | None = None) -> None:
        self._engine = engine
        self._keychain = keychain
        self._preferences = preferences
        self._store = store
        self._settings = settings  # SettingsService: the provisioned accounts
        self._pbx = pbx  # PbxEvents: the PBX service in use, and the Wazo it signs in to
        self._add_secret = add_secret
        self._notices = notices
        self._voicemail_cache = voicemail_cache
        self._log_files = log_files
        self._recordings_dir = recordings_dir  # AppPaths.recordings_dir: sign-out erases the recordings there
        self._accounts: dict[str, AccountSettings] = {}
        self._fixed: dict[str, AccountSettings] = {}  # accounts no layer names (the demo's)
        self._lock = threading.RLock()
        self._pending: dict[str, AccountSettings] | None = None  # a reload waiting for calls to end
        self._listeners: list[Callable[[AccountsChanged], None]] = []

    # ---------------------------------------------------------------- lifecycle

    @runs_on(CALLER)
    def start(self, extra: tuple[AccountSettings, ...] = ()) -> None:
        """Adds the configured accounts (and `extra`, such as the demo's) to the engine."""
        for settings in extra:
            self._fixed[settings.account_id] = settings
        for settings in (*extra, *self.configured()):
            self._add_to_engine(settings)
        self._announce()

    def stop(self) -> None:
        self._listeners.clear()

    @runs_on(CALLER)
    def subscribe(self, listener: Callable[[AccountsChanged], None]) -> None:
        """`listener(AccountsChanged)` on the thread that changed them (a worker, the config watcher)."""
        self._listeners.append(listener)

    @property
    def accounts(self) -> tuple[AccountSettings, ...]:
        """The accounts the engine has, without passwords."""
        with self._lock:
            return tuple(dataclasses.replace(a, password="", ice=dataclasses.replace(a.ice, turn_password=""))
                         for a in self._accounts.values())

    def account_ids(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._accounts)

    # ---------------------------------------------------------------- the user's accounts

    @runs_on(WORKER)
    def add_sip_account(self, settings: AccountSettings) -> None:
        """A SIP account set up by hand: the password goes to the keychain, the rest to the store."""
        if settings.password:
            self._keychain.set(settings.account_id, SecretKind.SIP_PASSWORD, settings.password)
            self._add_secret(settings.password)
        if settings.ice.turn_password:
            self._keychain.set(settings.account_id, SecretKind.TURN_PASSWORD, settings.ice.turn_password)
            self._add_secret(settings.ice.turn_password)
        plain = account_to_dict(settings)
        # one transaction from read to write: an account saved meanwhile on another thread is kept
        self._preferences.update(
            USER_ACCOUNTS_KEY, lambda stored: [*(a for a in stored if a["account_id"] != settings.account_id), plain],
            default=[])
        self._add_to_engine(settings)
        self._announce()

    @runs_on(WORKER)
    def sign_in(self, login: str, password: str) -> Profile:
        """Signs in to the PBX and provisions its SIP line as an account. Blocks: call it off the GUI thread."""
        self._add_secret(password)
        pbx = self._pbx.use_wazo()
        pbx.sign_in(login, password)
        profile = pbx.profile()
        if profile.lines:
            line = profile.lines[0]
            self.add_sip_account(AccountSettings(
                account_id=PBX_ACCOUNT_ID, user=line.username, domain=line.domain, password=line.password,
                display_name=profile.display_name,
                transport=Transport(line.transport) if line.transport in ("udp", "tcp", "tls") else Transport.UDP,
            ))
        pbx.start_updates()
        return profile

    @runs_on(WORKER)
    def sign_out(self, erase: bool = True) -> None:
        """Signs out of the PBX, removes the user's own accounts, and (by default) erases their local data."""
        # erase imports the recordings' numpy: not at import time (tests/services/test_threads.py)
        from callclient.storage.erase import erase_account

        self._pbx.sign_out()
        for plain in self._preferences.get(USER_ACCOUNTS_KEY, []):
            account_id = plain["account_id"]
            with self._lock:
                if account_id in self._accounts:
                    self._engine.remove_account(account_id).result(15)
                    self._accounts.pop(account_id, None)
            if erase:
                erase_account(account_id, keychain=self._keychain, store=self._store,
                              voicemail_cache=self._voicemail_cache, log_files=self._log_files,
                              recordings_dir=self._recordings_dir)
        self._preferences.delete(USER_ACCOUNTS_KEY)
        self._announce()

    # ---------------------------------------------------------------- reconciliation

    def configured(self) -> list[AccountSettings]:
        """Provisioned accounts, then the user's own, each with its password from the keychain."""
        accounts: list[AccountSettings] = []
        for account in self._settings.config.config.accounts:
            password = self._keychain.get(account.account_id, SecretKind.SIP_PASSWORD) or ""
            accounts.append(account.account_settings(password, self._turn_password(account.account_id)))
        for plain in self._preferences.get(USER_ACCOUNTS_KEY, []):
            try:
                settings = account_from_dict(plain)
            except (TypeError, ValueError) as error:
                self._notices.append(f"A saved account could not be read and was skipped: {error}")
                continue
            password = self._keychain.get(settings.account_id, SecretKind.SIP_PASSWORD) or ""
            ice = dataclasses.replace(settings.ice, turn_password=self._turn_password(settings.account_id))
            accounts.append(dataclasses.replace(settings, password=password, ice=ice))
        for settings in accounts:
            for secret in (settings.password, settings.ice.turn_password):
                if secret:
                    self._add_secret(secret)
        return accounts

    def _turn_password(self, account_id: str) -> str:
        """The TURN password from the keychain; like the SIP password it is never in a file."""
        return self._keychain.get(account_id, SecretKind.TURN_PASSWORD) or ""

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches(ACCOUNTS):
            self.reconcile()

    @runs_on(ANY_THREAD)
    def reconcile(self) -> str:
        """Brings the engine's accounts to the wanted set, except accounts with calls up; returns a summary."""
        wanted = {**self._fixed, **{a.account_id: a for a in self.configured()}}
        with self._lock:
            self._pending = wanted
        return self._apply_pending()

    @runs_on(ENGINE_EVENTS)
    def on_engine_event(self, event: object) -> None:
        if isinstance(event, ev.CallEnded) and self._pending is not None:
            # Not on the events thread: the engine's answers would wait behind this very reader.
            threading.Thread(target=self._apply_pending, name="accounts-reload", daemon=True).start()

    def _apply_pending(self) -> str:
        with self._lock:
            wanted = self._pending
            if wanted is None:
                return "nothing to apply"
            busy = {call.account_id for call in self._engine.status().result(15).calls}
            added, removed, changed, deferred = [], [], [], []
            for account_id in list(self._accounts):
                if account_id not in wanted:
                    if account_id in busy:
                        deferred.append(account_id)
                        continue
                    self._engine.remove_account(account_id).result(15)
                    del self._accounts[account_id]
                    removed.append(account_id)
            for account_id, settings in wanted.items():
                current = self._accounts.get(account_id)
                if current == settings:
                    continue
                if current is not None and account_id in busy:
                    deferred.append(account_id)
                    continue
                self._add_to_engine(settings)
                (changed if current is not None else added).append(account_id)
            self._pending = wanted if deferred else None
        summary = ", ".join(f"{label}: {' '.join(ids)}" for label, ids in
                            (("added", added), ("removed", removed), ("changed", changed),
                             ("after the call ends", deferred)) if ids)
        log.info("accounts updated (%s)", summary or "no change")
        if added or removed or changed:
            self._announce()
        return summary or "no account changed"

    def _add_to_engine(self, settings: AccountSettings) -> None:
        with self._lock:
            if settings.account_id in self._accounts:
                self._engine.remove_account(settings.account_id).result(15)
            self._engine.add_account(settings).result(15)
            self._accounts[settings.account_id] = settings

    def _announce(self) -> None:
        event = AccountsChanged(self.accounts)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("an accounts listener failed")
