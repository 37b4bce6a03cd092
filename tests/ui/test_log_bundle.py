"""Settings → About → Export log bundle: the logs support asks for, with nothing secret in them."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from callclient.app import Core


def test_the_log_bundle_holds_the_logs_and_diagnostics_and_no_secret(core: Core, tmp_path: Path) -> None:
    late_secret = "learnt-later-7f3a9c"
    logging.getLogger("callclient.test").warning("a line written before the app knew %s was secret", late_secret)
    core.redaction.add_secret(late_secret)
    bundle = core.services.diagnostics.export_log_bundle(tmp_path / "logs.zip",
                                                         diagnostics=f"CallClient diagnostics {late_secret}")
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        contents = {name: archive.read(name).decode() for name in names}
    assert "diagnostics.txt" in names and any(name.startswith("callclient.log") for name in names)
    assert "a line written before the app knew" in "".join(contents.values())
    assert all(late_secret not in text for text in contents.values())
    assert bundle.stat().st_mode & 0o077 == 0, "only the user can read the bundle"
