"""The test PBX's sample data: one user (Alice) with a SIP line, a month of calls, four voicemail messages with
real WAV audio, two conference rooms; and the record types the routes read and change.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

def tone_wav(seconds: float, frequency_hz: float, rate_hz: int = 8000) -> bytes:
    """A small real WAV (16-bit mono PCM sine) to stand in for a voicemail recording."""
    frames = int(seconds * rate_hz)
    samples = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency_hz * n / rate_hz))) for n in range(frames)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate_hz)
        wav.writeframes(samples)
    return out.getvalue()


@dataclass
class User:
    uuid: str
    username: str
    email: str
    password: str
    firstname: str
    lastname: str
    line_id: int
    extension: str


@dataclass
class Line:
    id: int
    endpoint_uuid: str
    sip_username: str
    sip_password: str
    transport: str
    extension: str
    context: str = "default"


@dataclass
class Message:
    id: str
    folder: str  # new / old / urgent
    caller_id_name: str
    caller_id_num: str
    duration: int
    timestamp: int
    audio: bytes


@dataclass
class TokenGrant:
    user_uuid: str
    expires_at: float  # time.time()
    issued_at: float
    session_uuid: str


FOLDERS = {"new": (1, "inbox"), "old": (2, "old"), "urgent": (3, "urgent"), "other": (4, "work")}


@dataclass
class PbxData:
    """Everything the test PBX knows; mutate it only through PbxServer's methods while it runs."""

    users: dict[str, User] = field(default_factory=dict)
    lines: dict[int, Line] = field(default_factory=dict)
    cdrs: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[str, Message] = field(default_factory=dict)
    conferences: list[dict[str, Any]] = field(default_factory=list)
    directory: list[dict[str, str]] = field(default_factory=list)  # dird's lookup sources (see directory_sample)
    personal: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # user uuid -> id -> contact
    forwards: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # user uuid -> name -> forward
    ring_seconds: dict[str, int] = field(default_factory=dict)  # user uuid -> seconds (confd's default: 30)
    voicemail_id: int = 1
    voicemail_number: str = "*98"
    tenant_uuid: str = "2c2a3f9e-8c56-4a7e-9cd8-5f4c3f7b6a01"

    @classmethod
    def sample(cls, sip_password: str = "alice-Secret-7431", password: str = "alice-pass-2024",
               now: datetime | None = None) -> PbxData:
        now = now or datetime.now(UTC)
        data = cls()
        alice = User("a1f0e5b2-7c1d-4e0a-9d37-0c4f5e6a7b01", "alice", "alice@example.com", password, "Alice",
                     "Martin", 1, "1001")
        data.users[alice.uuid] = alice
        data.lines[1] = Line(1, "5d3e1a2b-0f4c-4b8e-a1d2-3c4b5e6f7a81", "alice", sip_password, "transport-udp",
                             "1001")
        bob_uuid = "b2e1f6c3-8d2e-4f1b-8e48-1d5f6a7b8c02"
        people = [("Bob Durand", "1002", bob_uuid), ("Carol Petit", "1003", None), ("+33 1 23 45 67 89",
                  "+33123456789", None)]
        for n in range(1, 31):
            name, number, other_uuid = people[n % 3]
            start = now - timedelta(hours=3 * (31 - n))
            outgoing = n % 4 == 0
            answered = n % 5 != 0
            data.cdrs.append(cdr_entry(n, alice, name, number, other_uuid, start, outgoing, answered,
                                       duration=47 + n if answered else 0))
        conf_start = now - timedelta(minutes=30)
        data.cdrs.append(cdr_entry(31, alice, "Weekly team", "4000", None, conf_start, True, True, duration=1800,
                                   destination_type="conference"))
        for index, (name, number, folder, seconds) in enumerate(
            [("Bob Durand", "1002", "new", 1.0), ("Carol Petit", "1003", "new", 0.6),
             ("Reception", "+33123456789", "urgent", 0.8), ("Bob Durand", "1002", "old", 0.5)]
        ):
            message_id = f"1700000{index:03d}-0000000{index}"
            data.messages[message_id] = Message(message_id, folder, name, number, max(1, round(seconds)),
                                                int((now - timedelta(hours=index + 1)).timestamp()),
                                                tone_wav(seconds, 440 + 110 * index))
        data.conferences = [
            {"id": 1, "name": "Weekly team", "extensions": [{"id": 40, "exten": "4000", "context": "default"}]},
            {"id": 2, "name": "Sales", "extensions": [{"id": 41, "exten": "4001", "context": "default"}]},
        ]
        data.directory = directory_sample(alice, bob_uuid)
        data.personal[alice.uuid] = {c["id"]: c for c in personal_sample()}
        return data


_FIRST_NAMES = ("Léa", "Hugo", "Chloé", "Louis", "Emma", "Gabriel", "Manon", "Arthur", "Camille", "Jules", "Inès",
                "Raphaël", "Sarah", "Lucas", "Jade", "Nathan", "Zoé", "Thomas", "Anna", "Paul", "Nora", "Victor",
                "Elsa", "Adam", "Lina", "Ethan", "Rose", "Noah", "Alice", "Samuel")
_LAST_NAMES = ("Bernard", "Dubois", "Thomas", "Robert", "Richard", "Moreau", "Laurent", "Simon", "Michel",
               "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
               "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier",
               "Blanc", "Guerin", "O'Neill", "Nguyen")
