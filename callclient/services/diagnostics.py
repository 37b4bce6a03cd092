"""Logs and what support asks for: the log level and SIP trace as the settings say, and the log bundle."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from typing import Any

from callclient.services.settings import SettingsChanged
from callclient.services.threads import ANY_THREAD, CALLER, WORKER, runs_on


class Diagnostics:
    def __init__(self, log_dir: Path, log_files: Any, redaction: Any) -> None:
        self._log_dir = log_dir
        self._log_files = log_files  # callclient.logs.LogFiles
        self._redaction = redaction  # callclient.logs.RedactionFilter

    @runs_on(CALLER)
    def apply_logging(self, app: Any) -> None:
        level = getattr(logging, str(app.logging.level).upper(), logging.INFO)
        logging.getLogger().setLevel(level)
        if self._log_files is not None:
            self._log_files.set_sip_trace(app.logging.sip_trace)

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: SettingsChanged) -> None:
        if change.touches("logging."):
            self.apply_logging(change.config.config)

    @runs_on(WORKER)
    def export_log_bundle(self, destination: Path, diagnostics: str = "") -> Path:
        """A zip for support: the log files (already redacted when written), passed through the redaction
        filter once more (a secret learnt after a line was written is caught now), plus `diagnostics`."""
        for handler in logging.getLogger().handlers:
            handler.flush()
        with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(self._log_dir.glob("*.log*")):
                text = path.read_text(encoding="utf-8", errors="replace")
                bundle.writestr(path.name, "\n".join(self._redaction.redact(line) for line in text.splitlines()))
            bundle.writestr("diagnostics.txt", self._redaction.redact(diagnostics))
        destination.chmod(0o600)
        return destination
