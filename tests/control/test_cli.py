"""The CLI drives a real headless instance: calls through Kamailio to pjsua2 far ends."""

from __future__ import annotations

from pathlib import Path

from tests.control.conftest import status, wait_for_status
from tests.fixtures.headless import AppHome, HeadlessApp
from tests.fixtures.kamailio import Kamailio


def only_call(snapshot: dict) -> dict:
    assert len(snapshot["calls"]) == 1, snapshot["calls"]
    return snapshot["calls"][0]


def test_version_names_the_app(app_home: AppHome) -> None:
    result = app_home.cli("--version")
    assert result.code == 0
    assert result.stdout.startswith("CallClient ")


def test_status_reports_registered_account(headless: HeadlessApp, app_home: AppHome, kamailio: Kamailio) -> None:
    snapshot = status(app_home)
    assert snapshot["accounts"][0]["account_id"] == "office"
    assert snapshot["accounts"][0]["aor"] == f"sip:dave@{kamailio.domain}"
    assert snapshot["accounts"][0]["state"] == "registered"
    assert snapshot["calls"] == []


def test_call_dtmf_hold_resume_and_hangup_from_the_cli(headless: HeadlessApp, app_home: AppHome, far_end) -> None:
    bob = far_end("bob")
    placed = app_home.cli("call", "bob")
    assert placed.code == 0, placed.stderr
    incoming = bob.expect(lambda e: e["ev"] == "incoming", what="dave's call")
    assert "sip:dave@" in incoming["remote"]
    bob.send(op="answer", call=incoming["call"])
    call = only_call(wait_for_status(app_home, lambda s: s["calls"] and s["calls"][0]["state"] == "confirmed",
                                     "the call confirmed"))
    assert call["remote"]["number"] == "bob"
    assert call["direction"] == "outgoing"

    assert app_home.cli("dtmf", "42#").code == 0
    digits = "".join(bob.expect(lambda e: e["ev"] == "dtmf", what=f"digit {d}")["digit"] for d in "42#")
    assert digits == "42#"

    assert app_home.cli("hold").code == 0
    held = wait_for_status(app_home, lambda s: s["calls"][0]["media"] == "local hold", "the call held")
    assert only_call(held)["state"] == "confirmed"
    assert app_home.cli("resume").code == 0
    wait_for_status(app_home, lambda s: s["calls"][0]["media"] == "active", "the call resumed")
    assert only_call(status(app_home))["duration_s"] > 0

    assert app_home.cli("hangup").code == 0
    bob.expect_state("DISCONNECTED", call=incoming["call"])
    wait_for_status(app_home, lambda s: s["calls"] == [], "no calls")


def test_answer_and_transfer_an_incoming_call_from_the_cli(headless: HeadlessApp, app_home: AppHome,
                                                           far_end, kamailio: Kamailio) -> None:
    bob = far_end("bob")
    carol = far_end("carol", auto_answer=True)
    bob.send(op="call", uri=f"sip:dave@{kamailio.domain}")
    ringing = only_call(wait_for_status(app_home, lambda s: s["calls"] and s["calls"][0]["state"] == "incoming",
                                        "the incoming call"))
    assert ringing["remote"]["number"] == "bob"
    assert app_home.cli("answer").code == 0
    bob.expect_state("CONFIRMED")
    assert app_home.cli("transfer", "carol").code == 0
    refer = bob.expect(lambda e: e["ev"] == "transfer_request", what="the REFER")
    assert "carol@" in refer["to"]
    carol.expect(lambda e: e["ev"] == "incoming", what="the transferred call")
    wait_for_status(app_home, lambda s: s["calls"] == [], "our leg released after the transfer")


def test_decline_sends_the_caller_away(headless: HeadlessApp, app_home: AppHome, far_end, kamailio: Kamailio) -> None:
    bob = far_end("bob")
    bob.send(op="call", uri=f"sip:dave@{kamailio.domain}")
    wait_for_status(app_home, lambda s: s["calls"] and s["calls"][0]["state"] == "incoming", "the incoming call")
    assert app_home.cli("decline").code == 0
    ended = bob.expect(lambda e: e["ev"] == "state" and e["state"] == "DISCONNECTED", what="the call ended")
    assert ended.get("code") in (603, None) or ended.get("reason", "").lower().startswith("decline")


