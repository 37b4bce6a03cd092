"""The contacts the directory benches load: a realistic spread over the sources a company user has."""

from __future__ import annotations

import random

from callclient.directory.model import Contact, PhoneNumber, SourceKind

FIRSTS = ("Léa", "Hugo", "Chloé", "Louis", "Emma", "Gabriel", "Manon", "Arthur", "Camille", "Jules", "Inès", "Sarah",
          "Lucas", "Jade", "Nathan", "Zoé", "Thomas", "Anna", "Paul", "Nora", "Victor", "Elsa", "Adam", "Lina")
LASTS = ("Bernard", "Dubois", "Thomas", "Robert", "Richard", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre",
         "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
         "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "André", "Mercier", "Blanc", "Guerin", "Nguyen")


def make_contacts(count: int, rng: random.Random) -> dict[str, list[Contact]]:
    """Realistic spread: 70 % company directory, 15 % personal, 15 % address book; a third with a mobile."""
    sources: dict[str, list[Contact]] = {"Company directory": [], "Personal contacts": [], "LDAP ldap.example.com": []}
    names = list(sources)
    kinds = {"Company directory": SourceKind.PBX_USER, "Personal contacts": SourceKind.PERSONAL,
             "LDAP ldap.example.com": SourceKind.DIRECTORY}
    for n in range(count):
        source = names[0] if n % 100 < 70 else names[1] if n % 100 < 85 else names[2]
        first, last = rng.choice(FIRSTS), f"{rng.choice(LASTS)}{'' if n % 3 else rng.randint(1, 999)}"
        numbers = [PhoneNumber(str(10000 + n) if kinds[source] is SourceKind.PBX_USER else
                               f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                               f"{rng.randint(10, 99)}", "work")]
        if n % 3 == 0:
            numbers.append(PhoneNumber(f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                                       f"{rng.randint(10, 99)}", "mobile"))
        sources[source].append(Contact(f"{first} {last}", tuple(numbers), kinds[source], source,
                                       company=rng.choice(("Example Corp", "Acme", "Vertex Ltd", "")),
                                       title=rng.choice(("Sales", "Support", "")), email=f"{n}@example.com"))
    return sources
