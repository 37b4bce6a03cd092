"""Layers, locks, placeholders and validation messages."""

from __future__ import annotations

import pytest

from callclient.config import ConfigError, ConfigSources, load_config
from callclient.engine.settings import SrtpPolicy, Transport
from tests.config.conftest import ADMIN, Files


def test_defaults_alone_give_a_working_config(files: Files) -> None:
    loaded = load_config(files.sources())
    assert loaded.config.accounts == ()
    assert loaded.config.codecs == ("opus/48000", "G722/16000", "PCMA/8000", "PCMU/8000")
    assert loaded.config.sip.tls_verify_server is True
    assert loaded.origin("sip.tls_verify_server") == "default"


def test_each_layer_overrides_the_one_below(files: Files) -> None:
    files.system.write_text('[ui]\ntheme = "dark"\nclose_to_tray = false\n[logging]\nlevel = "warning"\n')
    files.user.write_text('[ui]\ntheme = "light"\n')
    loaded = load_config(files.sources(preferences={"logging.level": "debug"}))
    assert loaded.config.ui.theme == "light"
    assert loaded.origin("ui.theme") == f"user ({files.user})"
    assert loaded.config.ui.close_to_tray is False
    assert loaded.origin("ui.close_to_tray") == f"system ({files.system})"
    assert loaded.config.logging.level == "debug"
    assert loaded.origin("logging.level") == "preferences"


def test_placeholders_fill_in_the_user_and_machine(files: Files) -> None:
    files.system.write_text(ADMIN + '\n[ui]\nlanguage = "fr"\n' +
                            '\n[[accounts]]\nid = "fax"\nuser = "${USER}-fax"\ndomain = "${HOSTNAME}.example.com"\n'
                            'display_name = "${EMAIL}"\n')
    config = load_config(files.sources()).config
    office, fax = config.accounts
    assert (office.user, office.display_name) == ("jdoe", "jdoe")
    assert (fax.user, fax.domain, fax.display_name) == ("jdoe-fax", "desk-42.example.com", "jdoe@example.com")


def test_an_unknown_placeholder_is_named(files: Files) -> None:
    files.system.write_text('[[accounts]]\nid = "a"\nuser = "${LOGIN}"\ndomain = "x"\n')
    with pytest.raises(ConfigError, match=r"callclient.toml:3: accounts.0.user: unknown placeholder \$\{LOGIN\}"):
        load_config(files.sources())


def test_a_placeholder_without_a_value_says_what_to_set(files: Files) -> None:
    files.system.write_text('[[accounts]]\nid = "a"\nuser = "u"\ndomain = "x"\ndisplay_name = "${EMAIL}"\n')
    with pytest.raises(ConfigError, match="EMAIL set in the environment"):
        load_config(files.sources(environ={"USER": "u"}))


def test_a_locked_key_keeps_the_admin_value_and_says_why(files: Files) -> None:
    files.system.write_text(ADMIN)
    files.user.write_text('[[accounts]]\nid = "office"\ntransport = "udp"\ndisplay_name = "Jane"\n'
                          '[policy]\nrecording_allowed = true\n')
    loaded = load_config(files.sources())
    office = loaded.config.accounts[0]
    assert office.transport == "tls" and office.display_name == "Jane"
    assert loaded.config.policy.recording_allowed is False
    assert loaded.locked("accounts.office.transport") and not loaded.locked("accounts.office.display_name")
    assert loaded.lock_reason("policy.recording_allowed") == f"locked by your administrator (system ({files.system}))"
    warnings = "\n".join(loaded.warnings)
    assert f"{files.user}:3: accounts.office.transport is locked by your administrator" in warnings
    assert f"{files.user}:6: policy.recording_allowed is locked" in warnings
    settings = office.account_settings("pw")
    assert settings.transport is Transport.TLS and settings.srtp is SrtpPolicy.MANDATORY


def test_locks_only_count_in_admin_files(files: Files) -> None:
    files.user.write_text('[locks]\nkeys = ["ui.theme"]\n')
    files.system.write_text('[ui]\ntheme = "dark"\n')
    loaded = load_config(files.sources(preferences={"ui.theme": "light"}))
    assert loaded.config.ui.theme == "light"
    assert not loaded.locked("ui.theme")
    assert any("locks.keys is for administrators' files only" in w for w in loaded.warnings)


