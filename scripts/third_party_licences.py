"""What CallClient ships from others, under which licences, and whether they fit CallClient's own.

CallClient is GPL-2.0-or-later (PJSIP, which it links through pjsua2-python, is GPL-2.0-or-later unless a
commercial PJSIP licence is bought). A distributed build is one combined work, so each component's licence
must let the whole be conveyed under some version of the GNU GPL that "or later" allows: GPL-2.0 or GPL-3.0.
Each licence below says which of the two it fits. Apache-2.0 and (L)GPL-3.0 fit only GPL-3.0, so a build
that contains them (livekit, aiohttp's parts, PySide6 under its LGPL-3.0 option, OpenSSL 3 inside
cryptography and sqlcipher3) is conveyed as a whole under GPL-3.0, which CallClient's "or later" permits.

Used by scripts/notices (writes THIRD-PARTY-NOTICES from the installed distributions, with pip-licenses)
and by tests/test_licences.py (fails when a runtime dependency's licence is unknown or does not fit).

    python scripts/third_party_licences.py [--output FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
PROJECT_LICENCE = "GPL-2.0-or-later"
GPL2, GPL3 = "GPL-2.0", "GPL-3.0"

# Licence (SPDX id) -> the GPL versions a combined work containing it can be conveyed under.
# Sources: FSF's list of GPL-compatible licences (gnu.org/licenses/license-list.html) and each licence's text.
GPL_VERSIONS_FITTING: dict[str, frozenset[str]] = {
    # Permissive: fit any GPL.
    "MIT": frozenset({GPL2, GPL3}),
    "MIT-0": frozenset({GPL2, GPL3}),
    "BSD-2-Clause": frozenset({GPL2, GPL3}),
    "BSD-3-Clause": frozenset({GPL2, GPL3}),
    "0BSD": frozenset({GPL2, GPL3}),
    "ISC": frozenset({GPL2, GPL3}),
    "Zlib": frozenset({GPL2, GPL3}),
    "PSF-2.0": frozenset({GPL2, GPL3}),  # the Python licence since 2.0.1, GPL-compatible per the FSF
    "CC0-1.0": frozenset({GPL2, GPL3}),
    "Unlicense": frozenset({GPL2, GPL3}),
    # MPL-2.0 names "GPL-2.0 or later" among its Secondary Licenses (section 3.3), unless marked otherwise.
    "MPL-2.0": frozenset({GPL2, GPL3}),
    # Weak and strong copyleft.
    "LGPL-2.1-or-later": frozenset({GPL2, GPL3}),
    "LGPL-2.1-only": frozenset({GPL2}),  # section 3 lets it become GPL-2.0 (or later, which we do not need)
    "LGPL-3.0-only": frozenset({GPL3}),
    "LGPL-3.0-or-later": frozenset({GPL3}),
    "GPL-2.0-only": frozenset({GPL2}),
    "GPL-2.0-or-later": frozenset({GPL2, GPL3}),
    "GPL-3.0-only": frozenset({GPL3}),
    "GPL-3.0-or-later": frozenset({GPL3}),
    # The GCC Runtime Library Exception lets the runtime (libgfortran, libquadmath...) go with any licence.
    "GPL-3.0-or-later WITH GCC-exception-3.1": frozenset({GPL2, GPL3}),
    # Apache-2.0's patent and indemnity terms are "further restrictions" under GPL-2.0; GPL-3.0 accepts them.
    "Apache-2.0": frozenset({GPL3}),
}

# Licence strings found in distributions' metadata that are not SPDX ids, each mapped by hand after
# reading the distribution's licence file. Anything else that is not SPDX is "unknown" and fails the test.
SPDX_OF_FREE_TEXT: dict[str, str] = {
    "Apache 2.0": "Apache-2.0",
    "Apache Software License": "Apache-2.0",
    "BSD 3-Clause License": "BSD-3-Clause",
    "3-Clause BSD License": "BSD-3-Clause",
    "MIT license": "MIT",
    "MIT License": "MIT",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GPL-3.0": "GPL-3.0-only",
}


@dataclass(frozen=True)
class Override:
    licence: str
    url: str
    why: str


# Distributions whose metadata names no licence (or a wrong one): the licence, and how we know it.
OVERRIDES: dict[str, Override] = {
    "pjsua2-python": Override(
        "GPL-2.0-or-later", "https://github.com/pjsip/pjproject",
        "The wheel declares no licence; it packages PJSIP (pjproject) 2.15.1, whose COPYING is GPL-2.0-or-later "
        "(Teluu also sells commercial licences, which CallClient does not hold)."),
    "sqlcipher3": Override(
        "Zlib AND BSD-3-Clause AND Apache-2.0", "https://github.com/coleifer/sqlcipher3",
        "The wheel declares no licence; its LICENSE is the zlib licence (the pysqlite binding). It links "
        "SQLCipher (BSD-3-Clause, Zetetic) and OpenSSL 3 (Apache-2.0) statically."),
    "pyside6-essentials": Override(
        "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", "https://pyside.org",
        "Qt for Python's own statement; the wheel ships no licence file, the texts are in THIRD-PARTY-NOTICES."),
    "shiboken6": Override(
        "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", "https://pyside.org",
        "Part of Qt for Python, same terms as PySide6."),
    "ldap3": Override(
        "LGPL-3.0-or-later", "https://github.com/cannatag/ldap3",
        "pip-licenses reads UNKNOWN; its classifier is LGPLv3 and its LICENSE.txt says LGPL v3 'or (at your "
        "option) any later version'."),
    "python-xlib": Override(
        "LGPL-2.1-or-later", "https://github.com/python-xlib/python-xlib",
        "The wheel declares no licence classifier; its LICENSE is the GNU LGPL 2.1 'or any later version'."),
}


@dataclass(frozen=True)
class NativeLibrary:
    """A shared library a wheel carries next to its Python code (auditwheel's `<name>.libs/` folders)."""

    file_prefix: str
    name: str
    licence: str
    url: str


# Every native library the runtime wheels bring; a new one makes the test fail until it is listed here.
NATIVE_LIBRARIES: tuple[NativeLibrary, ...] = (
    # OpenSSL before 3.0 is under the OpenSSL and SSLeay licences, whose advertising clauses the FSF
    # counts as incompatible with every GPL version. See KNOWN_CONFLICTS.
    NativeLibrary("libssl-", "OpenSSL 1.0.2k (inside pjsua2-python)", "OpenSSL", "https://www.openssl.org"),
    NativeLibrary("libcrypto-", "OpenSSL 1.0.2k (inside pjsua2-python)", "OpenSSL",
                  "https://www.openssl.org"),
    NativeLibrary("libgssapi_krb5-", "MIT Kerberos", "MIT", "https://web.mit.edu/kerberos/"),
    NativeLibrary("libkrb5-", "MIT Kerberos", "MIT", "https://web.mit.edu/kerberos/"),
    NativeLibrary("libkrb5support-", "MIT Kerberos", "MIT", "https://web.mit.edu/kerberos/"),
    NativeLibrary("libk5crypto-", "MIT Kerberos", "MIT", "https://web.mit.edu/kerberos/"),
    NativeLibrary("libcom_err-", "e2fsprogs com_err", "MIT", "https://e2fsprogs.sourceforge.net"),
    NativeLibrary("libkeyutils-", "keyutils", "LGPL-2.1-or-later",
                  "https://git.kernel.org/pub/scm/linux/kernel/git/dhowells/keyutils.git"),
    NativeLibrary("libpcre-", "PCRE 8", "BSD-3-Clause", "https://www.pcre.org"),
    NativeLibrary("libselinux-", "libselinux", "CC0-1.0", "https://github.com/SELinuxProject/selinux"),  # public domain
    NativeLibrary("libscipy_openblas", "OpenBLAS (inside numpy)", "BSD-3-Clause", "https://www.openblas.net"),
    NativeLibrary("libgfortran-", "GCC Fortran runtime (inside numpy)", "GPL-3.0-or-later WITH GCC-exception-3.1",
                  "https://gcc.gnu.org"),
    NativeLibrary("libquadmath-", "GCC quadmath runtime (inside numpy)", "LGPL-2.1-or-later", "https://gcc.gnu.org"),
)

# Known conflicts, each with what resolves it. The licence test marks these as expected failures that must
# disappear (strict), so fixing one turns the test red until the entry goes.
KNOWN_CONFLICTS: dict[str, str] = {
    "OpenSSL": (
        "pjsua2-python's Linux wheel bundles OpenSSL 1.0.2k (libssl/libcrypto 1.0.2k from CentOS 7). Its "
        "OpenSSL/SSLeay licence is incompatible with the GPL, and PJSIP's terms carry no OpenSSL linking "
        "exception that we found, so a build that ships it cannot be distributed. Fix: build pjsua2 against "
        "OpenSSL 3 (Apache-2.0, fits GPL-3.0), e.g. our own wheel of pjproject 2.15.1 on manylinux_2_28."),
}


# Standard licence texts for distributions that ship none (Debian's copies; the generator runs on Debian).
STANDARD_TEXTS: dict[str, Path] = {
    "GPL-2.0-only": Path("/usr/share/common-licenses/GPL-2"),
    "GPL-2.0-or-later": Path("/usr/share/common-licenses/GPL-2"),
    "GPL-3.0-only": Path("/usr/share/common-licenses/GPL-3"),
    "LGPL-3.0-only": Path("/usr/share/common-licenses/LGPL-3"),
}


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str  # an SPDX expression
    url: str
    licence_text: str
    note: str = ""


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements(pyproject: Path = REPO / "pyproject.toml") -> list[Requirement]:
    """The [project] dependencies (no extras: tests, benchmarks and build tools do not ship)."""
    project = tomllib.loads(pyproject.read_text())["project"]
    return [Requirement(text) for text in project["dependencies"]]


def runtime_distributions(requirements: Iterable[Requirement]) -> list[metadata.Distribution]:
    """The installed distributions the requirements pull in, transitively, for this platform."""
    found: dict[str, metadata.Distribution] = {}
    environment = default_environment()
    pending: list[tuple[Requirement, tuple[str, ...]]] = [(r, ()) for r in requirements]
    while pending:
        requirement, extras = pending.pop()
        if requirement.marker is not None and not any(
                requirement.marker.evaluate({**environment, "extra": extra}) for extra in (extras or ("",))):
            continue
        key = canonical_name(requirement.name)
        if key in found:
            continue
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"{requirement.name} is required but not installed; run ./scripts/bootstrap") from None
        found[key] = distribution
        pending.extend((Requirement(text), tuple(requirement.extras)) for text in distribution.requires or ())
    return sorted(found.values(), key=lambda d: canonical_name(d.metadata["Name"]))


