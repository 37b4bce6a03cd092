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
