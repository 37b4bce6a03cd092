"""The SIP engine: pjsua2 on its own thread, a typed command API and an event stream."""

from callclient.engine.engine import SipEngine
from callclient.engine.event_hub import EventStream
from callclient.engine.quality import estimate_mos
from callclient.engine.settings import AccountSettings, EngineSettings, SrtpPolicy, Transport

__all__ = ["AccountSettings", "EngineSettings", "EventStream", "SipEngine", "SrtpPolicy", "Transport", "estimate_mos"]