_TITLES = ("Sales", "Support", "Accounting", "Engineering", "Reception", "Logistics", "Marketing", "HR")
_COMPANIES = ("Acme Industries", "Boulangerie Petit", "Cabinet Fontaine", "Dupont & Fils", "Européenne de Transport",
              "Garage Lambert", "Hôtel du Lac", "Imprimerie Morel", "Nordwind GmbH", "Olivetti Srl",
              "Pharmacie Centrale", "Quincaillerie Roux", "Transports Girard", "Vertex Ltd")


def directory_sample(alice: User, bob_uuid: str) -> list[dict[str, str]]:
    """A few hundred realistic entries: 80 colleagues (the PBX's users, extensions 1002-1081, some with
    mobiles) and 320 outside contacts in the company phonebook, their numbers written the many ways people
    write French numbers (+33 1 .., 01 .., 0033..., dotted)."""
    entries = [{"id": alice.uuid, "name": f"{alice.firstname} {alice.lastname}", "number": alice.extension,
                "mobile": "", "email": alice.email, "company": "Example Corp", "title": "Sales",
                "backend": "wazo", "source": "wazo_default", "user_uuid": alice.uuid}]
    for n in range(80):
        extension = str(1002 + n)
        if n == 0:
            first, last, uuid = "Bob", "Durand", bob_uuid
        elif n == 1:
            first, last, uuid = "Carol", "Petit", "c3f2a7d4-9e3f-4a2c-9f59-2e6a7b8c9d03"
        else:
            first, last = _FIRST_NAMES[n % len(_FIRST_NAMES)], _LAST_NAMES[(n * 7) % len(_LAST_NAMES)]
            uuid = f"00000000-0000-4000-8000-{n:012d}"
        mobile = f"+33 6 {12 + n % 80:02d} {34 + n % 60:02d} {n % 100:02d} {(n * 3) % 100:02d}" if n % 3 == 0 else ""
        entries.append({"id": uuid, "name": f"{first} {last}", "number": extension, "mobile": mobile,
                        "email": f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.com",
                        "company": "Example Corp", "title": _TITLES[n % len(_TITLES)], "backend": "wazo",
                        "source": "wazo_default", "user_uuid": uuid})
    formats = ("+33 1 {a} {b} {c} {d}", "01 {a} {b} {c} {d}", "01.{a}.{b}.{c}.{d}", "0033 1 {a} {b} {c} {d}",
               "+331{a}{b}{c}{d}")
    for n in range(320):
        first, last = _FIRST_NAMES[(n * 11) % len(_FIRST_NAMES)], _LAST_NAMES[(n * 5 + 3) % len(_LAST_NAMES)]
        a, b, c, d = (f"{(n * k + 17) % 90 + 10:02d}" for k in (3, 7, 13, 19))
        number = formats[n % len(formats)].format(a=a, b=b, c=c, d=d)
        mobile = f"06 {b} {a} {d} {c}" if n % 4 == 0 else ""
        company = _COMPANIES[n % len(_COMPANIES)]
        entries.append({"id": f"pb-{n + 1}", "name": f"{first} {last}", "number": number, "mobile": mobile,
                        "email": f"{first[0].lower()}.{last.lower().replace(chr(39), '')}@{n % 14}.example.net",
                        "company": company, "title": "", "backend": "phonebook", "source": "phonebook_customers",
                        "user_uuid": ""})
    # The reception desk: one number the switchboard's calls come from.
    entries.append({"id": "pb-reception", "name": "Reception", "number": "+33123456789", "mobile": "",
                    "email": "", "company": "Example Corp", "title": "", "backend": "phonebook",
                    "source": "phonebook_customers", "user_uuid": ""})
    return entries


def personal_sample() -> list[dict[str, str]]:
    return [
        {"id": "5c7a3e9e-1b7c-4b8e-9f35-000000000001", "firstname": "Marc", "lastname": "Olivier",
         "number": "+33 6 11 22 33 44", "company": "Garage Lambert"},
        {"id": "5c7a3e9e-1b7c-4b8e-9f35-000000000002", "firstname": "Sophie", "lastname": "Klein",
         "number": "0612345678", "mobile": "+49 171 2345678", "email": "sophie@klein.example"},
        {"id": "5c7a3e9e-1b7c-4b8e-9f35-000000000003", "firstname": "Dentist", "number": "01 44 55 66 77"},
    ]


def cdr_entry(cdr_id: int, me: User, name: str, number: str, other_uuid: str | None, start: datetime,
              outgoing: bool, answered: bool, duration: int, destination_type: str = "user") -> dict[str, Any]:
    """A call-logd CDR between `me` and another party."""
    mine = {"name": f"{me.firstname} {me.lastname}", "extension": me.extension, "user_uuid": me.uuid}
    theirs = {"name": name, "extension": number, "user_uuid": other_uuid}
    source, destination = (mine, theirs) if outgoing else (theirs, mine)
    entry: dict[str, Any] = {
        "id": cdr_id,
        "start": start.isoformat(),
        "end": (start + timedelta(seconds=duration + 5)).isoformat(),
        "source_name": source["name"],
        "source_extension": source["extension"],
        "requested_name": destination["name"],
        "requested_extension": destination["extension"],
        "destination_name": destination["name"],
        "destination_extension": destination["extension"],
        "destination_details": {"type": destination_type},
        "duration": duration,
        "answered": answered,
        "call_direction": "internal" if other_uuid else ("outbound" if outgoing else "inbound"),
        "call_status": "answered" if answered else "unknown",
        "tags": [],
        "recordings": [],
    }
    if answered:
        entry["answer"] = (start + timedelta(seconds=5)).isoformat()
    for prefix, party in (("source", source), ("destination", destination)):
        if party["user_uuid"]:
            entry[f"{prefix}_user_uuid"] = party["user_uuid"]
    return entry
