"""Run the spider in-process over one or more sites (what `budgets crawl` and `budgets demo` do).

Twisted's reactor cannot be restarted, so this runs once per process.
"""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from budgets import db as database
from budgets.afterload import settle
from budgets.crawl_ledger import last_run_id, runs_after
from crawler.extensions import SETTLED


def crawl_settings(db: Path, overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("BUDGETS_DB", str(db), priority="cmdline")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


NETWORK_WORDS = ("CannotResolveHostError", "DownloadConnectionRefusedError", "HostUnreachable", "DNS lookup failed",
                 "Connection was refused", "No route to host", "Network is unreachable")


class CommandLogFilter(logging.Filter):
    """The crawl ledger prints one line per crawl and one per alert, and the ingest pipeline one
    per document: leave out Spidermon's report of failed monitors (a traceback per alert,
    each alert is printed as one line by the crawl ledger) and the per-request lines of a
    network failure (the ledger prints one line naming the host and the cause)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is not ours to judge
            return True
        if text.startswith("[Spidermon]") and ("FAIL" in text or "Traceback" in text):
            return False
        return not any(word in text for word in NETWORK_WORDS)


def quiet_command_logs() -> None:
    """Install `CommandLogFilter` on the loggers that speak during a crawl."""
    for name in ("disclosures", "scrapy.downloadermiddlewares.retry", "scrapy.core.scraper",
                 "scrapy.downloadermiddlewares.robotstxt", "crawler.robots"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, CommandLogFilter) for f in logger.filters):
            logger.addFilter(CommandLogFilter())
    warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated")


def settled(crawlers) -> str:
    """What settling the database did when these crawls closed (crawler/extensions.py)."""
    return "; ".join(s for c in crawlers if (s := c.stats.get_value(SETTLED)))


def run_crawls(sites: list[tuple[str, dict]], db: Path, year: int | None = None,
               overrides: dict | None = None) -> tuple[list[dict], str]:
    """Crawl each (site name, spider options) at once, politely. The crawl ledger records each
    crawl and settles the database when the last one closes. Returns the crawl_runs rows and
    the audit's summary line."""
    before = _last_run_id(db)
    process = CrawlerProcess(crawl_settings(db, overrides))
    quiet_command_logs()
    crawlers = []
    for name, options in sites:
        crawler = process.create_crawler("disclosures")
        crawlers.append(crawler)
        process.crawl(crawler, site=name, year=year, **options)
    process.start()
    conn = database.connect(db)
    try:
        runs = runs_after(conn, before)
        # a no-op when the ledger settled; finishes the job (or says why not) when it failed
        audit = "; ".join(s for s in (settled(crawlers), settle(conn)) if s)
    finally:
        conn.conn.close()
    return runs, audit


def _last_run_id(db: Path) -> int:
    conn = database.connect(db)
    try:
        return last_run_id(conn)
    finally:
        conn.conn.close()
