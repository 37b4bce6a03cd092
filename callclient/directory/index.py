"""An in-memory index of cached contacts: prefix search by name word and reverse lookup by number key, fast
enough for every keystroke with tens of thousands of contacts (bench/directory_search.py measures it).

Not thread-safe by itself: the directory service swaps whole indexes under its lock (build a new one, then
replace), so a reader never sees one half-built.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from callclient.directory.model import CALLER_ID_PRIORITY, Contact
from callclient.directory.numbers import NumberKeys


class ContactIndex:
    def __init__(self, contacts: Iterable[Contact], keys: NumberKeys) -> None:
        self.contacts: list[Contact] = list(contacts)
        self._keys = keys
        words: list[tuple[str, int]] = []
        self._by_number: dict[str, list[int]] = {}
        self._digits: list[tuple[str, int]] = []  # every number's digits, for "typed part of a number"
        for position, contact in enumerate(self.contacts):
            for word in {w for w in contact.name.casefold().split() if w} | {contact.name.casefold()}:
                words.append((word, position))
            for extra in (contact.company.casefold(),):
                if extra:
                    words.append((extra, position))
            for number in contact.numbers:
                self._by_number.setdefault(keys.key(number.number), []).append(position)
                digits = "".join(ch for ch in number.number if ch.isdigit())
                if digits:
                    self._digits.append((digits, position))
        words.sort()
        self._words = words
        self._word_keys = [w for w, _ in words]

    def __len__(self) -> int:
        return len(self.contacts)

    def search(self, term: str, limit: int = 200) -> list[Contact]:
        """Contacts with a name word (or the company) starting with the term, or a number containing the typed
        digits; at most `limit`."""
        lowered = term.strip().casefold()
        if not lowered:
            return []
        found: dict[int, None] = {}
        start = bisect.bisect_left(self._word_keys, lowered)
        for word, position in self._words[start:]:
            if not word.startswith(lowered) or len(found) >= limit:
                break
            found[position] = None
        typed_digits = "".join(ch for ch in lowered if ch.isdigit())
        if typed_digits and len(typed_digits) == len(lowered.replace(" ", "").lstrip("+")) and len(found) < limit:
            for position in self._by_number.get(self._keys.key(term), ()):
                found[position] = None
            for digits, position in self._digits:
                if len(found) >= limit:
                    break
                if typed_digits in digits:
                    found[position] = None
        return [self.contacts[p] for p in found]

    def reverse(self, number: str) -> Contact | None:
        """The most trusted contact with this number (PBX user > directory > personal > address book)."""
        positions = self._by_number.get(self._keys.key(number))
        if not positions:
            return None
        return min((self.contacts[p] for p in positions), key=lambda c: CALLER_ID_PRIORITY.index(c.kind))
