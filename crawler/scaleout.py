"""Several crawler processes, on one machine or many, sharing one frontier through Redis
(scrapy-redis): each request is scheduled once in a shared queue and fingerprinted once in a
shared set, so no page is fetched twice however many workers pull from it.

    scrapy crawl disclosures -a site=cqtn -s REDIS_URL=redis://host:6379/0 \
        -s SCHEDULER=crawler.scaleout.SharedFrontier -s BUDGETS_FRONTIER_RUN=2026-11-25

or `budgets nightly --redis redis://host:6379/0`, which sets the same (`redis_settings`).
Keys are `budgets:<run>:<site>:requests` and `…:seen`; they persist while workers come and go
(a worker killed mid-run loses only what it had in flight), and expire a week after the last
worker closed.

Extraction is the other half of the work: `PooledIngestPipeline` reads documents in a pool of
BUDGETS_EXTRACT_PROCESSES processes (`budgets nightly --processes N`) and loads what they read
one document at a time, as the ingest pipeline does.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

import asyncio
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from budgets import db as database
from budgets.pipeline import document_id, load_reading, read_bytes
from crawler.pipelines import IngestPipeline, source_of

KEEP_SECONDS = 7 * 24 * 3600


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def frontier_prefix(run: str, site: str) -> str:
    return f"budgets:{run}:{site}"


def redis_settings(url: str, run: str | None = None) -> dict:
    """Settings that put every crawl of this process on the shared frontier at `url`."""
    return {
        "REDIS_URL": url,
        "SCHEDULER": "crawler.scaleout.SharedFrontier",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # one worker finishing must not empty the others' queue
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on an empty queue …
        "BUDGETS_FRONTIER_GRACE": 30.0,  # … but close only after it stayed empty this long
        # take from the shared queue only what can be downloaded now (Scrapy would otherwise move
        # up to CONCURRENT_REQUESTS requests into this process's own downloader queue)
        "CONCURRENT_REQUESTS": 2,
        "BUDGETS_FRONTIER_RUN": run or today(),
        "BUDGETS_SHARED_FRONTIER": True,  # each worker sees part of the site: no site-wide counts
    }


class SharedFrontier(Scheduler):
    """scrapy-redis's scheduler, with keys per site and per run (every site is crawled by the
    one `disclosures` spider, so the spider's name cannot tell their frontiers apart).

    A worker whose queue is empty does not close at once: another worker may be reading a list
    page that fills it. It keeps polling (without blocking the reactor, unlike scrapy-redis's
    SCHEDULER_IDLE_BEFORE_CLOSE) until the shared queue has stayed empty for
    BUDGETS_FRONTIER_GRACE seconds."""

    def open(self, spider):
        self.grace = spider.settings.getfloat("BUDGETS_FRONTIER_GRACE", 30.0)
        self.last_busy = time.monotonic()
        run = spider.settings.get("BUDGETS_FRONTIER_RUN") or today()
        self.prefix = frontier_prefix(run, spider.site.name)
        self.queue_key = f"{self.prefix}:requests"
        self.df = RFPDupeFilter(self.server, key=f"{self.prefix}:seen",
                                debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        return super().open(spider)

    def next_request(self):
        request = super().next_request()
        if request is not None:
            self.last_busy = time.monotonic()
        return request

    def has_pending_requests(self):
        if len(self) > 0:
            self.last_busy = time.monotonic()
            return True
        return time.monotonic() - self.last_busy < self.grace

    def close(self, reason):
        result = super().close(reason)
        for key in (self.queue_key, self.df.key):
            self.server.expire(key, KEEP_SECONDS)
        return result


class PooledIngestPipeline(IngestPipeline):
    """The ingest pipeline with extraction in a pool of processes: bytes not read before are
    extracted and normalised by `budgets.pipeline.read_bytes` in the pool (several at once), then
    loaded by the pipeline's one database worker. Everything else is the ingest pipeline's."""

    def __init__(self, crawler):
        super().__init__(crawler)
        processes = crawler.settings.getint("BUDGETS_EXTRACT_PROCESSES", 2)
        # spawn: forking a process that runs a reactor and threads is not safe
        self.pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
        self.processes = processes
        self.readings: dict[int, object] = {}
        self.reader = None  # a read-only look-up connection, in the reactor thread

    def _read_before(self, doc_id: str) -> bool:
        if self.reader is None:
            self.reader = database.connect(self.path)
        return self.reader.execute("SELECT 1 FROM documents WHERE id = ? AND bytes IS NOT NULL",
                                   [doc_id]).fetchone() is not None

    async def process_item(self, item):
        if not item.error and item.body and not self._read_before(document_id(item.body)):
            future = self.pool.submit(read_bytes, item.body, source_of(item))
            self.readings[id(item)] = await asyncio.wrap_future(future)
            self.crawler.stats.inc_value("budgets/documents_read_in_pool")
        try:
            return await super().process_item(item)
        finally:
            self.readings.pop(id(item), None)

    def ingest(self, db, item) -> dict:
        reading = self.readings.get(id(item))
        return load_reading(db, reading) if reading is not None else super().ingest(db, item)

    async def close_spider(self):
        await super().close_spider()
        self.pool.shutdown(wait=True)
        if self.reader is not None:
            self.reader.conn.close()
        read = self.crawler.stats.get_value("budgets/documents_read_in_pool", 0)
        print(f"read {read} documents in a pool of {self.processes} processes", file=sys.stderr, flush=True)


def pooled_pipelines(settings) -> dict:
    """ITEM_PIPELINES with the ingest pipeline replaced by the pooled one."""
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    order = pipelines.pop("crawler.pipelines.IngestPipeline", 300)
    pipelines["crawler.scaleout.PooledIngestPipeline"] = order
    return pipelines
