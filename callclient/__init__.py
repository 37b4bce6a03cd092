"""CallClient: a desktop SIP softphone for business phone systems."""

__version__ = "0.1.0"
APP_NAME = "CallClient"
