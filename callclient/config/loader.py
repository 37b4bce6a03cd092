"""Reading, validating and merging the configuration layers.

Layers, lowest to highest: built-in defaults < the system-wide admin file < remote provisioning < the
user's own file < in-app preferences. Admin layers (system, remote) may lock keys; a higher layer that
sets a locked key is ignored for that key, with a warning that names the lock. An invalid layer is
rejected whole with a `ConfigError` naming the file, line and key; a caller that already runs keeps the
configuration it has.
"""

from __future__ import annotations

import difflib
import fnmatch
import getpass
import re
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callclient.config.schema import ACCOUNT_KEYS, ADMIN_ONLY, KEYS, SECTIONS, Key, defaults

ADMIN_KINDS = frozenset({"system", "remote"})
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


class ConfigError(Exception):
    """A layer that cannot be used. `str()` reads `FILE:LINE: KEY: what is wrong (expected ...)`."""

    def __init__(self, source: str, message: str, *, line: int | None = None, key: str | None = None,
                 expected: str | None = None) -> None:
        where = source + (f":{line}" if line else "")
        text = f"{where}: " + (f"{key}: " if key else "") + message + (f" (expected {expected})" if expected else "")
        super().__init__(text)
        self.source, self.line, self.key, self.expected = source, line, key, expected


@dataclass
class Layer:
    """One parsed, validated layer: flat dotted keys, plus accounts by id (each a dict of account keys)."""

    kind: str  # "default", "system", "remote", "user", "preferences"
    source: str  # file path or URL, for messages and `config show --origin`
    values: dict[str, Any] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # dotted key -> line, for messages about this layer
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.kind if self.kind in ("default", "preferences") else f"{self.kind} ({self.source})"


def key_lines(text: str) -> dict[str, int]:
    """Where each key is set: `section.key` or `accounts.N.key` (N counts [[accounts]] from 0) -> line."""
    found: dict[str, int] = {}
    prefix = ""
    account_index = -1
    header = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"-]+)\s*\]\]?")
    assignment = re.compile(r"^\s*([A-Za-z0-9_.\"-]+)\s*=")
    for number, raw in enumerate(text.splitlines(), start=1):
        if match := header.match(raw):
            name = match.group(2).replace('"', "")
            if match.group(1) == "[[":
                if name == "accounts":
                    account_index += 1
                    prefix = f"accounts.{account_index}."
                else:
                    prefix = f"{name}."
            else:
                prefix = f"{name}."
            found.setdefault(name, number)
        elif match := assignment.match(raw):
            found.setdefault(prefix + match.group(1).replace('"', ""), number)
    return found


def placeholder_values(environ: Mapping[str, str]) -> dict[str, str | None]:
    try:
        user = environ.get("USER") or environ.get("USERNAME") or getpass.getuser()
    except (OSError, KeyError):
        user = None
    return {
        "USER": user,
        "EMAIL": environ.get("CALLCLIENT_EMAIL") or environ.get("EMAIL"),
        "HOSTNAME": environ.get("HOSTNAME") or socket.gethostname(),
    }


def parse_layer(text: str, kind: str, source: str, environ: Mapping[str, str]) -> Layer:
    """Parses and validates one layer's TOML text; raises ConfigError for anything it cannot use."""
    try:
        return _parse_layer(text, kind, source, environ)
    except RecursionError:
        # tomllib parses arrays and inline tables recursively: a few hundred nested brackets (a hostile
        # provisioning answer, a corrupted file) exhaust Python's stack. No real config nests past three.
        raise ConfigError(source, "values are nested too deeply to be a CallClient configuration",
                          line=_deepest_line(text)) from None


def _deepest_line(text: str) -> int | None:
    depth = deepest = 0
    where = None
    for number, raw in enumerate(text.splitlines(), start=1):
        for char in raw:
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            if depth > deepest:
                deepest, where = depth, number
    return where


