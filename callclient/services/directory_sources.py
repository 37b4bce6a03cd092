"""Which sources the directory reads: the only owner of that choice, made again whenever the settings change.

Local sources (favorites, recent calls, demo mode's numbers) answer at once and are always read. Remote
ones follow the settings: the PBX's directory when `directory.pbx_enabled`, an LDAP server when one is
named, and address books (vCard files, CardDAV) only once the user has allowed them — never built, so never
read, before that consent. `directory_for` builds the DirectoryService with them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from callclient.directory.cache import DirectoryCache
from callclient.directory.model import Source
from callclient.directory.numbers import NumberKeys
from callclient.services.directory import DirectoryService


def directory_for(settings: Any, favorites: Callable[[], list[Any]], history: Callable[[], Sequence[Any]],
                  demo_numbers: Callable[[], list[tuple[str, str]]], pbx: Callable[[], Any],
                  cache: DirectoryCache | None, keychain: Any) -> DirectoryService:
    """The directory service reading these sources; they key numbers with the service's dial plan in force."""
    holder: list[DirectoryService] = []

    def keys() -> NumberKeys:
        return holder[0].keys

    directory = DirectoryService(settings, local_sources(favorites, history, demo_numbers, keys),
                                 lambda app: remote_sources(app, pbx, keys, keychain), cache,
                                 pbx=pbx, keychain=keychain)
    holder.append(directory)
    return directory


def local_sources(favorites: Callable[[], list[Any]], history: Callable[[], Sequence[Any]],
                  demo_numbers: Callable[[], list[tuple[str, str]]],
                  keys: Callable[[], NumberKeys]) -> list[Source]:
    """Favorites of every account, the cached call history, and demo mode's (number, name) pairs."""
    from callclient.directory.sources.local import DemoNumbersSource, FavoritesSource, HistorySource

    return [FavoritesSource(favorites, keys), HistorySource(history, keys), DemoNumbersSource(demo_numbers, keys)]


def remote_sources(app: Any, pbx: Callable[[], Any], keys: Callable[[], NumberKeys], keychain: Any) -> list[Source]:
    """The remote sources `app` (the config in force) asks for; `pbx()` is the PbxService in use and
    `keychain` holds the LDAP and CardDAV passwords."""
    from callclient.directory.sources.pbx import PbxDirectory

    sources: list[Source] = []
    if app.directory.pbx_enabled:
        sources.append(PbxDirectory(pbx, keys))
    if app.directory.ldap_url:
        from callclient.directory.sources.ldap import LdapDirectory

        sources.append(LdapDirectory.from_config(app.directory, keychain, region=app.dialplan.region))
    if app.directory.address_book_allowed:  # never built, so never read, before the user's consent
        from callclient.directory.sources.address_book import CardDavBook, VCardFiles
        from callclient.storage.keychain import SecretKind

        if app.directory.vcard_paths:
            sources.append(VCardFiles(list(app.directory.vcard_paths)))
        if app.directory.carddav_url:
            sources.append(CardDavBook(
                app.directory.carddav_url, app.directory.carddav_username,
                lambda: keychain.get("directory", SecretKind.CARDDAV_PASSWORD) if keychain else None,
                ca_file=app.directory.carddav_ca_file))
    return sources
