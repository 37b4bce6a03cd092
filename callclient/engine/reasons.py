"""SIP status codes and pjlib errors in plain words a user can act on."""

from __future__ import annotations

# pjsip reports transport-level failures as synthetic status codes with a reason text from pjlib;
# these substrings identify a failed TLS handshake or certificate check in that text.
_TLS_MARKERS = ("ssl", "tls", "certificate", "handshake")


def registration_reason(code: int, reason: str, aor: str, registrar: str) -> str:
    text = reason or ""
    lowered = text.lower()
    if any(marker in lowered for marker in _TLS_MARKERS):
        return f"TLS failure talking to {registrar}: {text}"
    if code in (401, 407):
        return f"wrong password for {aor} ({code} {text or 'Unauthorized'})"
    if code == 403:
        return f"the registrar at {registrar} refused {aor} (403 Forbidden): check the user name and password"
    if code == 404:
        return f"{registrar} does not know {aor} (404 Not Found): check the user name and domain"
    if code in (408, 503) or code == 0:
        return f"{registrar} is unreachable ({code} {text or 'no answer'})"
    if code == 423:
        return f"{registrar} wants a longer registration interval (423 Interval Too Brief)"
    if 500 <= code < 600:
        return f"{registrar} has a problem ({code} {text})"
    return f"registration failed ({code} {text})"


def is_credentials_failure(code: int, reason: str) -> bool:
    return code in (401, 403, 407) and not any(m in (reason or "").lower() for m in _TLS_MARKERS)


_CALL_REASONS = {
    200: "call ended",
    404: "number not found",
    408: "no answer",
    480: "unavailable",
    486: "busy",
    487: "cancelled",
    488: "the far end cannot accept the call's media (codec or encryption mismatch)",
    500: "the phone system had a problem",
    503: "the phone system is unreachable",
    600: "busy everywhere",
    603: "declined",
}


def call_end_reason(code: int, reason: str, answered: bool) -> str:
    if answered and code in (200, 0):
        return "call ended"
    if any(marker in (reason or "").lower() for marker in _TLS_MARKERS):
        return f"secure connection failed: {reason}"
    words = _CALL_REASONS.get(code)
    if words:
        return words
    if 400 <= code < 700:
        return f"call failed ({code} {reason})"
    return reason or "call ended"
