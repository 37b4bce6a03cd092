"""My status and the PBX's busy lamps through a whole Core signed in to the spec-checked test PBX: the status
set in the app lands on the PBX (chatd state, confd DND) and drives the engine's local DND; a change made on
the PBX (the desk phone) arrives within a second; a refused change leaves the PBX's truth shown; favorites'
lamps follow chatd presences, and come back after the websocket was lost."""

from __future__ import annotations

import time

import pytest

from callclient.demo.pbx_server import PbxServer
from callclient.demo.pbx_server.chatd import PRESENCE_EVENT
from callclient.services.types import MyStatus, MyStatusChanged, PresenceChanged, PresenceState, StatusNotChanged
from tests.fixtures.tls import Pki
from tests.pbx.conftest import (  # noqa: F401 - pytest finds fixtures by name in this module
    ALICE_LOGIN,
    ALICE_PASSWORD,
    pbx,
    wazo_contract,
)
from tests.services.conftest import CoreHome, news

LEA = "00000000-0000-4000-8000-000000000008"  # extension 1010 in the test PBX's directory


def _signed_in(core_home: CoreHome, pbx: PbxServer, pki: Pki, more_config: str = ""):  # noqa: ANN202
    """A Core on the test PBX, signed in as alice (`more_config`: TOML sections after [pbx]), once it has
    read her status from the PBX; returns it and its news."""
    core_home.config_file.write_text(f"""
[pbx]
kind = "wazo"
base_url = "{pbx.base_url}"
ca_file = "{pki.ca_file}"
""" + more_config)
    core = core_home.start()
    events = news(core)
    core.sign_in(ALICE_LOGIN, ALICE_PASSWORD)
    assert core.services is not None
    # Fetched once the websocket is up (or, without it, once polling starts).
    events.wait(MyStatusChanged, timeout=10, where=lambda e: e.on_pbx)
    return core, events


def _engine_dnd(core) -> bool:  # noqa: ANN001
    return all(a.dnd for a in core.services.calls.status().result(5).accounts)


def test_status_set_in_the_app_lands_on_the_pbx_and_drives_local_dnd(core_home: CoreHome, pbx: PbxServer,
                                                                      pki: Pki) -> None:
    core, events = _signed_in(core_home, pbx, pki)
    alice = core.services.pbx.service.session.user_uuid
    my_status = core.services.my_status

    my_status.set(MyStatus.DND)  # what the status menu calls
    assert (pbx.presence.get(alice)["do_not_disturb"], pbx.presence.get(alice)["state"]) == (True, "unavailable")
    assert _engine_dnd(core), "the engine refuses calls locally too"

    my_status.set(MyStatus.AWAY)
    assert (pbx.presence.get(alice)["do_not_disturb"], pbx.presence.get(alice)["state"]) == (False, "away")
    assert not _engine_dnd(core)


def test_a_change_made_on_the_pbx_shows_within_a_second(core_home: CoreHome, pbx: PbxServer, pki: Pki) -> None:
    core, events = _signed_in(core_home, pbx, pki)
    alice = core.services.pbx.service.session.user_uuid
    pressed = time.monotonic()
    pbx.presence.set(alice, dnd=True)  # the desk phone's DND key
    events.wait(MyStatusChanged, timeout=1.0, status=MyStatus.DND, by="the phone system")
    assert time.monotonic() - pressed < 1.0
    assert core.services.my_status.status is MyStatus.DND and _engine_dnd(core)

    pbx.presence.set(alice, dnd=False, state="away")  # the web app
    events.wait(MyStatusChanged, timeout=1.0, status=MyStatus.AWAY)
    assert not _engine_dnd(core)


@pytest.mark.parametrize("status", [400, 403])
def test_a_refused_change_says_why_and_the_pbx_status_stays(core_home: CoreHome, pbx: PbxServer, pki: Pki,
                                                             status: int) -> None:
    core, events = _signed_in(core_home, pbx, pki)
    my_status = core.services.my_status
    pbx.fail_next(status, "/presences")
    with pytest.raises(StatusNotChanged) as refused:
        my_status.set(MyStatus.INVISIBLE)
    assert "invisible" in str(refused.value) and str(status) in str(refused.value)
    assert my_status.status is MyStatus.AVAILABLE


def test_favorites_lamps_follow_chatd_and_come_back_after_the_websocket_drops(
        core_home: CoreHome, pbx: PbxServer, pki: Pki) -> None:
    core, events = _signed_in(core_home, pbx, pki)
    account = core.services.accounts.accounts[0]
    uri = f"sip:1010@{account.domain}"
    pbx.presence.set(LEA, line_state="talking")
    core.services.favorites.add(account.account_id, "Léa", "1010")  # what the Favorites view calls
    events.wait(PresenceChanged, timeout=10, uri=uri, state=PresenceState.BUSY)
    assert core.services.presence.watched == (), "no SIP subscription the PBX would not answer"

    pbx.presence.set(LEA, line_state="ringing")
    events.wait(PresenceChanged, timeout=5, uri=uri, state=PresenceState.RINGING)

    pbx.drop_websockets()
    pbx.presence.set(LEA, line_state="holding")  # pushed to no one: the socket is gone
    events.wait(PresenceChanged, timeout=10, uri=uri, state=PresenceState.ON_HOLD)  # refetched after reconnect


