"""Errors the engine raises to whoever asked it to do something."""


class EngineError(Exception):
    """Base for every error a command to the SIP engine can raise."""


class EngineNotRunning(EngineError):
    pass


class InvalidTarget(EngineError):
    """What the user asked to call is not a number, extension or SIP/tel URI."""


class UnknownAccount(EngineError):
    pass


class UnknownCall(EngineError):
    pass


class CallOperationFailed(EngineError):
    pass


class TransportFailed(EngineError):
    pass


class ForeignDomain(EngineError):
    """The target is outside the account's domain: calling it needs the user's confirmation, given with
    the full target shown, and then `make_call(..., allow_foreign_domain=True)`."""

    def __init__(self, message: str, uri: str) -> None:
        super().__init__(message)
        self.uri = uri