def _parse_layer(text: str, kind: str, source: str, environ: Mapping[str, str]) -> Layer:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        raise ConfigError(source, f"not valid TOML: {_toml_error_text(str(error))}", line=line) from None
    layer = Layer(kind=kind, source=source, lines=key_lines(text))
    values = placeholder_values(environ)
    for section, content in document.items():
        if section == "accounts":
            _read_accounts(layer, content, values)
            continue
        if section not in SECTIONS:
            _warn_unknown(layer, section, SECTIONS)
            continue
        if not isinstance(content, dict):
            raise ConfigError(source, "must be a table", line=layer.lines.get(section), key=section,
                              expected=f"a [{section}] section")
        for name, value in content.items():
            dotted = f"{section}.{name}"
            spec = KEYS.get(dotted)
            if spec is None:
                _warn_unknown(layer, dotted, [k for k in KEYS if k.startswith(section + ".")])
                continue
            if dotted in ADMIN_ONLY and kind not in ADMIN_KINDS:
                layer.warnings.append(f"{_where(layer, dotted)}: {dotted} is for administrators' files only; ignored")
                continue
            layer.values[dotted] = check_value(layer, dotted, spec, _expand(layer, dotted, value, values))
    return layer


def _read_accounts(layer: Layer, content: Any, placeholders: Mapping[str, str | None]) -> None:
    if not isinstance(content, list) or not all(isinstance(a, dict) for a in content):
        raise ConfigError(layer.source, "accounts are written as [[accounts]] tables", line=layer.lines.get("accounts"),
                          key="accounts", expected="[[accounts]] sections")
    for index, raw in enumerate(content):
        position = f"accounts.{index}"
        account_id = raw.get("id")
        if not isinstance(account_id, str):
            raise ConfigError(layer.source, "every account needs an id", line=layer.lines.get(f"{position}.id")
                              or _account_header_line(layer, index), key=f"{position}.id",
                              expected='a short name such as id = "office"')
        if account_id in layer.accounts:
            raise ConfigError(layer.source, f"the account id {account_id!r} is used twice",
                              line=layer.lines.get(f"{position}.id"), key=f"accounts.{account_id}.id")
        account: dict[str, Any] = {}
        for name, value in raw.items():
            dotted = f"{position}.{name}"
            spec = ACCOUNT_KEYS.get(name)
            if spec is None:
                _warn_unknown(layer, dotted, [f"{position}.{k}" for k in ACCOUNT_KEYS])
                continue
            account[name] = check_value(layer, dotted, spec, _expand(layer, dotted, value, placeholders))
        # Messages about this account name it by id from here on.
        for name in account:
            if f"{position}.{name}" in layer.lines:
                layer.lines[f"accounts.{account_id}.{name}"] = layer.lines[f"{position}.{name}"]
        layer.accounts[account_id] = account


def _account_header_line(layer: Layer, index: int) -> int | None:
    lines = sorted(line for key, line in layer.lines.items() if key.startswith(f"accounts.{index}."))
    return lines[0] if lines else layer.lines.get("accounts")


def _expand(layer: Layer, dotted: str, value: Any, placeholders: Mapping[str, str | None]) -> Any:
    if isinstance(value, list):
        return [_expand(layer, dotted, item, placeholders) for item in value]
    if not isinstance(value, str) or "${" not in value:
        return value

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in placeholders:
            raise ConfigError(layer.source, f"unknown placeholder ${{{name}}}", line=layer.lines.get(dotted),
                              key=dotted, expected="${USER}, ${EMAIL} or ${HOSTNAME}")
        replacement = placeholders[name]
        if not replacement:
            raise ConfigError(layer.source, f"the placeholder ${{{name}}} has no value on this machine",
                              line=layer.lines.get(dotted), key=dotted,
                              expected="CALLCLIENT_EMAIL or EMAIL set in the environment" if name == "EMAIL" else None)
        return replacement

    return _PLACEHOLDER.sub(substitute, value)


