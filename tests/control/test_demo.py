"""Demo mode, the embedded default: with no account configured, the far ends and the demo PBX answer."""

from __future__ import annotations

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
