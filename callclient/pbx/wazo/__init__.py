"""The Wazo Platform backend: wazo-auth, wazo-confd, wazo-call-logd and wazo-calld over HTTPS, events from
wazo-websocketd, with polling where the websocket is not available.

One module per job: `config` (where the PBX is, timing knobs), `http` (requests, retries, TLS, errors),
`session` (sign-in, tokens, renewal), `mapping` (Wazo JSON -> our values), `caches` (views kept for offline,
recordings), `updates` (the websocket/polling thread), one client per API area (`history`, `voicemail`,
`directory`, `forwards`, `presence`) and `service` (WazoService, which composes them).
"""

from callclient.pbx.wazo.config import WazoConfig
from callclient.pbx.wazo.http import backoff_delay_s, tls_context
from callclient.pbx.wazo.mapping import cdr_to_record
from callclient.pbx.wazo.service import WazoService
from callclient.pbx.wazo.updates import HISTORY_EVENTS, VOICEMAIL_EVENTS

__all__ = [
    "HISTORY_EVENTS",
    "VOICEMAIL_EVENTS",
    "WazoConfig",
    "WazoService",
    "backoff_delay_s",
    "cdr_to_record",
    "tls_context",
]
