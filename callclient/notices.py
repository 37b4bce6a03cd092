"""CallClient's licence and the third-party notices, for Help → About and `callclient --version`-like views.

THIRD-PARTY-NOTICES is written by scripts/notices from the installed distributions. It travels with every
form of the app: at the top of a source checkout, inside the frozen build (build.spec puts it beside the
executable's data), and in an installed wheel's metadata (pyproject's license-files).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_LICENCE = "GPL-2.0-or-later"
NOTICES_FILE = "THIRD-PARTY-NOTICES"


class NoticesMissing(RuntimeError):
    """The notices file is not where this form of the app keeps it (a broken install or build)."""


@dataclass(frozen=True)
class Component:
    """A main part of CallClient for the About box: what it is called, what it does for us, its licence."""

    name: str
    role: str
    licence: str  # SPDX expression
    url: str


# The parts a user would recognise, in the order the About box lists them. Everything else, with versions
# and licence texts, is in the notices file.
MAIN_COMPONENTS: tuple[Component, ...] = (
    Component("PJSIP (pjsua2)", "SIP signalling, RTP/SRTP, ICE and codecs", "GPL-2.0-or-later",
              "https://www.pjsip.org"),
    Component("Qt for Python (PySide6)", "the windows", "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
              "https://pyside.org"),
    Component("WebRTC audio processing (via livekit)", "echo cancellation, noise suppression, gain control",
              "Apache-2.0", "https://github.com/livekit/python-sdks"),
    Component("PortAudio (via sounddevice)", "sound devices", "MIT", "https://www.portaudio.com"),
    Component("Opus (via opuslib)", "the Opus codec", "BSD-3-Clause", "https://opus-codec.org"),
    Component("SQLCipher (via sqlcipher3)", "encrypted local storage", "BSD-3-Clause AND Zlib",
              "https://www.zetetic.net/sqlcipher/"),
    Component("OpenSSL", "TLS and cryptography", "Apache-2.0 AND OpenSSL", "https://www.openssl.org"),
    Component("soxr", "resampling", "LGPL-2.1-or-later", "https://github.com/dofuuz/python-soxr"),
    Component("NumPy", "audio buffers", "BSD-3-Clause", "https://numpy.org"),
    Component("keyring", "the system keychain", "MIT", "https://github.com/jaraco/keyring"),
    Component("HTTPX and websockets", "the phone system's API and live events", "BSD-3-Clause",
              "https://www.python-httpx.org"),
)


def main_components() -> tuple[Component, ...]:
    """The main components for the About box, most important first."""
    return MAIN_COMPONENTS


def _candidate_paths() -> list[Path]:
    paths = []
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller's folder for the frozen build's data
    if bundle:
        paths.append(Path(bundle) / NOTICES_FILE)
    paths.append(Path(__file__).resolve().parents[1] / NOTICES_FILE)  # a source checkout or editable install
    return paths


def third_party_notices() -> str:
    """The full third-party notices: every bundled distribution's name, version, licence, URL and text.

    Raises NoticesMissing when this form of the app does not carry them."""
    for path in _candidate_paths():
        if path.is_file():
            return path.read_text(encoding="utf-8")
    from importlib import metadata  # here: ~10 ms at every start for what the About page shows

    try:  # an installed wheel: core metadata 2.4 keeps license-files under .dist-info/licenses/
        text = metadata.distribution("callclient").read_text(f"licenses/{NOTICES_FILE}")
    except metadata.PackageNotFoundError:
        text = None
    if text:
        return text
    raise NoticesMissing(f"{NOTICES_FILE} is missing from this installation of CallClient; "
                         f"looked in {', '.join(str(p) for p in _candidate_paths())} and the package metadata")
