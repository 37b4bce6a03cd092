"""The desktop's address book: vCard files and folders (vCard 3.0 and 4.0) and CardDAV address books
(Nextcloud, iCloud, Google, Radicale). Read only after the user allowed it (`directory.address_book_allowed`,
off by default): Core does not even build these sources before that.

They are "listed" sources: the directory service lists them into its encrypted cache and index (at start,
when the settings change, on refresh), and every keystroke is answered from that index; nothing of the
address book is written anywhere else, and nothing of it is logged (names and numbers are personal data:
problems are logged by file and card number only).
"""

from __future__ import annotations

import logging
import re
import ssl
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import httpx
import vobject

from callclient.directory.model import Contact, PhoneNumber, SourceFailed, SourceKind

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 2**20  # a "vCard" bigger than this is not an address book someone exported
MAX_CARDS = 50_000
_CARD = re.compile(r"BEGIN:VCARD\r?\n.*?END:VCARD", re.IGNORECASE | re.DOTALL)
_TYPE_LABELS = {"cell": "mobile", "work": "work", "home": "home", "fax": "fax", "voice": "", "main": "work",
                "pager": "pager", "iphone": "mobile"}

ADDRESS_BOOK_EXPLANATION = (
    "CallClient can read your address book to show who is calling and to let you call your contacts quickly. "
    "It reads names, phone numbers, companies and titles only, keeps a copy in its encrypted storage on this "
    "computer, and never sends it anywhere. You can turn this off at any time in Settings > Directory; the "
    "copy is then deleted."
)


def _text(value: object) -> str:
    if isinstance(value, list):
        value = " ".join(map(str, value))
    return str(value or "").strip()


def card_to_contact(card: vobject.base.Component, source: str) -> Contact | None:
    """One parsed vCard as a Contact; None for a card with neither a name nor a number."""
    numbers = []
    for tel in card.contents.get("tel", []):
        number = _text(tel.value)
        if number.lower().startswith("tel:"):  # vCard 4: TEL;VALUE=uri:tel:+33...
            number = number[4:].split(";", 1)[0]
        if not number:
            continue
        types = [t.lower() for value in tel.params.get("TYPE", []) for t in value.split(",")]
        label = next((_TYPE_LABELS[t] for t in types if _TYPE_LABELS.get(t)), "")
        numbers.append(PhoneNumber(number, label))
    name = _text(card.fn.value) if "fn" in card.contents else ""
    if not name and "n" in card.contents:
        n = card.n.value
        name = " ".join(p for p in (_text(n.prefix), _text(n.given), _text(n.additional), _text(n.family)) if p)
    company = ""
    if "org" in card.contents:
        org = card.org.value
        company = _text(org[0] if isinstance(org, list) and org else org)
    name = name or company or (numbers[0].number if numbers else "")
    if not name:
        return None
    title = _text(card.title.value) if "title" in card.contents else ""
    email = _text(card.email.value) if "email" in card.contents else ""
    uid = _text(card.uid.value) if "uid" in card.contents else ""
    return Contact(name=name, numbers=tuple(numbers), kind=SourceKind.ADDRESS_BOOK, source=source,
                   company=company, title=title, email=email, entry_id=uid)


def parse_vcards(text: str, source: str, where: str) -> tuple[list[Contact], list[str]]:
    """Every readable card in `text`, and one problem line per card that is not (the others still count)."""
    contacts: list[Contact] = []
    problems: list[str] = []
    blocks = _CARD.findall(text)
    if not blocks and text.strip():
        problems.append(f"{where}: no vCard in it (BEGIN:VCARD ... END:VCARD)")
    for number, block in enumerate(blocks, start=1):
        if len(contacts) >= MAX_CARDS:
            problems.append(f"{where}: more than {MAX_CARDS} cards; the rest were not read")
            break
        try:
            card = vobject.readOne(block)  # strict: a card with an unreadable line is reported, not half-read
            contact = card_to_contact(card, source)
        except Exception as error:  # vobject raises many kinds (ParseError, ValueError, AttributeError...)
            problems.append(f"{where}: card {number} could not be read ({type(error).__name__})")
            continue
        if contact is not None:
            contacts.append(contact)
    return contacts, problems