def test_second_launch_with_a_link_dials_in_the_running_instance(headless: HeadlessApp, app_home: AppHome,
                                                                 far_end, kamailio: Kamailio) -> None:
    bob = far_end("bob")
    handed = app_home.cli(f"sip:bob@{kamailio.domain}")
    assert handed.code == 0, handed.stderr
    bob.expect(lambda e: e["ev"] == "incoming", what="the call from the link")
    assert app_home.cli("hangup").code == 0
    bob.expect_state("DISCONNECTED")

    handed = app_home.cli("callto://bob")
    assert handed.code == 0, handed.stderr
    bob.expect(lambda e: e["ev"] == "incoming", what="the call from the callto: link")


def test_commands_without_a_running_instance_say_so(app_home: AppHome) -> None:
    result = app_home.cli("status")
    assert result.code == 3
    assert "not running" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_refused_command_gives_the_reason(headless: HeadlessApp, app_home: AppHome) -> None:
    result = app_home.cli("hangup")
    assert result.code == 1
    assert "call" in result.stderr.lower()
    assert "Traceback" not in result.stderr
    bad = app_home.cli("call", "not a number!")
    assert bad.code == 1 and "Traceback" not in bad.stderr


def test_a_second_headless_instance_refuses_to_start(headless: HeadlessApp, app_home: AppHome,
                                                     config_file: Path) -> None:
    second = HeadlessApp(app_home, config_file, "--no-demo")
    assert second.process.wait(30) == 1
    assert any("already running" in line for line in second.stderr)


def test_a_broken_config_file_is_named_and_nothing_starts(app_home: AppHome, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[accounts]]\nid = "x"\nuser = \n')
    app = HeadlessApp(app_home, broken, "--no-demo")
    assert app.process.wait(30) == 2
    message = "".join(app.stderr)
    assert "broken.toml:3: not valid TOML" in message
    assert "Traceback" not in message


def test_sigterm_with_a_call_up_ends_cleanly(app_home: AppHome, config_file: Path, far_end) -> None:
    from callclient.storage.keychain import Keychain, SecretKind, system_keyring
    from tests.conftest import SIP_USERS

    Keychain(system_keyring()).set("office", SecretKind.SIP_PASSWORD, SIP_USERS["dave"])
    app = HeadlessApp(app_home, config_file, "--no-demo")
    app.ready()
    wait_for_status(app_home, lambda s: s["accounts"][0]["state"] == "registered", "the account registered")
    bob = far_end("bob", auto_answer=True)
    assert app_home.cli("call", "bob").code == 0
    bob.expect_state("CONFIRMED")
    assert app.stop() == 0
    bob.expect_state("DISCONNECTED")
    assert not any("Assertion" in line or "Traceback" in line for line in app.stderr), app.stderr


def test_editing_the_config_adds_an_account_and_the_call_up_survives(headless: HeadlessApp, app_home: AppHome,
                                                                     config_file: Path, far_end,
                                                                     kamailio: Kamailio) -> None:
    from callclient.storage.keychain import Keychain, SecretKind, system_keyring
    from tests.conftest import SIP_USERS

    bob = far_end("bob", auto_answer=True)
    assert app_home.cli("call", "bob").code == 0
    bob.expect_state("CONFIRMED")
    Keychain(system_keyring()).set("second", SecretKind.SIP_PASSWORD, SIP_USERS["erin"])
    text = config_file.read_text()
    second = text.split("[sip]")[0].replace('id = "office"', 'id = "second"').replace('"dave"', '"erin"') \
        .replace('"Dave"', '"Erin"')
    config_file.write_text(text.replace("display_name = \"Dave\"", "display_name = \"Dave D.\"") + second)
    snapshot = wait_for_status(app_home, lambda s: len(s["accounts"]) == 2 and
                               all(a["state"] == "registered" for a in s["accounts"]), "the second account")
    assert {a["aor"] for a in snapshot["accounts"]} == {f"sip:dave@{kamailio.domain}", f"sip:erin@{kamailio.domain}"}
    assert only_call(snapshot)["state"] == "confirmed", "the reload did not drop the call"
    assert app_home.cli("hangup").code == 0
    bob.expect_state("DISCONNECTED")


