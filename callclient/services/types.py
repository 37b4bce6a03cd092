"""The values a front end needs, from one services-facing module: the windows import these, never the
engine, the store, the PBX client or media themselves (tests/test_architecture.py keeps it so)."""

from callclient.engine.events import (
    CallDirection,
    CallEnded,
    CallRefused,  # noqa: F401 - for the window's refused-call notices (issue 21)
    CallState,
    CallUpdated,
    DtmfReceived,
    EngineFault,
    Event,
    MediaState,
    MessageSummary,
    Party,
    PresenceChanged,
    PresenceState,
    RegistrationChanged,
    RefusalReason,
    RegistrationState,
    RequestRefused,
    TransferProgress,
    TransferRefused,
)
from callclient.engine.errors import ForeignDomain
from callclient.engine.settings import AccountSettings, Transport
from callclient.engine.status import CallQuality, EngineStatus
from callclient.notices import PROJECT_LICENCE, Component, NoticesMissing, main_components, third_party_notices
from callclient.pbx.service import (
    CallRecord,
    HistoryChanged,
    HistoryPage,
    HistoryQuery,
    PbxEvent,
    Profile,
    ServiceState,
    StateChanged,
    UpdateMode,
    UpdateModeChanged,
    VoicemailChanged,
    VoicemailCounts,
    VoicemailFolder,
    VoicemailMessage,
)
from callclient.desktop.hotkeys import HotkeyConflict, ShowWindowRequested
from callclient.services.accounts import AccountsChanged
from callclient.services.audio import AudioDeviceChanged
from callclient.services.my_status import MyStatus, MyStatusChanged, StatusNotChanged
from callclient.pbx.forwards import Forward, ForwardKind, Forwards
from callclient.services.forwarding import ForwardingChanged, ForwardingRefused
from callclient.services.settings import SettingLocked, SettingsChanged, SettingsRefused
from callclient.services.updates import UpdateAvailable
from callclient.storage.favorites import Favorite
from media.player_state import PlayerState

__all__ = [
    "AccountSettings", "AccountsChanged", "CallDirection", "CallEnded", "CallQuality", "CallRefused", "CallRecord", "CallState",
    "CallUpdated", "Component", "DtmfReceived", "EngineFault", "EngineStatus", "Event", "Favorite", "PROJECT_LICENCE", "ForeignDomain", "HistoryChanged",
    "HistoryPage", "HistoryQuery", "MediaState", "MessageSummary", "NoticesMissing", "Party", "PbxEvent", "PlayerState",
    "PresenceChanged", "PresenceState", "Profile", "RefusalReason", "RegistrationChanged", "RegistrationState",
    "RequestRefused", "ServiceState",
    "SettingLocked", "SettingsChanged", "SettingsRefused", "StateChanged", "Transport", "TransferProgress", "TransferRefused",
    "UpdateMode", "UpdateModeChanged", "VoicemailChanged", "VoicemailCounts", "VoicemailFolder",
    "VoicemailMessage", "main_components", "third_party_notices", "HotkeyConflict", "ShowWindowRequested",
    "UpdateAvailable", "MyStatus", "MyStatusChanged", "StatusNotChanged",
    "AudioDeviceChanged", "Forward", "ForwardKind", "Forwards", "ForwardingChanged", "ForwardingRefused",
]
