"""Run the test PBX alone, for the demo or by hand:

    python -m callclient.demo.pbx_server --port 8443 [--cert server.pem --key server.key]
"""

from __future__ import annotations

import argparse
import logging
import ssl
import threading
from pathlib import Path

from callclient.demo.pbx_server.contract import SPECS_ENV, WazoContract
from callclient.demo.pbx_server.data import PbxData
from callclient.demo.pbx_server.server import PbxServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A local Wazo-like PBX with sample data, for the demo mode.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--cert", help="PEM certificate chain: serve HTTPS")
    parser.add_argument("--key", help="PEM private key for --cert")
    parser.add_argument("--moving-lamps", action="store_true",
                        help="colleagues' lines ring, talk and hold on their own (as in demo mode)")
    parser.add_argument("--specs", type=Path, help=f"vendored Wazo specs (default: ${SPECS_ENV} or shared/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    contract = WazoContract.load(args.specs)
    data = PbxData.sample()
    server = PbxServer(contract, data, host=args.host, port=args.port, ssl_context=context)
    server.start()
    if args.moving_lamps:
        server.presence.start_demo_activity()
    user = next(iter(data.users.values()))
    print(f"Test PBX on {server.base_url} — sign in as {user.email} / {user.password}", flush=True)
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if server.violations:
            print(f"{len(server.violations)} contract violations:", *server.violations, sep="\n")
    return 1 if server.violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
