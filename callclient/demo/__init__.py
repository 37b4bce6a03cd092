"""Demo mode: local stand-ins for the services CallClient talks to, with sample data.

With no account configured, the app runs a few far-end numbers in a child pjsua2 process (far_ends) and
the test PBX (pbx_server, the same spec-checked server the tests use) over HTTPS on loopback, with a CA
made for this run only, so a newcomer sees every screen working without a phone system.

Starting them is most of demo mode's start-up, so `DemoServices(...)` only sets them going — the far
ends' process, and the PBX on a thread of its own — and `wait_ready()` waits for both: the app opens its
store and engine meanwhile. The far ends' spoken prompts and the PBX's merged, validated API contract are
kept in the app's cache directory between runs (both are fixed public material, nothing personal).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import socket
import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any

from callclient.engine.settings import AccountSettings

log = logging.getLogger(__name__)

DEMO_LOGIN = "alice@example.com"
# The demo PBX's sample user. Not a secret: it exists only inside this process, on loopback.
DEMO_PASSWORD = "alice-pass-2024"


class DemoDidNotStart(RuntimeError):
    pass


class DemoServices:
    """The demo far ends and the demo PBX of one run. `start()` returns them ready; the constructor only
    starts them (then `wait_ready()`)."""

    login = DEMO_LOGIN
    password = DEMO_PASSWORD

    def __init__(self, cache_dir: Path | None = None, *, start_pbx: bool = True) -> None:
        """Starts the far ends' process, and the PBX on a thread unless `start_pbx` is False (then
        `start_pbx()` later: the desktop starts it once its window is shown, as its seconds of Python
        would otherwise hold up the window's own)."""
        from callclient.demo.far_ends import DemoFarEnds

        self.workdir = Path(tempfile.mkdtemp(prefix="callclient-demo-"))
        self.ca_file = self.workdir / "demo-ca.pem"
        self.pbx: Any = None  # pbx_server.PbxServer, once started
        self._cache_dir = cache_dir
        # Chosen here so the PBX's address is known before it listens (the front ends show it at once).
        # Another program taking the port in the moment between is reported when the PBX fails to start.
        self._pbx_port = _free_loopback_port()
        self._pbx_error: BaseException | None = None
        self.far_ends = DemoFarEnds(self.workdir / "far-ends", wait=False,
                                    prompt_cache=cache_dir / "prompts" if cache_dir is not None else None)
        self._pbx_thread = threading.Thread(target=self._start_pbx, name="demo-pbx-start", daemon=True)
        if start_pbx:
            self.start_pbx()

    def start_pbx(self) -> None:
        if not self._pbx_thread.is_alive() and self.pbx is None and self._pbx_error is None:
            self._pbx_thread.start()

    @classmethod
    def start(cls, cache_dir: Path | None = None, timeout_s: float = 30.0) -> DemoServices:
        demo = cls(cache_dir)
        try:
            demo.wait_ready(timeout_s)
        except BaseException:
            demo.stop()
            raise
        return demo

    def wait_far_ends(self, timeout_s: float = 30.0) -> None:
        """The far ends listen (their numbers can be dialled): raises FarEndsDidNotStart otherwise."""
        self.far_ends.wait_ready(timeout_s)

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        """Both are up: raises FarEndsDidNotStart or DemoDidNotStart (naming the cause) otherwise."""
        self.wait_far_ends(timeout_s)
        self.start_pbx()
        self._pbx_thread.join(timeout_s)
        if self._pbx_thread.is_alive():
            raise DemoDidNotStart(f"the demo PBX did not start within {timeout_s:.0f} s")
        if self._pbx_error is not None:
            raise DemoDidNotStart(f"the demo PBX did not start: {self._pbx_error}")

    def _start_pbx(self) -> None:
        try:
            import trustme

            from callclient.demo.pbx_server import PbxData, PbxServer

            ca = trustme.CA()
            server_cert = ca.issue_cert("127.0.0.1", "localhost")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_cert.configure_cert(context)
            ca.cert_pem.write_to_path(str(self.ca_file))
            pbx = PbxServer(load_contract(self._cache_dir), PbxData.sample(password=DEMO_PASSWORD),
                            ssl_context=context, port=self._pbx_port)
            pbx.start()
            pbx.presence.start_demo_activity()  # colleagues' lamps move on their own in the demo
            self.pbx = pbx
        except BaseException as error:  # reported by wait_ready, on the thread that needs the PBX
            self._pbx_error = error

    @property
    def account(self) -> AccountSettings:
        """The demo line: it registers nowhere; calls go straight to the far ends' numbers."""
        return AccountSettings(account_id="demo", user="me", domain=self.far_ends.domain,
                               display_name="Demo user", register=False, voicemail_number="300",
                               subscribe_mwi=False)

    @property
    def pbx_url(self) -> str:
        return f"https://127.0.0.1:{self._pbx_port}"

    def stop(self) -> None:
        if self._pbx_thread.is_alive():
            self._pbx_thread.join(30)  # a PBX still starting would otherwise be left listening
        if self.pbx is not None:
            self.pbx.stop()
        self.far_ends.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


