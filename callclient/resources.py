"""Where the app's own files (sounds, icons, translations under resources/) are, checkout or frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(relative: str) -> Path:
    """A file under resources/: beside the package in a checkout, or in a frozen app's bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
    return base / "resources" / relative
