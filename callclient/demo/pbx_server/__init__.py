"""A local Wazo-like PBX for tests and the demo mode: wazo-auth, confd, call-logd, calld, dird, chatd and
websocketd on one HTTP(S) port, with in-memory sample data, checked against Wazo's own published API specs.

One module per job: `contract` (the vendored Swagger 2.0 specs and the request/response checks), `data` (the
sample user, calls, voicemail and rooms), `routes` (the route table; one `routes_<service>` module per Wazo
service, `forwards` for confd's forwards), `chatd` (presences, the DND service and the demo's moving lamps),
`faults` (what a test asks it to do wrong), `server` (PbxServer: the aiohttp site, tokens, websocketd and the
test controls).

Every request is matched to an operation of the specs and its parameters and body are validated; every response
body is validated against the operation's documented schema. A mismatch is recorded in `PbxServer.violations`
and answered with an error status, so the client sees it and a test fixture fails on it.

Run it alone:  python -m callclient.demo.pbx_server --port 8443 [--cert server.pem --key server.key]
"""

from callclient.demo.pbx_server.contract import (
    PACKAGED_SPECS,
    SPECS_ENV,
    ContractViolation,
    WazoContract,
    default_specs_dir,
    reference_specs_dir,
)
from callclient.demo.pbx_server.data import PbxData, cdr_entry, tone_wav
from callclient.demo.pbx_server.faults import Fault
from callclient.demo.pbx_server.server import PbxServer

__all__ = [
    "PACKAGED_SPECS",
    "SPECS_ENV",
    "ContractViolation",
    "Fault",
    "PbxData",
    "PbxServer",
    "WazoContract",
    "cdr_entry",
    "default_specs_dir",
    "reference_specs_dir",
    "tone_wav",
]
