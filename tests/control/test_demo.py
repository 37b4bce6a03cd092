"""Demo mode, the embedded default: with no account configured, the far ends and the demo PBX answer."""

from __future__ import annotations

import json

from tests.control.conftest import only_call_state, wait_for_status
from tests.fixtures.headless import AppHome, HeadlessApp


def test_with_no_account_the_app_starts_in_demo_mode_and_the_echo_number_answers(app_home: AppHome,
                                                                                tmp_path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing configured\n")
    app = HeadlessApp(app_home, empty)
    try:
        app.ready()
        snapshot = wait_for_status(app_home, lambda s: s["accounts"], "the demo account")
        assert snapshot["demo"] is True
        assert snapshot["accounts"][0]["account_id"] == "demo"
        assert app_home.cli("call", "100").code == 0
        wait_for_status(app_home, lambda s: only_call_state(s) == "confirmed", "the echo test answered")
        assert app_home.cli("hangup").code == 0
        wait_for_status(app_home, lambda s: s["calls"] == [], "the call ended")
    finally:
        assert app.stop() == 0, "".join(app.stderr)


def test_lookup_and_whois_answer_from_the_directory_for_scripts(app_home: AppHome, tmp_path) -> None:
    """`callclient lookup` and `callclient whois` (a CRM's view of the directory) against the demo PBX's dird."""
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing configured\n")
    app = HeadlessApp(app_home, empty)
    try:
        app.ready()
        wait_for_status(app_home, lambda s: s["accounts"], "the demo account")
        lookup = app_home.cli("lookup", "alice")
        assert lookup.code == 0, lookup.stderr
        found = json.loads(lookup.stdout)
        assert found["term"] == "alice" and found["problems"] == []
        alice = next(result for result in found["results"] if result["name"] == "Alice Martin")
        assert {"number": "1001", "label": "work"} in alice["numbers"] and "Company directory" in alice["sources"]
        whois = app_home.cli("whois", "1001")
        assert whois.code == 0, whois.stderr
        answer = json.loads(whois.stdout)
        assert answer["number"] == "1001" and answer["found"] is True and answer["name"] == "Alice Martin", answer
        empty_term = app_home.cli("lookup", " ")
        assert empty_term.code == 1 and "lookup" in empty_term.stderr
    finally:
        assert app.stop() == 0, "".join(app.stderr)
