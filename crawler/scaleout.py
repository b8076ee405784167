"""Several crawler processes, on one machine or many, sharing one frontier through Redis
(scrapy-redis): each request is scheduled once in a shared queue and fingerprinted once in a
shared set, so no page is fetched twice however many workers pull from it.

    scrapy crawl disclosures -a site=cqtn -s REDIS_URL=redis://host:6379/0 \
        -s SCHEDULER=crawler.scaleout.SharedFrontier -s BUDGETS_FRONTIER_RUN=2026-11-25

or `budgets nightly --redis redis://host:6379/0`, which sets the same (`redis_settings`).
Keys are `budgets:<run>:<site>:requests` and `…:seen`; they persist while workers come and go
(a worker killed mid-run loses only what it had in flight), and expire a week after the last
worker closed.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

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
