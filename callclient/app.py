"""The composition root: the whole app without a window.

`Core` builds every part once — logs with their redaction filter, the keychain, the encrypted store, the
configuration, the voicemail cache, the SIP engine with its audio backend — then the services that own
each decision (callclient/services/), wires them to the events they follow, starts them, and hands them
to the front ends as one `Services`. It decides nothing itself. `callclient --headless`, the GUI and the
privacy suite all run the same `Core`; nothing else in the app constructs these parts.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callclient import APP_NAME, __version__
from callclient.demo_mode import DemoMode
from callclient.engine.audio import AudioBackend
from callclient.engine.engine import SipEngine
from callclient.engine.settings import AccountSettings
from callclient.event_pump import EngineEventPump
from callclient.logs import LogFiles, RedactionFilter, setup_logging
from callclient.pbx.presence import DndUpdated, PresenceUpdated
from callclient.pbx.service import PbxService, Profile
from callclient.pbx_choice import pbx_for, uses_wazo
from callclient.resources import resource_path
from callclient.services import Services
from callclient.services.accounts import PBX_ACCOUNT_ID, USER_ACCOUNTS_KEY, AccountsService, KeychainTokenStore
from callclient.services.alerting import Alerting
from callclient.services.audio import AudioService
from callclient.services.calls import CallActions
from callclient.services.connectivity import Connectivity
from callclient.services.desktop import Desktop
from callclient.services.dialplan import DialPlan
from callclient.services.diagnostics import Diagnostics
from callclient.services.directory import DirectoryService
from callclient.services.directory_sources import directory_for
from callclient.services.engine_settings import EngineSettingsFollower
from callclient.services.my_status import MyStatusService
from callclient.services.events import News
from callclient.services.lock import AppLockService
from callclient.services.forwarding import Forwarding
from callclient.services.pbx_events import PbxEvents, cache_policy
from callclient.services.presence import FavoritesService, Presence, lamp_key
from callclient.services.recording import Recording
from callclient.services.refusals import RefusedCalls
from callclient.services.settings import SETTINGS_KEY, SettingsRefused, SettingsService
from callclient.services.threads import CALLER, runs_on
from callclient.services.updates import RELEASE_PUBLIC_KEY, UpdateChecks
from callclient.sound_devices import choose_audio
from callclient.startup import StartupError, build_processing_later, import_sound_modules, in_background
from callclient.storage.app_lock import AppLock, platform_app_lock
from callclient.storage.favorites import Favorites
from callclient.storage.keychain import SERVICE_NAME, AppSecret, Keychain, system_keyring
from callclient.storage.paths import AppPaths
from callclient.storage.preferences import Preferences
from callclient.storage.store import LocalStore, open_store
from callclient.storage.store_errors import StoreDamaged
from callclient.storage.voicemail_cache import VoicemailCache
from callclient.uncaught import log_uncaught_exceptions

if TYPE_CHECKING:
    from callclient.pbx.wazo import WazoService  # httpx: imported when a Wazo PBX is used, not at start-up

log = logging.getLogger(__name__)

__all__ = ["Core", "CoreOptions"]


@dataclass(frozen=True)
class CoreOptions:
    config_file: Path | None = None  # the user's own config layer (--config)
    paths: AppPaths | None = None  # None: the platform's per-user directories
    demo: bool | None = None  # None: demo mode when no account is configured
    audio: Callable[[], AudioBackend] | None = None  # None: the sound devices the config names
    use_sound_devices: bool = True  # False: pjsua's null device (servers, tests, --no-audio)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    keychain_service: str = SERVICE_NAME  # the keychain's service name: a second profile uses its own
    dial: str | None = None  # a number or link to call as soon as the engine runs (click-to-dial launch)
    update_public_key: bytes | None = None  # None: the release key built in (tests sign their feeds with their own)
    app_lock: Callable[[], AppLock] | None = None  # None: the platform's own (polkit, Windows Hello, Touch ID)
    # True (the desktop): `start` returns with the demo line ready but the demo PBX not started; the front
    # end shows its window, then calls `finish_start()`, and HistoryChanged/VoicemailChanged follow
    # once the PBX is signed in. False: `start` returns with all of demo mode ready (headless, tests).
    demo_in_background: bool = False
    # True (the desktop): the sound devices start without the voice processing (echo canceller, noise and
    # gain: livekit, ~0.15 s to load), which `finish_start()` builds once the window shows. False: `start`
    # returns with it in place.
    processing_in_background: bool = False


class Core:
    """Everything CallClient is, without a window. `start` and `stop` run on the caller's thread."""

    def __init__(self, options: CoreOptions) -> None:
        self.options = options
        self.paths = options.paths or AppPaths.for_user()
        self.redaction = RedactionFilter()
        self.log_files: LogFiles | None = None
        self.keychain: Keychain | None = None
        self.store: LocalStore | None = None
        self.store_damage: StoreDamaged | None = None
        self.favorites: Favorites | None = None
        self.preferences: Preferences | None = None
        self.voicemail_cache: VoicemailCache | None = None
        self.engine: SipEngine | None = None
        self.audio: Any = None  # media.bridge.DeviceAudio when real sound devices are in use
        self.connectivity: Connectivity | None = None
        self.services: Services | None = None
        self.notices: list[str] = []  # things to tell the user once: a damaged store moved aside, config warnings
        self._pump: EngineEventPump | None = None
        self._demo = DemoMode(self.paths.cache_dir / "demo", options.demo_in_background, self._wazo)
        self._watcher: Any = None  # callclient.config.ConfigWatcher
        self._processing_pending = False  # processing_in_background: the voice processing waits for finish_start

    # ------------------------------------------------------------------ lifecycle

    @runs_on(CALLER)
    def start(self) -> None:
        from callclient.config import ConfigError, ConfigWatcher
        from callclient.storage.keychain import KeychainUnavailable
        from callclient.storage.recordings import Recordings  # numpy: not at import (see headless.py)
        from callclient.storage.store_errors import StoreError

        self.log_files = setup_logging(self.paths.log_dir, self.redaction)
        log_uncaught_exceptions()
        log.info("%s %s starting", APP_NAME, __version__)
        if self.options.audio is None and self.options.use_sound_devices:
            # numpy and PortAudio load while this thread waits on the keychain (D-Bus) and the store.
            with_processing = not self.options.processing_in_background
            in_background(lambda: import_sound_modules(with_processing), "import-media")
        try:
            self.keychain = Keychain(system_keyring(), service=self.options.keychain_service,
                                     on_secret=self.redaction.add_secret)
        except KeychainUnavailable as error:
            raise StartupError(str(error)) from None
        try:
            opened = open_store(self.paths.store_file, self.keychain)
        except (StoreError, KeychainUnavailable) as error:
            raise StartupError(str(error)) from None
        self.store, self.store_damage = opened.store, opened.damage
        keychain = self.keychain
        # Each key is a D-Bus round trip or two: fetched while the config loads and the engine starts. Not
        # before the store's key is read: on a keyring's first use, that creates its collection, and a second
        # client creating it at the same time fails ("Prompt dismissed"). One after the other: two first-time
        # creations at once lose one to the other in gnome-keyring ("Item does not exist").
        keys = in_background(lambda: (keychain.get_or_create_key(AppSecret.VOICEMAIL_CACHE_KEY),
                                       keychain.get_or_create_key(AppSecret.RECORDING_KEY)), "keychain-keys")
        if opened.damage is not None:
            self.notices.append(str(opened.damage))
        self.preferences = Preferences(self.store)
        try:
            loaded = self._load(True, self.preferences.get(SETTINGS_KEY, {}))
        except ConfigError as error:
            raise StartupError(str(error)) from None
        self.notices.extend(loaded.warnings)
        app = loaded.config
        if self.options.demo or (self.options.demo is None and not app.accounts
                                 and not self.preferences.get(USER_ACCOUNTS_KEY, [])):
            # Set going now, so the far ends' process and the demo PBX start while the engine does.
            self._demo.begin()
        settings = SettingsService(self.preferences, self._load, loaded)
        diagnostics = Diagnostics(self.paths.log_dir, self.log_files, self.redaction)
        diagnostics.apply_logging(app)
        self.favorites = Favorites(self.store)
        self.voicemail_cache = VoicemailCache(
            self.paths.voicemail_dir, keys.result()[0],
            cache_policy(app.policy.voicemail_cache),
        )
        self.voicemail_cache.expire()

        self.engine = SipEngine(app.engine_settings(), self._audio_backend(app))
        self.engine.start()
        news = News(retain=lamp_key)
        alerting: Alerting | None = None
        calls = CallActions(self.engine, lambda: DialPlan.from_config(settings.config.config.dialplan),
                            key_clicked=lambda digit: alerting.key_clicked(digit) if alerting else None)
        if self.audio is not None:
            alerting = Alerting(calls.calls, self.audio, settings, resource_path("sounds/ring.wav"),
                                self.notices.append)
            alerting.start()
        pbx = PbxEvents(self._wazo, settings, self.voicemail_cache)
        accounts = AccountsService(self.engine, self.keychain, self.preferences, self.store, settings, pbx,
                                   add_secret=self.redaction.add_secret, notices=self.notices,
                                   voicemail_cache=self.voicemail_cache, log_files=self.log_files,
                                   recordings_dir=self.paths.recordings_dir)
        presence = Presence(self.engine, self.favorites, accounts, pbx, news.publish, calls,
                            lambda: settings.config.config.dialplan.pickup_prefix)
        my_status = MyStatusService(calls, pbx, news.publish,
                                    lambda: settings.config.config.presence.auto_away_minutes)
        calls.dnd_owner = my_status.dnd_requested
        lock = AppLockService((self.options.app_lock or platform_app_lock)(), lambda: settings.config.config,
                              news.publish)
        self.services = services = Services(
            settings=settings, accounts=accounts, calls=calls, alerting=alerting, presence=presence,
            favorites=FavoritesService(self.favorites, presence,
                                       lambda: settings.config.config.policy.favorites_allowed),
            pbx=pbx, audio=AudioService(self.audio, settings, news.publish),
            recording=Recording(self.audio, settings, Recordings(self.paths.recordings_dir, keys.result()[1])),
            diagnostics=diagnostics, news=news, notices=self.notices, log_dir=self.paths.log_dir,
            updates=UpdateChecks(lambda: (settings.config.config.policy.update_check_url,
                                          settings.config.config.policy.update_ca_file),
                                 self.preferences, news.publish,
                                 public_key=self.options.update_public_key or RELEASE_PUBLIC_KEY),
            desktop=Desktop(calls, news, lambda: settings.config.config, self.options.environ,
                            notices=self.notices.append, lock=lock,
                            directory=lambda: self.services.directory if self.services is not None else None),
            directory=self._directory(settings, accounts, pbx),
            refusals=RefusedCalls(lambda: settings.config.config.policy.refused_call_notices),
            lock=lock,
            my_status=my_status,
            forwarding=Forwarding(pbx, lambda: DialPlan.from_config(settings.config.config.dialplan), news.publish),
        )

        # Who reacts to what: every setting change reaches each owner once, then the front ends.
        engine_follower = EngineSettingsFollower(self.engine, self.notices.append)
        for listener in (engine_follower.on_settings_changed, services.audio.on_settings_changed,
                         diagnostics.on_settings_changed, pbx.on_settings_changed, accounts.on_settings_changed,
                         services.refusals.on_settings_changed, news.publish):
            settings.subscribe(listener)
        if alerting is not None:
            settings.subscribe(alerting.on_settings_changed)
        settings.subscribe(services.updates.on_settings_changed)
        settings.subscribe(services.desktop.on_settings_changed)
        assert services.lock is not None
        settings.subscribe(services.lock.on_settings_changed)
        settings.subscribe(services.recording.on_settings_changed)
        assert services.directory is not None
        settings.subscribe(services.directory.on_settings_changed)
        pbx.subscribe(services.directory.on_pbx_event)
        services.directory.start()
        accounts.subscribe(presence.on_accounts_changed)
        accounts.subscribe(news.publish)
        pbx.subscribe(presence.on_pbx_event)  # before the news: a view reading the lamps sees them
        pbx.subscribe(my_status.on_pbx_event)
        # Raw presences stay here: the front ends hear of them as lamps (PresenceChanged) and MyStatusChanged,
        # so a PBX flooding presences costs the window one event per lamp change, not two.
        pbx.subscribe(lambda event: None if isinstance(event, PresenceUpdated | DndUpdated) else news.publish(event))
        assert services.forwarding is not None
        pbx.subscribe(services.forwarding.on_pbx_event)
        services.forwarding.start()
        self._pump = EngineEventPump(self.engine.subscribe(), services)
        self._pump.start()

        configured = accounts.configured()
        demo = self.options.demo if self.options.demo is not None else not configured
        if not demo:  # begun on a guess the saved accounts proved wrong: stopped
            self._demo.stop()
        if demo:
            self._start_demo(accounts, pbx)
        else:
            accounts.start()
            pbx.use(pbx_for(app, configured, self._wazo, pbx.on_pbx_event))
            if uses_wazo(app):  # the service pbx_for made: a Wazo session
                pbx.resume_in_background()
        presence.start()
        my_status.start()
        services.updates.start()
        services.desktop.start()
        services.lock.start()
        if services.desktop.bus is not None:
            services.lock.follow_session_bus(services.desktop.bus)
        self.connectivity = Connectivity(self.engine)  # sleep and network changes: register again
        self.connectivity.start()
        self._watcher = ConfigWatcher(self._sources(True, settings.in_app_values()), loaded, settings.files_changed,
                                      lambda problem: self.notices.append(f"Configuration not reloaded: {problem}"),
                                      keychain=self.keychain)
        self._watcher.start()
        if self.options.dial:
            calls.place_call(self.options.dial)

    @runs_on(CALLER)
    def stop(self) -> None:
        self._demo.wait_sign_in()  # first: it would otherwise sign in to a PBX service stopped below
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self.connectivity is not None:
            self.connectivity.stop()
            self.connectivity = None
        services = self.services
        if services is not None:
            if services.desktop is not None:
                services.desktop.stop()
            if services.updates is not None:
                services.updates.stop()
            if services.lock is not None:
                services.lock.stop()
            if services.forwarding is not None:
                services.forwarding.stop()
            services.pbx.stop()
            if services.my_status is not None:
                services.my_status.stop()
            services.presence.stop()
            if services.alerting is not None:
                services.alerting.stop()
            services.recording.stop()
            if services.directory is not None:
                services.directory.stop()
            services.accounts.stop()
        if self.engine is not None:
            self.engine.stop()
            self.engine = None
        if self._pump is not None:
            self._pump.join(5)
            self._pump = None
        self._demo.stop()
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.log_files is not None:
            self.log_files.close()

    # ------------------------------------------------------------------ what the front ends and tools use

    @property
    def demo(self) -> Any:
        """callclient.demo.DemoServices while demo mode runs, else None."""
        return self._demo.services

    @property
    def config(self) -> Any:
        """The LoadedConfig in force (the settings service owns it)."""
        return self.services.settings.config if self.services is not None else None

    @property
    def pbx(self) -> PbxService | None:
        return self.services.pbx.service if self.services is not None else None

    @property
    def accounts(self) -> tuple[AccountSettings, ...]:
        return self.services.accounts.accounts if self.services is not None else ()

    def reload_config(self, fetch_remote: bool = True, by: str = "SIGHUP") -> str:
        """Re-reads every layer (SIGHUP); StartupError when a layer is broken (the config in force stays)."""
        assert self.services is not None
        try:
            change = self.services.settings.reload(by, fetch_remote=fetch_remote)
        except SettingsRefused as error:
            raise StartupError(str(error)) from None
        return ", ".join(sorted(change.keys)) or "nothing changed"

    def sign_in(self, login: str, password: str) -> Profile:
        assert self.services is not None
        return self.services.accounts.sign_in(login, password)

    def sign_out(self, erase: bool = True) -> None:
        assert self.services is not None
        self.services.accounts.sign_out(erase)

    def erase_all_data(self) -> list[Path]:
        """Stops everything and removes every keychain entry and every directory CallClient wrote."""
        from callclient.storage.erase import erase_all_data  # numpy via recordings: not at import time

        account_ids = self.services.accounts.account_ids() if self.services is not None else ()
        keychain, log_files = self.keychain, self.log_files
        self.stop()
        return erase_all_data(self.paths, keychain, account_ids=account_ids, log_files=log_files)

    # ------------------------------------------------------------------ building

    def _sources(self, fetch_remote: bool, preferences: Mapping[str, Any]) -> Any:
        from callclient.config import ConfigSources

        sources = ConfigSources.for_platform(user_file=self.options.config_file, environ=self.options.environ,
                                             paths=self.paths, preferences=preferences)
        return dataclasses.replace(sources, fetch_remote=fetch_remote)

    def _load(self, fetch_remote: bool, preferences: Mapping[str, Any]) -> Any:
        """Reads every layer with these in-app settings on top; raises ConfigError for a broken layer."""
        from callclient.config import load_config

        return load_config(self._sources(fetch_remote, preferences), keychain=self.keychain)

    def _wazo(self, base_url: str, ca_file: str | None) -> WazoService:
        from callclient.pbx.wazo import WazoConfig, WazoService

        assert self.keychain is not None and self.services is not None
        return WazoService(
            WazoConfig(base_url=base_url, ca_file=ca_file,
                       directory_profile=self.services.settings.config.config.directory.pbx_profile),
            account_id=PBX_ACCOUNT_ID,
            token_store=KeychainTokenStore(self.keychain, PBX_ACCOUNT_ID),
            recording_cache=self.voicemail_cache,
            on_event=self.services.pbx.on_pbx_event,
            on_secret=self.redaction.add_secret,
        )

    def _directory(self, settings: SettingsService, accounts: AccountsService, pbx: PbxEvents) -> DirectoryService:
        """The directory service: favorites and history answer locally; the PBX's directory and LDAP remotely."""
        from callclient.directory.cache import DirectoryCache

        assert self.store is not None and self.favorites is not None
        favorites = self.favorites

        def history() -> Any:
            page = pbx.cached_history()
            return page.records if page is not None else ()

        return directory_for(
            settings, favorites=lambda: [f for a in accounts.account_ids() for f in favorites.list(a)],
            history=history,
            demo_numbers=lambda: [(n.number, n.name) for n in self.services.demo_numbers]
            if self.services is not None else [],
            pbx=lambda: pbx.service,
            cache=DirectoryCache(self.store, PBX_ACCOUNT_ID,
                                 lambda: settings.config.config.directory.cache_ttl_hours * 3600),
            keychain=self.keychain)

    def _start_demo(self, accounts: AccountsService, pbx: PbxEvents) -> None:
        """The demo line, the numbers it calls for the front ends, then the demo PBX (see DemoMode)."""
        numbers = self._demo.start_line(accounts)
        assert self.services is not None
        self.services = dataclasses.replace(self.services, demo_pbx_url=self._demo.services.pbx_url,
                                            demo_numbers=numbers)
        self._demo.start_pbx(pbx, self.services.news.publish)

    @runs_on(CALLER)
    def finish_start(self) -> Future[None] | None:
        """What a front end's window waited for: with `demo_in_background`, starts the demo PBX and signs in to
        it; with `processing_in_background`, builds the voice processing. Each on a thread of its own; called
        once the window shows. Returns the processing's Future (None when it was built in `start`)."""
        self._demo.finish_start()
        if not self._processing_pending:
            return None
        self._processing_pending = False
        assert self.services is not None
        return build_processing_later(self.services.audio, self.services.news.publish)

    def _audio_backend(self, app: Any) -> AudioBackend:
        """The sound devices from the config, or the null device when there are none (with a notice)."""
        backend, self.audio = choose_audio(app, self.options.audio, self.options.use_sound_devices,
                                           self.notices.append,
                                           with_processing=not self.options.processing_in_background)
        self._processing_pending = self.audio is not None and self.options.processing_in_background
        return backend
