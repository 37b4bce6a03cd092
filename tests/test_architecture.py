"""The house's walls, checked on the real import graph (import-linter, contracts in pyproject.toml):
the windows import services, never the engine, the store, the PBX client or media; and imports flow one
way, ui -> callclient -> media. A stray import fails here, not in a review."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold() -> None:
    # In a child process: import-linter configures logging with dictConfig, which disables every logger
    # that exists already (callclient.*), so the log tests that run after this one saw nothing of ours.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--config", "pyproject.toml", "--no-cache"], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, f"an import breaks a contract:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"


def test_no_window_module_names_a_part_behind_the_services() -> None:
    """The same rule read as text, so it also covers imports inside functions that a refactor might hide."""
    forbidden = ("callclient.engine", "callclient.storage", "callclient.pbx", "media.")
    offenders = []
    for path in (REPO / "ui").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and any(f" {name}" in stripped for name in forbidden):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {stripped}")
    assert offenders == []
