"""Logging for CallClient: rotating files in the platform's log directory, and one redaction filter on every handler.

The redaction filter sits on handlers, not loggers: a logger's filters only see records logged on that
very logger, while a handler's filters see every record that reaches it, from any logger, including
pjsua2's output (routed in through `PjsipLogWriter`). It strips:
- the secrets registered at run time (SIP passwords, tokens), verbatim, percent-encoded, JSON-escaped and
  as a Python repr shows them;
- Authorization, Proxy-Authorization and X-Auth-Token header values (SIP digest responses, bearer tokens);
- bearer tokens and `password=` / `"refresh_token": "..."` / `"accessToken": "..."` style pairs, whatever
  the case style of the key, and Wazo's `["password", "..."]` option pairs;
- SRTP master keys: everything after the crypto suite on SDP `a=crypto:` lines (RFC 4568 section 9.1),
  SDP `k=` lines, and the hex keys pjmedia/libsrtp print at high log levels (`TX: <suite> key=<hex>`);
- passwords in URIs (`sip:alice:secret@host`, `https://user:secret@host`, a bare `user:secret@host`).

Handlers write invalid UTF-8 from the network as backslash escapes instead of failing the record.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import sys
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pjsua2 as pj

PJSIP_LOGGER = "callclient.pjsip"
SIP_TRACE_LOGGER = "callclient.sip_trace"
LOG_FILE_NAME = "callclient.log"
SIP_TRACE_FILE_NAME = "sip-trace.log"
REDACTED = "[redacted]"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
# SIP text is bytes from the network: pjsua2 hands us a From header with invalid UTF-8 as lone surrogates
# (SWIG's surrogateescape). Strict UTF-8 made emit() raise and the line vanish from the trace; written as
# \xff escapes it stays, readable and greppable.
LOG_ENCODING_ERRORS = "backslashreplace"

# A key naming a secret: the word itself, or any snake_case, kebab-case or camelCase name ending in it
# (access_token, refreshToken, sipPassword, client-secret, X-Auth-Token, apiKey). The name must be followed
# directly by its `=` or `:` (after an optional quote), so `token_expiry_s=3600` or `tokens: 2` stay.
_SECRET_NAMES = r"[A-Za-z0-9_\-]*?(?:password|passwd|pwd|passphrase|secret|token|api_?key|credentials?)"
# A JSON string (escapes included: a quote inside the secret is \"), a Python repr, or a bare word.
_SECRET_VALUE = r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s\"'&,;}\]]+)"
# URI schemes: `sip:alice@host` is a scheme and a user, never a user and a password.
_URI_SCHEMES = frozenset({"sip", "sips", "tel", "http", "https", "wss", "ws", "mailto", "callto", "stun", "turn",
                          "turns", "urn", "data", "file"})

_PATTERNS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    # Header values run to the end of the line: a digest Authorization value holds quoted commas.
    (
        re.compile(r"\b((?:proxy-)?authorization|x-auth-token)([\"']?\s*[:=]\s*)[^\r\n]*", re.IGNORECASE),
        rf"\1\2{REDACTED}",
    ),
    (re.compile(r"\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE), rf"\1 {REDACTED}"),
    # SDES: a=crypto:<tag> <suite> <key-params> [<session-params>]; the key params carry the master key.
    (re.compile(r"(a=crypto:\s*\d+\s+\S+)[^\r\n]*", re.IGNORECASE), rf"\1 inline:{REDACTED}"),
    # SDP k= lines (RFC 4566 section 5.12: k=clear:<key>, k=base64:<key>), also inside a JSON-escaped SDP.
    (re.compile(r"(^|[\r\n]|\\[rn])(k=)(?!\[redacted)[^\r\n\\\"]*", re.MULTILINE), rf"\1\2{REDACTED}"),
    # pjmedia's transport_srtp.c logs "TX: <suite> key=<hex master key>" at level 5; libsrtp's debug output
    # says "cipher key: <hex>". Any key= / key: followed by a long hex or base64 run is a key.
    (re.compile(r"(?<![a-z])(key)(\s*[:=]\s*)[A-Za-z0-9+/]{16,}={0,2}", re.IGNORECASE), rf"\1\2{REDACTED}"),
    # A stray inline key outside an a=crypto line (SDP split across records).
    (re.compile(r"\binline:[A-Za-z0-9+/=]{16,}[^\s\r\n]*", re.IGNORECASE), f"inline:{REDACTED}"),
    # Wazo lists endpoint options as pairs: [["secret", "..."], ["password", "..."]].
    (
        re.compile(rf"(\[\s*([\"'])({_SECRET_NAMES})\2\s*,\s*)(?!\[redacted\])" + _SECRET_VALUE, re.IGNORECASE),
        lambda m: f"{m.group(1)}{_requote(m.group(4))}",
    ),
    (
        re.compile(
            # (?!\[redacted) keeps a second pass (one per handler) from redacting its own marker again.
            rf"(?<![A-Za-z0-9_\-])({_SECRET_NAMES})([\"']?\s*[:=]\s*)(?![\"']?\[redacted\])" + _SECRET_VALUE,
            re.IGNORECASE,
        ),
        lambda m: f"{m.group(1)}{m.group(2)}{_requote(m.group(3))}",
    ),
    # Passwords in URIs: scheme://user:password@host and sip:user:password@host, up to the last @ of the URI
    # (a password may itself hold one).
    (
        re.compile(r"\b([a-z][a-z0-9+.\-]*:(?://)?[^\s:@/;<>\"'\[\]]+):(?!\[redacted)[^\s<>\"']+@(?=[^\s@<>\"']+)",
                   re.IGNORECASE),
        rf"\1:{REDACTED}@",
    ),
    # ...and without a scheme: alice:secret@pbx.example.com (sip:alice@host is a scheme and a user).
    (
        re.compile(r"(?<![\w.%+:/\-])([\w.%+\-]+):(?!\[redacted)([^\s@<>\"'/]+)@(?=[\w.\-\[])"),
        lambda m: m.group(0) if m.group(1).lower() in _URI_SCHEMES else f"{m.group(1)}:{REDACTED}@",
    ),
)


def _requote(value: str) -> str:
    if value[:1] in "\"'" and value[-1:] == value[:1]:
        return f"{value[0]}{REDACTED}{value[0]}"
    return REDACTED


def _written_forms(secret: str) -> set[str]:
    """How a secret can appear in a log line besides verbatim: percent-encoded (URIs, form bodies),
    JSON-escaped (an API body logged whole, with or without \\uXXXX escapes), and in a Python repr."""
    forms = {json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1], repr(secret)[1:-1]}
    try:
        forms |= {urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret, safe="")}
    except UnicodeEncodeError:  # a lone surrogate cannot be percent-encoded; the other forms still apply
        pass
    return {form for form in forms if form}


def _network_bytes_escaped(text: str) -> str:
    """Invalid UTF-8 that arrived as lone surrogates (pjsua2/SWIG's surrogateescape) as the bytes it was:
    \\xff rather than \\udcff, so the trace shows what was on the wire."""
    if text.isascii():
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte: the handler's backslashreplace shows it
        return text


class RedactionFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) without secrets; never drops a record."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()
        self._secret_pattern: re.Pattern[str] | None = None

    def add_secret(self, secret: str) -> None:
        """Registers a secret to strip wherever it appears. Secrets are never forgotten: an old password can
        still turn up later (retransmissions, a late error), so redacting it for the life of the process is safer."""
        if not secret:
            return
        variants = {secret, *_written_forms(secret)}
        with self._lock:
            self._secrets = self._secrets | variants
            # Longest first, so a secret that contains another is replaced whole.
            alternatives = sorted(self._secrets, key=len, reverse=True)
            self._secret_pattern = re.compile("|".join(re.escape(s) for s in alternatives))

    def redact(self, text: str) -> str:
        secret_pattern = self._secret_pattern
        if secret_pattern is not None:
            text = secret_pattern.sub(REDACTED, text)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg!s} {record.args!r}"  # a bad format string must not let its arguments through
        record.msg = self.redact(_network_bytes_escaped(message))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files readable by their owner only: they name the people the user talks to."""

    def _open(self):  # type: ignore[no-untyped-def]
        return open(
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=lambda path, flags: os.open(path, flags, 0o600),
        )


class LogFiles:
    """The handlers `setup_logging` installed; lets the app add handlers, close the files, or erase them."""

    def __init__(
        self,
        directory: Path,
        redaction: RedactionFilter,
        *,
        sip_trace: bool,
        max_bytes: int,
        backup_count: int,
    ) -> None:
        self.directory = directory
        self.redaction = redaction
        self.unavailable_reason: str | None = None
        self._sip_trace = sip_trace
        self._max_bytes = max_bytes
        self._backup_count = backup_count
        self._installed: list[tuple[logging.Logger, logging.Handler]] = []

    def attach(self, handler: logging.Handler, logger_name: str = "") -> None:
        """Adds a handler (console, crash reporter, test capture) behind the same redaction filter."""
        handler.addFilter(self.redaction)
        logger = logging.getLogger(logger_name)
        logger.addHandler(handler)
        self._installed.append((logger, handler))

    def set_sip_trace(self, enabled: bool) -> None:
        """Turns the SIP trace file on or off (the configuration is read after logging starts)."""
        if enabled == self._sip_trace:
            return
        self._sip_trace = enabled
        logging.getLogger(SIP_TRACE_LOGGER).setLevel(logging.DEBUG if enabled else logging.CRITICAL + 1)
        self.close()
        self._open_files()

    def close(self) -> None:
        for logger, handler in self._installed:
            logger.removeHandler(handler)
            handler.close()
        self._installed.clear()

    def erase(self) -> None:
        """Deletes every log file CallClient wrote, then starts fresh ones."""
        self.close()
        for pattern in (f"{LOG_FILE_NAME}*", f"{SIP_TRACE_FILE_NAME}*"):
            for path in self.directory.glob(pattern):
                path.unlink(missing_ok=True)
        self._open_files()

    def _open_files(self) -> None:
        formatter = logging.Formatter(LOG_FORMAT)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            main = _PrivateRotatingFileHandler(
                self.directory / LOG_FILE_NAME,
                maxBytes=self._max_bytes,
                backupCount=self._backup_count,
                encoding="utf-8",
                errors=LOG_ENCODING_ERRORS,
            )
            trace = None
            if self._sip_trace:
                trace = _PrivateRotatingFileHandler(
                    self.directory / SIP_TRACE_FILE_NAME,
                    maxBytes=self._max_bytes,
                    backupCount=self._backup_count,
                    encoding="utf-8",
                    errors=LOG_ENCODING_ERRORS,
                )
        except OSError as error:
            # Logging must never stop the phone from working: fall back to stderr and say why.
            self.unavailable_reason = f"cannot write logs in {self.directory}: {error.strerror or error}"
            fallback = logging.StreamHandler(sys.stderr)
            fallback.setFormatter(formatter)
            self.attach(fallback)
            logging.getLogger(__name__).warning("%s; logging to standard error instead", self.unavailable_reason)
            return
        main.setFormatter(formatter)
        self.attach(main)
        if trace is not None:
            trace.setFormatter(formatter)
            self.attach(trace, SIP_TRACE_LOGGER)


def setup_logging(
    log_dir: Path,
    redaction: RedactionFilter,
    *,
    level: int = logging.INFO,
    sip_trace: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backup_count: int = DEFAULT_BACKUP_COUNT,
) -> LogFiles:
    """Installs CallClient's log files under `log_dir` (platformdirs' user_log_dir, from AppPaths).

    The SIP trace (full SIP messages, still redacted) goes to its own file and only when asked for, since
    it holds every number dialled.
    """
    root = logging.getLogger()
    root.setLevel(level)
    # Handlers someone installed before us, and the last-resort stderr handler used when a record finds
    # no handler, get the same filter: every path out of logging passes it.
    for handler in root.handlers:
        handler.addFilter(redaction)
    if logging.lastResort is not None:
        logging.lastResort.addFilter(redaction)
    trace_logger = logging.getLogger(SIP_TRACE_LOGGER)
    trace_logger.propagate = False
    trace_logger.setLevel(logging.DEBUG if sip_trace else logging.CRITICAL + 1)
    files = LogFiles(log_dir, redaction, sip_trace=sip_trace, max_bytes=max_bytes, backup_count=backup_count)
    files._open_files()
    return files


_PJ_LEVELS = {0: logging.CRITICAL, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO}
_PJ_TRACE_LEVEL = 4


class PjsipLogWriter(pj.LogWriter):
    """Routes pjsua2's own log output into Python logging (logger "callclient.pjsip"), through the redaction filter.

    Install it as `EpConfig.logConfig.writer` and keep a reference for the endpoint's lifetime: pjsua2 holds
    only a raw pointer. pjsua2 calls `write` from its own threads; logging is thread-safe.
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        super().__init__()
        self._logger = logger if logger is not None else logging.getLogger(PJSIP_LOGGER)
        self._trace = logging.getLogger(SIP_TRACE_LOGGER)

    def write(self, entry: pj.LogEntry) -> None:
        if entry.level >= _PJ_TRACE_LEVEL:
            # pjsip's message dumps ("TX 812 bytes Request msg INVITE ...") and its chattiest detail belong
            # in the SIP trace, which only exists when the user asked for it.
            self._trace.debug("%s", entry.msg.rstrip("\r\n"))
            return
        level = _PJ_LEVELS.get(entry.level, logging.DEBUG)
        self._logger.log(level, "%s", entry.msg.rstrip("\r\n"))
