"""Time from launch to a usable main window and to a registered account, phase by phase.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_startup.py [--runs 5] [--modes demo,real]

Each run starts a new Python process (this script with --child) that does what `python -m callclient`
does for the desktop (ui.main.run: QApplication, DesktopApp, Core started off the GUI thread) and reports
when the main window is shown and when the account is ready; the parent measures from the moment it
spawns the child. The child also times the parts of start-up it passes through (python imports, Qt,
keychain, store open, config, pjsua2 libCreate/libInit/transports/libStart, demo far ends and PBX, window
shown, registered) by wrapping those functions where Core looks them up: the code that runs is the
shipped code, only watched.

Modes: `demo` (no account: demo mode; "ready" is the demo line ready and the history loaded from the demo
PBX) and `real` (alice on a Kamailio on loopback, password in the keychain; "ready" is registered).
Cold: the first launch in a fresh home (no store, no keys, no caches: what a new user meets; the OS file
cache stays warm, this being a shared machine). Warm: a relaunch in the same home. Both run with compiled
bytecode (PYTHONPYCACHEPREFIX, primed by one uncounted launch), as an installed app has it. The sandbox (keyring,
PulseAudio, Kamailio) is set up once per mode, outside the measurement.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ui_sandbox import REPO, sandbox

T0_ENV = "CALLCLIENT_BENCH_T0"  # the parent's time.time() at spawn: the child's phases count from it
REAL_CONFIG_ENV = "CALLCLIENT_BENCH_CONFIG"
RESULT = "startup-phases "
TARGETS_S = {"window": 1.0, "ready-real": 1.5, "ready-demo": 2.0}


# ---------------------------------------------------------------- the child: one launch, watched


def child() -> int:
    """One launch through the shipped entry point (callclient.cli.main, as `python -m callclient` runs it),
    watched by import hooks: nothing is imported earlier than the app itself imports it."""
    t0 = float(os.environ[T0_ENV])
    phases: dict[str, list[float]] = {"interpreter": [0.0, time.time() - t0]}
    marks: dict[str, float] = {}

    def now() -> float:
        return time.time() - t0

    def watch_desktop(main_module: Any) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        desktop_class = main_module.DesktopApp
        original_start = desktop_class.start
        real = bool(os.environ.get(REAL_CONFIG_ENV))

        def start(desktop: Any) -> None:
            phases["Qt: QApplication + theme"] = [phases["import ui.main"][1], now()]
            marks["start"] = now()
            original_start(desktop)
            timer = QTimer(desktop)

            def check() -> None:  # what the user sees, checked on the GUI thread every few milliseconds
                window = desktop.window
                if window is None or not window.isVisible():
                    return
                marks.setdefault("window", now())
                marks.setdefault("window cpu", time.process_time())
                if window.registration_label.text().startswith("Ready"):
                    marks.setdefault("registered", now())
                    if real or window.history_view.model.rowCount() > 0:
                        marks["ready"] = now()
                        marks["ready cpu"] = time.process_time()
                        timer.stop()
                        window.quitting = True
                        QApplication.instance().quit()

            timer.timeout.connect(check)
            timer.start(5)
            QTimer.singleShot(60_000, QApplication.instance().quit)  # never hang the bench

        desktop_class.start = start

    hooks = {"callclient.app": lambda module: _watch(module, phases, now), "ui.main": watch_desktop,
             "callclient.demo": lambda module: _watch_demo(module, phases, now)}
    sys.meta_path.insert(0, _AfterImport(hooks, phases, now))
    config = os.environ.get(REAL_CONFIG_ENV)
    from callclient.cli import main as cli_main

    code = cli_main(["--config", config, "--no-demo"] if config else ["--demo"])
    if "ready" not in marks:
        print(f"not ready: {marks}", file=sys.stderr)
        return 1
    phases["window shown"] = [marks["start"], marks["window"]]
    print(RESULT + json.dumps({"marks": marks, "phases": phases}), flush=True)
    return code


class _AfterImport:
    """A meta-path finder that times the named modules' imports (with everything they import) and runs a
    hook on each right after it executed."""

    def __init__(self, hooks: dict[str, Any], phases: dict[str, list[float]], now: Any) -> None:
        self.hooks, self.phases, self.now = hooks, phases, now
        self.timed = {"PySide6.QtWidgets", *hooks}

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.timed:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        loader, hook, phases, now = spec.loader, self.hooks.get(name), self.phases, self.now
        original = loader.exec_module

        def exec_module(module: Any) -> None:
            began = now()
            original(module)
            phases[f"import {name}"] = [began, now()]
            if hook is not None:
                hook(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _watch_demo(demo_module: Any, phases: dict[str, list[float]], now: Any) -> None:
    from callclient.demo import far_ends as far_ends_module

    _wrap(demo_module.DemoServices, "start", "demo: services start", phases, now)
    _wrap(far_ends_module.DemoFarEnds, "__init__", "demo: far ends process ready", phases, now)


def _wrap(owner: Any, name: str, label: str, phases: dict[str, list[float]], now: Any) -> None:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        began = now()
        try:
            return original(*args, **kwargs)
        finally:
            phases.setdefault(label, [began, now()])

    setattr(owner, name, timed)


def _watch(app_module: Any, phases: dict[str, list[float]], now: Any) -> None:
    """Wraps the functions Core's start passes through so each records when it ran (first call only)."""
    import pjsua2 as pj

    from callclient.engine import core as core_module
    from callclient.services import accounts as accounts_module

    for owner, name, label in (
            (app_module, "Keychain", "keychain: open"),
            (app_module, "open_store", "store: open (key from keychain, SQLCipher)"),
            (app_module.Core, "_load", "config: load"),
            (app_module, "VoicemailCache", "voicemail cache: open"),
            (app_module.Core, "_audio_backend", "audio devices: resolve"),
            (app_module.SipEngine, "start", "engine: start (whole)"),
            (pj.Endpoint, "libCreate", "pjsua2: libCreate"),
            (pj.Endpoint, "libInit", "pjsua2: libInit"),
            (core_module, "create_transports", "pjsua2: transports"),
            (pj.Endpoint, "libStart", "pjsua2: libStart"),
            (accounts_module.AccountsService, "start", "accounts: start"),
            (app_module.Core, "_start_demo", "demo: far ends + PBX + sign-in"),
            (app_module.Core, "start", "Core.start (whole)")):
        _wrap(owner, name, label, phases, now)


