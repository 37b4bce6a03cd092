"""The app's lock, run as the throwaway user against the private system bus (tests/storage/test_app_lock_polkit.py).

It builds the shipped lock service on the shipped polkit lock and takes commands on stdin (lock, unlock,
cancel); every LockChanged it publishes goes to stdout as one JSON line.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from types import SimpleNamespace

from callclient.services.lock import AppLockService
from callclient.storage.app_lock_polkit import PolkitLock

CONFIG = SimpleNamespace(ui=SimpleNamespace(app_lock=True),
                         policy=SimpleNamespace(lock_after_idle_minutes=0, hide_caller_when_locked=False),
                         dialplan=SimpleNamespace(emergency_numbers=("112",), region=""))


def say(item: object) -> None:
    print(json.dumps(item), flush=True)


def main() -> None:
    service = AppLockService(PolkitLock(), lambda: CONFIG, lambda state: say(dataclasses.asdict(state)))
    available, why = service.availability()
    say({"pid": os.getpid(), "uid": os.getuid(), "available": available, "why": why})
    service.start()
    for line in sys.stdin:
        command = line.strip()
        if command == "lock":
            service.lock_now("test")
        elif command == "unlock":
            service.request_unlock("Unlock CallClient to see your voicemail")
        elif command == "cancel":
            service.cancel_unlock()
    service.stop()


if __name__ == "__main__":
    main()
