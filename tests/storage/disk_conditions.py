"""Real disk conditions for storage tests: a read-only folder and a full disk."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
from pathlib import Path

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


class ReadOnlySwitch:
    """Makes a directory read-only for real: a read-only bind mount as root (root ignores permission bits),
    plain permissions otherwise."""

    def __init__(self) -> None:
        self._mounted: list[Path] = []
        self._chmodded: list[tuple[Path, int]] = []

    def make_read_only(self, directory: Path) -> None:
        if IS_ROOT:
            run_command(["mount", "--bind", str(directory), str(directory)])
            self._mounted.append(directory)
            run_command(["mount", "-o", "remount,bind,ro", str(directory)])
        else:
            self._chmodded.append((directory, directory.stat().st_mode))
            directory.chmod(0o555)

    def restore(self) -> None:
        while self._mounted:
            run_command(["umount", str(self._mounted.pop())])
        while self._chmodded:
            directory, mode = self._chmodded.pop()
            directory.chmod(mode)


class FullDisk:
    """A directory whose disk can be filled up. As root: a small tmpfs filled with a ballast file, so writes
    fail with ENOSPC. Otherwise: RLIMIT_FSIZE at the current file sizes, so growing a file fails with EFBIG."""

    SIZE_BYTES = 1024 * 1024

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ballast = directory / "ballast"
        self._saved_limit: tuple[int, int] | None = None
        self._saved_handler: object = None

    def fill(self) -> None:
        if IS_ROOT:
            chunk = b"\0" * 4096
            fd = os.open(self._ballast, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                while True:
                    os.write(fd, chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
            finally:
                os.close(fd)
        else:
            largest = max((p.stat().st_size for p in self.directory.rglob("*") if p.is_file()), default=0)
            self._saved_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            self._saved_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (largest, self._saved_limit[1]))

    def free(self) -> None:
        if IS_ROOT:
            self._ballast.unlink(missing_ok=True)
        elif self._saved_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, self._saved_limit)
            signal.signal(signal.SIGXFSZ, self._saved_handler)  # type: ignore[arg-type]
            self._saved_limit = None


def run_command(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")
