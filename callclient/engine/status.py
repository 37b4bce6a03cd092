"""Snapshots of the engine's state, for `callclient status` and the GUI's first paint."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from callclient.engine.events import CallDirection, CallState, MediaState, Party, RegistrationState


@dataclass(frozen=True)
class AccountStatus:
    account_id: str
    aor: str
    state: RegistrationState
    code: int
    reason: str
    dnd: bool


@dataclass(frozen=True)
class CallStatus:
    call_id: str
    account_id: str
    direction: CallDirection
    state: CallState
    remote: Party
    duration_s: float
    media: MediaState
    muted: bool
    merged: bool


@dataclass(frozen=True)
class EngineStatus:
    accounts: tuple[AccountStatus, ...]
    calls: tuple[CallStatus, ...]
    # Calls that can exist at once (pjsua's compile-time PJSUA_MAX_CALLS, 4 in the wheel), and how many
    # of them incoming calls may take: one is kept free for the user's own outgoing call.
    max_calls: int = 4
    max_incoming_calls: int = 3

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CallQuality:
    """Receive-side figures from pjsua2's stream statistics and an E-model MOS estimate."""

    codec: str
    jitter_ms: float
    loss_percent: float
    rtt_ms: float
    mos: float