def _pip_licenses(names: list[str]) -> list[dict[str, str]]:
    done = subprocess.run(
        [sys.executable, "-m", "piplicenses", "--format=json", "--from=mixed", "--with-urls",
         "--with-license-file", "--no-license-path", "--packages", *names],  # for URLs and licence texts
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"pip-licenses failed ({done.returncode}): {done.stderr.strip()}; "
                         "install the test extras: ./scripts/bootstrap")
    return json.loads(done.stdout)


def spdx_expression(text: str) -> str | None:
    """`text` as a canonical SPDX expression, or None when it is not one."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    text = SPDX_OF_FREE_TEXT.get(text.strip(), text.strip())
    try:
        return canonicalize_license_expression(text) if text else None
    except InvalidLicenseExpression:
        return None


def declared_licence(distribution: metadata.Distribution) -> str | None:
    """The distribution's licence as it declares it: License-Expression (core metadata 2.4), else a License
    field that is an SPDX expression or a string we mapped, else its licence classifiers (several together
    are read as AND, the cautious reading). None when it declares nothing we can read."""
    fields = distribution.metadata
    for text in (fields.get("License-Expression"), fields.get("License")):
        if text and (expression := spdx_expression(text)):
            return expression
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in fields.get_all("Classifier") or ()
                   if c.startswith("License ::")]
    expressions = [spdx_expression(c) for c in classifiers]
    if not expressions or None in expressions:
        return None
    unique = list(dict.fromkeys(e for e in expressions if e))
    return unique[0] if len(unique) == 1 else " AND ".join(f"({e})" for e in unique)


def python_components(distributions: list[metadata.Distribution]) -> list[Component]:
    rows = {canonical_name(row["Name"]): row for row in _pip_licenses([d.metadata["Name"] for d in distributions])}
    components = []
    for distribution in distributions:
        key = canonical_name(distribution.metadata["Name"])
        row = rows.get(key, {})
        override = OVERRIDES.get(key)
        licence = override.licence if override else (declared_licence(distribution) or "UNKNOWN")
        url = override.url if override else row.get("URL", "UNKNOWN")
        text = row.get("LicenseText", "UNKNOWN")
        components.append(Component(distribution.metadata["Name"], distribution.version, licence, url,
                                    "" if text == "UNKNOWN" else text, override.why if override else ""))
    return components


def native_library_files(distributions: list[metadata.Distribution]) -> list[tuple[str, str]]:
    """(distribution name, file name) of every shared library in a wheel's `.libs/` folder."""
    files = []
    for distribution in distributions:
        for path in distribution.files or ():
            parts = path.parts
            if len(parts) >= 2 and parts[0].endswith(".libs") and ".so" in parts[-1]:
                files.append((distribution.metadata["Name"], parts[-1]))
    return sorted(files)


