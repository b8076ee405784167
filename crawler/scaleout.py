"""Several crawler processes, on one machine or many, sharing one frontier through Redis
(scrapy-redis): each request is scheduled once in a shared queue and fingerprinted once in a
shared set, so no page is fetched twice however many workers pull from it.

    scrapy crawl disclosures -a site=cqtn -s REDIS_URL=redis://host:6379/0 \
        -s SCHEDULER=crawler.scaleout.SharedFrontier -s BUDGETS_FRONTIER_RUN=2026-11-25

or `budgets nightly --redis redis://host:6379/0`, which sets the same (`redis_settings`).
Keys are `budgets:<run>:<site>:requests` and `…:seen`; they persist while workers come and go
(a worker killed mid-run loses only what it had in flight), and expire a week after the last
worker closed. `…:busy:<worker>` says a worker has requests in flight; `…:linked` and `…:tally`
collect what the closing workers saw, for `shared_withdrawals`.

Extraction is the other half of the work: `PooledIngestPipeline` reads documents in a pool of
BUDGETS_EXTRACT_PROCESSES processes (`budgets nightly --processes N`) and hands what they read to
the ingest pipeline's write-behind buffer, which loads it many documents to a transaction.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone

import redis
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from budgets import db as database
from budgets import revisions
from budgets.arrivals import bytes_read
from budgets.pipeline import document_id, read_bytes
from crawler.coverage import COVERAGE_STATS, coverage_counts, covered_the_site
from crawler.pipelines import IngestPipeline, source_of

KEEP_SECONDS = 7 * 24 * 3600
BEAT_SECONDS = 0.5  # how often a worker says it is busy, and looks for work while idle
BUSY_TTL_MS = 5000  # a busy key outlives a few missed beats (a loaded machine), not a killed worker


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

    The shared queue being empty does not mean the crawl is over: another worker may be
    reading a list page that will fill it. So every worker with a request in flight keeps a
    short-lived `…:busy:<worker>` key alive, and a worker whose queue is empty stays open while
    any other worker's key exists, then until the queue has stayed empty for
    BUDGETS_FRONTIER_GRACE seconds (a killed worker's key expires by itself). An idle worker
    looks at the queue every BEAT_SECONDS, rather than at the engine's 5-second heartbeat, so it
    takes its share of what the others find."""

    @classmethod
    def from_crawler(cls, crawler):
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        return instance

    def open(self, spider):
        self.grace = spider.settings.getfloat("BUDGETS_FRONTIER_GRACE", 30.0)
        self.last_busy = time.monotonic()
        run = spider.settings.get("BUDGETS_FRONTIER_RUN") or today()
        self.prefix = frontier_prefix(run, spider.site.name)
        self.queue_key = f"{self.prefix}:requests"
        self.busy_key = f"{self.prefix}:busy:{uuid.uuid4().hex}"
        self.df = RFPDupeFilter(self.server, key=f"{self.prefix}:seen",
                                debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        result = super().open(spider)
        self.beat = task.LoopingCall(self._beat)
        self.beat.start(BEAT_SECONDS, now=False)
        return result

    def _say_busy(self):
        self.server.set(self.busy_key, 1, px=BUSY_TTL_MS)

    def _engine_busy(self) -> bool:
        engine = self.crawler.engine
        return bool(engine.downloader.active) or not engine.scraper.slot.is_idle()

    def _beat(self):
        if self._engine_busy():
            self._say_busy()
            return
        self.server.delete(self.busy_key)
        slot = getattr(self.crawler.engine, "_slot", None)
        if len(self) > 0 and slot is not None:
            # the engine only asks for the next request after a response or at its heartbeat
            slot.nextcall.schedule()

    def others_busy(self) -> bool:
        return any(key.decode() != self.busy_key
                   for key in self.server.scan_iter(match=f"{self.prefix}:busy:*", count=100))

    def next_request(self):
        request = super().next_request()
        if request is not None:
            self.last_busy = time.monotonic()
            self._say_busy()
        return request

    def has_pending_requests(self):
        if len(self) > 0 or self.others_busy():
            self.last_busy = time.monotonic()
            return True
        return time.monotonic() - self.last_busy < self.grace

    def close(self, reason):
        if self.beat.running:
            self.beat.stop()
        self.server.delete(self.busy_key)
        result = super().close(reason)
        for key in (self.queue_key, self.df.key):
            self.server.expire(key, KEEP_SECONDS)
        return result


def report_coverage(settings, site: str, linked: set[str], whole_walk: bool, stats) -> None:
    """A closing worker's share of what `shared_withdrawals` needs: the document URLs it saw
    linked, whether it walked to the end without alerts, and its list-page and document counts."""
    server = get_redis_from_settings(settings)
    prefix = frontier_prefix(settings.get("BUDGETS_FRONTIER_RUN") or today(), site)
    pipe = server.pipeline()
    if linked:
        pipe.sadd(f"{prefix}:linked", *linked)
    pipe.hincrby(f"{prefix}:tally", "workers", 1)
    pipe.hincrby(f"{prefix}:tally", "whole_walks", int(whole_walk))
    for name, count in coverage_counts(stats).items():
        pipe.hincrby(f"{prefix}:tally", name, count)
    for key in ("linked", "tally"):
        pipe.expire(f"{prefix}:{key}", KEEP_SECONDS)
    pipe.execute()


def shared_withdrawals(conn, redis_url: str, run: str, site: str, workers: int) -> list[str]:
    """After every worker of a shared crawl of `site` closed: if together they walked the whole
    site, mark withdrawn the documents none of them saw linked, and return their URLs. A worker
    that was killed, stopped early or raised an alert leaves the documents as they were."""
    server = redis.Redis.from_url(redis_url)
    prefix = frontier_prefix(run, site)
    tally = {key.decode(): int(value) for key, value in server.hgetall(f"{prefix}:tally").items()}
    if not (tally.get("workers") == tally.get("whole_walks") == workers
            and covered_the_site(**{name: tally.get(name, 0) for name in COVERAGE_STATS})):
        return []
    linked = {url.decode() for url in server.smembers(f"{prefix}:linked")}
    return revisions.withdraw_unlinked(conn, site, linked)


class PooledIngestPipeline(IngestPipeline):
    """The ingest pipeline with extraction in a pool of processes: bytes not read before are
    extracted and normalised by `budgets.pipeline.read_bytes` in the pool (several at once), then
    held by the pipeline's one database worker and loaded with others. Everything else is the
    ingest pipeline's."""

    def __init__(self, crawler):
        super().__init__(crawler)
        processes = crawler.settings.getint("BUDGETS_EXTRACT_PROCESSES", 2)
        # spawn: forking a process that runs a reactor and threads is not safe
        self.pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
        self.processes = processes
        self.readings: dict[int, object] = {}
        self.reader = None  # a read-only look-up connection, in the reactor thread

    def _read_before(self, doc_id: str) -> bool:
        if self.held is not None and self.held.holds(doc_id):  # read, and held to be loaded
            return True
        if self.reader is None:
            self.reader = database.connect(self.path)
        return bytes_read(self.reader, doc_id)

    async def process_item(self, item):
        if not item.error and item.body and not self._read_before(document_id(item.body)):
            future = self.pool.submit(read_bytes, item.body, source_of(item))
            self.readings[id(item)] = await asyncio.wrap_future(future)
            self.crawler.stats.inc_value("budgets/documents_read_in_pool")
        try:
            return await super().process_item(item)
        finally:
            self.readings.pop(id(item), None)

    def read_already(self, item):
        return self.readings.get(id(item))

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
