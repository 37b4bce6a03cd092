"""The privacy suite's instruments, shown to see what they are there to see: a suite that cannot fail proves nothing."""

from __future__ import annotations

import base64
import socket
import urllib.parse
from pathlib import Path

from tests.privacy.observers import (Audit, ProcessWatch, encodings, find_secrets, sip_trace_lookups,
                                     sip_trace_peers)

SRTP_KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"  # base64 of a 30-byte SDES master key and salt


def test_the_search_finds_secrets_in_any_encoding_in_nested_binary_files_and_log_lines(tmp_path: Path) -> None:
    secrets = {"password": encodings("p@ss word/1"), "SRTP key": encodings(SRTP_KEY, binary_key=True)}
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "store.bin").write_bytes(b"\x00\xff" + base64.b64encode(b"p@ss word/1") + b"\x00")
    key_hex = base64.b64decode(SRTP_KEY).hex().encode()
    (tmp_path / "trace.log").write_bytes(b"TX: AES_CM_128_HMAC_SHA1_80 key=" + key_hex)
    (tmp_path / "clean.txt").write_bytes(b"nothing to see")
    lines = [f"GET /login?pw={urllib.parse.quote('p@ss word/1', safe='')}", "a=crypto:1 AES_CM_128 inline:[redacted]"]

    findings = find_secrets(secrets, sorted(p for p in tmp_path.rglob("*") if p.is_file()), lines)

    assert {(f.secret_name, "log" if f.where.startswith("log line") else Path(f.where).name) for f in findings} == {
        ("password", "store.bin"), ("SRTP key", "trace.log"), ("password", "log")}


def test_the_audit_and_the_process_watch_see_a_connection_and_a_file_opened_for_writing(tmp_path: Path) -> None:
    audit = Audit.install()
    watch = ProcessWatch()
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        watch.start()
        audit.on = True
        try:
            with socket.create_connection(("127.0.0.1", port)) as client, server.accept()[0], \
                    (tmp_path / "written.txt").open("w"):
                client.sendall(b"x")
                watch.sample()
        finally:
            audit.on = False
            watch.finish()

    assert ("127.0.0.1", port, socket.SOCK_STREAM) in watch.remote
    assert not any(remote_port != port for _, remote_port, _ in watch.remote), "the accepted side is not ours"
    assert str(tmp_path / "written.txt") in watch.files
    assert ("socket.connect", ("127.0.0.1", port)) in audit.connects
    assert "127.0.0.1" in audit.lookups
    assert str(tmp_path / "written.txt") in audit.written


def test_the_sip_trace_names_each_message_peer_and_each_name_resolved() -> None:
    trace = "\n".join([
        "sip_resolve.c ..Target 'pbx.example.com:0' type=UDP resolved to '192.0.2.7:5060' type=UDP (UDP transport)",
        "pjsua_core.c ..TX 547 bytes Request msg REGISTER/cseq=1 (tdta0x7fbc2808a8d8) to UDP 192.0.2.7:5060:",
        "pjsua_core.c .RX 503 bytes Response msg 200/INVITE/cseq=2 (rdata0x7f02) from TLS6 [2001:db8::5]:5061:",
    ])

    assert sip_trace_peers(trace) == {("udp", "192.0.2.7", 5060), ("tls", "2001:db8::5", 5061)}
    assert sip_trace_lookups(trace) == {"pbx.example.com"}
