"""Which CA file pjsip's TLS checks servers against when the configuration names none.

pjsip reads trust anchors from a PEM file only (TlsConfig.CaListFile): it cannot ask the Windows
certificate store or the macOS keychain, and `truststore` (which can) only serves Python's own ssl
module. So: on Linux and the BSDs, the distribution's bundle, which the system's trust tools keep
current; on Windows and macOS, where the path OpenSSL was built with usually does not exist, certifi's
Mozilla bundle.
"""

from __future__ import annotations

import logging
import os
import ssl
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

# Where distributions keep the system bundle (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/BSD).
_DISTRIBUTION_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/usr/local/share/certs/ca-root-nss.crt",
)


def certifi_bundle() -> str:
    try:
        import certifi
    except ImportError:
        return ""
    return certifi.where()


def choose_ca_file(configured: str, platform: str, openssl_default: str, certifi_path: str,
                   exists: Callable[[str], bool] = os.path.isfile) -> str:
    """The CA file to give pjsip. Pure: the platform (sys.platform), OpenSSL's default file and certifi's
    path are arguments, so every platform's choice can be tested anywhere.

    Empty only when nothing exists at all; then every server certificate fails verification, which is
    the safe failure (TLS stays verified by default).
    """
    if configured:
        return configured  # the admin's choice, even if missing: its absence must show as an error
    candidates: list[str] = []
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        candidates += [openssl_default, *_DISTRIBUTION_BUNDLES, certifi_path]
    else:  # win32, darwin: the system store is not a file pjsip can read
        candidates += [certifi_path, openssl_default]
    for path in candidates:
        if path and exists(path):
            return path
    return ""


def default_ca_file(configured: str = "") -> str:
    paths = ssl.get_default_verify_paths()
    chosen = choose_ca_file(configured, sys.platform, paths.cafile or paths.openssl_cafile or "", certifi_bundle())
    if not chosen:
        log.warning("no CA certificate file found: TLS servers cannot be verified (set sip.tls_ca_file)")
    return chosen
