"""What is dialled for what the user typed: extensions as typed, outside numbers with the outside-line
prefix, emergency numbers always as typed, and +E.164 numbers written the way the user's region dials them.

The rules read `dialplan.*` from the configuration in force (the caller passes it each time, so a pushed
change applies to the next call).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


EXTENSION_MAX_DIGITS = 6  # longer digit strings are outside numbers (PBX extensions are 2 to 6 digits)
_SEPARATORS = re.compile(r"[\s().\-/]")
_DIGITS = re.compile(r"^\+?[0-9*#]+$")
_URI = re.compile(r"^(sips?|tel|callto):|@", re.IGNORECASE)


@dataclass(frozen=True)
class DialPlan:
    outside_line_prefix: str = ""
    emergency_numbers: tuple[str, ...] = ("112", "911", "999")
    region: str = ""  # ISO 3166 code such as FR; "" leaves +E.164 numbers as they are

    @classmethod
    def from_config(cls, dialplan: object) -> DialPlan:
        return cls(str(getattr(dialplan, "outside_line_prefix", "")),
                   tuple(getattr(dialplan, "emergency_numbers", ())), str(getattr(dialplan, "region", "")))

    def is_emergency(self, target: str) -> bool:
        return _SEPARATORS.sub("", target) in self.emergency_numbers

    def dial_string(self, target: str) -> str:
        """The target to hand the engine: a SIP URI unchanged, else a cleaned number with the plan applied."""
        typed = target.strip()
        if _URI.search(typed):
            return typed
        number = _SEPARATORS.sub("", typed)
        if not _DIGITS.match(number):
            return typed  # a name or something else the PBX resolves: not ours to rewrite
        if number in self.emergency_numbers:
            return number  # emergency calls go out exactly as typed: never prefixed, never rewritten
        if number.startswith("+"):
            if not self.region:
                return number  # E.164 as is: the PBX routes it
            number = self._from_region(number)
        elif len(number) <= EXTENSION_MAX_DIGITS:
            return number  # an extension on the PBX
        return self.outside_line_prefix + number

    def _from_region(self, e164: str) -> str:
        """+33 1 23 45 67 89 dialled from FR is 0123456789; from US it is 011331234567 89 (digits only)."""
        import phonenumbers  # on first use, not at start-up (~40 ms)

        try:
            parsed = phonenumbers.parse(e164, None)
        except phonenumbers.NumberParseException:
            return e164
        if phonenumbers.region_code_for_number(parsed) == self.region:
            national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        else:
            national = phonenumbers.format_out_of_country_calling_number(parsed, self.region)
        digits = re.sub(r"[^0-9*#+]", "", national)
        return digits or e164

    def display(self, number: str) -> str:
        """A number as people of the region write it (+33 1 23 45 67 89 in FR: 01 23 45 67 89)."""
        if not self.region or not number.startswith("+"):
            return number
        import phonenumbers  # on first use, not at start-up (~40 ms)

        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            return number
        if phonenumbers.region_code_for_number(parsed) == self.region:
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tone_region(region: str) -> str:
    """Which call-progress tones (media.tones) a country hears: North American, British, or European."""
    return {"US": "us", "CA": "us", "GB": "uk"}.get(region, "eu")
