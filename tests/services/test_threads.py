"""Thread discipline of the services: importing Core starts no thread, and every service method that other
threads call says where it runs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import callclient.services as services_package
from callclient.services import alerting, calls, presence, settings
from callclient.services.threads import thread_of

REPO = Path(__file__).resolve().parents[2]


def test_importing_the_app_starts_no_thread_before_headless_mode_blocks_its_signals() -> None:
    """A thread that exists before `callclient --headless` blocks SIGTERM would take the signal and kill
    the process (numpy's OpenBLAS pool did once)."""
    probe = ("import os, callclient.cli, callclient.app, callclient.headless, callclient.control.server; "
             "print(len(os.listdir('/proc/self/task')))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1", "threads running after import"


def test_every_event_and_settings_reaction_names_its_thread() -> None:
    """Every service class (found by walking the package, so a new service is covered without editing this
    list) marks each of its `on_*` reactions with the thread it runs on."""
    classes = {cls for info in pkgutil.iter_modules(services_package.__path__)
               for _, cls in inspect.getmembers(importlib.import_module(f"callclient.services.{info.name}"),
                                                inspect.isclass)
               if cls.__module__.startswith("callclient.services.")}
    assert {settings.SettingsService, calls.CallActions, alerting.Alerting, presence.Presence} <= classes
    unmarked = sorted(f"{cls.__name__}.{name}" for cls in classes for name, member in inspect.getmembers(cls)
                      if name.startswith("on_") and callable(member) and thread_of(member) is None)
    assert unmarked == []
