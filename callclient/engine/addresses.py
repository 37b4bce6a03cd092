"""Turning what a user types or clicks into a SIP request URI, and a SIP URI back into a caller."""

from __future__ import annotations

import re
import urllib.parse

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
        return f"sip:{text}"
    if _EXTENSION.match(text):
        return f"sip:{text}@{domain}{transport_param}"
    raise InvalidTarget(f"{target!r} is not a number, extension or SIP address")


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