def test_erase_all_data_removes_every_directory_and_keychain_entry(app_home: AppHome, config_file: Path) -> None:
    from callclient.storage.keychain import Keychain, SecretKind, system_keyring
    from tests.conftest import SIP_USERS

    keychain = Keychain(system_keyring())
    keychain.set("office", SecretKind.SIP_PASSWORD, SIP_USERS["dave"])
    app = HeadlessApp(app_home, config_file, "--no-demo")
    app.ready()
    assert app.stop() == 0
    written = [p for p in app_home.home.rglob("*") if "CallClient" in p.parts]
    assert written, "the session wrote its store and logs"
    result = app_home.cli("--erase-all-data", "--yes")
    assert result.code == 0, result.stderr
    assert "erased" in result.stdout
    assert [p for p in app_home.home.rglob("*") if "CallClient" in p.parts] == []
    assert keychain.get("office", SecretKind.SIP_PASSWORD) is None


def offered_payload_types(sdp: str) -> list[str]:
    line = next(line for line in sdp.splitlines() if line.startswith("m=audio"))
    return line.split()[3:]


def call_bob_and_read_the_offer(app_home: AppHome, bob) -> list[str]:  # noqa: ANN001
    assert app_home.cli("call", "bob").code == 0
    incoming = bob.expect(lambda e: e["ev"] == "incoming", what="dave's INVITE")
    bob.expect_state("CONFIRMED")
    assert app_home.cli("hangup").code == 0
    bob.expect_state("DISCONNECTED")
    wait_for_status(app_home, lambda s: s["calls"] == [], "no calls")
    return offered_payload_types(incoming["sdp"])


def test_a_codec_order_pushed_by_file_and_sighup_reaches_the_next_call(headless: HeadlessApp, app_home: AppHome,
                                                                       config_file: Path, far_end) -> None:
    """Failed before the settings route: SIGHUP re-read the file but only the Settings window's path told the
    engine about codecs, so the next call still offered G722 (9) first."""
    import signal

    bob = far_end("bob", auto_answer=True, codecs="PCMU/8000,G722/16000")
    assert call_bob_and_read_the_offer(app_home, bob)[1] == "9", "G.722 after Opus"
    config_file.write_text(config_file.read_text() + '\n[codecs]\norder = ["PCMU/8000"]\n')
    headless.process.send_signal(signal.SIGHUP)
    wait_for(lambda: any("configuration reloaded" in line for line in headless.stderr), "the reload")
    offer = call_bob_and_read_the_offer(app_home, bob)
    assert offer[0] == "0" and "9" not in offer, offer


def test_set_changes_a_setting_of_the_running_instance_through_the_settings_route(
        headless: HeadlessApp, app_home: AppHome, far_end) -> None:
    bob = far_end("bob", auto_answer=True, codecs="PCMU/8000,G722/16000")
    changed = app_home.cli("set", "codecs.order", '["PCMU/8000", "G722/16000"]')
    assert changed.code == 0, changed.stderr
    assert '"codecs.order"' in changed.stdout
    assert call_bob_and_read_the_offer(app_home, bob)[:2] == ["0", "9"]
    refused = app_home.cli("set", "ui.theme", "purple")
    assert refused.code == 1 and "ui.theme: 'purple' is not allowed" in refused.stderr
    refused = app_home.cli("set", "locks.keys", '["ui.theme"]')
    assert refused.code == 1 and "not a setting a user can change" in refused.stderr


def wait_for(predicate, what: str, timeout_s: float = 15.0) -> None:  # noqa: ANN001
    from tests.fixtures.net import wait_until

    wait_until(predicate, timeout_s, what)
