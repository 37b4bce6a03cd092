"""The `callclient` command: the app, its headless mode, and the control of a running instance.

    callclient                         the desktop app (demo mode when no account is configured)
    callclient sip:1002@pbx | tel:+33… a click-to-dial link: handed to the running instance, or the app starts
    callclient --headless --config F   no window: servers, tests, automation
    callclient call 1002 | answer | hangup | hold | resume | dtmf 123 | transfer 1003 | status | …
    callclient set audio.ring_device speaker | reload      change settings of the running instance
    callclient config check F | show [--effective] [--origin] | schema
    callclient --erase-all-data        remove every account's keychain entries and all local data (asks; --yes)
    callclient --version

docs/control.md documents the control verbs; docs/admin-guide.md the configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from callclient import APP_NAME, __version__

LINK_SCHEMES = ("sip:", "sips:", "tel:", "callto:")

# Control verbs as commands: name -> (positional argument or None, help).
CONTROL_COMMANDS: dict[str, tuple[str | None, str]] = {
    "call": ("target", "place a call to a number, extension or SIP URI"),
    "answer": (None, "answer the ringing call"),
    "decline": (None, "decline the ringing call"),
    "hangup": (None, "hang up the current call"),
    "hold": (None, "put the current call on hold"),
    "resume": (None, "take the call off hold"),
    "mute": (None, "mute the microphone in the call"),
    "unmute": (None, "unmute the microphone"),
    "dtmf": ("digits", "send keypad digits (0-9 * # A-D) in the call"),
    "transfer": ("target", "blind-transfer the current call"),
    "dnd": ("state", "do not disturb: on or off"),
    "status": (None, "print accounts and calls as JSON"),
    "set": ("key", "change a setting (KEY VALUE; VALUE as JSON or plain text), as the Settings window does"),
    "reload": (None, "re-read the configuration files and remote provisioning now"),
    "lookup": ("term", "search every contact source (directory, favorites, history...) and print JSON"),
    "whois": ("number", "print, as JSON, the name a call from NUMBER would show"),
}


def link_target(uri: str) -> str:
    """What to dial for a sip:/sips:/tel:/callto: link (callto://1002 and callto:1002 dial 1002)."""
    if uri.lower().startswith("callto:"):
        return uri[len("callto:"):].lstrip("/")
    return uri


def is_link(text: str) -> bool:
    return text.lower().startswith(LINK_SCHEMES)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CONTROL_COMMANDS:
        return _control_command(args)
    if args and args[0] == "config":
        from callclient.config.commands import main as config_main

        return config_main(args[1:])
    return _launch(args)


def _launch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callclient",
        # No abbreviations: `callclient --e` was taken for --erase-all-data and erased everything.
        allow_abbrev=False,
        description=f"{APP_NAME}: a SIP softphone for your organisation's phone system.",
        epilog="Control a running instance with: callclient {" + ",".join(CONTROL_COMMANDS) + "} …; "
        "configuration: callclient config {check,show,schema}.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--headless", action="store_true", help="run without a window (servers, tests, automation)")
    parser.add_argument("--config", type=Path, metavar="FILE", help="your own configuration file (TOML)")
    demo = parser.add_mutually_exclusive_group()
    demo.add_argument("--demo", dest="demo", action="store_true", default=None,
                      help="run the built-in demo far ends and demo PBX")
    demo.add_argument("--no-demo", dest="demo", action="store_false", help="never start demo mode")
    parser.add_argument("--no-audio", dest="audio", action="store_false",
                        help="use no sound device (calls connect silently): servers and automation")
    parser.add_argument("--erase-all-data", action="store_true",
                        help="remove every account's keychain entries and all of CallClient's local data "
                             "(asks first; without a terminal it needs --yes)")
    parser.add_argument("--yes", action="store_true", help="with --erase-all-data: do not ask, erase")
    parser.add_argument("link", nargs="?", metavar="URI", help="a sip:, sips:, tel: or callto: link to dial")
    return parser


def _launch(args: list[str]) -> int:
    parser = _launch_parser()
    options = parser.parse_args(args)
    if options.link is not None and not is_link(options.link):
        parser.error(f"{options.link!r} is not a sip:, sips:, tel: or callto: link "
                     f"(to call a number in the running app: callclient call {options.link})")
    if options.yes and not options.erase_all_data:
        parser.error("--yes only confirms --erase-all-data")
    if options.erase_all_data:
        if not options.yes and not _confirm_erase():
            return 1
        return _erase_all_data(options.config)

    if options.headless:
        # Block the stop signals before the imports below start any thread (numpy's OpenBLAS pool): a thread
        # inherits the mask, and one started unblocked would take SIGTERM's default action and kill the process
        # instead of letting run_headless's sigwait stop it cleanly.
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    from callclient.app import CoreOptions
    from callclient.control.client import ControlClient, ControlError, NotRunning
    from callclient.control.protocol import socket_path

    control_path = socket_path()
    target = link_target(options.link) if options.link else None
    if not options.headless:
        # Single instance: a second launch hands its link (or just "come to the front") to the first.
        try:
            with ControlClient(control_path) as client:
                if target:
                    client.request("open", uri=target)
                else:
                    client.request("show")
            return 0
        except NotRunning:
            pass
        except ControlError as error:
            print(f"callclient: the running instance refused: {error}", file=sys.stderr)
            if error.foreign_domain:
                print(f"callclient: not called: {error.foreign_domain}", file=sys.stderr)
            return 1
    core_options = CoreOptions(config_file=options.config, demo=options.demo, dial=target,
                               use_sound_devices=options.audio)
    if options.headless:
        from callclient.headless import run_headless

        return run_headless(core_options, control_path)
    from ui.main import run

    return run(core_options, [sys.argv[0], *args])


