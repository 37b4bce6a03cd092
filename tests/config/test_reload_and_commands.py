"""Live reload, the `callclient config` commands, and the loader under random input."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callclient.config import ConfigError, ConfigWatcher, LoadedConfig, load_config
from callclient.config.schema import json_schema
from tests.config.conftest import ADMIN, Files

REPO = Path(__file__).resolve().parents[2]


def test_an_edit_is_picked_up_and_a_broken_edit_changes_nothing(files: Files) -> None:
    files.user.write_text('[ui]\ntheme = "light"\n')
    current = load_config(files.sources())
    changes: queue.Queue[LoadedConfig] = queue.Queue()
    errors: queue.Queue[str] = queue.Queue()
    watcher = ConfigWatcher(files.sources(), current, changes.put, errors.put, poll_s=0.05)
    watcher.start()
    try:
        files.user.write_text('[ui]\ntheme = "dark"\n')
        assert changes.get(timeout=10).config.ui.theme == "dark"
        files.user.write_text('[ui]\ntheme = "dark"\nclose_to_tray = "maybe"\n')
        assert "close_to_tray" in errors.get(timeout=10)
        assert watcher.current.config.ui.theme == "dark"
        assert changes.empty()
        files.user.write_text('[ui]\ntheme = "dark"\n')  # fixed: the same config as before, so no change
        files.system.write_text(ADMIN)
        assert changes.get(timeout=10).config.accounts[0].account_id == "office"
    finally:
        watcher.stop()


def test_reload_on_request_re_reads_without_a_file_change(files: Files) -> None:
    current = load_config(files.sources())
    changes: queue.Queue[LoadedConfig] = queue.Queue()
    watcher = ConfigWatcher(files.sources(preferences={"ui.theme": "dark"}), current, changes.put, print,
                            poll_s=60)
    watcher.start()
    try:
        watcher.reload()
        assert changes.get(timeout=10).config.ui.theme == "dark"
    finally:
        watcher.stop()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "callclient", "config", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
                                                      "HOME": str(REPO / ".no-home"), "USER": "jdoe",
                                                      "CALLCLIENT_SYSTEM_CONFIG": "/nonexistent.toml"})


def test_config_check_reports_ok_and_errors_without_a_traceback(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(ADMIN)
    result = cli("check", str(good))
    assert result.returncode == 0 and "OK (1 account(s)" in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[sip]\nkeepalive_interval = -1\n')
    result = cli("check", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"{bad}:2: sip.keepalive_interval: -1 is out of range "
                                     "(expected a whole number from 0 to 3600)")


def test_config_show_origin_names_each_layer(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[ui]\ntheme = "dark"\n')
    result = cli("show", "--effective", "--origin", "--config", str(user))
    assert result.returncode == 0, result.stderr
    assert f'theme = "dark"  # from user ({user})' in result.stdout
    assert 'close_to_tray = true  # from default' in result.stdout


def test_config_schema_is_valid_json_schema_and_accepts_the_example() -> None:
    import tomllib

    result = cli("schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    example = tomllib.loads((REPO / "resources" / "config" / "example.toml").read_text())
    jsonschema.validate(example, schema)


def test_every_key_is_documented_in_the_admin_guide() -> None:
    guide = (REPO / "docs" / "admin-guide.md").read_text()
    schema = json_schema()["properties"]
    for section, table in schema.items():
        names = table["items"]["properties"] if section == "accounts" else table["properties"]
        for name in names:
            assert f"`{section}.{name}`" in guide or f"`accounts.*.{name}`" in guide, f"{section}.{name} undocumented"


_toml_scalars = st.one_of(st.booleans(), st.integers(-10, 100000), st.text(max_size=12),
                          st.lists(st.text(max_size=6), max_size=3))
_keys = st.sampled_from(["udp_port", "tls_verify_server", "theme", "id", "user", "domain", "transport", "level",
                         "order", "x", "voicemail_cache", "keys", "url", "srtp", "region"])
_sections = st.sampled_from(["sip", "ui", "audio", "policy", "logging", "codecs", "locks", "pbx", "provisioning",
                             "dialplan", "nope"])


def _render(value: object) -> str:
    return json.dumps(value) if not isinstance(value, bool) else str(value).lower()


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        header = draw(st.sampled_from(["[{}]", "[[accounts]]"]))
        lines.append(header.format(draw(_sections)))
        for _ in range(draw(st.integers(0, 4))):
            lines.append(f"{draw(_keys)} = {_render(draw(_toml_scalars))}")
    text = "\n".join(lines)
    if draw(st.booleans()):  # mutate: cut, duplicate or corrupt a stretch
        cut = draw(st.integers(0, max(0, len(text))))
        text = text[:cut] + draw(st.sampled_from(["", "=", "[", "\"", "]]\n", "\x00", "${USER", "\n[sip]\n"])) + \
            text[cut + draw(st.integers(0, 5)):]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(toml_documents())
def test_random_and_mutated_toml_gives_a_config_or_a_clear_error(files: Files, text: str) -> None:
    files.user.write_text(text)
    files.system.write_text(text)
    try:
        loaded = load_config(files.sources())
    except ConfigError as error:
        assert str(error).startswith(str(files.root)), f"the error names the file: {error}"
    else:
        assert loaded.config.engine_settings() is not None
        for account in loaded.config.accounts:
            account.account_settings("pw")
