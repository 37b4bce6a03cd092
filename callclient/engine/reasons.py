"""SIP status codes and pjlib errors in plain words a user can act on."""

from __future__ import annotations

# pjsip reports transport-level failures as synthetic status codes with a reason text from pjlib;
# these substrings identify a failed TLS handshake or certificate check in that text.
_TLS_MARKERS = ("ssl", "tls", "certificate", "handshake")


# pj_ssl_cert_verify_flag_t bits (pj/ssl_sock.h); the wheel exports them as pjsua2.PJ_SSL_CERT_E*.
_CERT_ISSUER_NOT_FOUND = 0x1
_CERT_UNTRUSTED = 0x2
_CERT_VALIDITY_PERIOD = 0x4
_CERT_INVALID_FORMAT = 0x8
_CERT_INVALID_PURPOSE = 0x10
_CERT_ISSUER_MISMATCH = 0x20
_CERT_CRL_FAILURE = 0x40
_CERT_REVOKED = 0x80
_CERT_CHAIN_TOO_LONG = 0x100
_CERT_WEAK_SIGNATURE = 0x200
_CERT_IDENTITY_NOT_MATCH = 0x40000000


def certificate_problem(verify_status: int, server: str) -> str:
    """What is wrong with a server's certificate, from pjsua's verification flags, and what to do.

    The most specific cause wins: a certificate can be both untrusted and for another name, and the
    name is what the user can check first.
    """
    if verify_status & _CERT_REVOKED:
        return (f"the certificate of {server} was revoked by its issuer: do not connect; "
                "tell your administrator")
    if verify_status & _CERT_VALIDITY_PERIOD:
        return (f"the certificate of {server} has expired or is not valid yet: check this computer's date and "
                "time, or ask your administrator to renew the certificate")
    if verify_status & (_CERT_ISSUER_NOT_FOUND | _CERT_UNTRUSTED | _CERT_ISSUER_MISMATCH | _CERT_CHAIN_TOO_LONG):
        return (f"certificate not trusted: {server} showed a certificate from an authority this computer does not "
                "trust; ask your administrator for the CA certificate (setting sip.tls_ca_file)")
    if verify_status & _CERT_IDENTITY_NOT_MATCH:
        return (f"certificate name mismatch: the certificate {server} showed is for another server name; check "
                "the server address in the account settings, or ask your administrator for a certificate "
                "that names it")
    if verify_status & (_CERT_WEAK_SIGNATURE | _CERT_INVALID_FORMAT | _CERT_INVALID_PURPOSE | _CERT_CRL_FAILURE):
        return (f"the certificate of {server} is not acceptable (weak signature, wrong format or purpose, or its "
                "revocation list could not be read): ask your administrator")
    return f"the certificate of {server} could not be verified: ask your administrator"


def registration_reason(code: int, reason: str, aor: str, registrar: str, certificate_status: int = 0) -> str:
    """Plain words for a failed registration. `certificate_status`: pjsua's verification flags from the
    TLS handshake with the registrar, when it failed on the certificate."""
    text = reason or ""
    lowered = text.lower()
    if any(marker in lowered for marker in _TLS_MARKERS):
        if certificate_status:
            return f"TLS failure talking to {registrar}: {certificate_problem(certificate_status, registrar)}"
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


def call_end_reason(code: int, reason: str, answered: bool, certificate_status: int = 0, server: str = "") -> str:
    if answered and code in (200, 0):
        return "call ended"
    if any(marker in (reason or "").lower() for marker in _TLS_MARKERS):
        if certificate_status:
            return f"secure connection failed: {certificate_problem(certificate_status, server or 'the server')}"
        return f"secure connection failed: {reason}"
    words = _CALL_REASONS.get(code)
    if words:
        return words
    if 400 <= code < 700:
        return f"call failed ({code} {reason})"
    return reason or "call ended"