def native_library(file_name: str) -> NativeLibrary | None:
    return next((lib for lib in NATIVE_LIBRARIES if file_name.startswith(lib.file_prefix)), None)


def gpl_versions_fitting(expression: str) -> frozenset[str] | None:
    """The GPL versions a combined work with this licence can be conveyed under (empty: none); None when a
    licence in the expression is unknown. OR offers a choice (union), AND imposes both (intersection)."""
    tokens = re.findall(r"\(|\)|[^\s()]+(?: WITH [^\s()]+)?", expression)
    position = 0

    def parse_or() -> frozenset[str] | None:
        nonlocal position
        result = parse_and()
        while position < len(tokens) and tokens[position] == "OR":
            position += 1
            right = parse_and()
            result = None if result is None or right is None else result | right
        return result

    def parse_and() -> frozenset[str] | None:
        nonlocal position
        result = parse_leaf()
        while position < len(tokens) and tokens[position] == "AND":
            position += 1
            right = parse_leaf()
            result = None if result is None or right is None else result & right
        return result

    def parse_leaf() -> frozenset[str] | None:
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            inner = parse_or()
            position += 1  # ")"
            return inner
        if token == "OpenSSL":  # the OpenSSL/SSLeay licence of OpenSSL before 3.0: advertising clauses
            return frozenset()
        return GPL_VERSIONS_FITTING.get(token)

    return parse_or()


