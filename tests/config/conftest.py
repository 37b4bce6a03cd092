from __future__ import annotations

from pathlib import Path

import pytest

from callclient.config import ConfigSources


class Files:
    """A system (admin) file and a user file in a temporary folder, and sources that read only them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.system = root / "etc" / "callclient.toml"
        self.user = root / "home" / "callclient.toml"
        self.system.parent.mkdir()
        self.user.parent.mkdir()

    def sources(self, **overrides: object) -> ConfigSources:
        values: dict = dict(system_file=self.system, user_file=self.user, cache_dir=self.root / "cache",
                            environ={"USER": "jdoe", "HOSTNAME": "desk-42", "CALLCLIENT_EMAIL": "jdoe@example.com"})
        values.update(overrides)
        return ConfigSources(**values)


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(tmp_path)


ADMIN = """
[[accounts]]
id = "office"
display_name = "${USER}"
user = "${USER}"
domain = "pbx.example.com"
transport = "tls"
srtp = "mandatory"

[policy]
recording_allowed = false

[locks]
keys = ["accounts.*.transport", "accounts.*.srtp", "policy.recording_allowed"]
"""
