"""Run the spider in-process over one or more sites (what `budgets crawl` and `budgets demo` do).

Twisted's reactor cannot be restarted, so this runs once per process.
"""
from __future__ import annotations

from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from budgets import db as database
from budgets import revisions
from budgets.afterload import settle


def crawl_settings(db: Path, overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("BUDGETS_DB", str(db), priority="cmdline")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawls(sites: list[tuple[str, dict]], db: Path, year: int | None = None,
               overrides: dict | None = None) -> tuple[list[dict], str]:
    """Crawl each (site name, spider options) at once, politely, then settle the database as
    every loading command does. Returns the crawl_runs rows and the audit's summary line."""
    before = _last_run_id(db)
    process = CrawlerProcess(crawl_settings(db, overrides))
    for name, options in sites:
        process.crawl("disclosures", site=name, year=year, **options)
    process.start()
    conn = database.connect(db)
    runs = [dict(r) for r in conn["crawl_runs"].rows_where("id > ?", [before], order_by="id")]
    audit = settle(conn, loaded_since(conn, min((r["started_at"] for r in runs), default=None)))
    conn.conn.close()
    return runs, audit


def loaded_since(db, started_at: str | None) -> list[str]:
    """Documents (re)loaded by these crawls or whose revision they changed: unchanged ones kept
    their earlier fetched_at, and URLs that could not be fetched have nothing to audit."""
    if not started_at:
        return []
    return revisions.changed_since(db, started_at)


def _last_run_id(db: Path) -> int:
    conn = database.connect(db)
    row = conn.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()
    conn.conn.close()
    return row[0]