def _control_command(args: list[str]) -> int:
    from callclient.control.client import ControlClient, ControlError, NotRunning
    from callclient.control.protocol import socket_path

    verb = args[0]
    positional, help_text = CONTROL_COMMANDS[verb]
    parser = argparse.ArgumentParser(prog=f"callclient {verb}", description=help_text, allow_abbrev=False)
    if positional:
        parser.add_argument(positional)
    if verb == "set":
        parser.add_argument("value", help='the value: JSON (true, 5, ["PCMU/8000"]) or plain text')
    if verb == "call":
        parser.add_argument("--account", help="the account to call from (default: the first registered)")
        parser.add_argument("--allow-foreign-domain", action="store_true", default=None,
                            help="call the target even though it is outside your account's domain "
                                 "(check the full address first: the call leaves your organisation's PBX)")
    elif verb not in ("status", "dnd", "set", "reload", "lookup", "whois"):
        parser.add_argument("--call", help="the call to act on (default: the current one)")
    options = vars(parser.parse_args(args[1:]))
    request: dict[str, object] = {k: v for k, v in options.items() if v is not None}
    if verb == "dnd":
        state = request.pop("state")
        if state not in ("on", "off"):
            parser.error("do not disturb is either on or off")
        request["enabled"] = state == "on"
    try:
        with ControlClient(socket_path()) as client:
            result = client.request(verb, **request)
    except NotRunning as error:
        print(f"callclient: {error}. Start it first: callclient (or callclient --headless).", file=sys.stderr)
        return 3
    except ControlError as error:
        print(f"callclient {verb}: {error}", file=sys.stderr)
        if error.foreign_domain:
            print(f"callclient {verb}: not called: {error.foreign_domain}\n"
                  f"  To call this address anyway: callclient call --allow-foreign-domain '{error.foreign_domain}'",
                  file=sys.stderr)
        return 1
    if verb in ("status", "lookup", "whois"):
        print(json.dumps(result, indent=2, default=str))
    elif result:
        print(json.dumps(result, default=str))
    return 0


ERASE_ANSWER = "erase"


def _confirm_erase() -> bool:
    """Asks on the terminal; without one (a script, a link handler, a pipe) there is nobody to ask: refuse."""
    if not sys.stdin.isatty():
        print("callclient: --erase-all-data removes every CallClient password, token, favorite, setting, cached "
              "voicemail, recording and log on this machine. Nothing was erased: run it in a terminal to be "
              "asked, or add --yes.", file=sys.stderr)
        return False
    print("This removes every CallClient password and token from the keychain, and all favorites, settings, "
          "cached voicemail, call recordings and logs on this machine. It cannot be undone.", file=sys.stderr)
    print(f"Type {ERASE_ANSWER} to erase everything: ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    if answer != ERASE_ANSWER:
        print("callclient: nothing was erased.", file=sys.stderr)
        return False
    return True


def _erase_all_data(config_file: Path | None) -> int:
    from callclient.storage.erase import EraseIncomplete, erase_all_data
    from callclient.storage.keychain import Keychain, KeychainUnavailable
    from callclient.storage.paths import AppPaths
    from callclient.storage.store_errors import StoreError

    account_ids: tuple[str, ...] = ()
    keychain: Keychain | None
    try:
        keychain = Keychain.from_system()
    except KeychainUnavailable as error:
        print(f"callclient: {error}", file=sys.stderr)
        keychain = None  # the files are still erased; the message says what remains
    try:
        from callclient.config import ConfigError, ConfigSources, load_config

        loaded = load_config(ConfigSources.for_platform(user_file=config_file))
        account_ids = tuple(account.account_id for account in loaded.config.accounts)
    except (ImportError, ConfigError, OSError):
        pass  # the keychain's own index still lists every account that has secrets
    try:
        removed = erase_all_data(AppPaths.for_user(), keychain, account_ids=account_ids)
    except (StoreError, EraseIncomplete) as error:
        print(f"callclient: {error}", file=sys.stderr)
        return 1
    for directory in removed:
        print(f"removed {directory}")
    print("All CallClient data on this machine has been erased." if keychain is not None else
          "Local files erased; the keychain entries remain (see above).")
    return 0 if keychain is not None else 1


if __name__ == "__main__":
    sys.exit(main())
