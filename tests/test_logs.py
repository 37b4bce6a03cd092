"""Logging: files in the log directory with rotation, pjsua2 routed in, and no secret ever written out."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pjsua2 as pj
import pytest

from callclient.logs import (
    LOG_FILE_NAME,
    PJSIP_LOGGER,
    REDACTED,
    SIP_TRACE_FILE_NAME,
    SIP_TRACE_LOGGER,
    LogFiles,
    PjsipLogWriter,
    RedactionFilter,
    setup_logging,
)

SIP_PASSWORD = "Tr0ub4dor&3-sip"
ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
REFRESH_TOKEN = "rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
SRTP_KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

SIP_REGISTER = (
    "REGISTER sip:pbx.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n"
    "From: <sip:alice@pbx.example.com>;tag=1928301774\r\n"
    'Authorization: Digest username="alice", realm="pbx.example.com", nonce="dcd98b7102dd2f0e",'
    ' uri="sip:pbx.example.com", response="6629fae49393a05397450978507c4ef1", algorithm=MD5\r\n'
    "Content-Length: 0\r\n"
)
SDP_OFFER = (
    "v=0\r\n"
    "m=audio 49170 RTP/SAVP 0\r\n"
    f"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{SRTP_KEY}|2^20|1:32\r\n"
    f"a=crypto:2 AES_256_CM_HMAC_SHA1_80 inline:{SRTP_KEY}{SRTP_KEY}\r\n"
)


@pytest.fixture
def redaction() -> RedactionFilter:
    redaction = RedactionFilter()
    redaction.add_secret(SIP_PASSWORD)
    return redaction


@pytest.fixture
def clean_logging() -> Iterator[None]:
    """setup_logging changes process-wide logging; put it back for the next test."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    trace = logging.getLogger(SIP_TRACE_LOGGER)
    saved_trace = (trace.level, trace.propagate)
    saved_last_resort_filters = list(logging.lastResort.filters) if logging.lastResort else []
    yield
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for handler in saved_handlers:
        for added in [f for f in handler.filters if isinstance(f, RedactionFilter)]:
            handler.removeFilter(added)
    trace.setLevel(saved_trace[0])
    trace.propagate = saved_trace[1]
    if logging.lastResort is not None:
        logging.lastResort.filters[:] = saved_last_resort_filters


@pytest.fixture
def log_files(tmp_path: Path, redaction: RedactionFilter, clean_logging: None) -> Iterator[LogFiles]:
    files = setup_logging(tmp_path / "log", redaction, level=logging.DEBUG, sip_trace=True)
    yield files
    files.close()


def _all_log_text(directory: Path) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in sorted(directory.glob("*")) if path.is_file())


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (SIP_REGISTER, "6629fae49393a05397450978507c4ef1"),
        ('Proxy-Authorization: Digest username="alice", response="0a4f113b"', "0a4f113b"),
        (f"GET /api/users/me HTTP/1.1\r\nX-Auth-Token: {ACCESS_TOKEN}\r\n", ACCESS_TOKEN),
        (f"headers={{'Authorization': 'Bearer {ACCESS_TOKEN}'}}", ACCESS_TOKEN),
        (f"calling API with Bearer {ACCESS_TOKEN} now", ACCESS_TOKEN),
        (f'token response {{"access_token": "{ACCESS_TOKEN}", "refresh_token": "{REFRESH_TOKEN}"}}', REFRESH_TOKEN),
        (f"refresh_token={REFRESH_TOKEN}&grant_type=refresh_token", REFRESH_TOKEN),
        ("account config: id=alice password=hunter2 realm=*", "hunter2"),
        ('{"username": "alice", "password": "correct horse battery"}', "horse battery"),
        (SDP_OFFER, SRTP_KEY),
        (f"srtp: negotiated inline:{SRTP_KEY} for call 3", SRTP_KEY),
        ("srtp0x1f: TX: AES_CM_128_HMAC_SHA1_80 key=0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e", "0b1c2d3e4f5a6b7c"),
        ("srtp: cipher key: 00112233445566778899aabbccddeeff", "00112233445566778899"),
        ("dialing sip:alice:s3cretpw@pbx.example.com", "s3cretpw"),
        ("fetching https://alice:s3cretpw@pbx.example.com/api", "s3cretpw"),
        (f"registration failed for alice with {SIP_PASSWORD}", SIP_PASSWORD),
        ("percent-encoded: pw%3D" + "Tr0ub4dor%263-sip", "Tr0ub4dor%263-sip"),
    ],
    ids=[
        "sip-authorization",
        "proxy-authorization",
        "x-auth-token",
        "authorization-in-dict",
        "bearer",
        "json-tokens",
        "form-refresh-token",
        "password-pair",
        "quoted-password-with-spaces",
        "sdp-crypto",
        "stray-inline-key",
        "pjmedia-srtp-key",
        "libsrtp-cipher-key",
        "sip-uri-password",
        "url-password",
        "registered-secret",
        "registered-secret-percent-encoded",
    ],
)
def test_redaction_strips_the_secret(redaction: RedactionFilter, text: str, secret: str) -> None:
    redacted = redaction.redact(text)
    assert secret not in redacted
    assert REDACTED in redacted


