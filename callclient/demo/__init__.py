"""Demo mode: local stand-ins for the services CallClient talks to, with sample data.

With no account configured, the app runs a few far-end numbers in a child pjsua2 process (far_ends) and
the test PBX (pbx_server, the same spec-checked server the tests use) over HTTPS on loopback, with a CA
made for this run only, so a newcomer sees every screen working without a phone system.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from callclient.engine.settings import AccountSettings

DEMO_LOGIN = "alice@example.com"
# The demo PBX's sample user. Not a secret: it exists only inside this process, on loopback.
DEMO_PASSWORD = "alice-pass-2024"


@dataclass
class DemoServices:
    far_ends: object  # far_ends.DemoFarEnds
    pbx: object  # pbx_server.PbxServer
    ca_file: Path
    workdir: Path
    login: str = DEMO_LOGIN
    password: str = DEMO_PASSWORD

    @classmethod
    def start(cls) -> DemoServices:
        import trustme

        from callclient.demo.far_ends import DemoFarEnds
        from callclient.demo.pbx_server import PbxData, PbxServer, WazoContract

        workdir = Path(tempfile.mkdtemp(prefix="callclient-demo-"))
        far_ends = DemoFarEnds(workdir / "far-ends")
        try:
            ca = trustme.CA()
            server_cert = ca.issue_cert("127.0.0.1", "localhost")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_cert.configure_cert(context)
            ca_file = workdir / "demo-ca.pem"
            ca.cert_pem.write_to_path(str(ca_file))
            pbx = PbxServer(WazoContract.load(), PbxData.sample(password=DEMO_PASSWORD), ssl_context=context)
            pbx.start()
            pbx.presence.start_demo_activity()  # colleagues' lamps move on their own in the demo
        except BaseException:
            far_ends.stop()
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        return cls(far_ends=far_ends, pbx=pbx, ca_file=ca_file, workdir=workdir)

    @property
    def account(self) -> AccountSettings:
        """The demo line: it registers nowhere; calls go straight to the far ends' numbers."""
        return AccountSettings(account_id="demo", user="me", domain=self.far_ends.domain,  # type: ignore[attr-defined]
                               display_name="Demo user", register=False, voicemail_number="300",
                               subscribe_mwi=False)

    @property
    def pbx_url(self) -> str:
        return self.pbx.base_url  # type: ignore[attr-defined]

    def stop(self) -> None:
        self.pbx.stop()  # type: ignore[attr-defined]
        self.far_ends.stop()  # type: ignore[attr-defined]
        shutil.rmtree(self.workdir, ignore_errors=True)
