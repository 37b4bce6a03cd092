"""`callclient config check FILE | show [--effective] [--origin] | schema`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from callclient.config.loader import ConfigError, merge, read_file_layer
from callclient.config.model import build
from callclient.config.schema import json_schema
from callclient.config.sources import ConfigSources, load_config


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="callclient config", description="Check and inspect the configuration.",
                                     allow_abbrev=False)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", allow_abbrev=False, help="validate a configuration file (as an admin file)")
    check.add_argument("file", type=Path)
    show = commands.add_parser("show", allow_abbrev=False, help="print the configuration in force")
    show.add_argument("--effective", action="store_true", help="the merged result of every layer (the default)")
    show.add_argument("--origin", action="store_true", help="say which layer each value came from")
    show.add_argument("--config", type=Path, metavar="FILE", help="your own configuration file")
    commands.add_parser("schema", allow_abbrev=False, help="print the JSON Schema of the configuration")
    options = parser.parse_args(list(argv))
    if options.command == "schema":
        print(json.dumps(json_schema(), indent=2))
        return 0
    if options.command == "check":
        return _check(options.file)
    return _show(options.config, options.origin)


def _check(path: Path) -> int:
    try:
        layer = read_file_layer(path, "system", {})
        if layer is None:
            print(f"{path}: no such file", file=sys.stderr)
            return 1
        build(merge([layer]), str(path))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    for warning in layer.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{path}: OK ({len(layer.accounts)} account(s), {len(layer.values)} setting(s))")
    return 0


def _show(user_file: Path | None, with_origin: bool) -> int:
    # `show` reports what is in force without calling the provisioning server: the cached remote copy.
    sources = dataclasses.replace(ConfigSources.for_platform(user_file=user_file), fetch_remote=False)
    try:
        loaded = load_config(sources)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    for warning in loaded.warnings:
        print(f"# warning: {warning}")
    by_section: dict[str, list[tuple[str, Any, str]]] = {}
    for layer_key, value in _effective(loaded).items():
        section, _, name = layer_key.partition(".")
        by_section.setdefault(section, []).append((name, value, loaded.origin(layer_key)))
    for section, entries in by_section.items():
        print(f"\n[{section}]")
        for name, value, origin in entries:
            locked = "  # locked" if loaded.locked(f"{section}.{name}") else ""
            note = f"  # from {origin}" if with_origin else ""
            print(f"{name} = {json.dumps(value)}{note}{locked}")
    for account in loaded.config.accounts:
        print("\n[[accounts]]")
        print(f'id = "{account.account_id}"')
        for name, value in vars(account).items():
            if name == "account_id":
                continue
            key = f"accounts.{account.account_id}.{name}"
            note = f"  # from {loaded.origin(key)}" if with_origin else ""
            locked = "  # locked" if loaded.locked(key) else ""
            print(f"{name} = {json.dumps(value)}{note}{locked}")
    return 0


def _effective(loaded: Any) -> dict[str, Any]:
    from dataclasses import asdict

    config = asdict(loaded.config)
    flat: dict[str, Any] = {}
    for section, table in config.items():
        if section in ("accounts",):
            continue
        if section == "codecs":
            flat["codecs.order"] = list(table)
            continue
        for name, value in table.items():
            flat[f"{section}.{name}"] = list(value) if isinstance(value, tuple) else value
    return flat
