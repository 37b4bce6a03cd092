"""What the Wazo backend needs to know about one PBX: where it is, whom to trust, and its timing knobs."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

# Base paths behind Wazo's HTTPS proxy. confd's is 1.1: that is the basePath its own spec declares.
AUTH = "/api/auth/0.1"
CONFD = "/api/confd/1.1"
CALL_LOGD = "/api/call-logd/1.0"
CALLD = "/api/calld/1.0"
DIRD = "/api/dird/0.1"
WEBSOCKETD = "/api/websocketd/"


@dataclass(frozen=True)
class WazoConfig:
    base_url: str  # https://pbx.example.com[:port]
    client_id: str = "callclient"
    ca_file: str | None = None  # trust this CA instead of the system's; verification is never turned off
    connect_timeout_s: float = 5.0
    timeout_s: float = 15.0
    max_attempts: int = 3  # for idempotent requests, on network errors and 502/503/504
    backoff_base_s: float = 0.25
    backoff_max_s: float = 4.0
    token_lifetime_s: int = 3600  # asked for; the PBX may grant less
    # A token is renewed `renew_margin_s` before it expires, but never before half its lifetime has passed
    # (a PBX granting 120 s tokens once made a fixed margin renew ~700 times a second), never sooner than
    # `min_renew_interval_s` after the last renewal, and after a failed renewal only once that floor,
    # doubled per failure up to `renew_backoff_max_s`, has passed.
    renew_margin_s: float = 120.0
    min_renew_interval_s: float = 10.0
    renew_backoff_max_s: float = 300.0
    poll_interval_s: float = 30.0
    poll_max_interval_s: float = 300.0
    websocket_ping_s: float = 20.0
    directory_profile: str = "default"  # dird's profile: which directories a lookup searches (the user's context)

    def __post_init__(self) -> None:
        if self.token_lifetime_s <= 0:
            raise ValueError(f"the token lifetime to ask for must be positive, not {self.token_lifetime_s} s")
        if self.min_renew_interval_s <= 0 or self.renew_backoff_max_s < self.min_renew_interval_s:
            raise ValueError("the renewal floor must be positive and no longer than the renewal backoff cap")

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.base_url).hostname or self.base_url

    @property
    def websocket_url(self) -> str:
        parts = urllib.parse.urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return urllib.parse.urlunsplit((scheme, parts.netloc, WEBSOCKETD, "", ""))
