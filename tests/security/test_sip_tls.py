"""Issue 12 item 10: the SIP TLS ClientHello offers only forward-secret AEAD suites, and TLS registration
against Kamailio still works with them."""

from __future__ import annotations

import socket
import struct
import threading

from callclient.engine import EngineSettings, SipEngine
from callclient.engine.endpoint import FORWARD_SECRET_CIPHERS
from callclient.engine.events import RegistrationChanged, RegistrationState
from tests.engine.conftest import account_for
from tests.fixtures.engine_events import Events
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.tls import Pki

_RENEGOTIATION_SCSV = 0x00FF  # RFC 5746 signalling value, not a cipher suite


def offered_suites(client_hello: bytes) -> list[int]:
    """Cipher suites of a TLS ClientHello record (RFC 5246 7.4.1.2)."""
    assert client_hello[0] == 22, "a handshake record"
    body = client_hello[5:]
    assert body[0] == 1, "a ClientHello"
    at = 4 + 2 + 32  # handshake header, client_version, random
    at += 1 + body[at]  # session_id
    (length,) = struct.unpack("!H", body[at:at + 2])
    suites = body[at + 2:at + 2 + length]
    return [code for (code,) in struct.iter_unpack("!H", suites)]


def capture_client_hello(listener: socket.socket, into: list[bytes], done: threading.Event) -> None:
    try:
        conn, _ = listener.accept()
        with conn:
            conn.settimeout(10)
            data = b""
            while len(data) < 5 or len(data) < 5 + struct.unpack("!H", data[3:5])[0]:
                chunk = conn.recv(65535)
                if not chunk:
                    break
                data += chunk
            into.append(data)
    finally:
        done.set()


def test_the_client_hello_offers_only_forward_secret_aead_suites(pki: Pki, kamailio: Kamailio) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    hello: list[bytes] = []
    done = threading.Event()
    threading.Thread(target=capture_client_hello, args=(listener, hello, done), daemon=True).start()
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2))
    sip.start()
    try:
        sip.add_account(account_for(kamailio, "erin", "tls", registrar=f"127.0.0.1:{port}",
                                    outbound_proxy="")).result(5)
        assert done.wait(15), "the engine never opened a TLS connection"
    finally:
        sip.stop()
        listener.close()
    suites = [s for s in offered_suites(hello[0]) if s != _RENEGOTIATION_SCSV]
    assert suites, "no cipher suite offered"
    weak = [hex(s) for s in suites if s not in FORWARD_SECRET_CIPHERS]
    assert not weak, f"suites without forward secrecy or AEAD offered: {weak}"


def test_tls_registration_with_kamailio_still_works(pki: Pki, kamailio: Kamailio) -> None:
    sip = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=2))
    sip.start()
    try:
        events = Events(sip.subscribe())
        sip.add_account(account_for(kamailio, "erin", "tls")).result(5)
        events.wait(RegistrationChanged, account_id="erin-tls", state=RegistrationState.REGISTERED)
    finally:
        sip.stop()
