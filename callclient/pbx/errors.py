"""Errors a PBX backend raises: each names the PBX host and says what the user can do about it."""

from __future__ import annotations


class PbxError(Exception):
    """Base of every PBX-service error; `host` is the PBX the request went to."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(message)
        self.host = host


class PbxUnauthorized(PbxError):
    """401: the credentials or the token were refused."""

    def __init__(self, host: str, detail: str = "") -> None:
        super().__init__(host, f"{host} refused the sign-in: wrong email/username or password{_detail(detail)}.")


class SignInRequired(PbxUnauthorized):
    """The session was revoked or expired beyond renewal: the user must type their password again."""

    def __init__(self, host: str, detail: str = "") -> None:
        PbxError.__init__(self, host, f"Your session on {host} has ended{_detail(detail)}; please sign in again.")


class PbxForbidden(PbxError):
    """403: signed in, but this account may not do that."""

    def __init__(self, host: str, what: str) -> None:
        super().__init__(
            host, f"{host} does not allow this account to {what} (403 Forbidden); ask your PBX administrator."
        )


class PbxNotFound(PbxError):
    """404: the thing asked for does not exist (any more) on the PBX."""

    def __init__(self, host: str, what: str) -> None:
        super().__init__(
            host, f"Could not {what}: {host} does not have it (404 Not Found); it may have been deleted elsewhere."
        )


class PbxServerError(PbxError):
    """5xx: the PBX failed; retrying later may help."""

    def __init__(self, host: str, status: int, what: str) -> None:
        super().__init__(host, f"{host} failed to {what} ({status} server error); try again later.")
        self.status = status


class PbxTlsError(PbxError):
    """The PBX's certificate could not be verified: we refuse to talk to it."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(
            host,
            f"The certificate of {host} could not be verified ({reason}). Check the server address, or ask your "
            "administrator for the CA certificate to trust.",
        )


class PbxUnreachable(PbxError):
    """No answer from the PBX (network down, server stopped, DNS): the app works offline meanwhile."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(host, f"{host} cannot be reached ({reason}); showing what was last fetched.")


class PbxTimeout(PbxUnreachable):
    """The PBX did not answer in time."""

    def __init__(self, host: str, seconds: float) -> None:
        PbxError.__init__(self, host, f"{host} did not answer within {seconds:g} s; showing what was last fetched.")


class PbxBadResponse(PbxError):
    """The PBX answered with something that is not what its API documents (junk, wrong shape)."""

    def __init__(self, host: str, what: str, problem: str, status: int | None = None) -> None:
        super().__init__(host, f"{host} sent an unreadable answer to {what} ({problem}); try again later.")
        self.status = status  # the HTTP status when the PBX answered with an undocumented one


class PbxApiRequired(PbxError):
    """This feature needs the PBX's API, which is not configured (SIP-only mode)."""

    def __init__(self, host: str, feature: str) -> None:
        super().__init__(
            host or "this PBX", f"{feature} needs the PBX API; set up a PBX API address in the account settings."
        )


def _detail(detail: str) -> str:
    return f" ({detail})" if detail else ""