# The merged, validated contract made ahead from the packaged specs (scripts/demo-contract writes it; a test keeps
# it current): a first demo launch reads it instead of spending seconds merging and validating YAML.
PACKAGED_CONTRACT = Path(__file__).resolve().parent / "wazo_contract.json"


def load_contract(cache_dir: Path | None) -> Any:
    """The demo PBX's Wazo contract. Merging and validating the vendored Swagger specs takes seconds of YAML
    parsing; the result depends on the spec files alone, so it ships made (PACKAGED_CONTRACT), and when the
    specs in use are not the ones it was made from, it is made and kept as JSON under a hash of them."""
    from callclient.demo.pbx_server.contract import WazoContract, default_specs_dir

    specs_dir = default_specs_dir()
    if not specs_dir.is_dir():
        return WazoContract.load(specs_dir)  # raises, naming the variable to set
    digest = specs_digest(specs_dir)
    packaged = _packaged_documents(digest)
    if packaged is not None:
        return _contract_from(packaged)
    if cache_dir is None:
        return WazoContract.load(specs_dir)
    cached = cache_dir / f"wazo-contract-{digest[:16]}.json"
    try:
        return _contract_from(json.loads(cached.read_text()))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as error:  # damaged: made again below
        log.warning("the cached demo PBX contract %s is unreadable (%s): rebuilding it", cached.name, error)
    contract = WazoContract.load(specs_dir)
    text = _contract_json(contract)
    if text is None:
        return contract
    try:
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.partial")
        partial.write_text(text)
        os.replace(partial, cached)
    except OSError as error:
        log.warning("cannot keep the demo PBX contract in %s: %s", cache_dir, error)
    return contract


def specs_digest(specs_dir: Path) -> str:
    """SHA-256 over the spec files' names and contents: what the merged contract depends on."""
    digest = hashlib.sha256()
    for spec_file in sorted(specs_dir.rglob("*")):
        if spec_file.is_file():
            digest.update(str(spec_file.relative_to(specs_dir)).encode() + b"\0" + spec_file.read_bytes())
    return digest.hexdigest()


def write_packaged_contract(path: Path = PACKAGED_CONTRACT) -> Path:
    """Merges and validates the packaged specs and writes the result for PACKAGED_CONTRACT (scripts/demo-contract)."""
    from callclient.demo.pbx_server.contract import PACKAGED_SPECS, WazoContract

    text = _contract_json(WazoContract.load(PACKAGED_SPECS))
    if text is None:
        raise ValueError("the merged Wazo contract does not survive JSON")
    path.write_text(f'{{"specs_sha256": "{specs_digest(PACKAGED_SPECS)}",\n"documents": {text}}}\n')
    return path


def _packaged_documents(digest: str) -> dict[str, Any] | None:
    """The shipped contract's documents if they were made from specs with this digest, else None."""
    try:
        packaged = json.loads(PACKAGED_CONTRACT.read_text())
        if packaged["specs_sha256"] == digest:
            return packaged["documents"]
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("the packaged demo PBX contract is unreadable (%s): not used", error)
    return None


def _contract_from(documents: dict[str, Any]) -> Any:
    from callclient.demo.pbx_server.contract import SERVICES, ServiceSpec, WazoContract

    return WazoContract({prefix: ServiceSpec(SERVICES[prefix], documents[prefix]) for prefix in SERVICES})


def _contract_json(contract: Any) -> str | None:
    """The contract's documents as JSON, or None when JSON cannot hold them (YAML dates, integer keys)."""
    documents = {prefix: spec.document for prefix, spec in contract.services.items()}
    text = json.dumps(documents)
    if json.loads(text) != documents:
        log.warning("the demo PBX contract does not survive JSON: not cached")
        return None
    return text


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
