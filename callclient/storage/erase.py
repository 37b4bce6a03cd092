"""Sign out and erase: one account's local traces, or everything CallClient ever wrote on this machine.

Each step runs even when an earlier one failed, so one broken part (a locked keychain, say) never leaves
the rest behind; what could not be erased is then reported together in `EraseIncomplete`.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

from callclient import APP_NAME
from callclient.logs import LogFiles
from callclient.storage.files import describe_os_error
from callclient.storage.keychain import Keychain, KeychainUnavailable
from callclient.storage.paths import RECORDINGS_DIR_NAME, AppPaths
from callclient.storage.recordings import erase_recordings
from callclient.storage.store import LocalStore
from callclient.storage.store_errors import StoreError, StoreInUse
from callclient.storage.store_lock import StoreLock
from callclient.storage.voicemail_cache import VoicemailCache

log = logging.getLogger(__name__)


class EraseIncomplete(Exception):
    def __init__(self, what: str, failures: list[str]) -> None:
        super().__init__(f"{what} was not complete: " + "; ".join(failures) + ". Fix this and erase again.")
        self.failures = failures


def erase_account(
    account_id: str,
    *,
    keychain: Keychain | None,
    store: LocalStore,
    voicemail_cache: VoicemailCache | None,
    log_files: LogFiles | None,
    recordings_dir: Path | None = None,
) -> None:
    """Removes the account's keychain entries, its rows in the store, its cached voicemail, the call
    recordings and the logs.

    Logs and recordings are shared by all accounts (a recording does not say which line it was made on)
    and may hold this one's calls anywhere, so they are erased whole. `recordings_dir` defaults to the
    folder beside the store (AppPaths.recordings_dir). `keychain` is None when the keychain could not be
    reached; that is reported, the rest still erased.
    """
    failures: list[str] = []
    if keychain is None:
        failures.append("the system keychain is not available, so the account's password and tokens remain there")
    else:
        try:
            keychain.delete_all_for_account(account_id)
        except KeychainUnavailable as error:
            failures.append(str(error))
    try:
        store.erase_account(account_id)
    except StoreError as error:
        failures.append(str(error))
    if voicemail_cache is not None:
        try:
            voicemail_cache.erase_account(account_id)
        except OSError as error:
            failures.append(f"cached voicemail could not be removed ({describe_os_error(error)})")
    try:
        erase_recordings(recordings_dir or store.path.parent / RECORDINGS_DIR_NAME)
    except OSError as error:
        failures.append(f"call recordings could not be removed ({describe_os_error(error)})")
    if log_files is not None:
        try:
            log_files.erase()
        except OSError as error:
            failures.append(f"log files could not be removed ({describe_os_error(error)})")
    if failures:
        raise EraseIncomplete(f"Erasing {account_id}", failures)
    log.info("erased the local data of an account")


def erase_all_data(
    paths: AppPaths,
    keychain: Keychain | None,
    *,
    account_ids: tuple[str, ...] = (),
    log_files: LogFiles | None = None,
) -> list[Path]:
    """Removes every keychain entry and every directory CallClient wrote; returns the directories removed.

    The store must be closed in this process first. Raises StoreInUse (nothing erased) while another
    CallClient runs, and EraseIncomplete listing whatever could not be removed.
    `account_ids` adds accounts known from configuration to those the keychain index lists.
    """
    for directory in paths.all_dirs():
        _refuse_unsafe_directory(directory)
    try:
        lock: StoreLock | None = StoreLock.acquire(paths.store_file)
    except StoreInUse:
        raise
    except StoreError as error:
        # The data folder cannot even hold a lock file (read-only, missing parent): no instance can be writing it.
        log.warning("erasing without the store lock: %s", error)
        lock = None
    try:
        failures = _erase_keychain(keychain, account_ids)
        if log_files is not None:
            log_files.close()
        removed = _remove_directories(paths.all_dirs(), failures)
    finally:
        if lock is not None:
            lock.release()
    if failures:
        raise EraseIncomplete("Erasing all CallClient data", failures)
    return removed


def _erase_keychain(keychain: Keychain | None, account_ids: tuple[str, ...]) -> list[str]:
    if keychain is None:
        return ["the system keychain is not available, so passwords and tokens remain there"]
    try:
        keychain.delete_everything(account_ids)
    except KeychainUnavailable as error:
        return [str(error)]
    return []


def _remove_directories(directories: tuple[Path, ...], failures: list[str]) -> list[Path]:
    removed = []
    for directory in directories:
        if not directory.exists():
            continue
        try:
            shutil.rmtree(directory)
        except OSError as error:
            failures.append(f"{directory} could not be removed ({describe_os_error(error)})")
            continue
        removed.append(directory)
        _remove_empty_app_parent(directory)
    return removed


def _refuse_unsafe_directory(directory: Path) -> None:
    """A misconfigured path must never turn erasing into deleting the user's home or a whole disk."""
    resolved = directory.resolve()
    home = Path.home().resolve()
    if resolved == home or resolved in home.parents or len(resolved.parts) < 3:
        raise ValueError(f"refusing to erase {directory}: it is not a CallClient directory")


def _remove_empty_app_parent(directory: Path) -> None:
    # On Linux the log dir is ~/.local/state/CallClient/log: its CallClient parent would stay behind, empty.
    parent = directory.parent
    if parent.name == APP_NAME:
        # Not empty means other CallClient directories live there; they are removed on their own.
        with contextlib.suppress(OSError):
            parent.rmdir()
