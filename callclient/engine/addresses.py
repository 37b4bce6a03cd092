"""Turning what a user types or clicks into a SIP request URI, and a SIP URI back into a caller."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from callclient.engine.errors import InvalidTarget
from callclient.engine.events import Party

# Characters people put in written phone numbers that carry no meaning for dialling.
_VISUAL_SEPARATORS = re.compile(r"[\s().\-/]")
_DIALLABLE = re.compile(r"^\+?[0-9*#]+$")
_EXTENSION = re.compile(r"^[A-Za-z0-9_.!~*'()&=+$,;?/%-]+$")  # RFC 3261 'user' characters
_NAME_ADDR = re.compile(r'^\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^<"]*?))\s*<(?P<uri>[^>]+)>')


def request_uri(target: str, domain: str, transport_param: str = "") -> str:
    """The URI to send an INVITE to for a number, extension, sip:/sips:/tel:/callto: URI.

    A bare number or extension is sent to the account's domain, like a desk phone does. tel: numbers
    keep their digits and gain user=phone (RFC 3261 19.1.6).
    """
    text = target.strip()
    if not text:
        raise InvalidTarget("nothing to call: the number is empty")
    scheme, _, rest = text.partition(":")
    scheme = scheme.lower()
    if scheme in ("sip", "sips") and rest:
        rest = without_uri_headers(rest)
        if "@" not in rest and not rest.startswith("["):
            # sip:123 from a careless link: treat the part after the scheme as a number
            return request_uri(rest, domain, transport_param)
        return f"{scheme}:{rest}"
    if scheme == "callto" and rest:
        rest = urllib.parse.unquote(rest).lstrip("/")
        return request_uri(rest, domain, transport_param)
    if scheme == "tel" and rest:
        number = _VISUAL_SEPARATORS.sub("", urllib.parse.unquote(rest.split(";", 1)[0]))
        if not _DIALLABLE.match(number):
            raise InvalidTarget(f"{target!r} is not a phone number")
        return f"sip:{number}@{domain};user=phone{transport_param}"
    number = _VISUAL_SEPARATORS.sub("", text)
    if _DIALLABLE.match(number):
        return f"sip:{number}@{domain}{transport_param}"
    if "@" in text and " " not in text:
        return f"sip:{without_uri_headers(text)}"
    if _EXTENSION.match(text):
        return f"sip:{text}@{domain}{transport_param}"
    raise InvalidTarget(f"{target!r} is not a number, extension or SIP address")


def without_uri_headers(uri: str) -> str:
    """`uri` without its `?name=value&...` part and without a `maddr` parameter.

    RFC 3261 19.1.1 lets a SIP URI carry headers that the UA copies into the request it sends. From a
    clicked link that is header injection (Call-Info answer-after=0, Alert-Info, Replaces, Route...), so
    none is allowed through; `maddr` would send the request to another host than the URI names.
    """
    uri = uri.split("?", 1)[0]
    at = uri.find("@")
    head, tail = (uri[: at + 1], uri[at + 1:]) if at >= 0 else ("", uri)
    host_and_params = tail.split(";")
    kept = [p for p in host_and_params[1:] if p.split("=", 1)[0].strip().lower() != "maddr"]
    return head + ";".join([host_and_params[0], *kept])


@dataclass(frozen=True)
class HostPort:
    host: str  # lower case, IPv6 without brackets
    port: int | None  # None: any port of that host

    @classmethod
    def parse(cls, text: str, default_port: int | None = None) -> HostPort:
        text = text.strip().lower()
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            port_text = rest[1:] if rest.startswith(":") else ""
        elif text.count(":") == 1:
            host, _, port_text = text.partition(":")
        else:
            host, port_text = text, ""
        port = int(port_text) if port_text.isdigit() else default_port
        return cls(host, port)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"


def uri_host(uri: str) -> HostPort | None:
    """The host[:port] a SIP/SIPS URI names (the part after '@'), or None for tel: and other schemes."""
    text = party_from_header(uri).uri if "<" in uri else uri.strip()
    scheme, _, rest = text.partition(":")
    if scheme.lower() not in ("sip", "sips"):
        return None
    rest = rest.split("?", 1)[0]
    hostport = rest.rsplit("@", 1)[-1].split(";", 1)[0]
    return HostPort.parse(hostport)


@dataclass(frozen=True)
class AccountDomain:
    """Where an account's own requests may go: its domain and its registrar/outbound proxy.

    A target outside it is somebody else's server, which could answer with a digest challenge or
    listen to the call: the engine refuses it unless the user confirmed the full target.
    """

    hosts: tuple[HostPort, ...]

    def contains(self, uri: str) -> bool:
        target = uri_host(uri)
        if target is None:
            return uri.strip().lower().startswith("tel:")  # tel: is always routed via the account
        for allowed in self.hosts:
            if target.host != allowed.host:
                continue
            # A URI without a port means the standard one (RFC 3263 without SRV: 5060, 5061 for TLS).
            if allowed.port is None or target.port == allowed.port or (
                    target.port is None and allowed.port in (5060, 5061)):
                return True
        return False

    def describe(self) -> str:
        return ", ".join(str(h) for h in self.hosts)


def party_from_header(value: str) -> Party:
    """Display name, number and URI from a From/To/Contact value such as '"Bob" <sip:201@pbx>;tag=x'."""
    value = value.strip()
    match = _NAME_ADDR.match(value)
    if match:
        name = match.group("quoted")
        if name is not None:
            name = re.sub(r"\\(.)", r"\1", name)
        else:
            name = (match.group("token") or "").strip()
        uri = match.group("uri").strip()
    else:
        name = ""
        uri = value.split(";", 1)[0].strip()
    return Party(uri=uri, display_name=name, number=_user_part(uri))


def _user_part(uri: str) -> str:
    scheme, _, rest = uri.partition(":")
    if scheme.lower() == "tel":
        return rest.split(";", 1)[0]
    user = rest.split("@", 1)[0] if "@" in rest else ""
    return urllib.parse.unquote(user.split(";", 1)[0])
