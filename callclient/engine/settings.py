"""What the SIP engine is configured with: plain frozen values, built by the config layer.

The engine never reads files; provisioning (callclient.config) turns TOML layers into these, and the
storage layer supplies secrets (SIP passwords) from the keychain at the moment an account is added.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from callclient import APP_NAME, __version__


class Transport(enum.StrEnum):
    UDP = "udp"
    TCP = "tcp"
    TLS = "tls"


class SrtpPolicy(enum.StrEnum):
    OFF = "off"
    OPTIONAL = "optional"
    MANDATORY = "mandatory"


class DndResponse(enum.IntEnum):
    """How an incoming call is refused while do-not-disturb is on."""

    BUSY_HERE = 486
    TEMPORARILY_UNAVAILABLE = 480


DEFAULT_CODECS: tuple[str, ...] = ("opus/48000", "G722/16000", "PCMA/8000", "PCMU/8000")


@dataclass(frozen=True)
class IceSettings:
    enabled: bool = False
    turn_server: str = ""  # host[:port]
    turn_username: str = ""
    turn_password: str = field(default="", repr=False)
    turn_transport: Transport = Transport.UDP


@dataclass(frozen=True)
class RegistrationBackoff:
    """Retry schedule after a failed registration: base * 2**n, capped, with +-jitter.

    A registrar that says the password is wrong (401/403) is never retried automatically: retrying
    cannot fix it and would look like a brute-force attempt to fail2ban-style guards.
    """

    base_s: float = 5.0
    cap_s: float = 600.0
    jitter: float = 0.2


@dataclass(frozen=True)
class AccountSettings:
    account_id: str
    user: str  # the user part of the address of record: extension or name
    domain: str
    password: str = field(default="", repr=False)
    auth_user: str = ""  # defaults to user
    display_name: str = ""
    registrar: str = ""  # host[:port]; defaults to domain
    realm: str = ""  # digest realm of the password; empty: learnt from the registrar's first challenge
    outbound_proxy: str = ""  # host[:port]
    transport: Transport = Transport.UDP
    port: int = 0  # registrar port; 0 means the transport's default / DNS SRV
    register: bool = True
    registration_expiry_s: int = 300
    srtp: SrtpPolicy = SrtpPolicy.OFF
    srtp_requires_tls: bool = False  # SDES keys travel in the SDP: refuse SRTP unless signalling is TLS
    ice: IceSettings = IceSettings()
    auto_answer: bool = False
    dnd_response: DndResponse = DndResponse.BUSY_HERE
    voicemail_number: str = ""
    subscribe_mwi: bool = True
    backoff: RegistrationBackoff = RegistrationBackoff()

    @property
    def aor(self) -> str:
        return f"sip:{self.user}@{self.domain}"


@dataclass(frozen=True)
class JitterBufferSettings:
    """pjmedia's adaptive jitter buffer (pjsua MediaConfig jb*), in ms; -1 keeps pjmedia's own default.

    Chosen by the numbers of bench/call_quality.py (docs/benchmarks.md, "Call quality on real networks").
    """

    # 60 ms of prefetch rides out 30 ms of jitter and reordering; pjmedia's default starts at one frame.
    initial_prefetch_ms: int = 60
    min_prefetch_ms: int = 60
    max_prefetch_ms: int = -1
    max_ms: int = -1  # pjmedia's 500 ms: also the bound on the delay "none" below can build up
    # What the buffer does when it holds more than it needs: "progressive" (pjmedia's default: drops
    # frames, faster the fuller it is), "static" (drops at a fixed rate) or "none" (keeps every frame
    # until the buffer is full). Dropping cut PESQ-WB by 0.3-0.6 on every network condition measured.
    discard: str = "none"


@dataclass(frozen=True)
class EngineSettings:
    udp_port: int = 0  # 0: any free port
    tcp_port: int = 0
    tls_port: int = 0
    enable_udp: bool = True
    enable_tcp: bool = True
    enable_tls: bool = True
    bind_address: str = ""  # empty: all interfaces; SIP and RTP/RTCP both listen here
    public_address: str = ""  # advertised in Via/Contact and the SDP c= line instead of the local address
    tls_ca_file: str = ""  # empty: the system's trust store
    tls_verify_server: bool = True
    stun_servers: tuple[str, ...] = ()
    keepalive_interval_s: int = 15
    codecs: tuple[str, ...] = DEFAULT_CODECS
    user_agent: str = f"{APP_NAME}/{__version__}"
    log_level: int = 3
    sip_trace: bool = False
    clock_rate_hz: int = 16000
    jitter_buffer: JitterBufferSettings = JitterBufferSettings()
    # An unanswered incoming call is refused (480) after this long. Longer than a PBX's usual no-answer
    # forward to voicemail (20-60 s), so the PBX decides first; bounded so a caller that never cancels
    # (a scanner, a broken trunk) cannot hold one of the few call slots for ever.
    incoming_ring_timeout_s: float = 90.0
