"""One list from many sources: merged by normalised number, ranked for the search box.

Rank (issue 13): an exact extension match first, then favorites, then names starting with the term, then
the rest; alphabetical within a rank. Two contacts sharing any number are one result: the name comes from
the most trusted source (CALLER_ID_PRIORITY), the numbers and details are pooled, and every source is named.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from callclient.directory.model import CALLER_ID_PRIORITY, Contact, PhoneNumber, SourceKind
from callclient.directory.numbers import NumberKeys
from callclient.services.dialplan import EXTENSION_MAX_DIGITS


class Rank(enum.IntEnum):
    EXACT_EXTENSION = 0
    FAVORITE = 1
    NAME_PREFIX = 2
    OTHER = 3


@dataclass(frozen=True)
class SearchResult:
    """One person in the search box: the best name, every number, and where each part came from."""

    name: str
    numbers: tuple[PhoneNumber, ...]
    kind: SourceKind  # of the source whose name is shown
    sources: tuple[str, ...]  # every source that knows this person, best first
    rank: Rank
    company: str = ""
    title: str = ""
    email: str = ""
    contacts: tuple[Contact, ...] = ()  # what each source said, best first

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "numbers": [{"number": n.number, "label": n.label} for n in self.numbers],
                "kind": self.kind.value, "sources": list(self.sources), "rank": self.rank.name.lower(),
                "company": self.company, "title": self.title, "email": self.email}


def _priority(contact: Contact) -> int:
    return CALLER_ID_PRIORITY.index(contact.kind)


def name_matches_prefix(name: str, term: str) -> bool:
    """Any word of the name starts with the term ("dur" finds Bob Durand)."""
    lowered = name.lower()
    return lowered.startswith(term) or any(word.startswith(term) for word in lowered.split())


def rank_of(group: list[Contact], term: str, keys: NumberKeys) -> Rank:
    typed = term.strip()
    if typed and len(typed) <= EXTENSION_MAX_DIGITS and typed.isdigit():
        if any(keys.key(n.number) == typed for c in group for n in c.numbers):
            return Rank.EXACT_EXTENSION
    if any(c.kind is SourceKind.FAVORITE for c in group):
        return Rank.FAVORITE
    lowered = typed.lower()
    if lowered and any(name_matches_prefix(c.name, lowered) for c in group):
        return Rank.NAME_PREFIX
    return Rank.OTHER


def merge(contacts: Iterable[Contact], term: str, keys: NumberKeys, limit: int | None = None) -> list[SearchResult]:
    """De-duplicated by normalised number (a contact without numbers stands alone), ranked, at most `limit`."""
    groups: list[list[Contact]] = []
    by_key: dict[str, int] = {}
    for contact in contacts:
        number_keys = {keys.key(n.number) for n in contact.numbers}
        found = sorted({by_key[k] for k in number_keys if k in by_key})
        if not found:
            index = len(groups)
            groups.append([contact])
        else:
            index = found[0]
            groups[index].append(contact)
            for other in found[1:]:  # this contact links two groups: they are one person
                groups[index].extend(groups[other])
                groups[other] = []
                for key, value in list(by_key.items()):
                    if value == other:
                        by_key[key] = index
        for key in number_keys:
            by_key[key] = index
    # Rank and order first, then build results only for what will be shown (a 1-letter term matches hundreds).
    ranked = []
    for group in groups:
        if group:
            best = min(group, key=_priority)
            ranked.append((rank_of(group, term, keys), best.name.casefold(),
                           best.numbers[0].number if best.numbers else "", group))
    ranked.sort(key=lambda entry: entry[:3])
    shown = ranked[:limit] if limit is not None else ranked
    return [_result(group, rank, keys) for rank, _, _, group in shown]


def _result(group: list[Contact], rank: Rank, keys: NumberKeys) -> SearchResult:
    ordered = sorted(group, key=_priority)
    best = ordered[0]
    numbers: list[PhoneNumber] = []
    seen: set[str] = set()
    for contact in ordered:
        for number in contact.numbers:
            key = keys.key(number.number)
            if key not in seen:
                seen.add(key)
                numbers.append(number)
    sources: list[str] = []
    for contact in ordered:
        if contact.source not in sources:
            sources.append(contact.source)

    def first(attribute: str) -> str:
        return next((str(getattr(c, attribute)) for c in ordered if getattr(c, attribute)), "")

    return SearchResult(name=best.name, numbers=tuple(numbers), kind=best.kind, sources=tuple(sources),
                        rank=rank, company=first("company"), title=first("title"),
                        email=first("email"), contacts=tuple(ordered))
