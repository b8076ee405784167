"""Progress while crawling, and one `crawl_runs` row per crawl when it ends."""
from __future__ import annotations

import sys

from scrapy import signals
from twisted.internet import task

from budgets import db as database
from crawler.items import now
from crawler.pipelines import db_path

COUNTS = ("pages", "documents", "documents_new", "documents_changed", "documents_unchanged",
          "documents_failed", "errors", "refused", "bytes")


def run_status(counts: dict, reason: str) -> str:
    """ok: finished, documents found, none failed · partial: some failed · failed: the crawl
    did not finish or found nothing (a site that yields nothing has changed under us)."""
    if reason != "finished" or not counts["documents"]:
        return "failed"
    return "partial" if counts["documents_failed"] or counts["errors"] else "ok"


def withdrawn_urls(db, site: str, seen: set[str]) -> int:
    """Documents of `site` fetched before whose URL no list or page links any more."""
    rows = db.execute(
        "SELECT DISTINCT url FROM documents WHERE site = ? AND url NOT LIKE '%#%' AND bytes IS NOT NULL",
        [site],
    ).fetchall()
    return sum(1 for (url,) in rows if url not in seen)


class CrawlReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("BUDGETS_PROGRESS_INTERVAL", 10.0)
        self.started_at = now()
        self.loop = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def counts(self) -> dict:
        stats = self.crawler.stats
        return {name: stats.get_value(f"budgets/{name}", 0) for name in COUNTS}

    def spider_opened(self, spider):
        self.started_at = now()
        if self.interval > 0:
            self.loop = task.LoopingCall(self.progress, spider)
            self.loop.start(self.interval, now=False)

    def progress(self, spider):
        c = self.counts()
        print(f"[{spider.site.name}] {c['pages']} pages, {c['documents']} documents, "
              f"{c['errors']} errors so far", file=sys.stderr, flush=True)

    def spider_closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        c = self.counts()
        db = database.connect(db_path(self.crawler.settings))
        # only a whole, complete walk of the site can tell that a document is no longer linked
        whole_site = (spider.year is None and reason == "finished"
                      and not self.crawler.stats.get_value("budgets/list_errors"))
        withdrawn = withdrawn_urls(db, spider.site.name, spider.urls_seen) if whole_site else 0
        status = run_status(c, reason)
        last_error = self.crawler.stats.get_value("budgets/last_error")
        message = (f"{reason}: {c['pages']} pages, {c['documents']} documents ({c['documents_new']} new, "
                   f"{c['documents_changed']} changed, {c['documents_unchanged']} unchanged, "
                   f"{c['documents_failed']} failed), {c['errors']} fetch errors, "
                   f"{c['refused']} links refused by robots.txt or off-site")
        if status == "failed" and last_error:
            message += f"; last error: {last_error}"
        runs = db["crawl_runs"].insert({
            "site": spider.site.name, "started_at": self.started_at, "finished_at": now(),
            "pages": c["pages"], "documents_new": c["documents_new"],
            "documents_changed": c["documents_changed"], "documents_unchanged": c["documents_unchanged"],
            "documents_withdrawn": withdrawn, "documents_failed": c["documents_failed"],
            "bytes": c["bytes"], "status": status, "message": message,
        })
        self.crawler.stats.set_value("budgets/crawl_run_id", runs.last_pk)  # for RunLedger
        db.conn.close()
        print(f"[{spider.site.name}] crawl {status}: {message}", file=sys.stderr, flush=True)
