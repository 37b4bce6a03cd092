"""The composition root: the whole app without a window.

`Core` builds every part once and hands each what it needs: logs with their redaction filter, the
keychain, the provisioned configuration, the encrypted store, the voicemail cache, the SIP engine with
its audio backend, and the PBX service. `callclient --headless`, the GUI and the privacy suite all run
the same `Core`; nothing else in the app constructs these parts.

Accounts come from two places: provisioning (the config layers) and the user (signing in to the PBX,
or setting up a SIP account by hand), which the store keeps as in-app preferences. Their passwords live
only in the keychain.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from callclient import APP_NAME, __version__
from callclient.engine import events as ev
from callclient.engine.audio import AudioBackend, NullAudio
from callclient.engine.engine import SipEngine
from callclient.engine.settings import AccountSettings, EngineSettings, SrtpPolicy, Transport
from callclient.feedback import CallFeedback
from callclient.logs import LogFiles, RedactionFilter, setup_logging
from callclient.pbx.service import PbxEvent, PbxService, Profile, Session
from callclient.pbx.sip_only import SipOnlyService
from callclient.pbx.wazo import WazoConfig, WazoService
from callclient.storage.erase import erase_account, erase_all_data
from callclient.storage.favorites import Favorites
from callclient.storage.keychain import SERVICE_NAME, AppSecret, Keychain, SecretKind, system_keyring
from callclient.storage.paths import AppPaths
from callclient.storage.preferences import Preferences
from callclient.storage.store import LocalStore, StoreDamaged, open_store
from callclient.storage.voicemail_cache import Retention, VoicemailCache, VoicemailCachePolicy

log = logging.getLogger(__name__)

# In-app accounts (signed in or set up by hand) are kept in the store under this preference key.
USER_ACCOUNTS_KEY = "accounts"
PBX_ACCOUNT_ID = "pbx"
DEMO_ACCOUNT_ID = "demo"


SETTINGS_KEY = "settings"  # in-app settings: config keys -> values, the top configuration layer


class SettingLocked(Exception):
    """An administrator locked this setting; the message says which layer."""


class StartupError(Exception):
    """The app cannot start; the message says what is wrong and how to fix it."""


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
    ring_in_core: bool = True  # False: the front end rings itself (the GUI, beside its incoming-call window)


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


def _account_to_dict(settings: AccountSettings) -> dict[str, Any]:
    """An account as the store keeps it: every field except secrets."""
    plain = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
             if f.name not in ("password", "ice", "backoff")}
    plain["transport"] = str(settings.transport)
    plain["srtp"] = str(settings.srtp)
    plain["dnd_response"] = int(settings.dnd_response)
    return plain


def _account_from_dict(plain: Mapping[str, Any]) -> AccountSettings:
    known = {f.name for f in dataclasses.fields(AccountSettings)} - {"password", "ice", "backoff"}
    values = {key: value for key, value in plain.items() if key in known}
    values["transport"] = Transport(values.get("transport", "udp"))
    values["srtp"] = SrtpPolicy(values.get("srtp", "off"))
    return AccountSettings(**values)


class Core:
    """Everything CallClient is, without a window. `start` and `stop` run on the caller's thread."""

    def __init__(self, options: CoreOptions) -> None:
        self.options = options
        self.paths = options.paths or AppPaths.for_user()
        self.redaction = RedactionFilter()
        self.log_files: LogFiles | None = None
        self.keychain: Keychain | None = None
        self.config: Any = None  # callclient.config.LoadedConfig
        self.store: LocalStore | None = None
        self.store_damage: StoreDamaged | None = None
        self.favorites: Favorites | None = None
        self.preferences: Preferences | None = None
        self.voicemail_cache: VoicemailCache | None = None
        self.engine: SipEngine | None = None
        self.audio: Any = None  # media.bridge.DeviceAudio when real sound devices are in use
        self.feedback: CallFeedback | None = None  # tones and ringing, with real sound devices only
        self.pbx: PbxService | None = None
        self.demo: Any = None  # callclient.demo.DemoServices
        self.notices: list[str] = []  # things to tell the user once: a damaged store moved aside, config warnings
        self._pbx_listeners: list[Callable[[PbxEvent], None]] = []
        self._pump: threading.Thread | None = None
        self._accounts: dict[str, AccountSettings] = {}
        self._pending_lock = threading.RLock()
        self._pending_accounts: dict[str, AccountSettings] | None = None  # a reload waiting for calls to end
        self._config_listeners: list[Callable[[Any], None]] = []
        self._watcher: Any = None  # callclient.config.ConfigWatcher

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        from callclient.config import ConfigError, ConfigWatcher, load_config
        from callclient.storage.keychain import KeychainUnavailable
        from callclient.storage.store import StoreError

        self.log_files = setup_logging(self.paths.log_dir, self.redaction)
        _log_uncaught_exceptions()
        log.info("%s %s starting", APP_NAME, __version__)
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
        if opened.damage is not None:
            self.notices.append(str(opened.damage))
        self.preferences = Preferences(self.store)
        sources = self._config_sources()  # the in-app settings (in the store) are the top config layer
        try:
            self.config = load_config(sources, keychain=self.keychain)
        except ConfigError as error:
            raise StartupError(str(error)) from None
        self.notices.extend(self.config.warnings)
        app = self.config.config
        self._apply_logging(app)
        self.favorites = Favorites(self.store)
        self.voicemail_cache = VoicemailCache(
            self.paths.voicemail_dir, self.keychain.get_or_create_key(AppSecret.VOICEMAIL_CACHE_KEY),
            _cache_policy(app.policy.voicemail_cache),
        )
        self.voicemail_cache.expire()

        accounts = self._configured_accounts()
        demo = self.options.demo if self.options.demo is not None else not accounts
        engine_settings: EngineSettings = app.engine_settings()
        audio = self._audio_backend(app)
        self.engine = SipEngine(engine_settings, audio)
        self.engine.start()
        self._pump = threading.Thread(target=self._pump_engine_events, args=(self.engine.subscribe(),),
                                      name="core-events", daemon=True)
        self._pump.start()
        if demo:
            self._start_demo()
        for settings in accounts:
            self._add_engine_account(settings)
        if self.pbx is None:
            self.pbx = self._pbx_for(app, accounts)
        self._watch_favorites()
        self._watcher = ConfigWatcher(sources, self.config, self._apply_config,
                                      lambda problem: self.notices.append(f"Configuration not reloaded: {problem}"),
                                      keychain=self.keychain)
        self._watcher.start()
        if self.options.dial:
            self.engine.make_call(self.options.dial)

    def reload_config(self, fetch_remote: bool = True) -> str:
        """Re-reads the config layers now and applies them; returns a summary of what changed.

        An invalid file raises StartupError and the config in force stays. An account with a call up keeps
        its old settings until its calls have ended: a reload never drops a call. `fetch_remote=False` uses
        the cached remote copy (a settings change is no reason to call the provisioning server).
        """
        from callclient.config import ConfigError, load_config

        assert self.keychain is not None
        sources = dataclasses.replace(self._config_sources(), fetch_remote=fetch_remote)
        try:
            loaded = load_config(sources, keychain=self.keychain)
        except ConfigError as error:
            raise StartupError(str(error)) from None
        return self._apply_config(loaded)

    def _config_sources(self) -> Any:
        from callclient.config import ConfigSources

        settings = self.preferences.get(SETTINGS_KEY, {}) if self.preferences is not None else {}
        return ConfigSources.for_platform(user_file=self.options.config_file, environ=self.options.environ,
                                          paths=self.paths, preferences=settings)

    def set_setting(self, key: str, value: Any) -> str:
        return self.set_settings({key: value})

    def set_settings(self, values: Mapping[str, Any]) -> str:
        """Saves in-app settings (config keys such as "audio.capture_device") and applies them, together.

        Raises SettingLocked, naming the admin layer, when an administrator locked a key, and ValueError
        (the same message a file would get) for a value the schema refuses; nothing is saved then."""
        from callclient.config.loader import ConfigError, Layer, check_value
        from callclient.config.schema import ADMIN_ONLY, KEYS

        assert self.preferences is not None and self.config is not None
        for key, value in values.items():
            spec = KEYS.get(key)
            if spec is None or key in ADMIN_ONLY:
                raise ValueError(f"{key} is not a setting a user can change")
            try:
                check_value(Layer("preferences", "in-app preferences"), key, spec, value)
            except ConfigError as error:
                raise ValueError(str(error)) from None
            reason = self.config.lock_reason(key)
            if reason is not None:
                raise SettingLocked(f"{key} is {reason}")
        previous = dict(self.preferences.get(SETTINGS_KEY, {}))
        self.preferences.set(SETTINGS_KEY, {**previous, **values})
        try:
            summary = self.reload_config(fetch_remote=False)
        except StartupError:  # another layer broke meanwhile: keep the store as it was
            self.preferences.set(SETTINGS_KEY, previous)
            raise
        if "codecs.order" in values and self.engine is not None:
            self.engine.set_codecs(self.config.config.codecs).result(15)
        if any(key.startswith("audio.") for key in values) and self.audio is not None:
            audio = self.config.config.audio
            self.audio.set_devices(audio.capture_device, audio.playback_device)
        return summary

    def _apply_config(self, loaded: Any) -> str:
        """Runs on the config watcher's thread or the caller's: the engine and store are thread-safe."""
        self.config = loaded
        self._apply_logging(loaded.config)
        if self.voicemail_cache is not None:
            self.voicemail_cache.set_policy(_cache_policy(loaded.config.policy.voicemail_cache))
        wanted = {a.account_id: a for a in self._configured_accounts()}
        if self.demo is not None:
            wanted[DEMO_ACCOUNT_ID] = self.demo.account
        with self._pending_lock:
            self._pending_accounts = wanted
        summary = self._apply_pending_accounts()
        for listener in list(self._config_listeners):
            listener(loaded)
        return summary

    def add_config_listener(self, listener: Callable[[Any], None]) -> None:
        """`listener(LoadedConfig)` after each reload, on the reloading thread."""
        self._config_listeners.append(listener)

    def _apply_pending_accounts(self) -> str:
        """Brings the engine's accounts to the wanted set, except accounts with calls up."""
        assert self.engine is not None
        with self._pending_lock:
            wanted = self._pending_accounts
            if wanted is None:
                return "nothing to apply"
            busy = {call.account_id for call in self.engine.status().result(15).calls}
            added, removed, changed, deferred = [], [], [], []
            for account_id in list(self._accounts):
                if account_id not in wanted:
                    if account_id in busy:
                        deferred.append(account_id)
                        continue
                    self.engine.remove_account(account_id).result(15)
                    del self._accounts[account_id]
                    removed.append(account_id)
            for account_id, settings in wanted.items():
                current = self._accounts.get(account_id)
                if current == settings:
                    continue
                if current is not None and account_id in busy:
                    deferred.append(account_id)
                    continue
                self._add_engine_account(settings)
                (changed if current is not None else added).append(account_id)
            self._pending_accounts = wanted if deferred else None
        summary = ", ".join(f"{label}: {' '.join(ids)}" for label, ids in
                            (("added", added), ("removed", removed), ("changed", changed),
                             ("after the call ends", deferred)) if ids)
        log.info("accounts updated (%s)", summary or "no change")
        return summary or "no account changed"

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self.pbx is not None:
            self.pbx.close()
        if self.feedback is not None:
            self.feedback.close()
        if self.audio is not None:
            self.stop_recording()
        if self.engine is not None:
            self.engine.stop()
            self.engine = None
        if self._pump is not None:
            self._pump.join(5)
            self._pump = None
        if self.demo is not None:
            self.demo.stop()
            self.demo = None
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.log_files is not None:
            self.log_files.close()

    # ------------------------------------------------------------------ accounts

    @property
    def accounts(self) -> tuple[AccountSettings, ...]:
        """The accounts the engine has, without passwords."""
        return tuple(dataclasses.replace(a, password="") for a in self._accounts.values())

    def add_sip_account(self, settings: AccountSettings) -> None:
        """A SIP account set up by hand: the password goes to the keychain, the rest to the store."""
        assert self.keychain is not None and self.preferences is not None
        if settings.password:
            self.keychain.set(settings.account_id, SecretKind.SIP_PASSWORD, settings.password)
            self.redaction.add_secret(settings.password)
        stored = [a for a in self.preferences.get(USER_ACCOUNTS_KEY, []) if a["account_id"] != settings.account_id]
        stored.append(_account_to_dict(settings))
        self.preferences.set(USER_ACCOUNTS_KEY, stored)
        self._add_engine_account(settings)

    def sign_in(self, login: str, password: str) -> Profile:
        """Signs in to the PBX and provisions its SIP line as an account. Blocks: call it off the GUI thread."""
        assert self.config is not None
        self.redaction.add_secret(password)
        if not isinstance(self.pbx, WazoService):
            self.pbx = self._wazo(self.config.config.pbx.base_url, self.config.config.pbx.ca_file or None)
        self.pbx.sign_in(login, password)
        profile = self.pbx.profile()
        if profile.lines:
            line = profile.lines[0]
            self.add_sip_account(AccountSettings(
                account_id=PBX_ACCOUNT_ID, user=line.username, domain=line.domain, password=line.password,
                display_name=profile.display_name,
                transport=Transport(line.transport) if line.transport in ("udp", "tcp", "tls") else Transport.UDP,
            ))
        self.pbx.start_updates()
        return profile

    def sign_out(self, erase: bool = True) -> None:
        """Signs out of the PBX, removes the user's own accounts, and (by default) erases their local data."""
        assert self.preferences is not None and self.store is not None
        if self.pbx is not None:
            self.pbx.sign_out()
        for plain in self.preferences.get(USER_ACCOUNTS_KEY, []):
            account_id = plain["account_id"]
            if self.engine is not None and account_id in self._accounts:
                self.engine.remove_account(account_id).result(15)
                self._accounts.pop(account_id, None)
            if erase:
                erase_account(account_id, keychain=self.keychain, store=self.store,
                              voicemail_cache=self.voicemail_cache, log_files=self.log_files)
        self.preferences.delete(USER_ACCOUNTS_KEY)

    def erase_all_data(self) -> list[Path]:
        """Stops everything and removes every keychain entry and every directory CallClient wrote."""
        account_ids = tuple(self._accounts)
        keychain, log_files = self.keychain, self.log_files
        self.stop()
        return erase_all_data(self.paths, keychain, account_ids=account_ids, log_files=log_files)

    # ------------------------------------------------------------------ PBX

    def add_pbx_listener(self, listener: Callable[[PbxEvent], None]) -> None:
        """`listener` runs on the PBX's update thread: cross to your own thread from there."""
        self._pbx_listeners.append(listener)

    def _on_pbx_event(self, event: PbxEvent) -> None:
        for listener in list(self._pbx_listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a PBX event listener failed")

    def _wazo(self, base_url: str, ca_file: str | None) -> WazoService:
        assert self.keychain is not None
        return WazoService(
            WazoConfig(base_url=base_url, ca_file=ca_file),
            account_id=PBX_ACCOUNT_ID,
            token_store=KeychainTokenStore(self.keychain, PBX_ACCOUNT_ID),
            recording_cache=self.voicemail_cache,
            on_event=self._on_pbx_event,
            on_secret=self.redaction.add_secret,
        )

    def _pbx_for(self, app: Any, accounts: list[AccountSettings]) -> PbxService:
        if app.pbx.kind == "wazo" and app.pbx.base_url:
            service = self._wazo(app.pbx.base_url, app.pbx.ca_file or None)
            threading.Thread(target=self._resume_pbx, args=(service,), name="pbx-resume", daemon=True).start()
            return service
        first = accounts[0] if accounts else None
        return SipOnlyService(sip_domain=first.domain if first else "",
                              voicemail_access_number=(first.voicemail_number or None) if first else None,
                              on_event=self._on_pbx_event)

    def _resume_pbx(self, service: WazoService) -> None:
        try:
            if service.resume():
                service.start_updates()
        except Exception as error:  # offline or revoked: the PBX views say so; calls keep working
            log.warning("the PBX session could not be resumed: %s", error)

    # ------------------------------------------------------------------ internals

    def _configured_accounts(self) -> list[AccountSettings]:
        assert self.keychain is not None and self.preferences is not None and self.config is not None
        accounts: list[AccountSettings] = []
        for account in self.config.config.accounts:
            password = self.keychain.get(account.account_id, SecretKind.SIP_PASSWORD) or ""
            accounts.append(account.account_settings(password))
        for plain in self.preferences.get(USER_ACCOUNTS_KEY, []):
            try:
                settings = _account_from_dict(plain)
            except (TypeError, ValueError) as error:
                self.notices.append(f"A saved account could not be read and was skipped: {error}")
                continue
            password = self.keychain.get(settings.account_id, SecretKind.SIP_PASSWORD) or ""
            accounts.append(dataclasses.replace(settings, password=password))
        for settings in accounts:
            if settings.password:
                self.redaction.add_secret(settings.password)
        return accounts

    def _add_engine_account(self, settings: AccountSettings) -> None:
        assert self.engine is not None
        if settings.account_id in self._accounts:
            self.engine.remove_account(settings.account_id).result(15)
        self.engine.add_account(settings).result(15)
        self._accounts[settings.account_id] = settings

    def _watch_favorites(self) -> None:
        """Busy lamps: the engine subscribes to the presence of every favorite of every account."""
        assert self.favorites is not None and self.engine is not None
        for account_id, settings in self._accounts.items():
            uris = self.favorites.presence_uris(account_id, settings.domain)
            if uris:
                self.engine.watch_presence(uris, account_id)

    def refresh_presence(self) -> None:
        self._watch_favorites()

    def _pump_engine_events(self, stream: Any) -> None:
        """Feeds what the engine hears into the other parts (MWI counts into the PBX service)."""
        while True:
            event = stream.get()
            if isinstance(event, ev.EngineStopped):
                return
            if self.feedback is not None:
                self.feedback.on_event(event)
            if isinstance(event, ev.MessageSummary) and self.pbx is not None:
                self.pbx.update_mwi(event.new, event.old, event.urgent_new)
            elif isinstance(event, ev.CallEnded) and self._pending_accounts is not None:
                threading.Thread(target=self._apply_pending_accounts, name="core-reload", daemon=True).start()

    def _start_demo(self) -> None:
        from callclient.demo import DemoServices

        self.demo = DemoServices.start()
        self._add_engine_account(self.demo.account)
        self.pbx = self._wazo(self.demo.pbx_url, str(self.demo.ca_file))
        self.pbx.sign_in(self.demo.login, self.demo.password)
        self.pbx.start_updates()

    def _audio_backend(self, app: Any) -> AudioBackend:
        """The sound devices from the config, or the null device when there are none (with a notice)."""
        if self.options.audio is not None:
            return self.options.audio()
        if not self.options.use_sound_devices:
            return NullAudio()
        try:
            from media.bridge import DeviceAudio
            from media.devices import NoAudioDevice, resolve_device
            from media.processing import ProcessingSettings

            resolve_device(app.audio.capture_device, "input")
            resolve_device(app.audio.playback_device, "output")
        except (ImportError, OSError, NoAudioDevice) as error:
            self.notices.append(f"No sound device is usable ({error}); calls connect but carry no sound.")
            return NullAudio()
        self.audio = DeviceAudio(
            app.audio.capture_device, app.audio.playback_device,
            processing=ProcessingSettings(aec=app.audio.echo_cancellation, ns=app.audio.noise_suppression,
                                          agc=app.audio.auto_gain, high_pass=app.audio.high_pass),
            on_device_change=self.notices.append,
        )
        self.feedback = self._call_feedback(app)
        return self.audio

    def export_log_bundle(self, destination: Path, diagnostics: str = "") -> Path:
        """A zip for support: the log files (already redacted when written), passed through the redaction
        filter once more (a secret learnt after a line was written is caught now), plus `diagnostics`."""
        import zipfile

        assert self.log_files is not None
        for handler in logging.getLogger().handlers:
            handler.flush()
        with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(self.paths.log_dir.glob("*.log*")):
                text = path.read_text(encoding="utf-8", errors="replace")
                bundle.writestr(path.name, "\n".join(self.redaction.redact(line) for line in text.splitlines()))
            bundle.writestr("diagnostics.txt", self.redaction.redact(diagnostics))
        destination.chmod(0o600)
        return destination

    def start_recording(self) -> Path:
        """Records the calls (both sides, stereo WAV) into the app's data folder, which sign-out erases.

        Raises media.recorder.RecordingForbidden when the policy forbids it, and RuntimeError without
        sound devices (the null device carries no audio to record)."""
        from datetime import datetime as _datetime

        from media.bridge import BRIDGE_RATE_HZ, FRAME_SAMPLES
        from media.recorder import CallRecorder

        if self.audio is None:
            raise RuntimeError("calls are not recorded without a sound device")
        allowed = bool(self.config is not None and self.config.config.policy.recording_allowed)
        folder = self.paths.data_dir / "recordings"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"call-{_datetime.now().strftime('%Y%m%d-%H%M%S')}.wav"
        self.stop_recording()
        self.audio.recorder = CallRecorder(path, BRIDGE_RATE_HZ, allowed_by_policy=allowed,
                                           block_samples=FRAME_SAMPLES)
        return path

    def stop_recording(self) -> None:
        recorder = self.audio.recorder if self.audio is not None else None
        if recorder is not None:
            self.audio.recorder = None
            recorder.close()

    def _call_feedback(self, app: Any) -> CallFeedback:
        """Ringing on the ring device; ringback, busy, call waiting and key clicks on the call device."""
        from media.bridge import BRIDGE_RATE_HZ
        from media.ringer import Ringer
        from media.tones import ToneGenerator
        from media.wavfile import AudioFileError

        region = {"US": "us", "CA": "us", "GB": "uk"}.get(app.dialplan.region, "eu")
        tones = ToneGenerator(BRIDGE_RATE_HZ, region=region)
        self.audio.tone_source = tones
        try:
            ringer = Ringer(app.audio.ring_device or app.audio.playback_device, resource_path("sounds/ring.wav"),
                            region=region)
        except AudioFileError as error:
            self.notices.append(f"The ringtone could not be loaded ({error}); a plain ring is used.")
            ringer = Ringer(app.audio.ring_device or app.audio.playback_device, None, region=region)
        return CallFeedback(ringer if self.options.ring_in_core else None, tones)

    def _apply_logging(self, app: Any) -> None:
        level = getattr(logging, str(app.logging.level).upper(), logging.INFO)
        logging.getLogger().setLevel(level)
        if self.log_files is not None:
            self.log_files.set_sip_trace(app.logging.sip_trace)


def resource_path(relative: str) -> Path:
    """A file under resources/: beside the package in a checkout, or in a frozen app's bundle."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
    return base / "resources" / relative


def _log_uncaught_exceptions() -> None:
    """Uncaught exceptions go through logging, so the redaction filter sees them before any file or stderr
    does: Python's default hooks print tracebacks (with their values) straight to stderr."""
    import sys

    def in_thread(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "unknown"
        log.critical("uncaught exception in thread %s", name,
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    def in_main(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        log.critical("uncaught exception", exc_info=(kind, value, tb))

    threading.excepthook = in_thread
    sys.excepthook = in_main


def _cache_policy(policy: str) -> VoicemailCachePolicy:
    """'after-playback', 'never' or 'days:N' (the config's voicemail_cache policy) as the cache's policy."""
    if policy == "never":
        return VoicemailCachePolicy(Retention.NEVER_CACHE)
    if policy.startswith("days:"):
        return VoicemailCachePolicy(Retention.AFTER_DAYS, days=int(policy.split(":", 1)[1]))
    return VoicemailCachePolicy(Retention.AFTER_PLAYBACK)