def check_value(layer: Layer, dotted: str, spec: Key, value: Any) -> Any:
    def fail(message: str) -> ConfigError:
        return ConfigError(layer.source, message, line=layer.lines.get(dotted), key=dotted, expected=spec.describe())

    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise fail(f"{value!r} is not true or false")
    elif spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f"{value!r} is not a whole number")
        if spec.minimum is not None and not spec.minimum <= value <= (spec.maximum or value):
            raise fail(f"{value} is out of range")
    elif spec.kind == "str":
        if not isinstance(value, str):
            raise fail(f"{value!r} is not a string")
    elif spec.kind == "list[str]":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f"{value!r} is not a list of strings")
    elif spec.kind == "choice":
        if isinstance(value, bool) or value not in spec.choices:
            raise fail(f"{value!r} is not allowed")
    if spec.check is not None and value not in ("", []):
        problem = spec.check(value)
        if problem:
            raise fail(problem)
    return value


def _warn_unknown(layer: Layer, dotted: str, known: list[str]) -> None:
    guess = difflib.get_close_matches(dotted, known, n=1, cutoff=0.6)
    hint = f"; did you mean {guess[0].replace('accounts.0.', 'accounts.')}?" if guess else ""
    layer.warnings.append(f"{_where(layer, dotted)}: unknown key {dotted}{hint} (ignored)")


def _where(layer: Layer, dotted: str) -> str:
    line = layer.lines.get(dotted) or layer.lines.get(dotted.split(".", 1)[0])
    return layer.source + (f":{line}" if line else "")


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _toml_error_text(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or message


# ---------------------------------------------------------------------------------------------- merging


@dataclass(frozen=True)
class Merged:
    values: dict[str, Any]
    accounts: dict[str, dict[str, Any]]
    origins: dict[str, str]  # dotted key (accounts.<id>.<key>) -> layer label
    locks: dict[str, str]  # lock pattern -> the admin layer that set it
    warnings: tuple[str, ...]


def merge(layers: list[Layer]) -> Merged:
    values = defaults()
    origins = {key: "default" for key in values}
    accounts: dict[str, dict[str, Any]] = {}
    locks: dict[str, str] = {}
    warnings: list[str] = []
    for layer in layers:
        warnings.extend(layer.warnings)
        for key, value in layer.values.items():
            if key != "locks.keys" and _refuse_locked(layer, key, locks, warnings):
                continue
            values[key] = value
            origins[key] = layer.label
        for account_id, fields in layer.accounts.items():
            if account_id not in accounts and layer.kind not in ADMIN_KINDS and _account_locked(locks):
                warnings.append(f"{_where(layer, f'accounts.{account_id}.id')}: your administrator does not allow "
                                f"adding accounts; account {account_id!r} ignored")
                continue
            merged = accounts.setdefault(account_id, {})
            for name, value in fields.items():
                dotted = f"accounts.{account_id}.{name}"
                if name != "id" and _refuse_locked(layer, dotted, locks, warnings):
                    continue
                merged[name] = value
                origins[dotted] = layer.label
        if layer.kind in ADMIN_KINDS:
            for pattern in layer.values.get("locks.keys", []):
                locks[pattern] = layer.label
    return Merged(values, accounts, origins, locks, tuple(warnings))


def _refuse_locked(layer: Layer, dotted: str, locks: Mapping[str, str], warnings: list[str]) -> bool:
    if layer.kind in ADMIN_KINDS:
        return False
    pattern = lock_for(dotted, locks)
    if pattern is None:
        return False
    warnings.append(f"{_where(layer, dotted)}: {dotted} is locked by your administrator ({locks[pattern]}); "
                    "your value is ignored")
    return True


def lock_for(dotted: str, locks: Mapping[str, str]) -> str | None:
    for pattern in locks:
        if fnmatch.fnmatchcase(dotted, pattern) or (pattern.endswith(".*") and dotted.startswith(pattern[:-1])):
            return pattern
    return None


def _account_locked(locks: Mapping[str, str]) -> bool:
    return "accounts" in locks


def read_file_layer(path: Path, kind: str, environ: Mapping[str, str]) -> Layer | None:
    """The layer in `path`, or None when the file does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(str(path), f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(str(path), "is not UTF-8 text", line=line) from None
    return parse_layer(text, kind, str(path), environ)
