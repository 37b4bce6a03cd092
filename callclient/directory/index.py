"""An in-memory index of cached contacts: prefix search by name word (or company) and by number digits, and
reverse lookup by number key, fast enough for every keystroke with tens of thousands of contacts
(bench/directory_search.py measures it).

Immutable once built: the directory service swaps whole indexes under its lock, and `extended` makes a new
one with a few more contacts without re-reading the others, so a reader never sees one half-built.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


from callclient.directory.model import CALLER_ID_PRIORITY, Contact
from callclient.directory.numbers import NumberKeys


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class ContactIndex:
    def __init__(self, contacts: Iterable[Contact], keys: NumberKeys) -> None:
        self.contacts: list[Contact] = []
        self._keys = keys
        region = keys.plan.region
        code, metadata = 0, None
        if region:
            import phonenumbers  # on first use, not at start-up (~40 ms)

            code = phonenumbers.country_code_for_region(region)
            metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        # Typing "0145" finds "+33 1 45 ...": the region's own numbers are also indexed as dialled nationally.
        self._home_prefix = f"+{code}" if code else ""
        self._trunk = (metadata.national_prefix or "") if metadata is not None else ""
        self._words: list[tuple[str, int]] = []
        self._numbers: list[tuple[str, int]] = []
        self._by_number: dict[str, list[int]] = {}
        self._add(list(contacts), sort=True)

    def _entries(self, contact: Contact, position: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        name = contact.name.casefold()
        words = {w for w in name.split() if w} | {name}
        if contact.company:
            words.add(contact.company.casefold())
        numbers: set[str] = set()
        for number in contact.numbers:
            key = self._keys.key(number.number)
            # A new list, never an append: `extended` shares the lists of untouched numbers with the index it
            # copies (copying 40,000 lists per remote answer churned the garbage collector into stalling the GUI).
            self._by_number[key] = [*self._by_number.get(key, ()), position]
            numbers.add(_digits(number.number))
            numbers.add(_digits(key))
            if self._home_prefix and key.startswith(self._home_prefix):
                numbers.add(self._trunk + key[len(self._home_prefix):])
        return [(w, position) for w in words], [(n, position) for n in numbers if n]

    def _add(self, contacts: list[Contact], sort: bool) -> None:
        for contact in contacts:
            position = len(self.contacts)
            self.contacts.append(contact)
            words, numbers = self._entries(contact, position)
            if sort:
                self._words.extend(words)
                self._numbers.extend(numbers)
            else:
                for entry in words:
                    bisect.insort(self._words, entry)
                for entry in numbers:
                    bisect.insort(self._numbers, entry)
        if sort:
            self._words.sort()
            self._numbers.sort()

    def extended(self, contacts: list[Contact]) -> ContactIndex:
        """A new index with `contacts` added (a remote answer): copies, never changes, this one."""
        copy = ContactIndex.__new__(ContactIndex)
        copy.contacts = list(self.contacts)
        copy._keys, copy._home_prefix, copy._trunk = self._keys, self._home_prefix, self._trunk
        copy._words, copy._numbers = list(self._words), list(self._numbers)
        copy._by_number = dict(self._by_number)
        copy._add(contacts, sort=len(contacts) > 256)
        return copy

    def __len__(self) -> int:
        return len(self.contacts)

    def search(self, term: str, limit: int = 200) -> list[Contact]:
        """Contacts with a name word (or the company) starting with the term, or a number starting with the
        typed digits (as stored, as +E.164, or as dialled nationally); at most `limit`."""
        lowered = term.strip().casefold()
        if not lowered:
            return []
        found: dict[int, None] = {}
        self._prefix(self._words, lowered, found, limit)
        typed = lowered.replace(" ", "").replace("-", "").replace(".", "")
        if typed.lstrip("+").isdigit():
            for position in self._by_number.get(self._keys.key(term), ()):
                found[position] = None
            self._prefix(self._numbers, typed.lstrip("+"), found, limit)
        return [self.contacts[p] for p in found]

    @staticmethod
    def _prefix(entries: list[tuple[str, int]], prefix: str, found: dict[int, None], limit: int) -> None:
        start = bisect.bisect_left(entries, (prefix, -1))
        for text, position in entries[start:start + 4 * limit]:
            if not text.startswith(prefix) or len(found) >= limit:
                return
            found[position] = None

    def reverse(self, number: str) -> Contact | None:
        """The most trusted contact with this number (PBX user > directory > personal > address book)."""
        positions = self._by_number.get(self._keys.key(number))
        if not positions:
            return None
        return min((self.contacts[p] for p in positions), key=lambda c: CALLER_ID_PRIORITY.index(c.kind))

    def all_with(self, number: str) -> list[Contact]:
        """Every contact with this number, whatever the source: one person's entries across sources."""
        return [self.contacts[p] for p in self._by_number.get(self._keys.key(number), ())]