def test_redaction_keeps_what_is_needed_to_debug(redaction: RedactionFilter) -> None:
    redacted = redaction.redact(SIP_REGISTER + SDP_OFFER)
    assert "REGISTER sip:pbx.example.com SIP/2.0" in redacted
    assert "From: <sip:alice@pbx.example.com>;tag=1928301774" in redacted
    assert "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[redacted]" in redacted
    assert "Content-Length: 0" in redacted
    assert redaction.redact('WWW-Authenticate: Digest realm="pbx", nonce="abc"') == (
        'WWW-Authenticate: Digest realm="pbx", nonce="abc"'
    )
    assert redaction.redact("sip:alice@192.0.2.1:5060;transport=tls") == "sip:alice@192.0.2.1:5060;transport=tls"
    assert redaction.redact("token_expiry_s=3600") == "token_expiry_s=3600"


def test_a_secret_registered_later_is_stripped_from_then_on(redaction: RedactionFilter) -> None:
    assert "new-pw-7781" in redaction.redact("using new-pw-7781")
    redaction.add_secret("new-pw-7781")
    assert "new-pw-7781" not in redaction.redact("using new-pw-7781")


def test_records_from_any_logger_reach_the_file_without_secrets(log_files: LogFiles, tmp_path: Path) -> None:
    logging.getLogger("some.third.party").warning("login with %s failed", SIP_PASSWORD)
    logging.getLogger("callclient.pbx").info("token reply %s", {"refresh_token": REFRESH_TOKEN})
    logging.getLogger(PJSIP_LOGGER).debug("%s", SIP_REGISTER + SDP_OFFER)

    text = _all_log_text(tmp_path / "log")
    assert "login with [redacted] failed" in text
    assert "REGISTER sip:pbx.example.com" in text
    for secret in (SIP_PASSWORD, REFRESH_TOKEN, SRTP_KEY, "6629fae49393a05397450978507c4ef1"):
        assert secret not in text


def test_exception_tracebacks_are_redacted(log_files: LogFiles, tmp_path: Path) -> None:
    try:
        raise RuntimeError(f"server said: bad refresh_token={REFRESH_TOKEN}")
    except RuntimeError:
        logging.getLogger("callclient.pbx").exception("refreshing failed")

    text = _all_log_text(tmp_path / "log")
    assert "RuntimeError: server said: bad refresh_token=[redacted]" in text
    assert REFRESH_TOKEN not in text


def test_handlers_added_later_and_the_last_resort_handler_pass_the_same_filter(
    log_files: LogFiles,
) -> None:
    console = io.StringIO()
    log_files.attach(logging.StreamHandler(console))
    logging.getLogger("callclient.engine").warning("password=%s", SIP_PASSWORD)
    assert "password=[redacted]" in console.getvalue()

    assert logging.lastResort is not None and log_files.redaction in logging.lastResort.filters
    isolated = logging.getLogger("isolated.no.handlers")
    isolated.propagate = False
    try:
        record = isolated.makeRecord(isolated.name, logging.ERROR, __file__, 1, "pw %s", (SIP_PASSWORD,), None)
        assert logging.lastResort.filter(record)
        assert SIP_PASSWORD not in record.getMessage()
    finally:
        isolated.propagate = True


def test_the_sip_trace_goes_to_its_own_file_redacted(log_files: LogFiles, tmp_path: Path) -> None:
    logging.getLogger(SIP_TRACE_LOGGER).debug("sent:\n%s", SIP_REGISTER)

    trace = (tmp_path / "log" / SIP_TRACE_FILE_NAME).read_text(encoding="utf-8")
    main = (tmp_path / "log" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "REGISTER sip:pbx.example.com" in trace
    assert "6629fae49393a05397450978507c4ef1" not in trace
    assert "REGISTER sip:pbx.example.com" not in main


def test_the_sip_trace_is_off_unless_asked_for(tmp_path: Path, redaction: RedactionFilter, clean_logging: None) -> None:
    files = setup_logging(tmp_path / "log", redaction, level=logging.DEBUG)
    try:
        logging.getLogger(SIP_TRACE_LOGGER).debug("sent:\n%s", SIP_REGISTER)
    finally:
        files.close()
    assert not (tmp_path / "log" / SIP_TRACE_FILE_NAME).exists()
    assert "REGISTER" not in _all_log_text(tmp_path / "log")


def test_logs_rotate_and_keep_a_bounded_number_of_files(
    tmp_path: Path, redaction: RedactionFilter, clean_logging: None
) -> None:
    files = setup_logging(tmp_path / "log", redaction, max_bytes=2_000, backup_count=2)
    try:
        for n in range(200):
            logging.getLogger("callclient").info("line %d %s", n, "x" * 50)
    finally:
        files.close()
    names = sorted(path.name for path in (tmp_path / "log").iterdir())
    assert names == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
    assert all((tmp_path / "log" / name).stat().st_size <= 2_100 for name in names)
    assert "line 199" in (tmp_path / "log" / LOG_FILE_NAME).read_text(encoding="utf-8")


def test_log_files_are_private_to_the_user(log_files: LogFiles, tmp_path: Path) -> None:
    logging.getLogger("callclient").info("hello")
    assert (tmp_path / "log" / LOG_FILE_NAME).stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "log").stat().st_mode & 0o777 == 0o700


