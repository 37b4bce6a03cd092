"""The house's walls, checked on the real import graph (import-linter, contracts in pyproject.toml):
the windows import services, never the engine, the store, the PBX client or media; and imports flow one
way, ui -> callclient -> media. A stray import fails here, not in a review."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold() -> None:
    from importlinter.cli import lint_imports

    cwd = os.getcwd()
    os.chdir(REPO)  # import-linter reads pyproject.toml from the working directory
    try:
        assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True) == 0, \
            "an import breaks a contract: run `lint-imports` in the repository to see which"
    finally:
        os.chdir(cwd)


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