# ---------------------------------------------------------------- the parent: runs and the table


def launch(env: dict[str, str], tree: Path = REPO) -> dict[str, Any]:
    """One launch of the app in `tree` (a checkout: this one, or an older one to compare with)."""
    env = {**env, T0_ENV: repr(time.time()), "PYTHONPATH": str(tree)}
    process = subprocess.run([sys.executable, str(tree / "bench" / "ui_startup.py"), "--child"], env=env, cwd=tree,
                             capture_output=True, text=True, timeout=120)
    for line in process.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT):])
    raise RuntimeError(f"the app never reported its start (exit {process.returncode}): {process.stderr[-3000:]}")


def fresh_home(env: dict[str, str]) -> None:
    """Forget everything a launch left: the data, config, cache and state directories and the keychain."""
    from callclient.storage.keychain import SERVICE_NAME, AppSecret, Keychain, system_keyring

    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = Path(env[name])
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
    keychain = Keychain(system_keyring(), service=SERVICE_NAME)
    for secret in AppSecret:
        keychain.delete_key(secret)  # the account's password stays: a cold start is a first start after sign-in


def run_mode(mode: str, runs: int, results: dict[str, list[dict[str, Any]]], trees: dict[str, Path]) -> None:
    with sandbox() as env:
        # Compiled bytecode, as an installed app has it (pip compiles at install): this machine's environment
        # sets PYTHONDONTWRITEBYTECODE, which would make every launch compile the app's sources again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(env["HOME"]).parent / "pycache")
        kamailio = None
        if mode == "real":
            kamailio = _real_account(env)
        try:
            for tree in trees.values():
                fresh_home(env)
                launch(env, tree)  # not counted: writes the bytecode and warms the OS file cache
            for _ in range(runs):
                for label, tree in trees.items():  # interleaved: the machine's load falls on each alike
                    name = f"{label} {mode}".strip()
                    fresh_home(env)
                    results.setdefault(f"{name} cold", []).append(launch(env, tree))
                    results.setdefault(f"{name} warm", []).append(launch(env, tree))
                    print(f"{name}: cold {results[f'{name} cold'][-1]['marks']}, "
                          f"warm {results[f'{name} warm'][-1]['marks']}", file=sys.stderr, flush=True)
        finally:
            if kamailio is not None:
                kamailio.stop()