def test_an_admin_can_forbid_adding_accounts(files: Files) -> None:
    files.system.write_text(ADMIN.replace('keys = [', 'keys = ["accounts", '))
    files.user.write_text('[[accounts]]\nid = "home"\nuser = "me"\ndomain = "sip.example.net"\n')
    loaded = load_config(files.sources())
    assert [a.account_id for a in loaded.config.accounts] == ["office"]
    assert any("does not allow adding accounts" in w for w in loaded.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[sip]\nudp_port = 70000\n', "callclient.toml:2: sip.udp_port: 70000 is out of range (expected a whole "
                                      "number from 0 to 65535)"),
        ('[sip]\ntls_verify_server = "yes"\n', "callclient.toml:2: sip.tls_verify_server: 'yes' is not true or "
                                               "false (expected true or false)"),
        ('\n[[accounts]]\nid = "a"\nuser = "u"\ndomain = "d"\ntransport = "sctp"\n',
         "callclient.toml:6: accounts.0.transport: 'sctp' is not allowed (expected one of 'udp', 'tcp', 'tls')"),
        ('[pbx]\nbase_url = "http://pbx"\n', "callclient.toml:2: pbx.base_url: only https:// URLs are allowed"),
        ('[ui]\ntheme = \n', "callclient.toml:2: not valid TOML: Invalid value"),
        ('[[accounts]]\nuser = "u"\n', "callclient.toml:2: accounts.0.id: every account needs an id"),
        ('[[accounts]]\nid = "a"\nuser = "u"\ndomain = "d"\n[[accounts]]\nid = "a"\nuser = "v"\ndomain = "d"\n',
         "callclient.toml:6: accounts.a.id: the account id 'a' is used twice"),
        ('[policy]\nvoicemail_cache = "days:0"\n', "expected after-playback, never, or days:N (1 to 3650)"),
    ],
)
def test_invalid_values_are_named_with_file_line_key_and_what_was_expected(files: Files, text: str,
                                                                          expected: str) -> None:
    files.user.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(files.sources())
    assert expected in str(caught.value)


def test_an_account_without_user_or_domain_is_refused(files: Files) -> None:
    files.user.write_text('[[accounts]]\nid = "a"\nuser = "u"\n')
    with pytest.raises(ConfigError, match="account 'a' has no domain"):
        load_config(files.sources())


def test_unknown_keys_are_warnings_with_a_suggestion(files: Files) -> None:
    files.user.write_text('[sip]\ntls_verify_sever = false\n[audoi]\nx = 1\n'
                          '[[accounts]]\nid = "a"\nuser = "u"\ndomain = "d"\ntransprt = "tcp"\n')
    loaded = load_config(files.sources())
    warnings = "\n".join(loaded.warnings)
    assert "callclient.toml:2: unknown key sip.tls_verify_sever; did you mean sip.tls_verify_server?" in warnings
    assert "unknown key audoi; did you mean audio?" in warnings
    assert "callclient.toml:9: unknown key accounts.0.transprt; did you mean accounts.transport?" in warnings
    assert loaded.config.sip.tls_verify_server is True


def test_a_file_that_is_not_utf8_is_named(files: Files) -> None:
    files.user.write_bytes(b'[ui]\nlanguage = "fr"\ntheme = "\xff"\n')
    with pytest.raises(ConfigError, match="callclient.toml:3: is not UTF-8 text"):
        load_config(files.sources())


def test_an_initial_password_moves_to_the_keychain_and_nowhere_else(files: Files, keychain) -> None:
    from callclient.storage.keychain import SecretKind

    files.system.write_text('[[accounts]]\nid = "kiosk"\nuser = "k1"\ndomain = "d"\ninitial_password = "Pr0v-1sioned"\n')
    loaded = load_config(files.sources(), keychain=keychain)
    assert keychain.get("kiosk", SecretKind.SIP_PASSWORD) == "Pr0v-1sioned"
    assert "Pr0v-1sioned" not in repr(loaded.config)
    keychain.set("kiosk", SecretKind.SIP_PASSWORD, "changed-by-user")
    load_config(files.sources(), keychain=keychain)
    assert keychain.get("kiosk", SecretKind.SIP_PASSWORD) == "changed-by-user", "an initial password is only initial"


def test_the_example_in_the_admin_guide_loads(files: Files) -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "resources" / "config" / "example.toml"
    loaded = load_config(ConfigSources(system_file=example, user_file=None,
                                       environ={"USER": "jdoe", "CALLCLIENT_EMAIL": "jdoe@example.com"},
                                       fetch_remote=False))
    assert loaded.warnings == ()
    assert loaded.config.accounts[0].user == "jdoe"
    assert loaded.locks
