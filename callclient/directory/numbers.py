"""Numbers that match: one key per phone number, whatever way a source or the PBX wrote it.

"+33 1 23 45 67 89", "01 23 45 67 89", "0033123456789", "01.23.45.67.89" and "0 01 23 45 67 89" (with the
outside-line prefix 0) are one number in FR: each becomes "+33123456789". Extensions stay as typed ("1002"),
emergency numbers too. The dial plan (callclient.services.dialplan.DialPlan) supplies the region, the
outside-line prefix and the emergency numbers, so matching and dialling read the same settings.
"""

from __future__ import annotations

import re
from functools import lru_cache


from callclient.services.dialplan import EXTENSION_MAX_DIGITS, DialPlan

_SEPARATORS = re.compile(r"[\s().\-/\u00a0]")
_DIALABLE = re.compile(r"^\+?[0-9*#]+$")
_SIP_USER = re.compile(r"^(?:sips?:|tel:)?([^@;]+)(?:@.*)?$", re.IGNORECASE)


class NumberKeys:
    """`key(number)` gives the one matching key of a number under this dial plan."""

    def __init__(self, plan: DialPlan) -> None:
        self.plan = plan
        self._key = lru_cache(maxsize=65536)(self._compute)

    def key(self, number: str) -> str:
        return self._key(number)

    def _compute(self, number: str) -> str:
        text = number.strip()
        user = _SIP_USER.match(text)
        if user and (":" in text or "@" in text):
            text = user.group(1)  # sip:1002@pbx, tel:+33..., 1002@pbx: the user part is the number
        digits = _SEPARATORS.sub("", text)
        if not _DIALABLE.match(digits):
            return text.lower()  # a name or SIP user that is not a number: matched as written
        if digits in self.plan.emergency_numbers or ("+" not in digits and len(digits) <= EXTENSION_MAX_DIGITS):
            return digits  # extensions and emergency numbers are never rewritten
        prefix = self.plan.outside_line_prefix
        if prefix and not digits.startswith("+") and digits.startswith(prefix) \
                and len(digits) - len(prefix) > EXTENSION_MAX_DIGITS:
            # "0 06 11 22 33 44" is the outside-line prefix before a national number; it also reads as an
            # international call (00 61...). The prefix the admin configured wins when what follows is a valid
            # number of the region: that is how the user dialled it.
            candidate = self._e164(digits[len(prefix):], valid=True)
            if candidate is not None:
                return candidate
        return self._e164(digits) or digits

    def _e164(self, digits: str, valid: bool = False) -> str | None:
        region = self.plan.region or None
        if region is None and not digits.startswith("+"):
            return None
        import phonenumbers  # on first use, not at start-up (~40 ms)

        try:
            parsed = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            return None
        if not (phonenumbers.is_valid_number(parsed) if valid else phonenumbers.is_possible_number(parsed)):
            return None
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
