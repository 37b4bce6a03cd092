"""Shared fixtures for the directory tests: the spec-checked test PBX (with its dird routes) from tests/pbx."""

from tests.pbx.conftest import (  # noqa: F401 - pytest finds fixtures by name in this module
    events,
    make_service,
    pbx,
    service,
    wazo_contract,
)
from tests.services.conftest import core_home  # noqa: E402,F401 - a whole Core in a home of its own