def _real_account(env: dict[str, str]) -> Any:
    import tempfile

    from bench.sip_setup import kamailio_with_alice
    from callclient.storage.keychain import SERVICE_NAME

    kamailio, config = kamailio_with_alice(Path(tempfile.mkdtemp(prefix="cc-bench-kam-")), SERVICE_NAME)
    os.environ[REAL_CONFIG_ENV] = env[REAL_CONFIG_ENV] = str(config)
    return kamailio


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "—"


def report(results: dict[str, list[dict[str, Any]]], runs: int, load_before: tuple[float, ...]) -> None:
    load_after = os.getloadavg()
    print(f"\n{platform.node()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; median of {runs} runs\n")
    print("| Launch | main window shown (s) | account ready (s) | worst ready (s) | CPU to window / ready (s) "
          "| target |")
    print("|---|---|---|---|---|---|")
    for key, launches in results.items():
        mode = "real" if " real " in f" {key} " else "demo"
        ready = [r["marks"]["ready"] for r in launches]
        # The process's CPU time (all threads) when the window showed and when it was ready: what the launch
        # itself costs, far less sensitive than the wall clock to what else the machine is doing.
        cpu = f"{median([r['marks'].get('window cpu', math.nan) for r in launches])} / " \
              f"{median([r['marks'].get('ready cpu', math.nan) for r in launches])}"
        print(f"| {key} | {median([r['marks']['window'] for r in launches])} | {median(ready)} | "
              f"{max(ready):.2f} | {cpu} | window ≤ {TARGETS_S['window']} s, ready ≤ {TARGETS_S['ready-' + mode]} s |")
    print("\nPhases (median start → end, seconds from spawn; phases overlap where they run on other threads):\n")
    keys = list(results)
    print("| Phase | " + " | ".join(keys) + " |")
    print("|---|" + "---|" * len(keys))
    names: list[str] = []
    for launches in results.values():
        for r in launches:
            names.extend(n for n in r["phases"] if n not in names)
    names.sort(key=lambda n: statistics.median(r["phases"][n][0] for k in keys for r in results[k]
                                                if n in r["phases"]))
    for name in names:
        cells = []
        for key in keys:
            spans = [r["phases"][name] for r in results[key] if name in r["phases"]]
            if spans:
                start = statistics.median(s[0] for s in spans)
                length = statistics.median(s[1] - s[0] for s in spans)
                cells.append(f"{start:.2f} +{length:.2f}")
            else:
                cells.append("")
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="demo,real")
    parser.add_argument("--json", type=Path, help="also write every launch's marks and phases here")
    parser.add_argument("--compare", type=Path, metavar="CHECKOUT",
                        help="also launch the app in this older checkout (with this bench script copied in), "
                             "interleaved with this one: 'before' and 'after' under the same load")
    args = parser.parse_args()
    trees = {"": REPO} if args.compare is None else {"before": args.compare.resolve(), "after": REPO}
    load_before = os.getloadavg()
    results: dict[str, list[dict[str, Any]]] = {}
    for mode in args.modes.split(","):
        run_mode(mode, args.runs, results, trees)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    report(results, args.runs, load_before)
    return 0


if __name__ == "__main__":
    sys.exit(child() if "--child" in sys.argv else main())
