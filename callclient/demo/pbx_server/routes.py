"""The test PBX's route table: every (service, method, path template) it answers, assembled from one module per
Wazo service. The contract (contract.py) checks each request and answer against the vendored Swagger specs;
chatd's presence routes belong to a live PresenceDesk and are added by the server (chatd.py).
"""

from __future__ import annotations

from callclient.demo.pbx_server.forwards import FORWARD_HANDLERS
from callclient.demo.pbx_server.routes_auth import AUTH_HANDLERS
from callclient.demo.pbx_server.routes_base import Handler
from callclient.demo.pbx_server.routes_calld import CALLD_HANDLERS
from callclient.demo.pbx_server.routes_calllogd import CALL_LOGD_HANDLERS
from callclient.demo.pbx_server.routes_confd import CONFD_HANDLERS
from callclient.demo.pbx_server.routes_dird import DIRD_HANDLERS

HANDLERS: dict[tuple[str, str, str], Handler] = {
    **AUTH_HANDLERS,
    **CONFD_HANDLERS,
    **FORWARD_HANDLERS,
    **CALL_LOGD_HANDLERS,
    **CALLD_HANDLERS,
    **DIRD_HANDLERS,
}