def test_presence_of_users_without_a_lamp_is_ignored(core_home: CoreHome, pbx: PbxServer, pki: Pki,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    core, events = _signed_in(core_home, pbx, pki)
    caplog.set_level("INFO", logger="callclient.services.presence")
    stranger = "00000000-0000-4000-8000-000000000040"
    for state in ("ringing", "talking", "available"):
        pbx.presence.set(stranger, line_state=state)
    pbx.push_event("chatd_presence_updated", {"uuid": "not-a-user", "state": "available"})
    events.none_within(PresenceChanged, 0.5)
    assert len([r for r in caplog.records if stranger in r.getMessage()]) == 1


def test_desktop_idleness_is_read_from_the_x_server(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from callclient.services.my_status import desktop_idle_seconds
    from tests.fixtures.xvfb import running_xvfb

    monkeypatch.delenv("XDG_SESSION_ID", raising=False)  # no logind session here: the X server answers
    with running_xvfb(tmp_path / "xvfb") as display:
        monkeypatch.setenv("DISPLAY", display.env()["DISPLAY"])
        first = desktop_idle_seconds()
        display.xdotool("getmouselocation")  # an X client that takes some time and is no input
        later = desktop_idle_seconds()
        assert first is not None and later is not None and later > first, "idleness grows without input"
        display.xdotool("mousemove", "200", "200")
        assert desktop_idle_seconds() < later, "input resets it"


def test_auto_away_after_idle_minutes_and_back_on_return(core_home: CoreHome, pbx: PbxServer, pki: Pki) -> None:
    core, events = _signed_in(core_home, pbx, pki, "\n[presence]\nauto_away_minutes = 5\n")
    alice = core.services.pbx.service.session.user_uuid
    my_status = core.services.my_status
    # The desktop's idleness is what the user's hands decide; the test gives the readings the X server or
    # logind would (desktop_idle_seconds is proven on a real X server above). The app's own loop calls
    # check_idle every 15 s.
    idle = [0.0]
    my_status._idle_seconds = lambda: idle[0]
    assert my_status.check_idle() is None
    idle[0] = 5 * 60 + 1
    assert my_status.check_idle() is MyStatus.AWAY
    assert pbx.presence.get(alice)["state"] == "away"
    idle[0] = 2
    assert my_status.check_idle() is MyStatus.AVAILABLE
    assert pbx.presence.get(alice)["state"] == "available"

    my_status.set(MyStatus.DND)  # chosen by the user: auto-away leaves it alone
    idle[0] = 3600
    assert my_status.check_idle() is None and my_status.status is MyStatus.DND
    my_status.set(MyStatus.AWAY)
    idle[0] = 1
    assert my_status.check_idle() is None and my_status.status is MyStatus.AWAY, "the user's own away stays"


def test_without_the_websocket_lamps_are_fetched_on_an_interval(core_home: CoreHome, pbx: PbxServer, pki: Pki,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from callclient.services import presence

    monkeypatch.setattr(presence, "POLL_S", 0.3)  # 30 s in use; the interval is not what is tested
    pbx.websocket_enabled = False
    core, events = _signed_in(core_home, pbx, pki)  # its status read once polling starts
    account = core.services.accounts.accounts[0]
    uri = f"sip:1010@{account.domain}"
    core.services.favorites.add(account.account_id, "Léa", "1010")
    events.wait(PresenceChanged, timeout=10, uri=uri, state=PresenceState.AVAILABLE)
    pbx.presence.set(LEA, line_state="talking")  # pushed to no one: no websocket
    events.wait(PresenceChanged, timeout=10, uri=uri, state=PresenceState.BUSY)


def test_dnd_asked_by_a_script_goes_through_my_status_to_the_pbx(core_home: CoreHome, pbx: PbxServer,
                                                                 pki: Pki) -> None:
    core, events = _signed_in(core_home, pbx, pki)
    alice = core.services.pbx.service.session.user_uuid
    calls = core.services.calls
    calls.set_dnd(True).result(10)  # what the control socket's `dnd on` (the CLI) calls
    assert pbx.presence.get(alice)["do_not_disturb"] and _engine_dnd(core)
    events.wait(MyStatusChanged, timeout=5, status=MyStatus.DND)
    calls.set_dnd(False).result(10)
    assert not pbx.presence.get(alice)["do_not_disturb"] and not _engine_dnd(core)
    assert core.services.my_status.status is MyStatus.AVAILABLE


def test_a_late_echo_of_an_earlier_change_does_not_undo_the_latest(core_home: CoreHome, pbx: PbxServer,
                                                                   pki: Pki) -> None:
    """The websocket echoes the app's own changes. The echo of "do not disturb" arriving after the user has
    already chosen Away is old news: Away stays (CI once saw DND come back)."""
    core, events = _signed_in(core_home, pbx, pki)
    alice = core.services.pbx.service.session.user_uuid
    my_status = core.services.my_status
    my_status.set(MyStatus.DND)
    dnd_echo = pbx.presence.get(alice)  # what the PBX pushes for that change
    my_status.set(MyStatus.AWAY)
    events.wait(MyStatusChanged, status=MyStatus.AWAY, by="you")

    pbx.push_event(PRESENCE_EVENT, dnd_echo, alice)  # delivered late
    pbx.presence.set(alice, state="available")  # then a change made on the desk phone
    events.wait(MyStatusChanged, timeout=5, status=MyStatus.AVAILABLE, by="the phone system", only_new=True)
    undone = [e for e in events.backlog if isinstance(e, MyStatusChanged) and e.by == "the phone system"]
    assert undone == [], "the late echo put an old status back"