def render_notices(components: list[Component], native: list[tuple[str, str]]) -> str:
    lines = [
        "CallClient — third-party notices",
        "",
        f"CallClient is free software under {PROJECT_LICENCE} (see LICENSE). It is distributed together with the",
        "components below, each under its own licence. Because some of them are under Apache-2.0 or",
        "(L)GPL-3.0, a build that contains them is conveyed as a whole under GPL-3.0, which CallClient's",
        '"or later" permits. Written by scripts/notices from the installed distributions; do not edit.',
        "",
        "Python distributions",
        "--------------------",
        "",
    ]
    width = max(len(c.name) for c in components)
    for component in components:
        lines.append(f"{component.name:<{width}}  {component.version:<14} {component.licence}")
        lines.append(f"{'':<{width}}  {component.url}")
    lines += ["", "Native libraries inside those wheels", "------------------------------------", ""]
    for owner, file_name in native:
        library = native_library(file_name)
        described = f"{library.name}: {library.licence}, {library.url}" if library else "UNKNOWN"
        lines.append(f"{owner}: {file_name} — {described}")
    lines += ["", "Licence texts", "-------------"]
    for component in components:
        lines += ["", "=" * 78, f"{component.name} {component.version} — {component.licence}", "=" * 78]
        if component.note:
            lines += [component.note, ""]
        lines.append(component.licence_text.strip() or
                     f"(The distribution ships no licence file; the {component.licence} text follows below.)")
    referenced = {leaf for c in components if not c.licence_text.strip()
                  for leaf in re.findall(r"[A-Za-z0-9.+-]+", c.licence) if leaf in STANDARD_TEXTS}
    by_file: dict[Path, list[str]] = {}
    for spdx_id in sorted(referenced | {"GPL-3.0-only"}):  # GPL-3.0: the terms a whole build is conveyed under
        by_file.setdefault(STANDARD_TEXTS[spdx_id], []).append(spdx_id)
    for text_file, spdx_ids in by_file.items():
        if text_file.is_file():
            lines += ["", "=" * 78, f"{', '.join(spdx_ids)} (standard text)", "=" * 78, text_file.read_text().strip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write THIRD-PARTY-NOTICES from the installed distributions.")
    parser.add_argument("--output", type=Path, default=REPO / "THIRD-PARTY-NOTICES")
    options = parser.parse_args(argv)
    distributions = runtime_distributions(runtime_requirements())
    components = python_components(distributions)
    options.output.write_text(render_notices(components, native_library_files(distributions)))
    unknown = [c.name for c in components if c.licence == "UNKNOWN"]
    print(f"notices: wrote {options.output} ({len(components)} distributions)")
    if unknown:
        print(f"notices: licence unknown for {', '.join(unknown)}: add them to OVERRIDES in {__file__}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
