"""The directory: contacts from many sources, numbers normalised to match, one merged and ranked search, a
name for every caller, and an encrypted offline cache. The service that owns it is
callclient/services/directory.py.

    model.py    Contact, PhoneNumber, SourceKind, the Source interface, SourceFailed
    numbers.py  NumberKeys: one matching key per phone number under the dial plan
    ranking.py  merge() and SearchResult: de-duplicated by number, ranked for the search box
    index.py    ContactIndex: fast prefix search and reverse lookup over cached contacts
    cache.py    DirectoryCache: the SQLCipher-backed offline cache with a TTL
    sources/    pbx.py (Wazo dird), local.py (favorites, history), ldap.py (LDAP / Active Directory)
"""

from callclient.directory.model import CALLER_ID_PRIORITY, Contact, PhoneNumber, Source, SourceFailed, SourceKind
from callclient.directory.numbers import NumberKeys
from callclient.directory.ranking import Rank, SearchResult, merge

__all__ = ["CALLER_ID_PRIORITY", "Contact", "NumberKeys", "PhoneNumber", "Rank", "SearchResult", "Source",
           "SourceFailed", "SourceKind", "merge"]
