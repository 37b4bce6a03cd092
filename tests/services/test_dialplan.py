"""The dial plan (dialplan.*), applied where every caller places calls: CallActions.place_call."""

from __future__ import annotations

import pytest

from callclient.services.dialplan import DialPlan
from callclient.services.types import CallEnded
from tests.fixtures.kamailio import Kamailio
from tests.services.conftest import CoreHome, account_toml, news, registered


@pytest.mark.parametrize(("typed", "dialled"), [
    ("1002", "1002"),  # an extension: as typed
    ("112", "112"),  # an emergency number: always as typed
    ("0612345678", "00612345678"),  # an outside number: the prefix first
    ("+33 1 23 45 67 89", "00123456789"),  # E.164 in the region: national form, then the prefix
    ("+1 (415) 555-0100", "00014155550100"),  # elsewhere: the prefix, then the international form
    ("sip:bob@pbx.example.com", "sip:bob@pbx.example.com"),
])
def test_the_dial_plan_rewrites_what_is_typed(typed: str, dialled: str) -> None:
    assert DialPlan(outside_line_prefix="0", emergency_numbers=("112", "911"), region="FR").dial_string(typed) == dialled


def test_without_a_region_an_e164_number_goes_out_as_is_and_emergency_numbers_never_get_a_prefix() -> None:
    plan = DialPlan(outside_line_prefix="9", emergency_numbers=("911",), region="")
    assert plan.dial_string("+33123456789") == "+33123456789"
    assert plan.dial_string("911") == "911"
    assert plan.dial_string("5551234567") == "95551234567"


def test_a_pushed_dial_plan_reaches_the_next_call_placed(core_home: CoreHome, kamailio: Kamailio) -> None:
    core_home.config_file.write_text(account_toml(kamailio, "erin"))
    core_home.set_password("erin", "erin")
    core = core_home.start()
    events = news(core)
    registered(core, "erin")
    core.services.settings.change({"dialplan.outside_line_prefix": "0", "dialplan.region": "FR"}, by="a test")
    for typed, dialled in (("+33 1 23 45 67 89", "00123456789"), ("112", "112"), ("1002", "1002")):
        call_id = core.services.calls.place_call(typed, "erin").result(10)
        ended = events.wait(CallEnded, timeout=15, call_id=call_id)  # nobody answers these on the test PBX
        assert ended.remote.number == dialled, f"{typed} was dialled as {ended.remote.number}"
