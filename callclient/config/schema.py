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


_SHORTCUT = re.compile(r"^((ctrl|alt|shift|super)\+)*[A-Za-z0-9_]+$")


def _shortcut(value: str) -> str | None:
    return None if value == "" or _SHORTCUT.match(value) else f"{value!r} is not a shortcut such as ctrl+alt+a"


def _ldap_url(value: str) -> str | None:
    if value == "" or re.match(r"^ldaps?://[A-Za-z0-9._\[\]:-]+(:\d{1,5})?/?$", value):
        return None
    return f"{value!r} is not an ldap:// or ldaps:// server address"


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
    "codecs.order": Key("list[str]", ["opus/48000", "G722/16000", "PCMA/8000", "PCMU/8000"],
                        "Codecs in order of preference; codecs not listed are disabled.",
                        check=_each(_CODEC, "a codec name"), expected="codec names such as G722/16000"),
    "audio.capture_device": Key("str", "", "Microphone, by name: always this one, the system default standing in "
                                           "while it is unplugged (empty: follow the system default)."),
    "audio.playback_device": Key("str", "", "Speaker or headset for calls, by name: always this one, the system "
                                            "default standing in while it is unplugged (empty: follow the system "
                                            "default)."),
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
    "dialplan.pickup_prefix": Key("str", "*8", "The feature code that picks up a colleague's ringing call, dialled "
                                  "before their extension (Wazo: *8, so *81002 picks up 1002's call).",
                                  check=lambda v: None if v == "" or _DIAL_STRING.match(v) else
                                  f"{v!r} is not a feature code", expected="digits, * and #, or empty (no pickup)"),
    "presence.auto_away_minutes": Key("int", 0, "Show you as away after this many idle minutes at the desktop, or "
                                      "while the screen is locked, and available again on return (0: never).",
                                      minimum=0, maximum=480),
    "dialplan.park_extension": Key("str", "", "The PBX's call-parking extension (Wazo's default parking lot: 700). "
                                   "The call view's Transfer menu then offers Park, a blind transfer there; "
                                   "empty: no Park.",
                                   check=lambda v: None if v == "" or _DIAL_STRING.match(v) else
                                   f"{v!r} is not a dial string", expected="digits (with * or #), or empty"),
    # The directory (callclient/services/directory.py): which sources a search asks, the offline cache.
    "directory.pbx_enabled": Key("bool", True, "Search the PBX's directory (company users, phonebooks, personal "
                                 "contacts) and name callers from it."),
    "directory.pbx_profile": Key("str", "default", "The PBX directory profile to search (Wazo dird: usually the "
                                 "user's context, `default`).",
                                 check=_pattern(re.compile(r"^[A-Za-z0-9_.-]{1,64}$"), "a profile name"),
                                 expected="letters, digits, _ . -"),
    "directory.cache_ttl_hours": Key("int", 168, "How long directory results stay usable offline (encrypted).",
                                     minimum=1, maximum=8760),
    "directory.debounce_ms": Key("int", 200, "Wait this long after the last keystroke before asking remote "
                                 "directories.", minimum=0, maximum=2000),
    "directory.max_results": Key("int", 50, "Most results shown for one search.", minimum=1, maximum=500),
    "directory.ldap_url": Key("str", "", "LDAP or Active Directory server (ldap://host[:port] or "
                              "ldaps://host[:port]); empty: no LDAP source.", check=_ldap_url,
                              expected="an ldap:// or ldaps:// URL, or empty"),
    "directory.ldap_starttls": Key("bool", True, "Upgrade ldap:// connections with StartTLS (the certificate "
                                   "is always verified)."),
    "directory.ldap_ca_file": Key("str", "", "Trust this CA file (PEM) for the LDAP server instead of the "
                                  "system's."),
    "directory.ldap_base_dn": Key("str", "", "Where to search, such as ou=people,dc=example,dc=com."),
    "directory.ldap_bind_dn": Key("str", "", "Who to bind as (empty: anonymous); the password is kept in the "
                                  "keychain."),
    "directory.ldap_filter": Key("str", "(|(cn={term}*)(sn={term}*)(givenName={term}*)(telephoneNumber=*{term}*)"
                                 "(mobile=*{term}*))",
                                 "Search filter; {term} is replaced by the escaped search text.",
                                 check=lambda v: None if "{term}" in v and v.startswith("(") else
                                 f"{v!r} is not a filter with {{term}}",
                                 expected="an LDAP filter containing {term}"),
    "directory.ldap_reverse_filter": Key("str", "(|(telephoneNumber={number})(mobile={number})"
                                         "(homePhone={number}))",
                                         "Caller-ID filter; {number} is replaced by each way of writing the "
                                         "number.", check=lambda v: None if "{number}" in v else
                                         f"{v!r} has no {{number}}", expected="an LDAP filter containing {number}"),
    "directory.ldap_attributes": Key("list[str]", ["name=cn", "number=telephoneNumber", "mobile=mobile",
                                                   "company=o", "title=title", "email=mail"],
                                     "Which LDAP attribute holds each field (name, number, mobile, home, company, "
                                     "title, email).", check=_each(re.compile(
                                         r"^(name|number|mobile|home|company|title|email)=[A-Za-z][A-Za-z0-9-]*$"),
                                         "field=attribute"), expected="field=attribute pairs such as name=cn"),
    "directory.ldap_timeout_s": Key("int", 5, "Seconds to wait for the LDAP server.", minimum=1, maximum=60),
    "directory.address_book_allowed": Key("bool", False, "The user allowed CallClient to read their address book "
                                          "(vCard files, CardDAV) for caller names and quick dial; off until they "
                                          "say yes, and turning it off deletes the cached copy."),
    "directory.vcard_paths": Key("list[str]", [], "vCard files (.vcf) or folders of them to read, once allowed."),
    "directory.carddav_url": Key("str", "", "A CardDAV address book (https://...), once allowed; the password is "
                                 "kept in the keychain.", check=lambda v: None if v == "" else _https_url(v),
                                 expected="an https:// URL, or empty"),
    "directory.carddav_username": Key("str", "", "The user name for the CardDAV address book."),
    "directory.carddav_ca_file": Key("str", "", "Trust this CA file (PEM) for the CardDAV server instead of the "
                                     "system's."),
    "ui.start_minimised": Key("bool", False, "Start in the system tray."),
    "ui.close_to_tray": Key("bool", True, "Closing the window keeps CallClient running in the tray."),
    "ui.language": Key("str", "", "Language of the window's words, dates, times and numbers: en, fr or de "
                       "(empty or system: the system's)."),
    "ui.theme": Key("choice", "system", "Light or dark appearance.", choices=("system", "light", "dark")),
    # The app lock (callclient/services/lock.py): the operating system confirms the user (fingerprint, Windows
    # Hello, Touch ID or password) before favorites, history, voicemail and contacts show again.
    "ui.app_lock": Key("bool", False, "Lock CallClient when the desktop session locks or after the idle time; "
                       "unlocking asks the operating system to confirm it is you. Calls still ring and "
                       "emergency numbers stay dialable while locked."),
    "desktop.notifications": Key("bool", True, "Show incoming calls, missed calls and new voicemail as desktop "
                                 "notifications with Answer, Decline and Call back buttons."),
    "desktop.media_keys": Key("bool", True, "Let media keys and Bluetooth headset buttons answer and hang up "
                              "(CallClient appears to the desktop as a media player while a call rings or is up)."),
    "desktop.autostart": Key("bool", False, "Start CallClient, minimised to the tray, when you log in."),
    "desktop.link_handler": Key("bool", False, "Open sip:, sips:, tel: and callto: links with CallClient."),
    "desktop.headset_devices": Key("list[str]", [], "Input devices whose call buttons (answer, hang up, "
                                   "mute) drive calls, by path such as /dev/input/by-id/usb-Jabra-event-if03 "
                                   "(empty: none). Linux only for now.",
                                   check=lambda paths: next((f"{p!r} is not a /dev/input path" for p in paths
                                                             if not p.startswith("/")), None),
                                   expected="a list of /dev/input paths"),
    **{f"desktop.hotkey_{action}": Key("str", "", f"A global shortcut that {what} while another window has focus, "
                                       "such as ctrl+alt+a (empty: none). X11, Wayland (through the desktop portal), Windows and macOS.",
                                       check=_shortcut, expected="modifiers and a key joined by +, such as ctrl+alt+a")
       for action, what in (("answer", "answers the ringing call"), ("hang_up", "hangs up"),
                            ("mute", "mutes or unmutes the microphone"), ("redial", "calls the last number again"),
                            ("show_window", "shows the CallClient window"))},
    "policy.favorites_allowed": Key("bool", True, "Users may keep favorites."),
    "policy.recording_allowed": Key("bool", False, "Users may record calls."),
    "policy.recording_notice": Key("str", "", "What the other party hears before a recording starts: a WAV "
                                   "file's path, \"beep\" for a short tone, or empty for nothing.",
                                   check=lambda v: None if v in ("", "beep") or v.startswith("/") or v[1:3] == ":\\"
                                   else f"{v!r} is not an absolute path", expected="an absolute WAV path, beep, or "
                                   "empty"),
    "policy.refused_call_notices": Key("bool", True, "Show calls refused by policy (no encryption, do not "
                                       "disturb, not from the phone system) as missed-call notices."),
    "policy.lock_after_idle_minutes": Key("int", 10, "With the app lock on, lock CallClient after this many "
                                          "minutes without input in its windows (0: only when the desktop "
                                          "session locks).", minimum=0, maximum=1440),
    "policy.hide_caller_when_locked": Key("bool", False, "While CallClient is locked, incoming-call windows and "
                                          "notifications say only \"Incoming call\", without the caller's name or "
                                          "number."),
    "policy.voicemail_cache": Key("str", "after-playback", "How long downloaded voicemail stays on the device: "
                                  "after-playback, days:N or never.", check=_cache_policy,
                                  expected="after-playback, never, or days:N (1 to 3650)"),
    "policy.update_check_url": Key("str", "off", "Where to check for new versions, or off (admin layers only). "
                                   "At most once a day CallClient fetches this signed feed and tells the user "
                                   "when a newer version exists; it never downloads or installs anything.",
                                   check=_update_url, expected="an https:// URL or off"),
    "policy.update_ca_file": Key("str", "", "Trust this CA file (PEM) for the update feed instead of the system's "
                                 "(admin layers only)."),
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
                        "provisioning.ca_file", "provisioning.interval_minutes",
                        # the privacy policy: only the organisation decides whether the app calls out for updates
                        "policy.update_check_url", "policy.update_ca_file",
                        # what the other party is told before a recording: the organisation's wording
                        "policy.recording_notice"})


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
