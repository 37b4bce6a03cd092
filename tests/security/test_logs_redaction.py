"""Secrets in the shapes the redaction filter missed (item 11), and hostile bytes in SIP text (item 22).

The redaction cases go through the real logging setup: a record logged the way CallClient logs it,
then the files on disk are searched for the secret.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from callclient.logs import REDACTED, RedactionFilter

REPO = Path(__file__).resolve().parents[2]
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmVk"
QUOTY_PASSWORD = 'pa"ss\\wo\'rd-91'  # quotes and a backslash: JSON writes it as pa\"ss\\wo'rd-91


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (json.dumps({"accessToken": TOKEN, "expiresAt": "2026-11-29T16:00:00Z"}), TOKEN),
        (json.dumps({"refreshToken": "rt-5581-zz-00aa"}), "rt-5581-zz-00aa"),
        (json.dumps({"sipPassword": "Summer2026!x"}), "Summer2026!x"),
        ("line={'clientSecret': 'cs-aa77-bb88'}", "cs-aa77-bb88"),
        ("sip-password: hunter22", "hunter22"),
        (json.dumps({"options": [["secret", "s1p-0pt-secret"], ["type", "friend"]]}), "s1p-0pt-secret"),
        (json.dumps({"options": [["password", "wazo pass word"]]}), "wazo pass word"),
        (json.dumps({"password": 'a"quoted\\secret'}), "quoted"),
        ("connecting to alice:s3cr3t-pw@pbx.example.com:5061", "s3cr3t-pw"),
        ("fetching https://alice:p@ss/w0rd@pbx.example.com/api", "ss/w0rd"),
        ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nk=clear:0xDEADBEEFkey\r\nm=audio 4000 RTP/AVP 0\r\n", "DEADBEEF"),
        ("v=0\r\nk=base64:c2VjcmV0a2V5MTIz\r\n", "c2VjcmV0a2V5MTIz"),
        (json.dumps({"sdp": "v=0\r\nk=clear:0xDEADBEEFkey\r\nm=audio 4000 RTP/AVP 0\r\n"}), "DEADBEEF"),
        ("a=CRYPTO:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20", "WVNfX19z"),
    ],
    ids=["camel-access-token", "camel-refresh-token", "camel-sip-password", "repr-client-secret",
         "kebab-sip-password", "wazo-secret-pair", "wazo-password-pair", "json-escaped-quote-in-value",
         "bare-userinfo", "url-password-with-at-and-slash", "sdp-k-clear", "sdp-k-base64", "json-escaped-sdp-k",
         "sdp-crypto-upper-case"],
)
def test_the_secret_shapes_the_review_found_are_redacted(text: str, secret: str) -> None:
    redacted = RedactionFilter().redact(text)
    assert secret not in redacted
    assert REDACTED in redacted


def test_a_registered_secret_with_quotes_is_redacted_as_json_and_repr_write_it() -> None:
    redaction = RedactionFilter()
    redaction.add_secret(QUOTY_PASSWORD)
    for written in (json.dumps({"pw": QUOTY_PASSWORD}), repr({"pw": QUOTY_PASSWORD}),
                    json.dumps({"note": f"the password is {QUOTY_PASSWORD}"}),
                    json.dumps({"note": "mot de passe é " + QUOTY_PASSWORD})):
        redacted = redaction.redact(written)
        assert "ss\\\\wo" not in redacted and "ss\\wo" not in redacted, redacted
        assert "wo'rd-91" not in redacted, redacted


def test_what_debugging_needs_is_kept() -> None:
    redaction = RedactionFilter()
    for kept in ("From: <sip:alice@pbx.example.com>;tag=1928301774",
                 "Contact: <sip:alice@192.0.2.10:5060;transport=tls>",
                 "sips:1002@pbx.example.com:5061", "token_expiry_s=3600", '{"expiresAt": 3600, "tokens": 2}',
                 "m=audio 4000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000"):
        assert redaction.redact(kept) == kept


def test_redacting_twice_changes_nothing_more() -> None:
    redaction = RedactionFilter()
    text = json.dumps({"accessToken": TOKEN, "options": [["password", "x-y-z"]]}) + " alice:pw9@host k=clear:ab"
    once = redaction.redact(text)
    assert redaction.redact(once) == once


# A child process so the app's logging setup is the only one: stderr then shows any "--- Logging error ---".
HOSTILE_INVITE = textwrap.dedent("""
    import logging, sys, types
    from pathlib import Path
    from callclient.logs import PjsipLogWriter, RedactionFilter, setup_logging
    redaction = RedactionFilter()
    files = setup_logging(Path(sys.argv[1]), redaction, level=logging.DEBUG, sip_trace=True)
    # pjsua2 hands invalid UTF-8 over as lone surrogates (SWIG decodes char* with surrogateescape).
    from_header = b"From: \\"\\xff\\xfeEvil\\xc3\\" <sip:evil@192.0.2.66>;tag=77".decode("utf-8", "surrogateescape")
    writer = PjsipLogWriter()
    for name in ("INVITE", "180 Ringing", "CANCEL"):
        writer.write(types.SimpleNamespace(level=5, msg=f"RX 512 bytes {name} from UDP 192.0.2.66:5060:\\r\\n"
                                                          f"{from_header}\\r\\n"))
    writer.write(types.SimpleNamespace(level=3, msg=f"Incoming call {from_header}"))
    logging.getLogger("callclient.engine").warning("call from %s rejected", from_header)
    files.close()
""")


def test_non_utf8_sip_text_is_logged_escaped_and_never_breaks_the_trace(tmp_path: Path) -> None:
    log_dir = tmp_path / "log"
    done = subprocess.run([sys.executable, "-c", HOSTILE_INVITE, str(log_dir)], capture_output=True, text=True,
                          timeout=60, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert "Logging error" not in done.stderr
    trace = (log_dir / "sip-trace.log").read_text(encoding="utf-8")
    for name in ("INVITE", "180 Ringing", "CANCEL"):
        assert f"RX 512 bytes {name} from UDP" in trace
    assert trace.count('From: "\\xff\\xfeEvil\\xc3" <sip:evil@192.0.2.66>;tag=77') == 3
    main = (log_dir / "callclient.log").read_text(encoding="utf-8")
    assert 'Incoming call From: "\\xff\\xfeEvil\\xc3"' in main
    assert "call from From:" in main and "rejected" in main