def test_erase_deletes_every_log_file_and_logging_goes_on(log_files: LogFiles, tmp_path: Path) -> None:
    logging.getLogger("callclient").info("before erase: alice called 5550100")
    logging.getLogger(SIP_TRACE_LOGGER).debug("INVITE sip:5550100@pbx")

    log_files.erase()
    logging.getLogger("callclient").info("after erase")

    text = _all_log_text(tmp_path / "log")
    assert "5550100" not in text
    assert "after erase" in text


def test_an_unwritable_log_directory_falls_back_to_stderr_and_says_why(
    tmp_path: Path, redaction: RedactionFilter, clean_logging: None
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the log directory should be")
    files = setup_logging(blocker / "log", redaction)
    try:
        assert files.unavailable_reason is not None
        assert str(blocker / "log") in files.unavailable_reason
    finally:
        files.close()


def test_pjsip_log_entries_are_forwarded_with_their_level_and_message_dumps_go_to_the_sip_trace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    writer = PjsipLogWriter()
    caplog.set_level(logging.DEBUG, logger=PJSIP_LOGGER)
    caplog.set_level(logging.DEBUG, logger=SIP_TRACE_LOGGER)
    trace = logging.getLogger(SIP_TRACE_LOGGER)
    propagates = trace.propagate
    trace.propagate = False  # as setup_logging leaves it: trace records go only to the trace file
    trace.addHandler(caplog.handler)
    try:
        for level, text in [(1, "an error"), (2, "a warning"), (3, "some info"), (4, "TX 812 bytes Request msg"),
                            (5, "deep detail")]:
            entry = pj.LogEntry()
            entry.level = level
            entry.msg = f"12:00:00.000 pjsua_core.c  {text}\n"
            writer.write(entry)
    finally:
        trace.removeHandler(caplog.handler)
        trace.propagate = propagates

    assert [(r.name, r.levelno) for r in caplog.records] == [
        (PJSIP_LOGGER, logging.ERROR),
        (PJSIP_LOGGER, logging.WARNING),
        (PJSIP_LOGGER, logging.INFO),
        (SIP_TRACE_LOGGER, logging.DEBUG),
        (SIP_TRACE_LOGGER, logging.DEBUG),
    ]
    assert [r.getMessage() for r in caplog.records][-1] == "12:00:00.000 pjsua_core.c  deep detail"


def test_a_real_pjsua2_endpoint_logs_through_the_redaction_filter(tmp_path: Path) -> None:
    # A separate process: pjsua2 allows one Endpoint per process, and the engine tests own theirs.
    script = textwrap.dedent(
        f"""
        import logging
        from pathlib import Path
        import pjsua2 as pj
        from callclient.logs import PjsipLogWriter, RedactionFilter, setup_logging

        redaction = RedactionFilter()
        redaction.add_secret({SIP_PASSWORD!r})
        files = setup_logging(Path({str(tmp_path / "log")!r}), redaction, level=logging.DEBUG, sip_trace=True)
        writer = PjsipLogWriter()
        endpoint = pj.Endpoint()
        endpoint.libCreate()
        config = pj.EpConfig()
        config.logConfig.writer = writer
        config.logConfig.level = 5
        config.logConfig.consoleLevel = 5
        config.uaConfig.threadCnt = 0
        config.medConfig.threadCnt = 0
        endpoint.libInit(config)
        endpoint.audDevManager().setNullDev()
        endpoint.utilLogWrite(3, "probe.c", "sending password {SIP_PASSWORD}")
        endpoint.utilLogWrite(4, "probe.c", {SDP_OFFER!r})
        endpoint.libDestroy()
        files.close()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = _all_log_text(tmp_path / "log")
    assert "callclient.pjsip" in text and "probe.c" in text
    assert "sending password [redacted]" in text
    assert "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[redacted]" in text
    for secret in (SIP_PASSWORD, SRTP_KEY):
        assert secret not in text
        assert secret not in result.stdout and secret not in result.stderr


def test_redaction_is_idempotent_across_handlers() -> None:
    redaction = RedactionFilter()
    text = 'token=abc123 password="hunter2" Authorization: Digest response="x" a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:KEY'
    once = redaction.redact(text)
    assert redaction.redact(once) == once
    assert "]]" not in once
