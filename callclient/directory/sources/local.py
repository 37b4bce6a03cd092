"""Favorites and recent calls as sources: local, answered at once, never cached again."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from callclient.directory.model import Contact, PhoneNumber, SourceKind
from callclient.directory.numbers import NumberKeys
from callclient.directory.ranking import name_matches_prefix

_DIGITS = re.compile(r"[^0-9]")


class _LocalSource:
    remote = False
    kind: SourceKind
    name: str

    def __init__(self, keys: Callable[[], NumberKeys]) -> None:
        self._keys = keys

    def list(self) -> list[Contact]:
        raise NotImplementedError

    def search(self, term: str) -> list[Contact]:
        lowered = term.strip().casefold()
        digits = _DIGITS.sub("", term)
        found = []
        for contact in self.list():
            if lowered and name_matches_prefix(contact.name, lowered):
                found.append(contact)
            elif digits and any(digits in _DIGITS.sub("", n.number) for n in contact.numbers):
                found.append(contact)
        return found

    def reverse(self, number: str) -> Contact | None:
        key = self._keys().key(number)
        return next((c for c in self.list() if any(self._keys().key(n.number) == key for n in c.numbers)), None)


class FavoritesSource(_LocalSource):
    """`favorites()` gives the user's favorites now (callclient.storage.favorites.Favorite values)."""

    kind = SourceKind.FAVORITE
    name = "Favorites"

    def __init__(self, favorites: Callable[[], Sequence[Any]], keys: Callable[[], NumberKeys]) -> None:
        super().__init__(keys)
        self._favorites = favorites

    def list(self) -> list[Contact]:
        return [Contact(name=f.label, numbers=(PhoneNumber(f.target),), kind=SourceKind.FAVORITE, source=self.name,
                        entry_id=str(f.id)) for f in self._favorites()]


class HistorySource(_LocalSource):
    """`records()` gives the call records last fetched (pbx.service.CallRecord values); a name the PBX put
    on a call is the last resort for naming that number."""

    kind = SourceKind.HISTORY
    name = "Recent calls"

    def __init__(self, records: Callable[[], Sequence[Any]], keys: Callable[[], NumberKeys]) -> None:
        super().__init__(keys)
        self._records = records

    def list(self) -> list[Contact]:
        seen: dict[str, Contact] = {}
        keys = self._keys()
        for record in self._records():
            number = str(record.other_number or "")
            name = str(record.other_name or "")
            if not number or not name or name == number or _DIGITS.sub("", name) == _DIGITS.sub("", number):
                continue  # no name, or the number written another way ("+33 1 23 45 67 89"): not a name
            seen.setdefault(keys.key(number), Contact(name=name, numbers=(PhoneNumber(number),),
                                                      kind=SourceKind.HISTORY, source=self.name))
        return list(seen.values())


class DemoNumbersSource(_LocalSource):
    """Demo mode's own numbers (echo test, recorded message, voicemail, call me back), so the first thing a
    new user types into the search box finds them. `numbers()` gives (number, name) pairs; none outside demo."""

    kind = SourceKind.DIRECTORY
    name = "Demo"

    def __init__(self, numbers: Callable[[], Sequence[tuple[str, str]]], keys: Callable[[], NumberKeys]) -> None:
        super().__init__(keys)
        self._numbers = numbers

    def list(self) -> list[Contact]:
        return [Contact(name=name, numbers=(PhoneNumber(number),), kind=self.kind, source=self.name)
                for number, name in self._numbers()]
