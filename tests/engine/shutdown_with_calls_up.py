"""Run as a separate process by test_lifecycle: a pjsua assertion aborts the whole process, which a
test inside pytest could not observe without dying with it."""

from __future__ import annotations

import sys

from callclient.engine import AccountSettings, EngineSettings, SipEngine
from callclient.engine.events import CallState, CallUpdated, MediaState, RegistrationChanged, RegistrationState
from tests.conftest import SIP_USERS
from tests.fixtures.engine_events import Events


def main() -> None:
    registrar, calls = sys.argv[1], int(sys.argv[2])
    engine = SipEngine(EngineSettings(log_level=1))
    engine.start()
    events = Events(engine.subscribe())
    engine.add_account(AccountSettings("erin", "erin", "pbx.test", password=SIP_USERS["erin"], registrar=registrar,
                                       outbound_proxy=registrar)).result(5)
    events.wait(RegistrationChanged, account_id="erin", state=RegistrationState.REGISTERED)
    for _ in range(calls):
        call_id = engine.make_call("bob").result(5)
        events.wait(CallUpdated, call_id=call_id, state=CallState.CONFIRMED)
        events.wait(CallUpdated, call_id=call_id, media=MediaState.ACTIVE)
    print("UP", flush=True)
    engine.stop()
    print("STOPPED", flush=True)


if __name__ == "__main__":
    main()
