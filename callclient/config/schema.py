"""Every configuration key, its type, default and meaning: the one source for validation, defaults,
`callclient config schema` (JSON Schema) and the admin guide's reference table.

Keys are dotted paths (`sip.tls_ca_file`). Accounts are an array of tables (`[[accounts]]`) whose keys are
written `accounts.*.transport`; they are merged across layers by their `id`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_HOST_PORT = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$")
_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DIAL_STRING = re.compile(r"^[0-9*#+]{1,20}$")
_REGION = re.compile(r"^[A-Z]{2}$")
_CODEC = re.compile(r"^[A-Za-z0-9.-]+(/\d+)?(/\d)?$")


@dataclass(frozen=True)
class Key:
    kind: str  # "str", "int", "bool", "list[str]", "choice"
    default: Any
    doc: str
    choices: tuple[Any, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    check: Callable[[Any], str | None] | None = None  # returns what is wrong, or None
    expected: str = ""  # how to describe a valid value when `check` fails

    def describe(self) -> str:
        if self.expected:
            return self.expected
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "int":
            bounds = f" from {self.minimum} to {self.maximum}" if self.minimum is not None else ""
            return f"a whole number{bounds}"
        return {"str": "a string", "bool": "true or false", "list[str]": "a list of strings"}[self.kind]


def _pattern(regex: re.Pattern[str], what: str) -> Callable[[Any], str | None]:
    return lambda value: None if regex.match(value) else f"{value!r} is not {what}"


def _each(regex: re.Pattern[str], what: str) -> Callable[[Any], str | None]:
    def check(values: list[str]) -> str | None:
        for value in values:
            if not regex.match(value):
                return f"{value!r} is not {what}"
        return None

    return check


def _https_url(value: str) -> str | None:
    return None if value.startswith("https://") and len(value) > len("https://") else "only https:// URLs are allowed"


def _cache_policy(value: str) -> str | None:
    if value in ("after-playback", "never"):
        return None
    if value.startswith("days:") and value[5:].isdigit() and 1 <= int(value[5:]) <= 3650:
        return None
    return f"{value!r} is not a voicemail cache policy"


def _update_url(value: str) -> str | None:
    return None if value == "off" else _https_url(value)


HOST_PORT = "a host name or address, optionally with :port"

ACCOUNT_KEYS: dict[str, Key] = {
    "id": Key("str", None, "A short name for the account, unique in the file; other layers refer to it.",
              check=_pattern(_ACCOUNT_ID, "a valid account id"), expected="letters, digits, '.', '_' or '-'"),
    "display_name": Key("str", "", "The name callers see."),
    "user": Key("str", None, "The SIP user: the extension or user name (the user part of your SIP address)."),
    "auth_user": Key("str", "", "The user name for digest authentication, when it differs from `user`."),
    "domain": Key("str", None, "The SIP domain (the host part of your SIP address)."),
    "registrar": Key("str", "", "The registrar, when it is not the domain itself.",
                     check=_pattern(_HOST_PORT, HOST_PORT), expected=HOST_PORT),
    "realm": Key("str", "", "The digest realm the password answers (empty: the SIP domain, plus the realm the "
                 "registrar's first challenge names). A challenge from any other realm gets no answer."),
    "outbound_proxy": Key("str", "", "Send every request through this proxy.",
                          check=_pattern(_HOST_PORT, HOST_PORT), expected=HOST_PORT),
    "transport": Key("choice", "udp", "The SIP transport.", choices=("udp", "tcp", "tls")),
    "port": Key("int", 0, "The registrar's port; 0 uses the transport's default or DNS SRV.", minimum=0,
                maximum=65535),
    "srtp": Key("choice", "off", "Encrypt media with SRTP (SDES).", choices=("off", "optional", "mandatory")),
    "srtp_requires_tls": Key("bool", False, "Refuse SRTP unless signalling is TLS (the keys travel in the SDP)."),
    "registration_expiry": Key("int", 300, "Seconds a registration lasts before it is refreshed.", minimum=60,
                               maximum=86400),
    "register": Key("bool", True, "Register with the registrar (false for peer-to-peer use)."),
    "ice": Key("bool", False, "Use ICE for media (with the STUN servers in [sip] and the TURN server below)."),
    "turn_server": Key("str", "", "A TURN relay for ICE.", check=_pattern(_HOST_PORT, HOST_PORT),
                       expected=HOST_PORT),
    "turn_username": Key("str", "", "The TURN user name (its password is kept in the keychain)."),
    "voicemail_number": Key("str", "", "The number that reaches your voicemail box.",
                            check=_pattern(_DIAL_STRING, "a dial string"), expected="digits, *, # or +"),
    "auto_answer": Key("bool", False, "Answer incoming calls at once (intercom, kiosks)."),
    "dnd_response": Key("choice", 486, "How do-not-disturb refuses calls: 486 Busy Here or 480 Unavailable.",
                        choices=(486, 480)),
    "initial_password": Key("str", "", "A first SIP password for the account. CallClient moves it into the system "
                            "keychain when it loads the file and never writes it anywhere else."),
}

KEYS: dict[str, Key] = {
    "sip.udp_port": Key("int", 0, "Local UDP port (0: any free port).", minimum=0, maximum=65535),
    "sip.tcp_port": Key("int", 0, "Local TCP port (0: any free port).", minimum=0, maximum=65535),
    "sip.tls_port": Key("int", 0, "Local TLS port (0: any free port).", minimum=0, maximum=65535),
    "sip.bind_address": Key("str", "", "Listen on this local address only, for SIP and RTP/RTCP (empty: all)."),
    "sip.public_address": Key("str", "", "The address to advertise in Via, Contact and the SDP instead of the "
                              "local one (a host behind a static NAT)."),
    "sip.incoming_ring_timeout_s": Key("int", 90, "Seconds an unanswered incoming call rings before it is refused "
                                       "(480), so a caller that never cancels cannot hold a call slot.",
                                       minimum=10, maximum=600),
    "sip.tls_ca_file": Key("str", "", "Trust this CA file (PEM) for TLS instead of the system's trust store."),
    "sip.tls_verify_server": Key("bool", True, "Verify the server's TLS certificate and host name. Turning this "
                                 "off makes TLS worthless against an attacker on the path."),
    "sip.stun_servers": Key("list[str]", [], "STUN servers (host[:port]) for NAT traversal.",
                            check=_each(_HOST_PORT, HOST_PORT), expected=f"a list of {HOST_PORT}s"),
    "sip.keepalive_interval": Key("int", 15, "Seconds between NAT keep-alives.", minimum=0, maximum=3600),
    "pbx.kind": Key("choice", "none", "The PBX's API: wazo, or none for a PBX reached only over SIP.",
                    choices=("none", "wazo")),
    "pbx.base_url": Key("str", "", "The PBX API's base URL.", check=_https_url, expected="an https:// URL"),
    "pbx.ca_file": Key("str", "", "Trust this CA file (PEM) for the PBX API instead of the system's."),
    "codecs.order": Key("list[str]", ["G722/16000", "PCMA/8000", "PCMU/8000"],
                        "Codecs in order of preference; codecs not listed are disabled.",
                        check=_each(_CODEC, "a codec name"), expected="codec names such as G722/16000"),
    "audio.capture_device": Key("str", "", "Microphone, by name (empty: the system default)."),
    "audio.playback_device": Key("str", "", "Speaker or headset for calls, by name (empty: the system default)."),
    "audio.ring_device": Key("str", "", "Where the ringtone sounds, by name (empty: the playback device)."),
    "audio.echo_cancellation": Key("bool", True, "Cancel the echo of your speakers in your microphone."),
    "audio.noise_suppression": Key("bool", True, "Suppress steady background noise."),
    "audio.auto_gain": Key("bool", True, "Keep your voice at a steady level."),
    "audio.high_pass": Key("bool", True, "Remove rumble and hum below speech."),
    "dialplan.outside_line_prefix": Key("str", "", "Digits the PBX needs before an outside number (often 0 or 9).",
                                        check=lambda v: None if v == "" or v.isdigit() else f"{v!r} is not digits",
                                        expected="digits, or empty"),
    "dialplan.emergency_numbers": Key("list[str]", ["112", "911", "999"],
                                      "Numbers always dialled as typed, never prefixed or blocked.",
                                      check=_each(_DIAL_STRING, "a dial string"), expected="a list of dial strings"),
    "dialplan.region": Key("str", "", "Country for number normalisation (ISO 3166 code such as FR).",
                           check=lambda v: None if v == "" or _REGION.match(v) else f"{v!r} is not a country code",
                           expected="two capital letters, such as FR or US"),
    "ui.start_minimised": Key("bool", False, "Start in the system tray."),
    "ui.close_to_tray": Key("bool", True, "Closing the window keeps CallClient running in the tray."),
    "ui.language": Key("str", "", "Language for dates, day and month names, such as fr or de (empty: the "
                       "system's); the interface text itself is English for now."),
    "ui.theme": Key("choice", "system", "Light or dark appearance.", choices=("system", "light", "dark")),
    "policy.favorites_allowed": Key("bool", True, "Users may keep favorites."),
    "policy.recording_allowed": Key("bool", False, "Users may record calls."),
    "policy.voicemail_cache": Key("str", "after-playback", "How long downloaded voicemail stays on the device: "
                                  "after-playback, days:N or never.", check=_cache_policy,
                                  expected="after-playback, never, or days:N (1 to 3650)"),
    "policy.update_check_url": Key("str", "off", "Where to check for new versions, or off.", check=_update_url,
                                   expected="an https:// URL or off"),
    "logging.level": Key("choice", "info", "How much goes into the log files.",
                         choices=("debug", "info", "warning", "error")),
    "logging.sip_trace": Key("bool", False, "Write every SIP message (redacted) to a separate trace file."),
    "provisioning.url": Key("str", "", "Fetch an admin configuration from this URL at start and on an interval.",
                            check=_https_url, expected="an https:// URL"),
    "provisioning.auth": Key("choice", "none", "How to authenticate to the provisioning URL; the password or token "
                             "is kept in the keychain.", choices=("none", "basic", "bearer")),
    "provisioning.username": Key("str", "", "The user name for basic authentication."),
    "provisioning.interval_minutes": Key("int", 60, "Minutes between fetches.", minimum=1, maximum=10080),
    "provisioning.ca_file": Key("str", "", "Trust this CA file (PEM) for the provisioning URL."),
    "locks.keys": Key("list[str]", [], "Keys users may not change (admin layers only); accounts.*.KEY locks a key "
                      "in every account."),
}

SECTIONS = sorted({key.split(".", 1)[0] for key in KEYS} | {"accounts"})
# Keys that only an administrator's layer (system file, remote provisioning) may set.
ADMIN_ONLY = frozenset({"locks.keys", "provisioning.url", "provisioning.auth", "provisioning.username",
                        "provisioning.ca_file", "provisioning.interval_minutes"})


def defaults() -> dict[str, Any]:
    return {key: (list(spec.default) if isinstance(spec.default, list) else spec.default)
            for key, spec in KEYS.items()}


def json_schema() -> dict[str, Any]:
    """The schema as JSON Schema (draft 2020-12), for editors and deployment tooling."""

    def one(spec: Key) -> dict[str, Any]:
        node: dict[str, Any]
        if spec.kind == "choice":
            node = {"enum": list(spec.choices)}
        elif spec.kind == "list[str]":
            node = {"type": "array", "items": {"type": "string"}}
        else:
            node = {"type": {"str": "string", "int": "integer", "bool": "boolean"}[spec.kind]}
            if spec.minimum is not None:
                node["minimum"], node["maximum"] = spec.minimum, spec.maximum
        node["description"] = spec.doc
        if spec.default is not None:
            node["default"] = spec.default
        return node

    properties: dict[str, Any] = {}
    for dotted, spec in KEYS.items():
        section, name = dotted.split(".", 1)
        table = properties.setdefault(section, {"type": "object", "properties": {}, "additionalProperties": False})
        table["properties"][name] = one(spec)
    properties["accounts"] = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {name: one(spec) for name, spec in ACCOUNT_KEYS.items()},
            "required": ["id"],
            "additionalProperties": False,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CallClient configuration",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
