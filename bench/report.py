"""How a bench reports its figures: the machine they were measured on, a percentile, and its own section of
docs/benchmarks.md (replaced in place, everyone else's sections left alone)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine(with_qt: bool = False) -> str:
    """CPU model, cores, OS and Python (and PySide6 when `with_qt`: GUI figures depend on its version)."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    qt = ""
    if with_qt:
        try:
            import PySide6

            qt = f", PySide6 {PySide6.__version__}"
        except ImportError:
            pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}{qt}")


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile (no interpolation: a figure that was really measured)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def replace_section(heading: str, body: str) -> None:
    """Replaces our `## ...` section in docs/benchmarks.md, leaving everyone else's sections alone."""
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    start = text.find(heading + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + body.rstrip("\n") + "\n\n" + (text[end + 1:] if end >= 0 else "")
    DOCS.write_text(text.rstrip("\n") + "\n")
