"""The merged configuration as typed, frozen values, and what the engine and the rest of the app take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from callclient.config.loader import ConfigError, Merged
from callclient.engine.settings import (
    AccountSettings,
    DndResponse,
    EngineSettings,
    IceSettings,
    SrtpPolicy,
    Transport,
)

_LOG_LEVELS = {"debug": 5, "info": 3, "warning": 2, "error": 1}


@dataclass(frozen=True)
class AccountConfig:
    account_id: str
    user: str
    domain: str
    display_name: str = ""
    auth_user: str = ""
    registrar: str = ""
    realm: str = ""
    outbound_proxy: str = ""
    transport: str = "udp"
    port: int = 0
    srtp: str = "off"
    srtp_requires_tls: bool = False
    registration_expiry: int = 300
    register: bool = True
    ice: bool = False
    turn_server: str = ""
    turn_username: str = ""
    voicemail_number: str = ""
    auto_answer: bool = False
    dnd_response: int = 486

    def account_settings(self, password: str, turn_password: str = "") -> AccountSettings:
        """What the engine takes; the password comes from the keychain, never from a file."""
        return AccountSettings(
            account_id=self.account_id,
            user=self.user,
            domain=self.domain,
            password=password,
            auth_user=self.auth_user,
            display_name=self.display_name,
            registrar=self.registrar,
            realm=self.realm,
            outbound_proxy=self.outbound_proxy,
            transport=Transport(self.transport),
            port=self.port,
            register=self.register,
            registration_expiry_s=self.registration_expiry,
            srtp=SrtpPolicy(self.srtp),
            srtp_requires_tls=self.srtp_requires_tls,
            ice=IceSettings(enabled=self.ice, turn_server=self.turn_server, turn_username=self.turn_username,
                            turn_password=turn_password),
            auto_answer=self.auto_answer,
            dnd_response=DndResponse(self.dnd_response),
            voicemail_number=self.voicemail_number,
        )


@dataclass(frozen=True)
class SipConfig:
    udp_port: int
    tcp_port: int
    tls_port: int
    bind_address: str
    public_address: str
    incoming_ring_timeout_s: int
    tls_ca_file: str
    tls_verify_server: bool
    stun_servers: tuple[str, ...]
    keepalive_interval: int


@dataclass(frozen=True)
class PbxConfig:
    kind: str
    base_url: str
    ca_file: str


@dataclass(frozen=True)
class AudioConfig:
    capture_device: str
    playback_device: str
    ring_device: str
    echo_cancellation: bool
    noise_suppression: bool
    auto_gain: bool
    high_pass: bool


@dataclass(frozen=True)
class DialPlanConfig:
    outside_line_prefix: str
    emergency_numbers: tuple[str, ...]
    region: str
    pickup_prefix: str = "*8"
    park_extension: str = ""  # blind transfer here parks the call (call view's Transfer menu)


@dataclass(frozen=True)
class PresenceConfig:
    auto_away_minutes: int = 0


@dataclass(frozen=True)
class DirectoryConfig:
    pbx_enabled: bool = True
    pbx_profile: str = "default"
    cache_ttl_hours: int = 168
    debounce_ms: int = 200
    max_results: int = 50
    ldap_url: str = ""
    ldap_starttls: bool = True
    ldap_ca_file: str = ""
    ldap_base_dn: str = ""
    ldap_bind_dn: str = ""
    ldap_filter: str = ""
    ldap_reverse_filter: str = ""
    ldap_attributes: tuple[str, ...] = ()
    ldap_timeout_s: int = 5
    address_book_allowed: bool = False
    vcard_paths: tuple[str, ...] = ()
    carddav_url: str = ""
    carddav_username: str = ""
    carddav_ca_file: str = ""


@dataclass(frozen=True)
class UiConfig:
    start_minimised: bool
    close_to_tray: bool
    language: str
    theme: str
    app_lock: bool = False


@dataclass(frozen=True)
class DesktopConfig:
    notifications: bool
    media_keys: bool
    autostart: bool
    link_handler: bool
    hotkey_answer: str
    hotkey_hang_up: str
    hotkey_mute: str
    hotkey_redial: str
    hotkey_show_window: str
    headset_devices: tuple[str, ...]

    def hotkeys(self) -> dict[str, str]:
        return {"answer": self.hotkey_answer, "hang_up": self.hotkey_hang_up, "mute": self.hotkey_mute,
                "redial": self.hotkey_redial, "show_window": self.hotkey_show_window}


@dataclass(frozen=True)
class PolicyConfig:
    favorites_allowed: bool
    recording_allowed: bool
    refused_call_notices: bool
    voicemail_cache: str
    update_check_url: str
    update_ca_file: str
    lock_after_idle_minutes: int = 10
    hide_caller_when_locked: bool = False
    recording_notice: str = ""  # a WAV path, "beep", or "": what the far end hears before recording


@dataclass(frozen=True)
class LoggingConfig:
    level: str
    sip_trace: bool


@dataclass(frozen=True)
class ProvisioningConfig:
    url: str
    auth: str
    username: str
    interval_minutes: int
    ca_file: str


@dataclass(frozen=True)
class AppConfig:
    accounts: tuple[AccountConfig, ...]
    sip: SipConfig
    pbx: PbxConfig
    codecs: tuple[str, ...]
    audio: AudioConfig
    dialplan: DialPlanConfig
    ui: UiConfig
    desktop: DesktopConfig
    policy: PolicyConfig
    logging: LoggingConfig
    provisioning: ProvisioningConfig
    directory: DirectoryConfig = DirectoryConfig()
    presence: PresenceConfig = PresenceConfig()

    def engine_settings(self) -> EngineSettings:
        return EngineSettings(
            udp_port=self.sip.udp_port,
            tcp_port=self.sip.tcp_port,
            tls_port=self.sip.tls_port,
            bind_address=self.sip.bind_address,
            public_address=self.sip.public_address,
            incoming_ring_timeout_s=float(self.sip.incoming_ring_timeout_s),
            tls_ca_file=self.sip.tls_ca_file,
            tls_verify_server=self.sip.tls_verify_server,
            stun_servers=self.sip.stun_servers,
            keepalive_interval_s=self.sip.keepalive_interval,
            codecs=self.codecs,
            log_level=_LOG_LEVELS[self.logging.level],
            sip_trace=self.logging.sip_trace,
        )

    def account(self, account_id: str) -> AccountConfig | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)


def _section(values: dict[str, Any], name: str) -> dict[str, Any]:
    prefix = name + "."
    return {key[len(prefix):]: (tuple(v) if isinstance(v, list) else v)
            for key, v in values.items() if key.startswith(prefix)}


def build(merged: Merged, source: str) -> AppConfig:
    """The typed config; raises ConfigError for an account that lacks what every account needs."""
    accounts = []
    for account_id, fields in merged.accounts.items():
        for required in ("user", "domain"):
            if not fields.get(required):
                raise ConfigError(source, f"account {account_id!r} has no {required}", key=f"accounts.{account_id}.{required}",
                                  expected="user and domain in every account")
        plain = {k: v for k, v in fields.items() if k not in ("id", "initial_password")}
        accounts.append(AccountConfig(account_id=account_id, **plain))
    values = merged.values
    return AppConfig(
        accounts=tuple(accounts),
        sip=SipConfig(**_section(values, "sip")),
        pbx=PbxConfig(**_section(values, "pbx")),
        codecs=tuple(values["codecs.order"]),
        audio=AudioConfig(**_section(values, "audio")),
        dialplan=DialPlanConfig(**_section(values, "dialplan")),
        ui=UiConfig(**_section(values, "ui")),
        desktop=DesktopConfig(**_section(values, "desktop")),
        policy=PolicyConfig(**_section(values, "policy")),
        logging=LoggingConfig(**_section(values, "logging")),
        provisioning=ProvisioningConfig(**_section(values, "provisioning")),
        directory=DirectoryConfig(**_section(values, "directory")),
        presence=PresenceConfig(**_section(values, "presence")),
    )
