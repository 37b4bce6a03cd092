"""Sign out and erase: an account's traces, or everything CallClient wrote, leave nothing behind."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from callclient.logs import SIP_TRACE_LOGGER, LogFiles, RedactionFilter, setup_logging
from callclient.storage.erase import EraseIncomplete, erase_account, erase_all_data
from callclient.storage.favorites import Favorites
from callclient.storage.keychain import AppSecret, Keychain, SecretKind
from callclient.storage.paths import AppPaths
from callclient.storage.preferences import Preferences
from callclient.storage.store import LocalStore, open_store
from callclient.storage.store_errors import StoreInUse
from callclient.storage.voicemail_cache import VoicemailCache, VoicemailCachePolicy

ALICE = "alice@pbx.example.com"
BOB = "bob@pbx.example.com"
AUDIO = b"voicemail audio bytes " * 100


@pytest.fixture
def log_files(app_paths: AppPaths) -> Iterator[LogFiles]:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    trace = logging.getLogger(SIP_TRACE_LOGGER)
    saved_trace = (trace.level, trace.propagate)
    saved_last_resort = list(logging.lastResort.filters) if logging.lastResort else []
    files = setup_logging(app_paths.log_dir, RedactionFilter(), sip_trace=True)
    yield files
    files.close()
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    trace.setLevel(saved_trace[0])
    trace.propagate = saved_trace[1]
    if logging.lastResort is not None:
        logging.lastResort.filters[:] = saved_last_resort


def _populate(app_paths: AppPaths, keychain: Keychain) -> tuple[LocalStore, VoicemailCache]:
    for account in (ALICE, BOB):
        for kind in SecretKind:
            keychain.set(account, kind, f"{account}-{kind}-secret")
    store = open_store(app_paths.store_file, keychain).store
    cache = VoicemailCache(
        app_paths.voicemail_dir, keychain.get_or_create_key(AppSecret.VOICEMAIL_CACHE_KEY), VoicemailCachePolicy()
    )
    for account in (ALICE, BOB):
        Favorites(store).add(account, "Reception", "100")
        Preferences(store).set("dnd", True, account_id=account)
        cache.put(account, "msg-1", AUDIO)
    Preferences(store).set("theme", "dark")
    app_paths.config_dir.mkdir(parents=True)
    (app_paths.config_dir / "callclient.toml").write_text('[account]\nid = "alice@pbx.example.com"\n')
    logging.getLogger("callclient.engine").info("registered %s", ALICE)
    logging.getLogger(SIP_TRACE_LOGGER).debug("REGISTER sip:pbx.example.com from %s", ALICE)
    return store, cache


def _files_under(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.exists() else []


def _secret_service_items(secret_service, service: str) -> int:
    """How many items the Secret Service holds for `service`, asked through libsecret's own CLI."""
    listing = subprocess.run(
        ["secret-tool", "search", "--all", "service", service],
        env=secret_service.env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    return listing.count("\nsecret = ")


def test_erase_account_removes_its_secrets_rows_voicemail_and_the_logs(
    app_paths: AppPaths, keychain: Keychain, log_files: LogFiles
) -> None:
    store, cache = _populate(app_paths, keychain)
    with store:
        erase_account(ALICE, keychain=keychain, store=store, voicemail_cache=cache, log_files=log_files)

        assert all(keychain.get(ALICE, kind) is None for kind in SecretKind)
        assert Favorites(store).list(ALICE) == []
        assert Preferences(store).all(account_id=ALICE) == {}
        assert cache.get(ALICE, "msg-1") is None
        assert ALICE not in "".join(p.read_text() for p in _files_under(app_paths.log_dir))
        # Bob and the app-wide settings are untouched.
        assert keychain.get(BOB, SecretKind.SIP_PASSWORD) == f"{BOB}-sip-password-secret"
        assert [f.label for f in Favorites(store).list(BOB)] == ["Reception"]
        assert cache.get(BOB, "msg-1") == AUDIO
        assert Preferences(store).get("theme") == "dark"


def test_erase_all_data_leaves_no_files_and_no_keychain_entries(
    app_paths: AppPaths, keychain: Keychain, log_files: LogFiles, secret_service, tmp_path: Path
) -> None:
    store, _cache = _populate(app_paths, keychain)
    store.close()
    assert (
        _secret_service_items(secret_service, keychain.service) == 2 * len(SecretKind) + 3
    )  # + 2 keys + the account index
    home = app_paths.data_dir.parents[2]
    assert len(_files_under(home)) >= 5

    removed = erase_all_data(app_paths, keychain, account_ids=(ALICE,), log_files=log_files)

    assert set(removed) == set(app_paths.all_dirs())
    assert _files_under(home) == []
    assert not any(d.exists() for d in app_paths.all_dirs())
    assert not app_paths.log_dir.parent.exists()  # the empty ~/.local/state/CallClient too
    assert all(keychain.get(account, kind) is None for account in (ALICE, BOB) for kind in SecretKind)
    assert all(keychain.get_key(which) is None for which in AppSecret)
    assert _secret_service_items(secret_service, keychain.service) == 0


def test_erase_all_data_while_another_callclient_runs_erases_nothing(
    app_paths: AppPaths, keychain: Keychain, log_files: LogFiles
) -> None:
    store, _cache = _populate(app_paths, keychain)
    with store:
        before = _files_under(app_paths.data_dir.parents[2])
        with pytest.raises(StoreInUse):
            erase_all_data(app_paths, keychain, log_files=log_files)
        assert _files_under(app_paths.data_dir.parents[2]) == before
        assert keychain.get(ALICE, SecretKind.SIP_PASSWORD) is not None


def test_without_a_keychain_the_files_still_go_and_the_error_says_what_remains(
    app_paths: AppPaths, keychain: Keychain, log_files: LogFiles
) -> None:
    store, _cache = _populate(app_paths, keychain)
    store.close()

    with pytest.raises(EraseIncomplete, match="keychain is not available"):
        erase_all_data(app_paths, None, log_files=log_files)

    assert _files_under(app_paths.data_dir.parents[2]) == []


def test_erase_refuses_a_directory_that_is_the_home_folder(
    tmp_path: Path, keychain: Keychain, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_home = tmp_path / "home"
    (fake_home / "Documents").mkdir(parents=True)
    (fake_home / "Documents" / "thesis.odt").write_text("precious")
    monkeypatch.setenv("HOME", str(fake_home))
    paths = AppPaths(data_dir=fake_home, cache_dir=tmp_path / "c", log_dir=tmp_path / "l", config_dir=tmp_path / "f")

    with pytest.raises(ValueError, match="not a CallClient directory"):
        erase_all_data(paths, keychain)

    assert (fake_home / "Documents" / "thesis.odt").read_text() == "precious"
