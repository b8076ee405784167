"""Incremental crawling: ask only for what changed, and keep the revision history. Scrapy
components, switched on in crawler/settings.py:

- `ConditionalRequestMiddleware` (downloader): a disclosure page or attachment fetched before is
  asked for with If-None-Match / If-Modified-Since; a 304 is answered from the raw-file store,
  so the spider and the pipelines see the same bytes without the site sending them again. List
  pages go through Scrapy's HTTP cache (HttpCacheMiddleware, RFC 2616 policy), which revalidates
  the same way.
- `ListPageShapeMiddleware` (spider): counts list pages that yield no link at all (the column's
  layout changed under us), for the monitors in crawler/monitors.py.
- `RevisionsPipeline` (item pipeline, after the ingest pipeline): records that a URL served
  these bytes now (budgets/revisions.py: superseded, current, withdrawn).

What a run cost, and which documents a complete crawl no longer found linked, go into its
`crawl_runs` row through the crawl ledger (crawler/extensions.py).
"""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scrapy import signals
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from budgets import db as database
from budgets import revisions
from budgets.arrivals import observe_known
from crawler.pipelines import db_path

DOCUMENT_ROLES = ("page", "attachment")


def stored_headers(http_headers: str | None) -> dict[str, str]:
    try:
        headers = json.loads(http_headers or "{}")
    except ValueError:
        return {}
    return headers if isinstance(headers, dict) else {}


def validators(headers: dict[str, str]) -> dict[str, str]:
    """The conditional-request headers a stored response allows: {'If-None-Match': etag, ...}."""
    lower = {k.lower(): v for k, v in headers.items()}
    out = {}
    if lower.get("etag"):
        out["If-None-Match"] = lower["etag"]
    if lower.get("last-modified"):
        out["If-Modified-Since"] = lower["last-modified"]
    return out


class ConditionalRequestMiddleware:
    """A document fetched before is asked for only if it changed (see the module docstring)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.path = db_path(crawler.settings)
        self.db = None
        self.list_pages: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self, spider):
        if self.db is not None:
            self.db.conn.close()
            self.db = None

    def known(self, url: str) -> dict | None:
        """The current document at `url` whose bytes are in the raw store, if any."""
        if self.db is None:
            self.db = database.connect(self.path)
        current = revisions.current_at(self.db.conn, url)
        if current is None or not current["raw_path"] or not Path(current["raw_path"]).is_file():
            return None
        return {"id": current["id"], "raw_path": current["raw_path"],
                "headers": stored_headers(current["http_headers"])}

    def process_request(self, request):
        role = request.meta.get("role")
        if role == "list":
            self.list_pages.add(request.url)
            self.crawler.stats.set_value("budgets/list_pages_requested", len(self.list_pages))
            # the HTTP cache must ask the site every time, however fresh the page says it is
            request.headers.setdefault("Cache-Control", "max-age=0")
            return None
        if role not in DOCUMENT_ROLES:
            return None
        request.meta["dont_cache"] = True  # documents live in the raw store, not the HTTP cache
        if "known_document" in request.meta:  # a retry: already prepared
            return None
        known = self.known(request.url)
        if known is None:
            return None
        conditions = validators(known["headers"])
        if not conditions:
            return None
        request.meta["known_document"] = known
        for name, value in conditions.items():
            request.headers.setdefault(name, value)
        return None

    def process_response(self, request, response):
        known = request.meta.get("known_document")
        if response.status != 304 or not known:
            return response
        stats = self.crawler.stats
        try:
            body = Path(known["raw_path"]).read_bytes()
        except OSError:  # the raw file went missing since: ask again without conditions
            meta = {k: v for k, v in request.meta.items() if k != "known_document"}
            retry = request.replace(meta=meta, dont_filter=True)
            for name in ("If-None-Match", "If-Modified-Since"):
                retry.headers.pop(name, None)
            return retry
        stats.inc_value("budgets/not_modified")
        headers = Headers(known["headers"])
        for name in ("ETag", "Last-Modified", "Date", "Expires", "Cache-Control"):
            if name in response.headers:
                headers[name] = response.headers[name]
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        return cls(url=response.url, status=200, headers=headers, body=body, request=request,
                   flags=[*response.flags, "not_modified"], protocol=response.protocol)


class ListPageShapeMiddleware:
    """A list page that answered 200 and yielded nothing (no disclosure, no next page) means
    the column changed its layout; the monitors turn these into an alert."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def _count(self, response, count: int) -> None:
        if response.request is None or response.request.meta.get("role") != "list":
            return
        self.stats.inc_value("budgets/list_pages_read")
        self.stats.inc_value("budgets/list_links", count)
        if count == 0 and response.status == 200:
            self.stats.inc_value("budgets/list_pages_empty")
            empty = self.stats.get_value("budgets/list_pages_empty_urls") or []
            self.stats.set_value("budgets/list_pages_empty_urls", [*empty, response.url])

    def process_spider_output(self, response, result):
        count = 0
        for output in result:
            count += 1
            yield output
        self._count(response, count)

    async def process_spider_output_async(self, response, result):
        count = 0
        async for output in result:
            count += 1
            yield output
        self._count(response, count)


class RevisionsPipeline:
    """After the ingest pipeline: the fetched bytes are what their URL serves now. (One worker
    thread owns the connection: SQLite connections stay in the thread that opened them.)"""

    def __init__(self, path: Path):
        self.path = path
        self.db = None
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="revisions")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(db_path(crawler.settings))

    def _observe(self, url: str, doc_id: str, seen_at: str) -> None:
        if self.db is None:
            self.db = database.connect(self.path)
        observe_known(self.db, url, doc_id, seen_at)

    async def process_item(self, item):
        if not item.error and item.id:
            await asyncio.wrap_future(self.worker.submit(
                self._observe, item.url, item.id, item.fetched_at))
        return item

    def _close(self):
        if self.db is not None:
            self.db.conn.close()
            self.db = None

    async def close_spider(self):
        await asyncio.wrap_future(self.worker.submit(self._close))
        self.worker.shutdown()
