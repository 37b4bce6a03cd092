"""Call history on Wazo: wazo-call-logd's CDRs for the signed-in user, read newest first as pages of
CallRecords, and counted for the missed-calls badge. call-logd has no "answered" filter, so a missed-only page
is made by reading on until it is full. The last page read is kept (CachedViews) for offline views.

Requests go through the service's authenticated `call` (renewal, retries, errors naming the host), so this
module only knows the paths, the paging and the JSON shapes (mapping.cdr_to_record).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from callclient.pbx.service import CallRecord, HistoryPage, HistoryQuery
from callclient.pbx.wazo.caches import CachedViews
from callclient.pbx.wazo.config import CALL_LOGD
from callclient.pbx.wazo.mapping import cdr_to_record, shape


class WazoHistory:
    def __init__(self, call: Callable[..., Any], user_uuid: Callable[[], str], host: str,
                 views: CachedViews) -> None:
        self._call = call  # WazoService._call(method, base, path, *, what, **kwargs)
        self._user_uuid = user_uuid
        self._host = host
        self._views = views

    def page(self, query: HistoryQuery | None = None) -> HistoryPage:
        query = query or HistoryQuery()
        me = self._user_uuid()
        records: list[CallRecord] = []
        offset = query.offset
        total: int | None = None
        # call-logd has no "answered" filter: for missed-only, read pages until this one is full.
        batch = query.limit if not query.missed_only else max(query.limit, 50)
        while True:
            params: dict[str, Any] = {"limit": batch, "offset": offset, "order": "start", "direction": "desc"}
            if query.search:
                params["search"] = query.search
            data = self._call("GET", CALL_LOGD, "/users/me/cdr", params=params, what="fetch your call history")
            with shape(self._host, "your call history"):
                items = list(data["items"])
                total = int(data.get("filtered", data.get("total", 0)))
                for index, item in enumerate(items):
                    record = cdr_to_record(item, me)
                    if query.missed_only and not record.missed:
                        continue
                    records.append(record)
                    if len(records) == query.limit:
                        next_offset = offset + index + 1
                        return self._keep(query, records, next_offset if next_offset < total else None, total)
            offset += len(items)
            if not items or offset >= total:
                return self._keep(query, records, None, total)

    def _keep(self, query: HistoryQuery, records: list[CallRecord], next_offset: int | None,
              total: int) -> HistoryPage:
        page = HistoryPage(tuple(records), next_offset, None if query.missed_only else total)
        self._views.keep_history(page)
        return page

    def missed_count(self, since: datetime | None = None) -> int:
        me = self._user_uuid()
        count, offset = 0, 0
        while True:
            params: dict[str, Any] = {"limit": 100, "offset": offset, "order": "start", "direction": "desc"}
            if since is not None:
                params["from"] = since.astimezone(UTC).isoformat()
            data = self._call("GET", CALL_LOGD, "/users/me/cdr", params=params, what="count your missed calls")
            with shape(self._host, "your call history"):
                items = list(data["items"])
                count += sum(1 for item in items if cdr_to_record(item, me).missed)
                total = int(data.get("filtered", data.get("total", 0)))
            offset += len(items)
            if not items or offset >= total:
                return count

    def cached(self) -> HistoryPage | None:
        return self._views.history