class _ListedSource:
    kind = SourceKind.ADDRESS_BOOK
    remote = True
    listed_only = True  # answered from the directory's index after list(): never asked per keystroke
    problems: list[str]

    def search(self, term: str) -> list[Contact]:
        return []

    def reverse(self, number: str) -> Contact | None:
        return None


class VCardFiles(_ListedSource):
    """`.vcf` files, or folders of them (not recursive beyond one level, as address-book exports are laid out)."""

    name = "Address book"

    def __init__(self, paths: list[str]) -> None:
        self._paths = [Path(p).expanduser() for p in paths]
        self.problems = []

    def _files(self) -> list[Path]:
        files: list[Path] = []
        for path in self._paths:
            if path.is_dir():
                files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".vcf", ".vcard")))
            else:
                files.append(path)
        return files

    def list(self) -> list[Contact]:
        contacts: list[Contact] = []
        problems: list[str] = []
        for file in self._files():
            try:
                if file.stat().st_size > MAX_FILE_BYTES:
                    problems.append(f"{file}: larger than {MAX_FILE_BYTES // 2**20} MB; not read")
                    continue
                text = file.read_bytes().decode("utf-8", errors="replace")
            except OSError as error:
                problems.append(f"{file}: cannot be read ({error.strerror or error})")
                continue
            found, bad = parse_vcards(text, self.name, str(file))
            contacts.extend(found)
            problems.extend(bad)
        self.problems = problems
        for problem in problems:
            log.warning("address book: %s", problem)
        if not contacts and problems:
            raise SourceFailed(self.name, "; ".join(problems[:3]))
        return contacts


_DAV = "{DAV:}"
_CARDDAV = "{urn:ietf:params:xml:ns:carddav}"
_QUERY = b"""<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data/></D:prop>
</C:addressbook-query>"""


class CardDavBook(_ListedSource):
    """One CardDAV address book collection (RFC 6352), read with one addressbook-query REPORT over verified
    HTTPS. The password comes from the keychain through `password()`."""

    def __init__(self, url: str, username: str, password: Callable[[], str | None], ca_file: str = "",
                 timeout_s: float = 15.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"{url!r} is not an https:// address book address")
        self._url = url if url.endswith("/") else url + "/"
        self._host = parts.hostname
        self._username = username
        self._password = password
        self._verify = ssl.create_default_context(cafile=ca_file or None)
        self._timeout_s = timeout_s
        self.problems = []

    @property
    def name(self) -> str:
        return f"Address book {self._host}"

    def list(self) -> list[Contact]:
        password = self._password() if self._username else None
        if self._username and not password:
            raise SourceFailed(self.name, "no password in the keychain; enter it in Settings > Directory")
        auth = (self._username, password or "") if self._username else None
        try:
            with httpx.Client(verify=self._verify, timeout=self._timeout_s, follow_redirects=False) as client:
                response = client.request("REPORT", self._url, content=_QUERY, auth=auth,
                                          headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
        except httpx.TimeoutException as error:
            raise SourceFailed(self.name, f"no answer within {self._timeout_s:g} s") from error
        except httpx.TransportError as error:
            if "CERTIFICATE_VERIFY_FAILED" in str(error):
                raise SourceFailed(self.name, "the server's certificate is not trusted") from error
            raise SourceFailed(self.name, f"cannot reach {self._host} ({error})") from error
        if response.status_code == 401:
            raise SourceFailed(self.name, f"the server refused the user name or password for {self._username}")
        if response.status_code == 404:
            raise SourceFailed(self.name, "no address book at this address")
        if response.status_code != 207:
            raise SourceFailed(self.name, f"the server answered HTTP {response.status_code} to the address book "
                                          "query")
        try:
            root = ElementTree.fromstring(response.content)
        except ElementTree.ParseError as error:
            raise SourceFailed(self.name, "the server's answer is not a WebDAV multistatus (XML)") from error
        contacts: list[Contact] = []
        problems: list[str] = []
        for index, data in enumerate(root.iter(f"{_CARDDAV}address-data"), start=1):
            found, bad = parse_vcards(data.text or "", self.name, f"{self.name} card {index}")
            contacts.extend(found)
            problems.extend(bad)
        self.problems = problems
        for problem in problems:
            log.warning("address book: %s", problem)
        return contacts
