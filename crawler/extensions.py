"""The crawl ledger: progress while crawling, and when a crawl ends, everything that follows it,
in one place, whoever started the crawl (`scrapy crawl`, scrapyd, `budgets crawl`, `budgets
demo`, `budgets nightly`):

1. decide withdrawals: a crawl that walked the whole site marks withdrawn the documents no page
   linked any more; a worker of a shared frontier adds what it saw to Redis instead
   (crawler/scaleout.py), and `budgets nightly` decides once every worker closed;
2. write the crawl's one `crawl_runs` row: counts, status, cost, alerts, withdrawals;
3. when the last crawl of this process closes, settle the database (budgets/afterload/:
   reference tables, audit, publishing prep). Settling drains a queue of loaded documents, so
   a command that settles again afterwards does nothing twice.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy import signals
from twisted.internet import task

from budgets import db as database
from budgets import revisions
from budgets.afterload import settle
from budgets.arrivals import documents_seen_since
from budgets.crawl_ledger import record_run
from budgets.progress import CrawlDisplay, enabled
from crawler.coverage import coverage_counts, covered_the_site, was_resumed, whole_walk
from crawler.items import now
from crawler.monitors import network_failure
from crawler.pipelines import db_path

COUNTS = ("pages", "documents", "documents_new", "documents_changed", "documents_unchanged",
          "documents_same_bytes", "documents_failed", "errors", "refused", "bytes")

SETTLED = "budgets/settled"  # the stat holding the settle summary, for the commands to print


STARTED_MARK = "budgets-started-at"  # in JOBDIR: when the crawl that frontier belongs to started


def run_status(counts: dict, reason: str, resumed_documents: int = 0) -> str:
    """ok: finished, documents found, none failed · partial: some failed · failed: the crawl
    did not finish or found nothing (a site that yields nothing has changed under us). A
    resumed crawl counts what the run it continues had found."""
    if reason != "finished" or not (counts["documents"] or resumed_documents):
        return "failed"
    return "partial" if counts["documents_failed"] or counts["errors"] else "ok"


def run_message(counts: dict, reason: str) -> str:
    c = counts
    same = f"{c['documents_same_bytes']} same bytes as another URL's, " if c["documents_same_bytes"] else ""
    return (f"{reason}: {c['pages']} pages, {c['documents']} documents ({c['documents_new']} new, "
            f"{c['documents_changed']} changed, {c['documents_unchanged']} unchanged, {same}"
            f"{c['documents_failed']} failed), {c['errors']} fetch errors, "
            f"{c['refused']} links refused by robots.txt or off-site")


def cost(stats, resumed: bool) -> dict:
    """What the run cost, for the nightly summary."""
    return {
        "requests": stats.get_value("downloader/request_count", 0),
        "responses_not_modified": (stats.get_value("budgets/not_modified", 0)
                                   + stats.get_value("httpcache/revalidate", 0)),
        "bytes_downloaded": stats.get_value("downloader/response_bytes", 0),
        "errors": stats.get_value("budgets/errors", 0),
        "documents_extracted": stats.get_value("budgets/documents_extracted", 0),
        "duration_s": round(stats.get_value("elapsed_time_seconds", 0.0), 3),
        "resumed": int(resumed),
    }


class CrawlLedger:
    open_crawls = 0  # crawls of this process not yet closed: the last one to close settles

    def __init__(self, crawler):
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("BUDGETS_PROGRESS_INTERVAL", 0.0)
        self.resumed = was_resumed(crawler.settings)
        crawler.stats.set_value("budgets/resumed", int(self.resumed))
        self.started_at = now()
        self.loop = None
        self.display = None  # the terminal's progress row for this crawl (budgets/progress.py)
        from crawler.run import quiet_command_logs

        quiet_command_logs()  # the ledger prints each alert and a network failure as one line
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def counts(self) -> dict:
        stats = self.crawler.stats
        return {name: stats.get_value(f"budgets/{name}", 0) for name in COUNTS}

    def spider_opened(self, spider):
        CrawlLedger.open_crawls += 1
        self.started_at = now()
        self.mark_frontier(spider)
        if enabled():  # a person at a terminal: a live row, twice a second
            self.display = CrawlDisplay.site(spider.site.name)
            self.crawler.budgets_progress = self.display
            self.loop = task.LoopingCall(self.refresh, spider)
            self.loop.start(0.5, now=True)
        elif self.interval > 0:  # a log (BUDGETS_PROGRESS_INTERVAL seconds apart)
            self.loop = task.LoopingCall(self.progress, spider)
            self.loop.start(self.interval, now=False)

    def mark_frontier(self, spider) -> None:
        """A fresh frontier (JOBDIR) records when its crawl started; a crawl resuming one counts
        the documents of the site seen since then (`budgets/resumed_documents`), so that the
        monitors judge the killed run and its continuation together."""
        jobdir = self.crawler.settings.get("JOBDIR")
        if not jobdir:
            return
        mark = Path(jobdir) / STARTED_MARK
        if not self.resumed:
            mark.parent.mkdir(parents=True, exist_ok=True)
            mark.write_text(self.started_at)
            return
        try:
            since = mark.read_text().strip()
        except OSError:  # a frontier from before the mark: whatever this site holds was seen then
            since = ""
        db = database.connect(db_path(self.crawler.settings))
        try:
            found = documents_seen_since(db, spider.site.name, since)
        finally:
            db.conn.close()
        self.crawler.stats.set_value("budgets/resumed_documents", found)

    def progress(self, spider):
        c = self.counts()
        print(f"[{spider.site.name}] {c['pages']} pages, {c['documents']} documents, "
              f"{c['errors']} errors so far", file=sys.stderr, flush=True)

    def refresh(self, spider):
        c = self.counts()
        engine = getattr(self.crawler, "engine", None)
        scheduler = getattr(getattr(engine, "_slot", None), "scheduler", None) or \
            getattr(getattr(engine, "slot", None), "scheduler", None)
        try:
            queued = len(scheduler) if scheduler is not None else 0
        except TypeError:
            queued = 0
        self.display.update(completed=c["documents"], pages=c["pages"], errors=c["errors"], queued=queued)

    def withdrawals(self, db, spider, reason: str) -> list[str]:
        """The one place a crawl decides withdrawals (the URLs it marked withdrawn)."""
        stats = self.crawler.stats
        site = spider.site.name
        whole = whole_walk(reason, getattr(spider, "year", None), self.resumed, stats)
        if self.crawler.settings.getbool("BUDGETS_SHARED_FRONTIER"):
            # the workers' links are only complete together: `budgets nightly` withdraws
            from crawler.scaleout import report_coverage

            report_coverage(self.crawler.settings, site, spider.urls_seen, whole, stats)
            return []
        if whole and covered_the_site(**coverage_counts(stats)):
            return revisions.withdraw_unlinked(db.conn, site, spider.urls_seen)
        return []

    def spider_closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.display is not None:
            CrawlDisplay.done(self.display)
            self.display = None
        CrawlLedger.open_crawls -= 1
        stats = self.crawler.stats
        site = spider.site.name
        db = database.connect(db_path(self.crawler.settings))
        try:
            withdrawn = self.withdrawals(db, spider, reason)
            revisions.reconcile(db.conn)
            c = self.counts()
            status = run_status(c, reason, stats.get_value("budgets/resumed_documents", 0))
            message = run_message(c, reason)
            last_error = network_failure(stats.get_stats()) or stats.get_value("budgets/last_error")
            resumed_found = stats.get_value("budgets/resumed_documents", 0)
            if self.resumed and resumed_found:
                message += f"; resumed a run that had found {resumed_found} documents"
            if status == "failed" and last_error:
                message += f"; last error: {last_error}"
            alerts = stats.get_value("budgets/alerts") or []
            run_id = record_run(db, {
                "site": site, "started_at": self.started_at, "finished_at": now(),
                "pages": c["pages"], "documents_new": c["documents_new"],
                "documents_changed": c["documents_changed"], "documents_unchanged": c["documents_unchanged"],
                "documents_same_bytes": c["documents_same_bytes"],
                "documents_withdrawn": len(withdrawn), "documents_failed": c["documents_failed"],
                "bytes": c["bytes"], "status": status, "message": message,
                **cost(stats, self.resumed),
                "alerts": json.dumps(alerts, ensure_ascii=False) if alerts else None,
            })
            stats.set_value("budgets/crawl_run_id", run_id)
            unreachable = network_failure(stats.get_stats())
            if unreachable:  # one line: the host and the cause (the alert says the same)
                print(f"[{site}] crawl failed: {unreachable}", file=sys.stderr, flush=True)
            else:
                print(f"[{site}] crawl {status}: {message}", file=sys.stderr, flush=True)
            for url in withdrawn:
                print(f"[{site}] withdrawn {url}", file=sys.stderr, flush=True)
            for alert in alerts:
                if not (unreachable and unreachable in alert):
                    print(f"[{site}] ALERT {alert}", file=sys.stderr, flush=True)
            if CrawlLedger.open_crawls <= 0:
                summary = settle(db)
                stats.set_value(SETTLED, summary)
                if summary:
                    print(f"[{site}] {summary}", file=sys.stderr, flush=True)
        finally:
            db.conn.close()
